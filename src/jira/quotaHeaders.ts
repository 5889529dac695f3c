/**
 * What Jira's rate-limit headers say, folded into one snapshot: the points quota (limit, remaining,
 * reset), in both the enforced and the `Beta-` forms. Header names and meanings: docs/jira-cloud.md §6.
 */

/** What the last responses said about the app's quota. */
export interface QuotaSnapshot {
  /** Capacity of the current window (`X-RateLimit-Limit`, or `q` of a `RateLimit-Policy` quota policy). */
  readonly limit?: number
  /** What is left of it (`X-RateLimit-Remaining`, or `r` of a `RateLimit` quota policy). */
  readonly remaining?: number
  /** Less than 20% left (`X-RateLimit-NearLimit: true`, or remaining/limit below 0.2). */
  readonly nearLimit: boolean
  /** When the window resets (ISO 8601), when Jira said so. */
  readonly resetAt?: string
  /** `RateLimit-Reason` of the latest response that carried rate-limit headers (429s only). */
  readonly reason?: string
  /** Only `Beta-` quota headers were seen: the points quota is reported but not enforced for this app yet. */
  readonly betaOnly: boolean
  /** Epoch ms until which the quota is known to be spent: every request before then would be refused. */
  readonly blockedUntil?: number
  /**
   * Epoch ms before which no request may be sent: the end of the latest `Retry-After` Jira gave. It
   * holds for every request of the runtime, not only the one that was refused: Jira counts a request
   * from the same user before that time as ignoring it.
   */
  readonly pausedUntil?: number
  /** Epoch ms of the response this snapshot was last updated from. */
  readonly updatedAt?: number
  /**
   * Whose pool the quota is: the app's one pool across all sites (`global-app-quota`, reason
   * `jira-quota-global-based`) or this site's own (`tenant-app-quota`, `jira-quota-tenant-based`).
   */
  readonly pool?: "global" | "tenant"
  /** Length of the quota window in seconds (`w` of the quota policy; Jira's is 3600). */
  readonly windowSeconds?: number
}

export const emptySnapshot: QuotaSnapshot = { nearLimit: false, betaOnly: false }

export type Header = (name: string) => string | null

const numberHeader = (value: string | null): number | undefined => {
  if (value === null || value.trim() === "") return undefined
  const n = Number(value.trim())
  return Number.isFinite(n) ? n : undefined
}

interface StructuredItem {
  readonly name: string
  readonly params: ReadonlyMap<string, number>
}

/**
 * Parses an RFC 9651 list like `"global-app-quota";q=65000;w=3600, "jira-burst-based";q=100;w=1`
 * (the IETF RateLimit header draft Jira follows). Unparseable members are skipped.
 */
export const parseStructuredList = (value: string | null): ReadonlyArray<StructuredItem> =>
  (value ?? "")
    .split(",")
    .map((member) => member.trim())
    .filter((member) => member.length > 0)
    .map((member) => {
      const [rawName = "", ...rawParams] = member.split(";")
      const params = new Map<string, number>()
      for (const param of rawParams) {
        const [key, raw] = param.split("=")
        const n = numberHeader(raw ?? null)
        if (key !== undefined && n !== undefined) params.set(key.trim(), n)
      }
      return { name: rawName.trim().replace(/^"|"$/g, ""), params }
    })

/** Quota policies only: burst buckets refill every second and say nothing about the hourly points. */
const quotaItems = (items: ReadonlyArray<StructuredItem>) =>
  items.filter((item) => item.name.includes("quota"))

const minParam = (items: ReadonlyArray<StructuredItem>, key: string): number | undefined => {
  const values = items.flatMap((item) => {
    const v = item.params.get(key)
    return v === undefined ? [] : [v]
  })
  return values.length === 0 ? undefined : Math.min(...values)
}

/** A date header as ISO 8601 (Jira sends both `2026-06-05T06:00Z` and full seconds), or undefined. */
export const isoDate = (value: string | null): string | undefined => {
  if (value === null || value.trim() === "") return undefined
  const ms = new Date(value.trim()).getTime()
  return Number.isFinite(ms) ? new Date(ms).toISOString() : undefined
}

/**
 * What one response's headers say, merged over the previous snapshot (values a response does not carry
 * stay as they were: `X-RateLimit-Reset` only comes with 429s). Returns the previous snapshot unchanged
 * when the response carries no rate-limit header at all.
 */
