/**
 * The gate decides on what the client has received, not only on what it has already handled: a 429
 * that arrived before a request leaves holds that request, even when the fiber that asked for the
 * 429 has not run yet (a busy client keeps its microtask queue full while answers wait in sockets).
 */
import { describe, expect, it } from "@effect/vitest"
import { Clock, Deferred, Effect, Fiber, Layer, Random, TestClock } from "effect"
import { JiraClient } from "../../src/jira/JiraClient.js"
import { type JiraRequest, JiraTransport, jiraResponse } from "../../src/jira/JiraTransport.js"
import { PAUSE_SPREAD_MS } from "../../src/jira/RateLimitState.js"
import { UserDirectory } from "../../src/jira/UserDirectory.js"
import { ForgeShared, invocationLayer } from "../../src/runtime.js"
import { searchOk, searchReq } from "./scripted.js"

const wait2s = jiraResponse(429, { errorMessages: ["Rate limited"] }, { "Retry-After": "2" })

/** Jira whose first answer (a 429) arrives the way a socket read does: in an I/O callback. */
const jiraWithSocketAnswer = (firstSent: Deferred.Deferred<void>) => {
  const sent: Array<{ readonly at: number; readonly jql: unknown }> = []
  const transport = JiraTransport.layerTest((request: JiraRequest) =>
    Effect.gen(function* () {
      const at = yield* Clock.currentTimeMillis
      const body = request.body
      sent.push({
        at,
        jql: typeof body === "object" && body !== null && "jql" in body ? body.jql : undefined,
      })
      if (sent.length > 1) return searchOk
      yield* Deferred.succeed(firstSent, undefined)
      return yield* Effect.async<typeof wait2s>((resume) => {
        const handle = setImmediate(() => resume(Effect.succeed(wait2s)))
        return Effect.sync(() => clearImmediate(handle))
      })
    }),
  )
  const layer = invocationLayer(transport, UserDirectory.layer()).pipe(Layer.provideMerge(ForgeShared))
  return { sent, layer }
}

describe("the gate right before a request leaves", () => {
  it.effect("a request gated after a 429 arrived, but before it was handled, waits for that pause", () =>
    Effect.gen(function* () {
      const firstSent = yield* Deferred.make<void>()
      const jira = jiraWithSocketAnswer(firstSent)
      return yield* Effect.gen(function* () {
        const first = yield* Effect.fork(JiraClient.searchPage(searchReq))
        yield* Deferred.await(firstSent)
        // The 429 is on its way back (its I/O callback is queued); this request reaches the gate now.
        const second = yield* Effect.fork(JiraClient.searchPage({ ...searchReq, jql: "project = B" }))
        yield* TestClock.adjust("1999 millis")
        expect(jira.sent).toEqual([{ at: 0, jql: "project = A" }])
        yield* TestClock.adjust(`${1 + PAUSE_SPREAD_MS} millis`)
        yield* Fiber.join(first)
        yield* Fiber.join(second)
        const held = jira.sent.find((s) => s.jql === "project = B")
        expect(held?.at).toBeGreaterThanOrEqual(2000)
        expect(held?.at).toBeLessThanOrEqual(2000 + PAUSE_SPREAD_MS)
      }).pipe(Effect.provide(jira.layer))
    }).pipe(Effect.withRandom(Random.make("dispatch"))),
  )
})
