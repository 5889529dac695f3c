/**
 * How Jira reads are retried, and the deadline that bounds the waiting.
 *
 * Atlassian's guidance (https://developer.atlassian.com/cloud/jira/platform/rate-limiting/, summarised in
 * docs/jira-cloud.md §6): retry only idempotent calls; a `Retry-After` is the
 * least to wait; otherwise back off exponentially from about 2 s, doubling, times a random 0.7–1.3,
 * capped, for a bounded number of tries; a spent points quota (`RateLimit-Reason: jira-quota-*`) is
 * not retried at all (every request is refused until the hourly reset).
 */
import {
  Context,
  Effect,
  FiberRef,
  Option,
  Random,
  Schedule,
  ScheduleDecision,
  ScheduleInterval,
} from "effect"
import { type JiraError, JiraErrors, retryKind, withRetryAfter } from "./JiraError.js"

export interface RetrySettings {
  /** First backoff when Jira gave no `Retry-After`. */
  readonly initialDelayMs: number
  readonly factor: number
  /** No single backoff wait is longer than this. */
  readonly maxDelayMs: number
  readonly jitterMin: number
  readonly jitterMax: number
  /** Retries for "slow down" answers (429 burst, 503): Jira is up, just busy. */
  readonly maxThrottleRetries: number
  /** Retries for 502/504 and failed connections: likely transient, but do not insist. */
  readonly maxFlakyRetries: number
}

export const defaultRetrySettings: RetrySettings = {
  initialDelayMs: 2_000,
  factor: 2,
  maxDelayMs: 30_000,
  jitterMin: 0.7,
  jitterMax: 1.3,
  maxThrottleRetries: 6,
  maxFlakyRetries: 3,
}

/**
 * The retry settings in force: the defaults unless a layer or `Effect.provideService` says otherwise
 * (the CLI may allow more patience; tests against a live emulator shorten the backoff).
 */
export class JiraRetrySettings extends Context.Reference<JiraRetrySettings>()("JiraRetrySettings", {
  defaultValue: (): RetrySettings => defaultRetrySettings,
}) {}

/**
 * Which retry budget an error draws on; undefined for errors that are not retried here. A spent quota
 * is a wait of up to an hour: the caller waits it out (a pause), not this loop. Among 5xx, a 503 is
 * Jira shedding load (throttled like a 429), 502/504 a proxy's hiccup; other 5xx are not asked again.
 */
export const retryClass = (error: JiraError): "throttle" | "flaky" | undefined => {
  switch (retryKind(error)) {
    case "wait":
      return error.reason === "RateLimited" ? "throttle" : undefined
    case "transient":
      if (error.reason === "Transport" || error.status === 502 || error.status === 504) return "flaky"
      return error.status === 503 ? "throttle" : undefined
    default:
      return undefined
  }
}

/** What the schedule decided after one failure. */
export interface RetryStep {
  /** Retries granted so far (including this one, when it continues). */
  readonly retries: number
  /** The wait before the next try, in ms (also when it was refused). */
  readonly waitMs: number
  /** Why it stopped, when it did. */
  readonly stop?: "notRetryable" | "exhausted" | "deadline"
}

/** The backoff without `Retry-After` for the n-th retry (0-based), given a jitter factor. */
export const backoffMs = (settings: RetrySettings, retry: number, jitter: number): number =>
  Math.round(Math.min(settings.maxDelayMs, settings.initialDelayMs * settings.factor ** retry * jitter))

// The absolute deadline (epoch ms by Clock) of the current invocation; none outside a resolver.
const deadlineRef = FiberRef.unsafeMake<Option.Option<number>>(Option.none())

/**
 * A deadline for Jira waits: inside `within(deadlineMs)`, a retry wait that would end after the deadline
 * is not slept; the read fails at once with `RateLimited` carrying the wait, so a resolver can hand it
 * back to the page ("retry after N ms, from this cursor") instead of blowing Forge's 25 s limit.
 */
