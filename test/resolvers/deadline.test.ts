/**
 * Every resolver runs under the invocation's deadline: a wait Jira asks for that does not end inside
 * Forge's 25 s is handed back to the page at once (`retryAfterMs`), a call still busy near the limit
 * answers a wait instead of being killed, and under a real 429 storm from the emulator no call waits
 * past the budget.
 */
import { describe, expect, it } from "@effect/vitest"
import { Cause, Effect, Either, Exit, Fiber, Layer, TestClock } from "effect"
import { startEmulator } from "../../dev/emulator/index.js"
import { FORGE_LIMITS } from "../../src/contract/constants.js"
import { HttpTransport } from "../../src/jira/HttpTransport.js"
import { JiraTransport, jiraResponse } from "../../src/jira/JiraTransport.js"
import { RateLimitState } from "../../src/jira/RateLimitState.js"
import {
  defaultInvocationBudget,
  InvocationBudget,
  InvocationTimeout,
  withinInvocation,
} from "../../src/resolvers/deadline.js"
import { ExportConfig } from "../../src/resolvers/ExportConfig.js"
import { fieldsList } from "../../src/resolvers/fields.js"
import { jqlAutocomplete, jqlParse } from "../../src/resolvers/jql.js"
import { previewPage } from "../../src/resolvers/preview.js"
import { type ResolverFailure, toResolverError } from "../../src/resolvers/respond.js"
import { whoami } from "../../src/resolvers/session.js"
import { invocationLayer, type ResolverServices } from "../../src/runtime.js"
import { ok, scripted } from "../jira/scripted.js"
import { jqlAll } from "./emulated.js"
import { virtualTime } from "./virtualTime.js"

const storm = (seconds: number) =>
  jiraResponse(
    429,
    { errorMessages: ["Rate limited"] },
    {
      "RateLimit-Reason": "jira-burst-based",
      "Retry-After": String(seconds),
    },
  )
const me = ok({ accountId: "acc-1", displayName: "Ada Admin", timeZone: "UTC" })

describe("the invocation deadline", () => {
  it("leaves room inside Forge's 25 s: waits end by 20 s, the answer is cut at 22.5 s", () => {
    expect(defaultInvocationBudget.waitMs).toBe(20_000)
    expect(defaultInvocationBudget.answerMs).toBeGreaterThan(defaultInvocationBudget.waitMs)
    expect(defaultInvocationBudget.answerMs).toBeLessThan(FORGE_LIMITS.invocationMs)
  })

  it.effect("a Retry-After that does not fit is handed back at once, not slept", () => {
    const jira = scripted([storm(30), me])
    return Effect.gen(function* () {
      const fiber = yield* Effect.fork(withinInvocation(whoami({})).pipe(Effect.either))
      yield* TestClock.adjust("1 millis")
      const answer = fiber.unsafePoll()
      expect(jira.sent.map((s) => s.at)).toEqual([0])
      if (answer === null || Exit.isFailure(answer) || Either.isRight(answer.value))
        throw new Error("expected the wait handed back at once")
      expect(toResolverError(answer.value.left)).toMatchObject({ tag: "RateLimited", retryAfterMs: 30_000 })
    }).pipe(Effect.provide(jira.layer))
  })

  it.effect("a Retry-After that fits is waited out inside the call", () => {
    const jira = scripted([storm(3), me])
    return Effect.gen(function* () {
      const fiber = yield* Effect.fork(withinInvocation(whoami({})))
      yield* TestClock.adjust("3 seconds")
      const answer = yield* Fiber.join(fiber)
      expect(answer.displayName).toBe("Ada Admin")
      expect(jira.sent.map((s) => s.at)).toEqual([0, 3_000])
    }).pipe(Effect.provide(jira.layer))
  })

  it.effect("a call still waiting for Jira near the limit answers a Timeout with a wait", () => {
    const silent = invocationLayer(JiraTransport.layerTest(() => Effect.never)).pipe(
      Layer.provideMerge(Layer.mergeAll(RateLimitState.layer, ExportConfig.layer({}))),
    )
    return Effect.gen(function* () {
      const fiber = yield* Effect.fork(withinInvocation(fieldsList({})).pipe(Effect.exit))
      yield* TestClock.adjust(defaultInvocationBudget.answerMs - 1)
      expect(fiber.unsafePoll()).toBeNull()
      yield* TestClock.adjust("1 millis")
      const exit = yield* Fiber.join(fiber)
      const failure = Exit.isFailure(exit) ? Cause.failureOption(exit.cause) : undefined
      expect(failure?._tag === "Some" && failure.value).toBeInstanceOf(InvocationTimeout)
      if (failure?._tag !== "Some") return
      const error = toResolverError(failure.value)
      expect(error).toMatchObject({ tag: "Timeout", retryAfterMs: expect.any(Number) })
      expect(error.message).toMatch(/^Jira did not answer within 23 seconds; trying again in \d+ seconds?\.$/)
    }).pipe(Effect.provide(silent))
  })
})