export const nextSnapshot = (previous: QuotaSnapshot, header: Header, nowMs: number): QuotaSnapshot => {
  const policies = [
    ...parseStructuredList(header("RateLimit-Policy")),
    ...parseStructuredList(header("Beta-RateLimit-Policy")),
  ]
  // A response whose policies are burst buckets only gives the bucket's figures in `X-RateLimit-*`:
  // a hundred requests a second say nothing of the hourly points (docs/jira-cloud.md §6).
  const burstFigures = policies.length > 0 && quotaItems(policies).length === 0
  const enforcedPolicy = quotaItems(parseStructuredList(header("RateLimit-Policy")))
  const enforcedState = quotaItems(parseStructuredList(header("RateLimit")))
  const betaPolicy = quotaItems(parseStructuredList(header("Beta-RateLimit-Policy")))
  const betaState = quotaItems(parseStructuredList(header("Beta-RateLimit")))
  const xLimit = burstFigures ? undefined : numberHeader(header("X-RateLimit-Limit"))
  const xRemaining = burstFigures ? undefined : numberHeader(header("X-RateLimit-Remaining"))
  const xNear = burstFigures ? null : header("X-RateLimit-NearLimit")
  const xReset = isoDate(header("X-RateLimit-Reset") ?? header("X-Beta-RateLimit-Reset"))
  const reason = header("RateLimit-Reason") ?? undefined
  const betaLimit = numberHeader(header("X-Beta-RateLimit-Limit"))
  const betaRemaining = numberHeader(header("X-Beta-RateLimit-Remaining"))

  const named = [...enforcedPolicy, ...betaPolicy, ...enforcedState, ...betaState].map((item) => item.name)
  const pool =
    named.some((name) => name.startsWith("tenant")) || reason === "jira-quota-tenant-based"
      ? "tenant"
      : named.some((name) => name.startsWith("global")) || reason === "jira-quota-global-based"
        ? "global"
        : previous.pool
  const windowSeconds = minParam([...enforcedPolicy, ...betaPolicy], "w") ?? previous.windowSeconds
  const sawEnforced = enforcedPolicy.length > 0 || enforcedState.length > 0
  const sawBeta = betaPolicy.length > 0 || betaState.length > 0 || betaLimit !== undefined
  const sawAny =
    sawEnforced || sawBeta || xLimit !== undefined || xRemaining !== undefined || xNear !== null || reason
  if (!sawAny) return previous

  const limit =
    xLimit ?? minParam(enforcedPolicy, "q") ?? minParam(betaPolicy, "q") ?? betaLimit ?? previous.limit
  const remaining =
    xRemaining ??
    minParam(enforcedState, "r") ??
    minParam(betaState, "r") ??
    betaRemaining ??
    // A quota policy without `r` means "not near the limit" (Jira only sends `r` close to it).
    (sawEnforced || sawBeta ? undefined : previous.remaining)
  const resetSeconds = minParam(enforcedState, "t") ?? minParam(betaState, "t")
  const resetAt =
    xReset ??
    (resetSeconds === undefined ? undefined : new Date(nowMs + resetSeconds * 1000).toISOString()) ??
    previous.resetAt
  const nearLimit =
    xNear !== null
      ? xNear.trim().toLowerCase() === "true"
      : limit !== undefined && remaining !== undefined && limit > 0 && remaining / limit < 0.2
  const blockedUntil =
    previous.blockedUntil !== undefined && previous.blockedUntil > nowMs ? previous.blockedUntil : undefined
  const pausedUntil =
    previous.pausedUntil !== undefined && previous.pausedUntil > nowMs ? previous.pausedUntil : undefined
  return {
    ...(limit === undefined ? {} : { limit }),
    ...(remaining === undefined ? {} : { remaining }),
    nearLimit,
    ...(resetAt === undefined ? {} : { resetAt }),
    ...(reason === undefined ? {} : { reason }),
    betaOnly: sawBeta && !sawEnforced ? true : sawEnforced ? false : previous.betaOnly,
    ...(blockedUntil === undefined ? {} : { blockedUntil }),
    ...(pausedUntil === undefined ? {} : { pausedUntil }),
    ...(pool === undefined ? {} : { pool }),
    ...(windowSeconds === undefined ? {} : { windowSeconds }),
    updatedAt: nowMs,
  }
}
