/**
 * The deadline every resolver runs under. Forge stops a function a UI module calls after 25 s
 * (docs/forge.md §2), and the page then gets no answer at all, only the host's refusal. So each call
 * waits for Jira only while the wait ends inside the invocation, and hands a longer one back to the
 * page as `retryAfterMs`, as `export/next` does; a call still busy near the limit answers a wait
 * instead of being killed.
 */
import { Clock, Context, Duration, Effect, Schema } from "effect"
import { FORGE_LIMITS } from "../contract/constants.js"
import { JiraDeadline } from "../jira/RetryPolicy.js"

export interface InvocationBudgetShape {
  /** Jira waits (Retry-After, backoff, a shared pause) are slept only when they end this long after the start. */
  readonly waitMs: number
  /** The call answers by then, whatever it is doing; `Infinity` leaves it to Forge. */
  readonly answerMs: number
}

/**
 * Waits end by 80% of the 25 s, before the line `export/next` draws for its own work (src/resolvers/chunk.ts
 * `defaultBudget`: new work until 60%, work under way until 86%), so a chunk keeps its budget; the last
 * answer is cut at 90%, which leaves Forge time to carry it back.
 */
export const defaultInvocationBudget: InvocationBudgetShape = {
  waitMs: FORGE_LIMITS.invocationMs * 0.8,
  answerMs: FORGE_LIMITS.invocationMs * 0.9,
}

/** The budget in force: the default unless a test provides another. */
export class InvocationBudget extends Context.Reference<InvocationBudget>()("InvocationBudget", {
  defaultValue: (): InvocationBudgetShape => defaultInvocationBudget,
}) {}

/** How long the page waits before repeating a call that ran out of time. */
export const RETRY_AFTER_TIMEOUT_MS = 2_000

/** A call that was still waiting for Jira when the invocation's time ran out. */
export class InvocationTimeout extends Schema.TaggedError<InvocationTimeout>()("InvocationTimeout", {
  afterMs: Schema.Number,
  retryAfterMs: Schema.Number,
}) {}

/** Runs one resolver effect under the invocation's deadline. */
export const withinInvocation = <A, E, R>(
  self: Effect.Effect<A, E, R>,
): Effect.Effect<A, E | InvocationTimeout, R> =>
  Effect.gen(function* () {
    const budget = yield* InvocationBudget
    const started = yield* Clock.currentTimeMillis
    const bounded = JiraDeadline.within(started + budget.waitMs)(self)
    if (!Number.isFinite(budget.answerMs)) return yield* bounded
    return yield* Effect.timeoutFail(bounded, {
      duration: Duration.millis(budget.answerMs),
      onTimeout: () =>
        new InvocationTimeout({ afterMs: budget.answerMs, retryAfterMs: RETRY_AFTER_TIMEOUT_MS }),
    })
  })
