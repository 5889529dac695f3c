/**
 * Waiting out Jira's points quota in the command-line exporter. Once the quota is spent Jira refuses
 * every request until the window resets (docs/jira-cloud.md §6), and it says when: so, unless told
 * `--no-wait`, the exporter waits in the same run and continues from its latest cursor, as often as
 * each window moves the export on. A window that does not is not waited for again: the run stops with
 * the resume hint rather than wait for ever.
 */
import { Cause, Clock, Deferred, Effect, Exit, Option } from "effect"
import { JiraError } from "../jira/JiraError.js"
import { emptySnapshot } from "../jira/quotaHeaders.js"
import { RateLimitState } from "../jira/RateLimitState.js"

/** Slack after the reset Jira named, so the first request of the new window is not early. */
const AFTER_RESET_MS = 250

export interface QuotaWaitOptions<E, R> {
  /** The export from its latest cursor to the end, or to a failure. */
  readonly run: Effect.Effect<void, E, R>
  /** Where the export stands (compared by identity: the cursor after the last unit written). */
  readonly position: Effect.Effect<unknown>
  /** False for `--no-wait`: a spent quota ends the run like every other failure. */
  readonly wait: boolean
  /** Told when a wait starts (epoch ms of its end) and when it ends (null). */
  readonly waiting: (untilMs: number | null) => Effect.Effect<void, never, R>
  /** Done when the user asked to stop (Ctrl-C): a wait ends at once. */
  readonly stop: Deferred.Deferred<void>
  /** Say each wait in a sentence on standard error (when no progress line shows it). */
  readonly announce?: boolean
}

/** When a run that failed with `cause` may go on: the quota's reset, or none for any other failure. */
const resumeAt = (cause: Cause.Cause<unknown>) =>
  Effect.gen(function* () {
    const failure = Cause.failureOption(cause)
    if (Option.isNone(failure)) return undefined
    const error = failure.value
    if (!(error instanceof JiraError) || error.reason !== "QuotaExhausted") return undefined
    const now = yield* Clock.currentTimeMillis
    const reset = error.resetAt === undefined ? Number.NaN : Date.parse(error.resetAt)
    // The client's own record, where there is one: it refuses locally until `blockedUntil`.
    const state = yield* Effect.serviceOption(RateLimitState)
    const known = Option.isSome(state) ? yield* state.value.get : emptySnapshot
    return Math.max(
      Number.isFinite(reset) ? reset : now + (error.retryAfterMs ?? 60_000),
      known.blockedUntil ?? 0,
      known.pausedUntil ?? 0,
    )
  })

/** Runs the export, waiting for the quota's reset and running it again after each spent window. */
export const runWaitingForQuota = <E, R>(options: QuotaWaitOptions<E, R>): Effect.Effect<void, E, R> =>
  Effect.gen(function* () {
    let positionAtLastWait: unknown
    let waited = false
    for (;;) {
      const exit = yield* Effect.exit(options.run)
      if (Exit.isSuccess(exit) || !options.wait || (yield* Deferred.isDone(options.stop))) return yield* exit
      const until = yield* resumeAt(exit.cause)
      const position = yield* options.position
      if (until === undefined || (waited && position === positionAtLastWait)) return yield* exit
      waited = true
      positionAtLastWait = position
      yield* options.waiting(until)
      if (options.announce === true)
        yield* Effect.sync(() => process.stderr.write(`${waitSentence(until)}\n`))
      const now = yield* Clock.currentTimeMillis
      yield* Effect.sleep(Math.max(0, until - now) + AFTER_RESET_MS).pipe(
        Effect.raceFirst(Deferred.await(options.stop)),
      )
      yield* options.waiting(null)
      if (yield* Deferred.isDone(options.stop)) return
    }
  })

/** Most quota resets waited for before the export has even started (others may share the quota). */
const MAX_WAITS_TO_START = 3

/**
 * The start of an export (the credential check, the count, the fields: everything before a byte is
 * written), run again after the quota's reset when the quota is spent; with `--no-wait` (`wait`
 * false) it fails as it is.
 */
export const afterQuotaReset = <A, E, R>(
  effect: Effect.Effect<A, E, R>,
  options: {
    readonly wait: boolean
    readonly quiet: boolean
    readonly stop?: Deferred.Deferred<void>
    /** Told when a wait starts (epoch ms of its end). */
    readonly onWait?: (untilMs: number) => Effect.Effect<void>
  },
): Effect.Effect<A, E, R> =>
  Effect.gen(function* () {
    for (let waits = 0; ; waits++) {
      const exit = yield* Effect.exit(effect)
      if (Exit.isSuccess(exit) || !options.wait || waits >= MAX_WAITS_TO_START) return yield* exit
      const until = yield* resumeAt(exit.cause)
      if (until === undefined) return yield* exit
      if (options.onWait !== undefined) yield* options.onWait(until)
      if (!options.quiet) yield* Effect.sync(() => process.stderr.write(`${waitSentence(until)}\n`))
      const now = yield* Clock.currentTimeMillis
      const sleep = Effect.sleep(Math.max(0, until - now) + AFTER_RESET_MS)
      const { stop } = options
      if (stop === undefined) yield* sleep
      else {
        yield* sleep.pipe(Effect.raceFirst(Deferred.await(stop)))
        if (yield* Deferred.isDone(stop)) return yield* exit
      }
    }
  })

/** The local time of day of an epoch ms, as the progress line shows it (HH:MM:SS). */
export const timeOfDay = (ms: number): string => new Date(ms).toTimeString().slice(0, 8)

/** The sentence printed when there is no progress line to show the wait on. */
export const waitSentence = (untilMs: number): string =>
  `Jira's hourly quota is spent; waiting until ${timeOfDay(untilMs)}, then the export continues (--no-wait stops instead).`

/**
 * The sentence for a run that stops at a spent quota (`--no-wait`, or a window that moved nothing),
 * with the reset in local time as the waiting line gives it; undefined for any other failure. `stopped`
 * is the rest of the sentence: where the export stands and how to go on.
 */
export const quotaStopSentence = (error: unknown, stopped: string): string | undefined => {
  if (!(error instanceof JiraError) || error.reason !== "QuotaExhausted") return undefined
  const reset = error.resetAt === undefined ? Number.NaN : Date.parse(error.resetAt)
  return Number.isNaN(reset)
    ? `Jira's hourly quota is spent; ${stopped} once it resets.`
    : `Jira's hourly quota is spent until ${timeOfDay(reset)}; ${stopped} from then.`
}

/** What the progress line adds: the quota wait under way, and the page tokens recovered from. */
export const quotaProgress = (
  quotaUntil: number | null,
  counters: { readonly relocations?: number | undefined },
): { readonly quotaUntil?: string; readonly relocations?: number } => ({
  ...(quotaUntil === null ? {} : { quotaUntil: timeOfDay(quotaUntil) }),
  ...(counters.relocations === undefined ? {} : { relocations: counters.relocations }),
})

/** The summary line of an export that met expired page tokens, if it did. */
export const recoverySentence = (counters: {
  readonly relocations?: number | undefined
}): string | undefined =>
  counters.relocations === undefined
    ? undefined
    : `Jira's page token expired ${counters.relocations === 1 ? "once" : `${counters.relocations} times`}; the export found its place again and continued.`
