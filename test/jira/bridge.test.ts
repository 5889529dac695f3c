/**
 * The browser's transport (the frame's product fetch, what `requestJira` of `@forge/bridge` sends)
 * under the one client and retry policy: each answer Jira's status, headers and body as the frame
 * hands them over (written here as a `Response`, read as the frame reads Jira's).
 */
import { describe, expect, it } from "@effect/vitest"
import { Effect, Exit, Layer } from "effect"
import { BridgeTransport, type FrameAnswer, type ProductFetch } from "../../src/jira/BridgeTransport.js"
import { JiraClient } from "../../src/jira/JiraClient.js"
import { JiraError } from "../../src/jira/JiraError.js"
import { RateLimitState } from "../../src/jira/RateLimitState.js"
import { defaultRetrySettings, JiraRetrySettings } from "../../src/jira/RetryPolicy.js"
import { ForgeShared, invocationLayer } from "../../src/runtime.js"
import { searchReq } from "./scripted.js"

type Scripted = Response | Error | (() => Response | Error)

/** Jira's answer as the frame passes it on: status, headers by name, the body's text. */
const frameAnswer = async (response: Response): Promise<FrameAnswer> => ({
  status: response.status,
  headers: Object.fromEntries(response.headers.entries()),
  body: await response.text(),
})

/** A fake product fetch: answers in order (the last repeats), every call recorded with its time. */
const bridge = (answers: ReadonlyArray<Scripted>) => {
  const calls: Array<{ path: string; init: Parameters<ProductFetch>[1]; at: number }> = []
  const fetchProduct: ProductFetch = (path, init) => {
    calls.push({ path, init, at: performance.now() })
    const answer = answers[Math.min(calls.length, answers.length) - 1]
    const resolved = typeof answer === "function" ? answer() : answer
    return resolved instanceof Error || resolved === undefined
      ? Promise.reject(resolved ?? new Error("no answer"))
      : frameAnswer(resolved)
  }
  const layer = invocationLayer(BridgeTransport.layer(fetchProduct)).pipe(
    Layer.provideMerge(ForgeShared),
    Layer.provide(
      Layer.succeed(JiraRetrySettings, { ...defaultRetrySettings, initialDelayMs: 20, maxDelayMs: 200 }),
    ),
  )
  return { calls, layer }
}

const json =
  (status: number, body: unknown, headers: Record<string, string> = {}) =>
  () =>
    new Response(JSON.stringify(body), {
      status,
      headers: { "content-type": "application/json", ...headers },
    })
const page = json(200, { issues: [{ id: "1", key: "A-1", fields: { summary: "One" } }], isLast: true })
const limited = (headers: Record<string, string> = {}) =>
  json(429, { errorMessages: ["Rate limited"] }, { "RateLimit-Reason": "jira-burst-based", ...headers })

const failureOf = <A>(exit: Exit.Exit<A, JiraError>): JiraError => {
  if (Exit.isSuccess(exit)) throw new Error("expected a failure")
  const error = exit.cause._tag === "Fail" ? exit.cause.error : undefined
  if (!(error instanceof JiraError)) throw new Error(`expected a JiraError, got ${exit.cause._tag}`)
  return error
}

describe("BridgeTransport", () => {
  it.live("sends the path, method, JSON body and headers of the product fetch", () => {
    const jira = bridge([page])
    return Effect.gen(function* () {
      const result = yield* JiraClient.searchPage(searchReq)
      expect(result.issues.map((i) => i.key)).toEqual(["A-1"])
      const [call] = jira.calls
      expect(call?.path).toBe("/rest/api/3/search/jql")
      expect(call?.init.method).toBe("POST")
      expect(call?.init.headers).toEqual({ Accept: "application/json", "Content-Type": "application/json" })
      expect(JSON.parse(call?.init.body ?? "null")).toMatchObject({ jql: "project = A" })
    }).pipe(Effect.provide(jira.layer))
  })

  it.live("a 429 with Retry-After is retried after it, not before", () => {
    const jira = bridge([limited({ "Retry-After": "1" }), page])
    return Effect.gen(function* () {
      yield* JiraClient.searchPage(searchReq)
      const [first, second] = jira.calls
      expect(jira.calls.length).toBe(2)
      expect((second?.at ?? 0) - (first?.at ?? 0)).toBeGreaterThanOrEqual(990)
    }).pipe(Effect.provide(jira.layer))
  })

  it.live("a 429 without any rate-limit header backs off (with jitter) and tries again", () => {
    const jira = bridge([json(429, { errorMessages: ["Rate limited"] }), json(429, ""), page])
    return Effect.gen(function* () {
      const result = yield* JiraClient.searchPage(searchReq)
      expect(result.issues.length).toBe(1)
      expect(jira.calls.length).toBe(3)
      const [a, b, c] = jira.calls.map((x) => x.at)
      // 20 ms then 40 ms, each times 0.7-1.3.
      expect((b ?? 0) - (a ?? 0)).toBeGreaterThanOrEqual(13)
      expect((c ?? 0) - (b ?? 0)).toBeGreaterThanOrEqual(27)
    }).pipe(Effect.provide(jira.layer))
  })

  it.live("5xx answers and failed bridge calls are retried, then reported with a sentence", () => {
    const retried = bridge([
      json(503, { errorMessages: ["Service Unavailable"] }),
      new TypeError("Failed to fetch"),
      page,
    ])
    const failing = bridge([new TypeError("Failed to fetch")])
    return Effect.gen(function* () {
      yield* JiraClient.searchPage(searchReq).pipe(Effect.provide(retried.layer))
      expect(retried.calls.length).toBe(3)
      const error = failureOf(
        yield* Effect.exit(JiraClient.searchPage(searchReq).pipe(Effect.provide(failing.layer))),
      )
      expect(error.reason).toBe("Transport")
      expect(error.message).toBe(
        "Jira could not be reached from this page; check your connection, then try again.",
      )
      expect(error.details).toEqual(["TypeError: Failed to fetch"])
      expect(failing.calls.length).toBe(1 + defaultRetrySettings.maxFlakyRetries)
    })
  })

  it.live("reads the quota headers when the answer carries them, and does without them", () => {
    const withHeaders = bridge([
      json(
        200,
        { issues: [], isLast: true },
        { "X-RateLimit-Limit": "65000", "X-RateLimit-Remaining": "120", "X-RateLimit-NearLimit": "true" },
      ),
    ])
    const without = bridge([json(200, { issues: [], isLast: true })])
    return Effect.gen(function* () {
      const quota = yield* Effect.gen(function* () {
        yield* JiraClient.searchPage(searchReq)
        return yield* RateLimitState.get
      }).pipe(Effect.provide(withHeaders.layer))
      expect(quota).toMatchObject({ limit: 65000, remaining: 120, nearLimit: true })
      const none = yield* Effect.gen(function* () {
        yield* JiraClient.searchPage(searchReq)
        return yield* RateLimitState.get
      }).pipe(Effect.provide(without.layer))
      expect(none.remaining).toBeUndefined()
    })
  })
})
