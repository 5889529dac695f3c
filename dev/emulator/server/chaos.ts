/**
 * Seeded, composable fault injection. Every fault is a whole-response fault (an error status instead of
 * the answer, a delay, a shorter but consistent page, a deleted issue, an expired token), so a client
 * that retries correctly still ends with exact results.
 */

/** Rates are probabilities per request in 0..1. */
export interface ChaosSpec {
  readonly seed: number
  /** Starts a 429 storm: every request gets 429 `jira-burst-based` with Retry-After until it passes. */
  readonly storm429: number
  /** Storm length in seconds (also the Retry-After it sends). */
  readonly stormSeconds: number
  /** Points after which the quota counts as spent (429 `jira-quota-global-based` until the window resets). */
  readonly quotaAfter: number | null
  readonly fault5xx: number
  readonly fault5xxRetryAfter: number
  readonly html5xx: number
  readonly html429: number
  readonly noRetryAfter: number
  readonly slow: number
  readonly slowMs: number
  readonly shortPages: number
  readonly delete: number
  readonly tokenExpiry: number
  /**
   * Every changelog request (bulkfetch and per issue) fails this way: 403, 500 (a 500 JSON body, as
   * Jira sends when the changelog service is down) or `garbled` (a 200 whose body does not decode).
   */
  readonly changelogFault: ChangelogFault | null
}

export type ChangelogFault = "403" | "500" | "garbled"
const CHANGELOG_FAULTS: ReadonlyArray<ChangelogFault> = ["403", "500", "garbled"]

export const NO_CHAOS: ChaosSpec = {
  seed: 1,
  storm429: 0,
  stormSeconds: 1,
  quotaAfter: null,
  fault5xx: 0,
  fault5xxRetryAfter: 0,
  html5xx: 0,
  html429: 0,
  noRetryAfter: 0,
  slow: 0,
  slowMs: 0,
  shortPages: 0,
  delete: 0,
  tokenExpiry: 0,
  changelogFault: null,
}

/** Moderate rates for every kind except `quota@N` (which depends on the window; add it explicitly). */
export const ALL_CHAOS: ChaosSpec = {
  ...NO_CHAOS,
  storm429: 0.01,
  fault5xx: 0.02,
  fault5xxRetryAfter: 0.02,
  html5xx: 0.01,
  html429: 0.01,
  noRetryAfter: 0.01,
  slow: 0.02,
  slowMs: 300,
  shortPages: 0.1,
  delete: 0.002,
  tokenExpiry: 0.005,
}

const RATE_KEYS = {
  storm429: "storm429",
  "5xx": "fault5xx",
  "5xx-retry-after": "fault5xxRetryAfter",
  html5xx: "html5xx",
  html429: "html429",
  "no-retry-after": "noRetryAfter",
  slow: "slow",
  "short-pages": "shortPages",
  delete: "delete",
  "token-expiry": "tokenExpiry",
} as const

export const CHAOS_HELP = `Chaos SPEC: comma-separated items, later items override earlier ones; rates are per request (0..1).
  storm429=R[:S]        start a 429 storm (RateLimit-Reason jira-burst-based, Retry-After S seconds, default 1)
  quota@N               the hourly points quota counts as spent after N points (429 jira-quota-global-based)
  5xx=R                 503 with a JSON body and no Retry-After
  5xx-retry-after=R     503 with Retry-After: 1
  html5xx=R             503 with an HTML body
  html429=R             429 with an HTML body (Retry-After: 1)
  no-retry-after=R      429 without Retry-After
  slow=R:MS             delay the response by MS milliseconds
  short-pages=R         /search/jql pages with fewer issues than asked (tokens stay correct)
  delete=R              delete a random matching issue not yet returned (issues deleted mid-export)
  token-expiry=R        a valid nextPageToken's search expires (400, as after 7 days)
  changelog=403|500|garbled  every changelog request fails so (garbled: a 200 that does not decode)
  seed=N                seed of the fault sequence (default 1)
  all                   every kind above at moderate rates (not quota@N)
Example: storm429=0.1,quota@5000,5xx=0.05,html429=0.02,slow=0.05:2000,short-pages=0.2,seed=7`

const rate = (item: string, text: string): number => {
  const value = Number(text)
  if (text.trim() === "" || !Number.isFinite(value) || value < 0 || value > 1)
    throw new Error(`Chaos item "${item}" needs a rate between 0 and 1.`)
  return value
}

const count = (item: string, text: string): number => {
  const value = Number(text)
  if (!/^\d+$/.test(text.trim()) || !Number.isSafeInteger(value))
    throw new Error(`Chaos item "${item}" needs a whole number.`)
  return value
}

