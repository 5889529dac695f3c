/**
 * The steward of Jira's shared points pool (docs/jira-cloud.md §6.1), as pure decisions. By default an
 * app has one hourly pool for all its installations: once spent, every request of every customer is
 * refused until the reset, their previews and JQL checks included. So an export on the resolver path
 * never spends the pool's last `reserveShare` (interactive calls may), and one installation's exports
 * spend at most `installationShare` of the pool per window. Where Jira gives each site its own pool
 * (`tenant`), only the reserve applies. Interactive calls never pass the steward.
 */
import type { QuotaSnapshot } from "../jira/quotaHeaders.js"

export interface StewardSettings {
  /** Share of the pool exports leave to interactive calls (0.2: the last 20%). */
  readonly reserveShare: number
  /** Share of a shared pool one installation's exports may spend per window (0.25). */
  readonly installationShare: number
}

export const defaultSteward: StewardSettings = { reserveShare: 0.2, installationShare: 0.25 }

/** What the last responses said about the pool, as the steward needs it. */
export interface PoolReading {
  readonly limit: number
  readonly remaining: number
  /** Epoch ms of the window's end (the reset). */
  readonly resetMs: number
  readonly pool: "global" | "tenant"
}

/**
 * Points one call may spend beyond what it is allowed to emit: the page read ahead while the current
 * one is formatted, and the next page of a part (two search pages of 100 issues).
 */
export const READ_AHEAD_POINTS = 202

/** Rows a call must be allowed at least; less is not worth an invocation, so the export pauses. */
export const MIN_ROWS = 100

export type Decision =
  | {
      readonly _tag: "go"
      /** Points the call may spend (its rows are capped from it with `rowsFor`). */
      readonly points: number
    }
  | {
      readonly _tag: "pause"
      /** Epoch ms of the pool's reset, when the export continues. */
      readonly untilMs: number
      readonly limit: "reserve" | "share"
    }

export const HOUR_MS = 3_600_000

/** The pool as the steward reads it from a quota snapshot, or none when Jira has not told us one. */
export const poolReading = (
  snapshot: QuotaSnapshot,
  nowMs: number,
): { readonly reading: PoolReading; readonly windowMs: number } | undefined => {
  const { limit, remaining } = snapshot
  if (limit === undefined || remaining === undefined || limit <= 0) return undefined
  const windowMs = (snapshot.windowSeconds ?? 3600) * 1000
  const told = snapshot.resetAt === undefined ? Number.NaN : Date.parse(snapshot.resetAt)
  // Without a reset time, Jira's windows end at the top of each UTC hour. A reset read from `t`
  // (whole seconds, rounded up, counted from the response) lands up to a second past the true end:
  // whole seconds give every response of a window the same end, and so the same spend record.
  const resetMs = Number.isNaN(told)
    ? (Math.floor(nowMs / HOUR_MS) + 1) * HOUR_MS
    : Math.floor(told / 1000) * 1000
  const reading: PoolReading = { limit, remaining, resetMs, pool: snapshot.pool ?? "global" }
  return { reading: currentReading(reading, windowMs, nowMs), windowMs }
}

/** Points exports may not touch: the reserve, rounded up. */
export const reservePoints = (limit: number, settings: StewardSettings): number =>
  Math.ceil(limit * settings.reserveShare)

/** Points one installation's exports may spend of a shared pool per window, rounded down. */
export const sharePoints = (limit: number, settings: StewardSettings): number =>
  Math.floor(limit * settings.installationShare)

/** Rows a call may emit with `points` to spend at `pointsPerRow`, read-ahead kept aside. */
export const rowsFor = (points: number, pointsPerRow: number): number =>
  Math.max(0, Math.floor((points - READ_AHEAD_POINTS) / pointsPerRow))

/**
 * Whether an export's next call may run and how many points it may spend: what is left above the
 * reserve and, in a shared pool, what is left of this installation's share (`spent`: what its
 * exports spent this window). Pauses until the reset when that does not carry `MIN_ROWS` rows.
 */
export const decide = (input: {
  readonly reading: PoolReading
  readonly spent: number
  readonly pointsPerRow: number
  readonly settings: StewardSettings
}): Decision => {
  const { reading, spent, pointsPerRow, settings } = input
  const aboveReserve = reading.remaining - reservePoints(reading.limit, settings)
  const shareLeft =
    reading.pool === "tenant" ? Number.POSITIVE_INFINITY : sharePoints(reading.limit, settings) - spent
  const points = Math.min(aboveReserve, shareLeft)
  // A pool so small that even a fresh window's allowance is under MIN_ROWS still lets the export on,
  // with all that a window allows, or it would never finish.
  const fresh = Math.min(
    reading.limit - reservePoints(reading.limit, settings),
    reading.pool === "tenant" ? Number.POSITIVE_INFINITY : sharePoints(reading.limit, settings),
  )
  const enough = Math.max(1, Math.min(MIN_ROWS, rowsFor(fresh, pointsPerRow)))
  if (rowsFor(points, pointsPerRow) >= enough) return { _tag: "go", points }
  return { _tag: "pause", untilMs: reading.resetMs, limit: shareLeft < aboveReserve ? "share" : "reserve" }
}

