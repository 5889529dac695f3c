import { describe, expect, it } from "@effect/vitest"
import { Effect, Exit, Fiber, Random, TestClock } from "effect"
import { JiraClient } from "../../src/jira/JiraClient.js"
import { JiraError } from "../../src/jira/JiraError.js"
import { jiraResponse } from "../../src/jira/JiraTransport.js"
import { RateLimitState } from "../../src/jira/RateLimitState.js"
import {
  backoffMs,
  defaultRetrySettings,
  INVOCATION_FLAKY_RETRIES,
  JiraDeadline,
} from "../../src/jira/RetryPolicy.js"
import { ok, scripted, searchOk, searchReq } from "./scripted.js"

const burst = (headers: Record<string, string> = {}, body: unknown = { errorMessages: ["Rate limited"] }) =>
  jiraResponse(429, body, { "RateLimit-Reason": "jira-burst-based", ...headers })

const failureOf = <A>(exit: Exit.Exit<A, JiraError>): JiraError => {
  if (Exit.isSuccess(exit)) throw new Error("expected a failure")
  const error = exit.cause._tag === "Fail" ? exit.cause.error : undefined
  if (!(error instanceof JiraError)) throw new Error(`expected a JiraError, got ${exit.cause._tag}`)
  return error
}

describe("retry policy", () => {
  it.effect("a 429 with Retry-After: 3 is retried at 3 s, not before", () => {
    const jira = scripted([burst({ "Retry-After": "3" }), searchOk])
    return Effect.gen(function* () {
      const fiber = yield* Effect.fork(JiraClient.searchPage(searchReq))
      yield* TestClock.adjust("2999 millis")
      expect(jira.sent.length).toBe(1)
      yield* TestClock.adjust("1 millis")
      const page = yield* Fiber.join(fiber)
      expect(jira.sent.map((s) => s.at)).toEqual([0, 3000])
      expect(page.issues.map((i) => i.key)).toEqual(["A-1"])
    }).pipe(Effect.provide(jira.layer))
  })

  it.effect("without Retry-After it backs off exponentially from about 2 s, jittered and capped", () => {
    const jira = scripted([burst(), burst(), burst(), burst(), burst(), burst(), searchOk])
    return Effect.gen(function* () {
      const fiber = yield* Effect.fork(JiraClient.searchPage(searchReq))
      yield* TestClock.adjust("1399 millis")
      expect(jira.sent.length).toBe(1)
      yield* TestClock.adjust("10 minutes")
      yield* Fiber.join(fiber)
      const at = jira.sent.map((s) => s.at)
      const waits = at.slice(1).map((t, i) => t - (at[i] ?? 0))
      expect(waits).toHaveLength(6)
      waits.forEach((wait, n) => {
        const base = Math.min(30_000, 2_000 * 2 ** n)
        expect(wait).toBeGreaterThanOrEqual(Math.min(30_000, Math.floor(base * 0.7)))
        expect(wait).toBeLessThanOrEqual(Math.min(30_000, Math.ceil(base * 1.3)))
      })
    }).pipe(Effect.provide(jira.layer))
  })

  it("backoff is capped at 30 s whatever the jitter", () => {
    for (const jitter of [0.7, 1, 1.3])
      for (let n = 0; n < 12; n++)
        expect(backoffMs(defaultRetrySettings, n, jitter)).toBeLessThanOrEqual(30_000)
    expect(backoffMs(defaultRetrySettings, 0, 1)).toBe(2_000)
    expect(backoffMs(defaultRetrySettings, 3, 1)).toBe(16_000)
  })

  it.effect("retries are bounded: an endless 429 storm ends as RateLimited", () => {
    const jira = scripted([burst({ "Retry-After": "1" })])
    return Effect.gen(function* () {
      const fiber = yield* Effect.fork(Effect.exit(JiraClient.searchPage(searchReq)))
      yield* TestClock.adjust("10 minutes")
      const error = failureOf(yield* Fiber.join(fiber))
      expect(error.reason).toBe("RateLimited")
      expect(error.retryAfterMs).toBe(1000)
      expect(jira.sent.length).toBe(1 + defaultRetrySettings.maxThrottleRetries)
    }).pipe(Effect.provide(jira.layer))
  })

  it.effect("out of retries on 429s without Retry-After, the error still carries a wait", () => {
    const jira = scripted([burst()])
    return Effect.gen(function* () {
      const fiber = yield* Effect.fork(Effect.exit(JiraClient.searchPage(searchReq)))
      yield* TestClock.adjust("10 minutes")
      const error = failureOf(yield* Fiber.join(fiber))
      expect(error).toBeInstanceOf(JiraError)
      expect(error.reason).toBe("RateLimited")
      expect(error.message).toBe("Jira asked us to slow down; try again in a moment.")
      expect(error.retryAfterMs).toBeGreaterThan(0)
      expect(error.retryAfterMs).toBeLessThanOrEqual(30_000)
    }).pipe(Effect.provide(jira.layer))
  })

  it.effect("a quota 429 is not retried, surfaces the reset time, and pauses later reads until then", () => {
    const quota = jiraResponse(
      429,
      {
        errorMessages: ["The request has been rate-limited. Please try again later."],
        errors: {},
        status: 429,
      },
      {
        "Retry-After": "1847",
        "X-RateLimit-Limit": "65000",
        "X-RateLimit-Remaining": "0",
        "X-RateLimit-Reset": "1970-01-01T00:30:47Z",
        "RateLimit-Reason": "jira-quota-global-based",
      },
    )
    const jira = scripted([quota, searchOk])
    return Effect.gen(function* () {
      const first = failureOf(yield* Effect.exit(JiraClient.searchPage(searchReq)))
      expect(first.reason).toBe("QuotaExhausted")
      expect(first.resetAt).toBe("1970-01-01T00:30:47.000Z")
      expect(first.retryAfterMs).toBe(1_847_000)
      expect(first.message).toContain("1970-01-01T00:30:47.000Z")
      expect(jira.sent.length).toBe(1)
      const quotaState = yield* RateLimitState.get
      expect(quotaState).toMatchObject({ limit: 65000, remaining: 0, reason: "jira-quota-global-based" })

      // Before the reset nothing is sent at all: Jira refuses everything until then.
      yield* TestClock.adjust("10 minutes")
      const second = failureOf(yield* Effect.exit(JiraClient.searchPage(searchReq)))
      expect(second.reason).toBe("QuotaExhausted")
      expect(second.retryAfterMs).toBe(1_847_000 - 600_000)
      expect(jira.sent.length).toBe(1)

      yield* TestClock.adjust("30 minutes")
      yield* JiraClient.searchPage(searchReq)
      expect(jira.sent.length).toBe(2)
    }).pipe(Effect.provide(jira.layer))
  })

  it.effect("a wait that does not fit the deadline is handed back at once as RateLimited", () => {
    const jira = scripted([burst({ "Retry-After": "5" }), searchOk])
    return Effect.gen(function* () {
      const exit = yield* JiraClient.searchPage(searchReq).pipe(JiraDeadline.within(4_000), Effect.exit)
      const error = failureOf(exit)
      expect(error.reason).toBe("RateLimited")
      expect(error.retryAfterMs).toBe(5_000)
      expect(jira.sent.length).toBe(1)
      // No time passed: the hand-back did not sleep.
      expect(yield* TestClock.currentTimeMillis).toBe(0)
    }).pipe(Effect.provide(jira.layer))
  })

  it.effect("inside an invocation a failed connection is retried once, then handed to the page", () => {
    const refused = new JiraError({ reason: "Transport", message: "Jira could not be reached." })
    const jira = scripted([refused])
    return Effect.gen(function* () {
      const fiber = yield* Effect.fork(
        Effect.exit(JiraClient.searchPage(searchReq).pipe(JiraDeadline.within(20_000))),
      )
      yield* TestClock.adjust("1 minute")
      const error = failureOf(yield* Fiber.join(fiber))
      expect(error.reason).toBe("Transport")
      // One retry after about 2 s: the page hears of it within seconds, not after 2 + 4 + 8 s.
      expect(jira.sent.length).toBe(1 + INVOCATION_FLAKY_RETRIES)
      expect(jira.sent.at(-1)?.at).toBeLessThanOrEqual(2_600)
      // Without a deadline (the command line) the full budget applies.
      const cli = scripted([refused])
      const outside = yield* Effect.fork(
        Effect.exit(JiraClient.searchPage(searchReq).pipe(Effect.provide(cli.layer))),
      )
      yield* TestClock.adjust("5 minutes")
      yield* Fiber.join(outside)
      expect(cli.sent.length).toBe(1 + defaultRetrySettings.maxFlakyRetries)
    }).pipe(Effect.provide(jira.layer))
  })

  it.effect("a wait that fits the deadline is slept; nested deadlines only tighten", () => {
    const jira = scripted([burst({ "Retry-After": "2" }), burst({ "Retry-After": "2" }), searchOk])
    return Effect.gen(function* () {
      const fiber = yield* Effect.fork(
        JiraClient.searchPage(searchReq).pipe(
          JiraDeadline.within(3_000),
          JiraDeadline.within(60_000),
          Effect.exit,
        ),
      )
      yield* TestClock.adjust("10 seconds")
      const error = failureOf(yield* Fiber.join(fiber))
      expect(jira.sent.map((s) => s.at)).toEqual([0, 2000])
      expect(error.reason).toBe("RateLimited")
      expect(error.retryAfterMs).toBe(2000)
    }).pipe(Effect.provide(jira.layer))
  })

  it.effect("a Retry-After holds every request of the runtime, not only the refused one", () => {
    const jira = scripted([burst({ "Retry-After": "2" }), searchOk])
    return Effect.gen(function* () {
      const first = yield* Effect.fork(JiraClient.searchPage(searchReq))
      yield* TestClock.adjust("1 second")
      const second = yield* Effect.fork(JiraClient.searchPage({ ...searchReq, jql: "project = B" }))
      yield* TestClock.adjust("999 millis")
      expect(jira.sent.length).toBe(1)
      yield* TestClock.adjust("1 millis")
      yield* Fiber.join(first)
      yield* Fiber.join(second)
      expect(jira.sent.map((s) => s.at)).toEqual([0, 2000, 2000])
      // Without the release spread (pause.test.ts), so the held request leaves right at the end.
    }).pipe(Effect.provide(jira.layer), Effect.withRandom(Random.fixed([0])))
  })

  it.effect("a pause that does not fit the deadline is handed back without a request", () => {
    const jira = scripted([burst({ "Retry-After": "10" }), searchOk])
    return Effect.gen(function* () {
      const exit = yield* JiraClient.searchPage(searchReq).pipe(JiraDeadline.within(5_000), Effect.exit)
      expect(failureOf(exit).retryAfterMs).toBe(10_000)
      const later = failureOf(yield* JiraClient.fields().pipe(JiraDeadline.within(5_000), Effect.exit))
      expect(later.reason).toBe("RateLimited")
      expect(later.retryAfterMs).toBe(10_000)
      expect(jira.sent.length).toBe(1)
    }).pipe(Effect.provide(jira.layer))
  })

  it.effect("a 503 with Retry-After waits that long", () => {
    const jira = scripted([jiraResponse(503, "", { "Retry-After": "4" }), searchOk])
    return Effect.gen(function* () {
      const fiber = yield* Effect.fork(JiraClient.searchPage(searchReq))
      yield* TestClock.adjust("3999 millis")
      expect(jira.sent.length).toBe(1)
      yield* TestClock.adjust("1 millis")
      yield* Fiber.join(fiber)
      expect(jira.sent.map((s) => s.at)).toEqual([0, 4000])
    }).pipe(Effect.provide(jira.layer))
  })

  it.effect("an HTML 429 body is handled like any 429", () => {
    const html =
      "<html><head><title>Oops - an error has occurred</title></head><body><h1>error429</h1>" +
      "x".repeat(5000) +
      "</body></html>"
    const jira = scripted([jiraResponse(429, html, { "Content-Type": "text/html" }), searchOk])
    return Effect.gen(function* () {
      const fiber = yield* Effect.fork(JiraClient.searchPage(searchReq))
      yield* TestClock.adjust("1 minute")
      const page = yield* Fiber.join(fiber)
      expect(page.issues).toHaveLength(1)
      expect(jira.sent.length).toBe(2)
    }).pipe(Effect.provide(jira.layer))
  })

  it.effect("an HTML 500 gives ServerError with a short excerpt, not retried", () => {
    const html = `<html><body><p>Internal   error</p>${"y".repeat(5000)}</body></html>`
    const jira = scripted([jiraResponse(500, html)])
    return Effect.gen(function* () {
      const error = failureOf(yield* Effect.exit(JiraClient.fields()))
      expect(error.reason).toBe("ServerError")
      expect(error.details?.[0]?.startsWith("Internal error y")).toBe(true)
      expect(error.details?.[0]?.length).toBeLessThanOrEqual(201)
      expect(jira.sent.length).toBe(1)
    }).pipe(Effect.provide(jira.layer))
  })

  it.effect("502/504 and transport failures are retried a few times, then surface", () => {
    const down = new JiraError({ reason: "Transport", message: "unreachable" })
    const jira = scripted([jiraResponse(502, ""), jiraResponse(504, ""), down, jiraResponse(502, "")])
    return Effect.gen(function* () {
      const fiber = yield* Effect.fork(Effect.exit(JiraClient.myself()))
      yield* TestClock.adjust("10 minutes")
      const error = failureOf(yield* Fiber.join(fiber))
      expect(error.reason).toBe("ServerError")
      expect(error.status).toBe(502)
      expect(jira.sent.length).toBe(1 + defaultRetrySettings.maxFlakyRetries)
    }).pipe(Effect.provide(jira.layer))
  })

  it.effect("errors that retrying cannot fix are not retried", () => {
    const jira = scripted([
      jiraResponse(401, "<html>Client must be authenticated to access this resource.</html>"),
    ])
    return Effect.gen(function* () {
      const error = failureOf(yield* Effect.exit(JiraClient.myself()))
      expect(error.reason).toBe("Unauthorized")
      expect(error.details).toEqual(["Client must be authenticated to access this resource."])
      expect(jira.sent.length).toBe(1)
    }).pipe(Effect.provide(jira.layer))
  })

  it.effect("rate-limit headers of ordinary responses update the shared quota state", () => {
    const jira = scripted([
      ok(
        { accountId: "a", displayName: "A" },
        {
          "Beta-RateLimit-Policy": '"global-app-quota";q=65000;w=3600',
          "Beta-RateLimit": '"global-app-quota";r=11000;t=600',
        },
      ),
    ])
    return Effect.gen(function* () {
      yield* JiraClient.myself()
      const state = yield* RateLimitState.get
      expect(state).toMatchObject({
        limit: 65000,
        remaining: 11000,
        nearLimit: true,
        betaOnly: true,
        resetAt: "1970-01-01T00:10:00.000Z",
      })
    }).pipe(Effect.provide(jira.layer))
  })
})