/** Parses the `--chaos` syntax of CHAOS_HELP; throws an Error with a one-sentence message when it is wrong. */
export const parseChaos = (text: string): ChaosSpec => {
  let spec: ChaosSpec = NO_CHAOS
  for (const raw of text.split(",")) {
    const item = raw.trim()
    if (item === "" || item === "none") continue
    if (item === "all") {
      spec = { ...ALL_CHAOS, seed: spec.seed, quotaAfter: spec.quotaAfter }
      continue
    }
    const quota = /^quota@(.*)$/.exec(item)
    if (quota) {
      spec = { ...spec, quotaAfter: count(item, quota[1]!) }
      continue
    }
    const [name = "", value = ""] = item.split("=", 2)
    if (name === "changelog") {
      const fault = CHANGELOG_FAULTS.find((f) => f === value)
      if (fault === undefined) throw new Error(`Chaos item "${item}" needs 403, 500 or garbled.`)
      spec = { ...spec, changelogFault: fault }
      continue
    }
    if (name === "seed") {
      spec = { ...spec, seed: count(item, value) }
      continue
    }
    if (!Object.hasOwn(RATE_KEYS, name))
      throw new Error(`Unknown chaos item "${item}"; see --help for the chaos syntax.`)
    const key = RATE_KEYS[name as keyof typeof RATE_KEYS]
    const [r = "", extra] = value.split(":", 2)
    spec = { ...spec, [key]: rate(item, r) }
    if (key === "slow") spec = { ...spec, slowMs: count(item, extra ?? "1000") }
    if (key === "storm429" && extra !== undefined) spec = { ...spec, stormSeconds: count(item, extra) }
  }
  return spec
}

/** mulberry32: small, fast, and seedable, so a fault sequence can be replayed. */
export const seededRandom = (seed: number): (() => number) => {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

export type ResponseFault = "storm429" | "5xx" | "5xx-retry-after" | "html5xx" | "html429" | "no-retry-after"

/** What chaos decided for one request. `pick` is a seeded number in 0..1 for choosing a victim or a size. */
export interface ChaosDraw {
  readonly fault: ResponseFault | null
  readonly slowMs: number
  readonly shortPage: boolean
  readonly deleteIssue: boolean
  readonly expireToken: boolean
  readonly pick: number
}

const NO_DRAW: ChaosDraw = {
  fault: null,
  slowMs: 0,
  shortPage: false,
  deleteIssue: false,
  expireToken: false,
  pick: 0,
}

export class Chaos {
  private random: () => number

  /** `stormUntil` carries a running storm over when the spec changes: the clients were told to wait. */
  constructor(
    readonly spec: ChaosSpec,
    private stormUntil = 0,
  ) {
    this.random = seededRandom(spec.seed)
  }

  /** The same storm state under a new spec. */
  next(spec: ChaosSpec): Chaos {
    return new Chaos(spec, this.stormUntil)
  }

  get active(): boolean {
    const s = this.spec
    return (
      s.storm429 + s.fault5xx + s.fault5xxRetryAfter + s.html5xx + s.html429 + s.noRetryAfter + s.slow > 0 ||
      s.shortPages + s.delete + s.tokenExpiry > 0
    )
  }

  /** Seconds left in a running storm at `now`, or 0. */
  stormSecondsLeft(now: number): number {
    return now < this.stormUntil ? Math.ceil((this.stormUntil - now) / 1000) : 0
  }

  /** One request's decisions; always consumes the same number of draws so a sequence replays exactly. */
  draw(now: number): ChaosDraw {
    if (!this.active) return NO_DRAW
    const s = this.spec
    const u = Array.from({ length: 11 }, () => this.random())
    const at = (i: number) => u[i] ?? 1
    let fault: ResponseFault | null = null
    if (at(0) < s.storm429) {
      this.stormUntil = now + s.stormSeconds * 1000
      fault = "storm429"
    } else if (at(1) < s.fault5xx) fault = "5xx"
    else if (at(2) < s.fault5xxRetryAfter) fault = "5xx-retry-after"
    else if (at(3) < s.html5xx) fault = "html5xx"
    else if (at(4) < s.html429) fault = "html429"
    else if (at(5) < s.noRetryAfter) fault = "no-retry-after"
    return {
      fault,
      slowMs: at(6) < s.slow ? s.slowMs : 0,
      shortPage: at(7) < s.shortPages,
      deleteIssue: at(8) < s.delete,
      expireToken: at(9) < s.tokenExpiry,
      pick: at(10),
    }
  }
}