/** A call's turn: a decision, or a short wait while other calls hold the room they may hand back. */
export type Turn = Decision | { readonly _tag: "wait" }

/**
 * The turn of one call of an installation whose other calls may be under way: `held` of `spent` is
 * claimed by calls that have not ended (they hand back what they do not spend). When only the held
 * claims stand in the way, the call waits a moment instead of pausing until the reset.
 */
export const turnFor = (input: {
  readonly reading: PoolReading
  readonly spent: number
  readonly held: number
  readonly pointsPerRow: number
  readonly settings: StewardSettings
}): Turn => {
  const decision = decide(input)
  if (decision._tag === "go" || input.held <= 0) return decision
  return decide({ ...input, spent: input.spent - input.held })._tag === "go" ? { _tag: "wait" } : decision
}

/**
 * Points a call that emitted `rows` rows is charged with: its rows at the strategy's rate (requests
 * included) and the read-ahead it may have paid for and not emitted. Erring high keeps the share; it
 * never exceeds the points the call was allowed.
 */
export const chargeFor = (rows: number, pointsPerRow: number): number =>
  rows === 0 ? 0 : Math.ceil(rows * pointsPerRow) + READ_AHEAD_POINTS

/**
 * The pool as the steward reads it at `nowMs`: once the known reset has passed, the window is new and
 * the pool full (Jira's quota refills at once, it does not trickle back).
 */
export const currentReading = (reading: PoolReading, windowMs: number, nowMs: number): PoolReading => {
  if (nowMs < reading.resetMs) return reading
  const windows = Math.floor((nowMs - reading.resetMs) / windowMs) + 1
  return { ...reading, remaining: reading.limit, resetMs: reading.resetMs + windows * windowMs }
}

/** The window's start (ISO 8601): the key under which an installation's spend is kept (the UTC hour on Jira). */
export const windowKey = (resetMs: number, windowMs: number): string =>
  new Date(resetMs - windowMs).toISOString()

/**
 * Points per row of a strategy on the resolver path, with margin and requests included: thrifty reads
 * issues with their fields (1 point each plus 1 per page of 100), fast lists ids and then fetches them
 * (about 2; src/export/strategy.ts).
 */
export const POINTS_PER_ROW = { thrifty: 1.05, fast: 2.1 } as const

/**
 * What an export of `issues` issues needs of the pool, and how many windows the steward spreads it
 * over when the pool is shared (for `auto` and the page to say so before it starts).
 */
export const windowsNeeded = (input: {
  readonly issues: number
  readonly pointsPerRow: number
  readonly limit: number
  readonly pool: "global" | "tenant"
  readonly settings: StewardSettings
}): number => {
  const perWindow =
    input.pool === "tenant"
      ? input.limit - reservePoints(input.limit, input.settings)
      : Math.min(
          sharePoints(input.limit, input.settings),
          input.limit - reservePoints(input.limit, input.settings),
        )
  const usable = perWindow - READ_AHEAD_POINTS
  if (usable <= 0) return Number.POSITIVE_INFINITY
  return Math.ceil((input.issues * input.pointsPerRow) / usable)
}

/**
 * The page runner's reads (`requestJira`, web/src/engine): Jira does not say whether they draw on the
 * app's pool (partners report they do not; docs/jira-cloud.md §6.1). The page learns it from its own
 * answers: over at least this many rows read in one window, a pool that fell by half of what those
 * rows cost was charged for them. Others cannot fake that: a whole pool spent in an hour is about 18
 * points a second, a page reads hundreds of issues a second.
 */
export const OWN_READS_SAMPLE_ROWS = 500

/** Whether the pool fell with the page's own reads (undefined: too few rows read yet to tell). */
export const chargedByOwnReads = (input: {
  /** Points the pool lost while the page read `rows` rows, in one window. */
  readonly fall: number
  readonly rows: number
  readonly pointsPerRow: number
}): boolean | undefined =>
  input.rows < OWN_READS_SAMPLE_ROWS ? undefined : input.fall >= 0.5 * input.rows * input.pointsPerRow

/**
 * Points the page runner may have in flight when it checks the pool: its parallel reads (10 search
 * pages of 100 issues, src/export/types.ts `directSettings`) and the next page of a part.
 */
export const PAGE_IN_FLIGHT_POINTS = 1_200

/**
 * Whether the page runner, its reads charged, may go on: only the reserve applies (its spend is not
 * in the installation's ledger, and the user chose to run it here), kept with room for what it has in
 * flight. A pool too small for that room lets it on with half of what a window allows above the reserve.
 */
export const pageDecision = (reading: PoolReading, settings: StewardSettings): Decision => {
  const reserve = reservePoints(reading.limit, settings)
  const room = Math.min(PAGE_IN_FLIGHT_POINTS, (reading.limit - reserve) / 2)
  const aboveReserve = reading.remaining - reserve
  return aboveReserve > room
    ? { _tag: "go", points: aboveReserve }
    : { _tag: "pause", untilMs: reading.resetMs, limit: "reserve" }
}
