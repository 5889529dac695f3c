/**
 * The latest rate-limit and quota state Jira told us about, shared by every request of one runtime so
 * strategy choices (thrifty vs fast) and pauses see the same picture. Atlassian asks apps to "share
 * rate-limit state across threads" (https://developer.atlassian.com/cloud/jira/platform/rate-limiting/);
 * header names and meanings: docs/jira-cloud.md §6.
 */
import { Clock, Duration, Effect, Layer, Option, Random, Ref } from "effect"
import { type JiraError, JiraErrors } from "./JiraError.js"
import { emptySnapshot, type Header, nextSnapshot } from "./quotaHeaders.js"
import { JiraDeadline } from "./RetryPolicy.js"

/**
 * Requests held by a shared pause leave at its end plus a random 0 to this many ms, never before the
 * end: released together they would all reach Jira in the same millisecond and draw the next 429
 * (Atlassian: add jitter so waiting clients do not retry in step,
 * https://developer.atlassian.com/cloud/jira/platform/rate-limiting/).
 */
export const PAUSE_SPREAD_MS = 250

/**
 * One turn of the event loop: `setImmediate` runs after the I/O poll, so an answer that has already
 * arrived is read, and its Retry-After has paused the state, before the gate decides. Without it a
 * busy client (fibers keep the microtask queue full for hundreds of ms) lets requests leave while a
 * 429 waits unread in its socket; Jira counts those as ignoring the Retry-After.
 */
const readArrivedAnswers = Effect.async<void>((resume) => {
  // In the browser (the page runner) a zero timeout is the nearest turn: answers arrive as tasks there.
  if (typeof globalThis.setImmediate !== "function") {
    const timer = globalThis.setTimeout(() => resume(Effect.void), 0)
    return Effect.sync(() => globalThis.clearTimeout(timer))
  }
  const handle = globalThis.setImmediate(() => resume(Effect.void))
  return Effect.sync(() => globalThis.clearImmediate(handle))
})

const make = Effect.gen(function* () {
  const state = yield* Ref.make(emptySnapshot)

  /**
   * Lets a request to `path` go. Waits out a `Retry-After` another request was given (Jira counts any
   * request from the same user before then as ignoring it), or hands the wait back when it does not fit
   * the deadline. Refuses locally while the quota is known to be spent, so we never hammer Jira.
   * The caller sends as soon as this succeeds, with no I/O turn in between: the last check (after
   * the answers already received were read) is the one the request leaves on.
   */
  const gate = (path: string): Effect.Effect<void, JiraError> =>
    Effect.gen(function* () {
      yield* readArrivedAnswers
      const now = yield* Clock.currentTimeMillis
      const known = yield* Ref.get(state)
      if (known.blockedUntil !== undefined && now < known.blockedUntil)
        return yield* JiraErrors.quotaExhausted(
          known.resetAt ?? new Date(known.blockedUntil).toISOString(),
          known.blockedUntil - now,
          { path, details: ["The hourly quota was spent; no request was sent."] },
        )
      const end = known.pausedUntil
      if (end === undefined || now >= end) return
      const deadline = yield* JiraDeadline.current
      if (Option.isSome(deadline) && end > deadline.value)
        return yield* JiraErrors.rateLimited(end - now, { path })
      const spread = yield* Random.nextIntBetween(0, PAUSE_SPREAD_MS + 1)
      // The spread never pushes a wait that fits the deadline past it.
      const release = Option.isSome(deadline) ? Math.min(end + spread, deadline.value) : end + spread
      yield* Effect.sleep(Duration.millis(release - now))
      // Another answer may have moved the pause while we slept.
      return yield* gate(path)
    })

  return {
    /** The latest known quota state. */
    get: Ref.get(state),
    /** Folds one response's headers into the state. */
    observe: (header: Header, nowMs: number) =>
      Ref.update(state, (previous) => nextSnapshot(previous, header, nowMs)),
    /** Holds every request until `untilMs` (epoch ms), the end of a `Retry-After`. */
    pause: (untilMs: number) =>
      Ref.update(state, (previous) => ({
        ...previous,
        pausedUntil: Math.max(untilMs, previous.pausedUntil ?? 0),
      })),
    /** Records that the quota is spent until `untilMs` (epoch ms; `resetAt` ISO 8601). */
    block: (untilMs: number, resetAt: string) =>
      Ref.update(state, (previous) => ({
        ...previous,
        blockedUntil: Math.max(untilMs, previous.blockedUntil ?? 0),
        resetAt,
        remaining: 0,
        nearLimit: true,
      })),
    gate,
  } as const
})

/**
 * The shared quota state and the gate every request passes. `layer` makes a fresh one: compose it once
 * per runtime (src/runtime.ts, the CLI) so every client of that runtime shares it.
 */
export class RateLimitState extends Effect.Tag("RateLimitState")<
  RateLimitState,
  Effect.Effect.Success<typeof make>
>() {
  static readonly layer: Layer.Layer<RateLimitState> = Layer.effect(RateLimitState, make)
}
