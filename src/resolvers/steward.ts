/**
 * The steward on the resolver path: before an `export/next` call runs, it reads the pool from the
 * latest quota headers (this installation's RateLimitState) and this installation's spend this window
 * (SpendLedger), and either lets the call spend a number of rows (the chunk's gate stops there) or
 * answers a pause until the reset; after the call it records what the call spent. The decisions are
 * pure (src/export/steward.ts); this file only gathers their inputs.
 */
import { Clock, Effect, Option } from "effect"
import type { CursorContent } from "../export/cursor.js"
import type { QuotaReading } from "../export/ports.js"
import {
  chargeFor,
  decide,
  HOUR_MS,
  POINTS_PER_ROW,
  poolReading,
  rowsFor,
  type Turn,
  turnFor,
  windowKey,
  windowsNeeded,
} from "../export/steward.js"
import { RateLimitState } from "../jira/RateLimitState.js"
import { ExportConfig } from "./ExportConfig.js"
import { type Claim, SpendLedger } from "./SpendLedger.js"

export type StewardTurn =
  /** The steward is off, or no quota is known yet: the call runs as before. */
  | { readonly _tag: "free" }
  | {
      readonly _tag: "go"
      readonly maxRows: number
      readonly pointsPerRow: number
      /** The call's claim on the window, lowered to what it spent when it ends (none: unrecorded). */
      readonly claim: Claim | undefined
    }
  | { readonly _tag: "pause"; readonly until: string }
  /** Other calls of the installation hold the room for now: ask again in a moment. */
  | { readonly _tag: "wait"; readonly retryAfterMs: number }

/**
 * How long a call waits for other calls of its installation to hand back what they hold: a few
 * seconds, one invocation each time and no Jira read (the steward reads storage only).
 */
export const HELD_WAIT_MS = 5000

const free: StewardTurn = { _tag: "free" }
const heldWait: StewardTurn = { _tag: "wait", retryAfterMs: HELD_WAIT_MS }
const pause = (untilMs: number): StewardTurn => ({ _tag: "pause", until: new Date(untilMs).toISOString() })
const go = (maxRows: number, pointsPerRow: number, claim: Claim | undefined): StewardTurn => ({
  _tag: "go",
  maxRows,
  pointsPerRow,
  claim,
})

/**
 * Whether the export's next call may run, and how far (the function the chunk runner's caller asks).
 * A call that may run claims its points in the ledger as it decides, so two exports of the
 * installation at once never both spend the same part of the share (SpendLedger.ts); one that finds
 * the room held by calls under way waits a moment rather than until the reset.
 */
export const stewardTurn = (content: CursorContent) =>
  Effect.gen(function* () {
    const config = yield* ExportConfig
    const ledger = yield* Effect.serviceOption(SpendLedger)
    if (config.steward === null || config.apiToken || Option.isNone(ledger)) return free
    const now = yield* Clock.currentTimeMillis
    const known = poolReading(yield* RateLimitState.get, now)
    if (known === undefined) return free
    const window = windowKey(known.reading.resetMs, known.windowMs)
    const pointsPerRow = POINTS_PER_ROW[content.strategy]
    const steward = config.steward
    const { decision, claim } = yield* ledger.value.claim(
      window,
      (spent, held): Turn =>
        turnFor({ reading: known.reading, spent, held, pointsPerRow, settings: steward }),
      (d) => (d._tag === "go" ? d.points : 0),
      now,
    )
    if (decision._tag === "wait") return heldWait
    return decision._tag === "pause"
      ? pause(decision.untilMs)
      : go(rowsFor(decision.points, pointsPerRow), pointsPerRow, claim)
  })

/**
 * Lowers the call's claim to what it spent, by the rows it emitted (`undefined`: the call failed; it
 * is charged nothing, as before claims, and the reserve from Jira's headers still holds).
 */
export const stewardCharge = (turn: StewardTurn, rows: number | undefined) =>
  turn._tag !== "go" || turn.claim === undefined
    ? Effect.void
    : Effect.serviceOption(SpendLedger).pipe(
        Effect.flatMap((ledger) =>
          Option.isNone(ledger) || turn.claim === undefined
            ? Effect.void
            : ledger.value.settle(turn.claim, rows === undefined ? 0 : chargeFor(rows, turn.pointsPerRow)),
        ),
      )

/** A span of quota windows in words: hours on Jira, seconds on a short emulated window. */
const spanOf = (ms: number): string =>
  ms >= HOUR_MS
    ? `about ${Math.round(ms / HOUR_MS)} hour${Math.round(ms / HOUR_MS) === 1 ? "" : "s"}`
    : `about ${Math.round(ms / 1000)} s`

/**
 * What the steward tells the user before an export of about `issues` issues starts, when the
 * allowance cannot carry it in one window: that it will pause, why, and for how long in all. And the
 * quota reading `auto` chooses its strategy by: what the steward lets exports spend, not what is left.
 */
export const stewardOutlook = (issues: number | null, strategy: "thrifty" | "fast") =>
  Effect.gen(function* () {
    const config = yield* ExportConfig
    if (config.steward === null || config.apiToken || issues === null) return undefined
    const now = yield* Clock.currentTimeMillis
    const known = poolReading(yield* RateLimitState.get, now)
    if (known === undefined) return undefined
    const { reading, windowMs } = known
    const windows = windowsNeeded({
      issues,
      pointsPerRow: POINTS_PER_ROW[strategy],
      limit: reading.limit,
      pool: reading.pool,
      settings: config.steward,
    })
    if (windows <= 1) return undefined
    const whose =
      reading.pool === "tenant"
        ? `leaves a fifth of this site's Jira points allowance to the people using Jira meanwhile`
        : `takes at most a quarter of the Jira points allowance that every site using this app shares`
    const length = Number.isFinite(windows) ? spanOf(windows * windowMs) : "many hours"
    return `This export ${whose}, so it pauses when that is used and continues when Jira renews it: it will take ${length}.`
  })

/** The quota reading `auto` sees under the steward: what exports may still spend now. */
export const stewardQuota = (quota: QuotaReading) =>
  Effect.gen(function* () {
    const config = yield* ExportConfig
    const ledger = yield* Effect.serviceOption(SpendLedger)
    if (config.steward === null || config.apiToken || Option.isNone(ledger)) return quota
    const now = yield* Clock.currentTimeMillis
    const known = poolReading(yield* RateLimitState.get, now)
    if (known === undefined) return quota
    const spent = yield* ledger.value.spent(windowKey(known.reading.resetMs, known.windowMs))
    const decision = decide({ reading: known.reading, spent, pointsPerRow: 1, settings: config.steward })
    return { ...quota, remaining: decision._tag === "go" ? decision.points : 0 }
  })