describe("resolvers under a 429 storm from the emulator", () => {
  // The report: preview, jql/parse and fields/list waited out a 20 s Retry-After past Forge's 25 s.
  it.effect("every call answers within the budget; the ones that meet the storm hand its wait back", () =>
    Effect.gen(function* () {
      const emulator = yield* Effect.acquireRelease(
        Effect.promise(() =>
          startEmulator({ issues: 200, seed: 2, chaos: "storm429=0.15:20,no-retry-after=0.05,seed=3" }),
        ),
        (running) => Effect.promise(() => running.close()),
      )
      const time = virtualTime()
      const transport = time.counted(
        HttpTransport.layer({
          baseUrl: emulator.url,
          email: emulator.accounts.admin.email,
          apiToken: emulator.apiToken,
        }),
      )
      const jql = jqlAll(emulator)
      const calls: ReadonlyArray<() => Effect.Effect<unknown, ResolverFailure, ResolverServices>> = [
        () => whoami({}),
        () => fieldsList({}),
        () => jqlParse({ jql }),
        () => jqlAutocomplete({}),
        () => previewPage({ jql, columns: ["issuekey", "summary", "assignee"] }),
        () => jqlParse({ jql: `${jql} ` }),
      ]
      const outcomes: Array<{ readonly elapsedMs: number; readonly retryAfterMs: number | undefined }> = []
      for (let n = 0; n < 18; n++) {
        const call = calls[n % calls.length]
        if (call === undefined) continue
        const { exit, elapsedMs } = yield* time.run(
          withinInvocation(call()).pipe(
            Effect.provide(invocationLayer(transport)),
            // The 25 s cut is tested above; here the virtual clock must only ever move for Jira's waits.
            Effect.provideService(InvocationBudget, { ...defaultInvocationBudget, answerMs: Infinity }),
          ),
        )
        if (Exit.isFailure(exit)) {
          const failure = Cause.failureOption(exit.cause)
          if (failure._tag === "None") throw new Error(Cause.pretty(exit.cause))
          const error = toResolverError(failure.value)
          expect(error.tag).toBe("RateLimited")
          outcomes.push({ elapsedMs, retryAfterMs: error.retryAfterMs })
        } else outcomes.push({ elapsedMs, retryAfterMs: undefined })
      }
      for (const outcome of outcomes)
        expect(outcome.elapsedMs).toBeLessThanOrEqual(defaultInvocationBudget.waitMs)
      const handedBack = outcomes.filter((o) => o.retryAfterMs !== undefined)
      expect(handedBack.length).toBeGreaterThan(0)
      expect(handedBack.every((o) => (o.retryAfterMs ?? 0) > 0)).toBe(true)
      expect(outcomes.some((o) => o.retryAfterMs === undefined)).toBe(true)
      expect(emulator.stats().rateLimited.total).toBeGreaterThan(0)
    }).pipe(
      Effect.provide(Layer.mergeAll(RateLimitState.layer, ExportConfig.layer({ apiToken: false }))),
      Effect.scoped,
    ),
  )
})