export const JiraDeadline = {
  /** Runs `self` with an absolute deadline (epoch ms); a nested deadline can only be earlier. */
  within:
    (deadlineMs: number) =>
    <A, E, R>(self: Effect.Effect<A, E, R>): Effect.Effect<A, E, R> =>
      Effect.locallyWith(self, deadlineRef, (current) =>
        Option.some(
          Option.match(current, { onNone: () => deadlineMs, onSome: (d) => Math.min(d, deadlineMs) }),
        ),
      ),
  /** The deadline in force, if any. */
  current: FiberRef.get(deadlineRef),
}

/** Retries of a failed connection or 502/504 inside one resolver call (the page retries the call). */
export const INVOCATION_FLAKY_RETRIES = 1

interface RetryState {
  readonly throttle: number
  readonly flaky: number
}

/**
 * The one retry schedule for Jira reads (input: the failure). It continues only for retryable errors,
 * within their budget and the deadline; its output says why it stopped so the caller can turn a refused
 * wait into a hand-back (`JiraRetry.retry`).
 */
export const jiraReadRetry = (
  settings: RetrySettings = defaultRetrySettings,
): Schedule.Schedule<RetryStep, JiraError> =>
  Schedule.makeWithState<RetryState, JiraError, RetryStep>({ throttle: 0, flaky: 0 }, (now, error, state) =>
    Effect.gen(function* () {
      const kind = retryClass(error)
      const retries = state.throttle + state.flaky
      if (kind === undefined)
        return [state, { retries, waitMs: 0, stop: "notRetryable" }, ScheduleDecision.done] as const
      const used = kind === "throttle" ? state.throttle : state.flaky
      const deadline = yield* JiraDeadline.current
      // Inside an invocation a Jira that does not answer is retried once, then handed to the page,
      // which says so within seconds and keeps trying with its own countdown (2 + 4 + 8 s of silent
      // retries here would hide it for 14 s a call).
      const flakyBudget = Option.isSome(deadline)
        ? Math.min(settings.maxFlakyRetries, INVOCATION_FLAKY_RETRIES)
        : settings.maxFlakyRetries
      const budget = kind === "throttle" ? settings.maxThrottleRetries : flakyBudget
      const jitter = yield* Random.nextRange(settings.jitterMin, settings.jitterMax)
      // Jira's Retry-After is the least wait it accepts; without one, back off (per budget, so a
      // flaky gateway does not inflate the waits of a later burst limit).
      const waitMs = error.retryAfterMs ?? backoffMs(settings, used, jitter)
      if (used >= budget)
        return [state, { retries, waitMs, stop: "exhausted" }, ScheduleDecision.done] as const
      if (Option.isSome(deadline) && now + waitMs > deadline.value)
        return [state, { retries, waitMs, stop: "deadline" }, ScheduleDecision.done] as const
      const next = kind === "throttle" ? { ...state, throttle: used + 1 } : { ...state, flaky: used + 1 }
      return [
        next,
        { retries: retries + 1, waitMs },
        ScheduleDecision.continueWith(ScheduleInterval.after(now + waitMs)),
      ] as const
    }),
  )

/** The policy every read uses (settings from `JiraRetrySettings`), named once. */
export const JiraRetryPolicy = jiraReadRetry()

/**
 * Retries a read with the policy; a wait refused by the deadline becomes `RateLimited` with that wait
 * (Jira's own message kept in `details`), any other stop surfaces the last error as it was.
 */
export const retryRead =
  (policy: Schedule.Schedule<RetryStep, JiraError> = JiraRetryPolicy) =>
  <A, R>(self: Effect.Effect<A, JiraError, R>): Effect.Effect<A, JiraError, R> =>
    Effect.retryOrElse(self, policy, (error, step) => {
      if (step.stop === "deadline")
        return Effect.fail(
          JiraErrors.rateLimited(step.waitMs, {
            details: [error.message, ...(error.details ?? [])],
            ...(error.status === undefined ? {} : { status: error.status }),
            ...(error.path === undefined ? {} : { path: error.path }),
          }),
        )
      // Out of retries on a 429 without Retry-After: still say how long to wait before trying again.
      if (step.stop === "exhausted" && error.reason === "RateLimited" && error.retryAfterMs === undefined)
        return Effect.fail(withRetryAfter(error, step.waitMs))
      return Effect.fail(error)
    })
