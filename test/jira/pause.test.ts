/**
 * The shared pause a `Retry-After` sets: requests it holds leave after its end, spread over a short
 * random window so that they do not all reach Jira in the same millisecond.
 */
import { describe, expect, it } from "@effect/vitest"
import { Effect, Fiber, Random, TestClock } from "effect"
import { JiraClient } from "../../src/jira/JiraClient.js"
import { jiraResponse } from "../../src/jira/JiraTransport.js"
import { PAUSE_SPREAD_MS } from "../../src/jira/RateLimitState.js"
import { JiraDeadline } from "../../src/jira/RetryPolicy.js"
import { scripted, searchOk, searchReq } from "./scripted.js"

/** A burst 429 asking every request to wait 2 s. */
const wait2s = jiraResponse(429, { errorMessages: ["Rate limited"] }, { "Retry-After": "2" })

/** The first request draws a 429 at 0 (pause until 2000); `held` more queue behind the pause at 500. */
const pausedAt0 = (held: number) => {
  const jira = scripted([wait2s, searchOk])
  const run = Effect.gen(function* () {
    const first = yield* Effect.fork(JiraClient.searchPage(searchReq))
    yield* TestClock.adjust("500 millis")
    const others = yield* Effect.forEach(
      Array.from({ length: held }, (_, i) => i),
      (i) => Effect.fork(JiraClient.searchPage({ ...searchReq, jql: `project = H${i}` })),
    )
    return [first, ...others]
  })
  return { jira, run }
}

describe("the shared pause", () => {
  it.effect("held requests leave after the Retry-After end, never before, spread over the window", () => {
    const { jira, run } = pausedAt0(8)
    return Effect.gen(function* () {
      const fibers = yield* run
      yield* TestClock.adjust("1499 millis")
      expect(jira.sent.map((s) => s.at)).toEqual([0])
      yield* TestClock.adjust(`${1 + PAUSE_SPREAD_MS} millis`)
      yield* Effect.forEach(fibers, Fiber.join)
      const after = jira.sent.slice(1).map((s) => s.at)
      expect(after).toHaveLength(9)
      for (const at of after) {
        expect(at).toBeGreaterThanOrEqual(2000)
        expect(at).toBeLessThanOrEqual(2000 + PAUSE_SPREAD_MS)
      }
      expect(new Set(after).size).toBeGreaterThan(1)
    }).pipe(Effect.provide(jira.layer), Effect.withRandom(Random.make("pause spread")))
  })

  it.effect("the spread comes after the end: the longest draw leaves at end + spread", () => {
    const { jira, run } = pausedAt0(1)
    return Effect.gen(function* () {
      const fibers = yield* run
      yield* TestClock.adjust(`${1500 + PAUSE_SPREAD_MS} millis`)
      yield* Effect.forEach(fibers, Fiber.join)
      // The refused request retries at the end itself; the held one leaves a full spread later.
      expect(jira.sent.map((s) => s.at)).toEqual([0, 2000, 2000 + PAUSE_SPREAD_MS])
    }).pipe(Effect.provide(jira.layer), Effect.withRandom(Random.fixed([PAUSE_SPREAD_MS])))
  })

  it.effect("the spread never pushes a request whose wait fits the deadline past it", () => {
    const jira = scripted([wait2s, searchOk])
    return Effect.gen(function* () {
      const first = yield* Effect.fork(JiraClient.searchPage(searchReq))
      yield* TestClock.adjust("500 millis")
      const held = yield* Effect.fork(
        JiraClient.searchPage({ ...searchReq, jql: "project = B" }).pipe(JiraDeadline.within(2_100)),
      )
      yield* TestClock.adjust("1599 millis")
      expect(jira.sent.map((s) => s.at)).toEqual([0, 2000])
      yield* TestClock.adjust("1 millis")
      yield* Fiber.join(first)
      yield* Fiber.join(held)
      expect(jira.sent.map((s) => s.at)).toEqual([0, 2000, 2100])
    }).pipe(Effect.provide(jira.layer), Effect.withRandom(Random.fixed([PAUSE_SPREAD_MS])))
  })
})
