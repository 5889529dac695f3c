/**
 * A slow Jira on the page path: every Jira request takes 6 s or 10 s. Forge cuts a call at 25 s
 * (the resolver answers by 22.5 s), so a call whose budgets started after its `/field` read, or that
 * threw away the rows it had read when the cut came, repeated the same cursor for ever. Each call
 * here must answer inside the cut, and the page's loop (repeat a call that ran out of time, with the
 * same cursor) must finish the export exact.
 *
 * Virtual time (virtualTime.ts): the delay is slept on the resolver's clock before each request, so a
 * "6 s" request takes 6 s of the resolver's time and no wall time (the emulator's own `slow` chaos
 * delays in wall time, which the virtual clock cannot see).
 */
import { Cause, Effect, Exit, Layer, ManagedRuntime } from "effect"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { type RunningEmulator, startEmulator } from "../../dev/emulator/index.js"
import type { ExportChunk, ExportStarted, ResolverError } from "../../src/contract.js"
import { HttpTransport } from "../../src/jira/HttpTransport.js"
import { JiraTransport } from "../../src/jira/JiraTransport.js"
import { RateLimitState } from "../../src/jira/RateLimitState.js"
import { defaultInvocationBudget, withinInvocation } from "../../src/resolvers/deadline.js"
import { ExportConfig } from "../../src/resolvers/ExportConfig.js"
import { exportNext, exportStart } from "../../src/resolvers/export.js"
import { type ResolverFailure, toResolverError } from "../../src/resolvers/respond.js"
import { invocationLayer, type ResolverServices } from "../../src/runtime.js"
import { jqlAll, keysOf } from "./emulated.js"
import { virtualTime } from "./virtualTime.js"

let emulator: RunningEmulator
beforeAll(async () => {
  emulator = await startEmulator({ issues: 400, seed: 9 })
})
afterAll(() => emulator.close())

/** Every request sleeps `ms` on the resolver's clock before it is sent. */
const slowly = (ms: number, inner: Layer.Layer<JiraTransport>): Layer.Layer<JiraTransport> =>
  Layer.effect(
    JiraTransport,
    Effect.map(JiraTransport, (transport) => ({
      send: (request: Parameters<typeof transport.send>[0]) =>
        Effect.sleep(ms).pipe(Effect.zipRight(transport.send(request))),
    })),
  ).pipe(Layer.provide(inner))

/** The page's loop against a Jira that takes `delayMs` per request: every call and its virtual time. */
const exportSlowly = async (delayMs: number, strategy: "fast" | "thrifty", maxCalls = 60) => {
  const time = virtualTime()
  const transport = slowly(
    delayMs,
    time.counted(
      HttpTransport.layer({
        baseUrl: emulator.url,
        email: emulator.accounts.admin.email,
        apiToken: emulator.apiToken,
      }),
    ),
  )
  const runtime = ManagedRuntime.make(
    Layer.mergeAll(RateLimitState.layer, ExportConfig.layer({ apiToken: true })),
  )
  const call = async <A>(effect: Effect.Effect<A, ResolverFailure, ResolverServices>) => {
    const { exit, elapsedMs } = await runtime.runPromise(
      time.run(withinInvocation(effect).pipe(Effect.provide(invocationLayer(transport)))),
    )
    if (Exit.isSuccess(exit)) return { elapsedMs, value: exit.value, error: undefined }
    const failure = Cause.failureOption(exit.cause)
    if (failure._tag === "None") throw new Error(Cause.pretty(exit.cause))
    return { elapsedMs, value: undefined, error: toResolverError(failure.value) as ResolverError }
  }
  const jql = jqlAll(emulator)
  const calls: Array<{
    readonly call: "start" | "next"
    readonly elapsedMs: number
    readonly rows: number
    readonly tag?: string
    readonly message?: string
  }> = []
  let started: ExportStarted | undefined
  for (let tries = 0; started === undefined && tries < 5; tries++) {
    const answer = await call(
      exportStart({
        jql,
        columns: ["issuekey", "summary", "status"],
        options: { preset: "data", strategy, timeZone: "UTC" },
      }),
    )
    calls.push({
      call: "start",
      elapsedMs: answer.elapsedMs,
      rows: 0,
      ...(answer.error ? { tag: answer.error.tag } : {}),
    })
    started = answer.value
  }
  if (started === undefined) throw new Error(`export/start never answered: ${JSON.stringify(calls)}`)
  let csv = started.csv
  let cursor: string | null = started.cursor
  while (cursor !== null && calls.length < maxCalls) {
    const answer: { elapsedMs: number; value: ExportChunk | undefined; error: ResolverError | undefined } =
      await call(exportNext({ cursor }))
    const chunk = answer.value
    calls.push({
      call: "next",
      elapsedMs: answer.elapsedMs,
      rows: chunk === undefined ? 0 : keysOf(`${chunk.csv}`).length,
      ...(answer.error ? { tag: answer.error.tag, message: answer.error.message } : {}),
    })
    if (chunk === undefined) continue
    csv += chunk.csv
    cursor = chunk.cursor
  }
  await runtime.dispose()
  const expected = emulator
    .referenceSearch(jql, emulator.accounts.admin.accountId)
    .map((id) => emulator.dataset.issueByIdOrKey(id)?.key ?? id)
  return { calls, keys: keysOf(csv), expected, done: cursor === null }
}

describe("a slow Jira on the page path", () => {
  it.each([
    [6_000, "fast"],
    [6_000, "thrifty"],
    [10_000, "fast"],
    [10_000, "thrifty"],
  ] as const)(
    "%i ms per request, %s: every call answers inside the cut; the export finishes exact",
    async (delayMs, strategy) => {
      const { calls, keys, expected, done } = await exportSlowly(delayMs, strategy)
      expect(done, JSON.stringify(calls)).toBe(true)
      expect(keys).toEqual(expected)
      for (const call of calls) expect(call.elapsedMs).toBeLessThanOrEqual(defaultInvocationBudget.answerMs)
      // Progress: no two calls in a row that ran out of time.
      const timeouts = calls.map((c) => c.tag === "Timeout")
      expect(
        timeouts.some((t, i) => t && timeouts[i + 1] === true),
        JSON.stringify(calls),
      ).toBe(false)
    },
    120_000,
  )

  it("a Jira too slow for a call to read anything (12 s per request) is said, inside the cut", async () => {
    const { calls, done } = await exportSlowly(12_000, "fast", 4)
    expect(done).toBe(false)
    const next = calls.filter((c) => c.call === "next")
    expect(next.length, JSON.stringify(calls)).toBeGreaterThan(0)
    for (const call of calls) expect(call.elapsedMs).toBeLessThanOrEqual(defaultInvocationBudget.answerMs)
    for (const call of next) {
      expect(call.tag, JSON.stringify(calls)).toBe("Timeout")
      expect(call.message).toMatch(
        /^Jira answered too slowly for this call to read any issue in \d+ seconds; trying again in 2 seconds\.$/,
      )
    }
  }, 120_000)
})
