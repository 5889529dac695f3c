import { describe, expect, it } from "@effect/vitest"
import { Effect, Either, Fiber, TestClock } from "effect"
import { fetchInSearchOrder } from "../../src/export/bulk.js"
import { makeContext } from "../../src/export/engine.js"
import { openGate } from "../../src/export/gate.js"
import type { BulkFetchResult, ExportJiraShape } from "../../src/export/ports.js"
import type { PipelineSettings } from "../../src/export/types.js"
import { JiraError } from "../../src/jira/JiraError.js"
import { fakeFormat, makeFakeJira, makeIssues } from "./fakes.js"

const settings: PipelineSettings = {
  searchPageSize: 25,
  idPageSize: 70,
  bulkSize: 16,
  requestConcurrency: 4,
  completionConcurrency: 2,
  issueErrorRetries: 2,
}

const issues = makeIssues(40)
const idsOf = (indexes: ReadonlyArray<number>) => indexes.map((i) => issues[i]!.id)

type Answer = ReturnType<ExportJiraShape["bulkFetch"]>

/** The fake Jira with its bulkfetch answers wrapped, and the id lists each bulkfetch was asked for. */
const jiraWith = (wrap: (answer: Answer, call: number) => Answer, deadlineMs?: number) => {
  const fake = makeFakeJira(issues)
  const asked: Array<ReadonlyArray<string>> = []
  const jira: ExportJiraShape = {
    ...fake.jira,
    bulkFetch: (request) =>
      Effect.suspend(() => {
        asked.push(request.ids)
        return wrap(fake.jira.bulkFetch(request), asked.length - 1)
      }),
  }
  return makeContext({
    jira,
    format: fakeFormat,
    jql: "mod 1",
    gate: openGate,
    settings,
    ...(deadlineMs === undefined ? {} : { deadlineMs }),
  }).pipe(Effect.map((ctx) => ({ ctx, asked, fake })))
}

/** Drops `ids` from a bulkfetch answer and lists them as retriable `issueErrors`. */
const withErrors = (result: BulkFetchResult, ids: ReadonlyArray<string>): BulkFetchResult => ({
  issues: result.issues.filter((i) => !ids.includes(i.id)),
  issueErrors: [
    ...result.issueErrors,
    ...ids.filter((id) => result.issues.some((i) => i.id === id)).map((id) => ({ id })),
  ],
})

const rateLimited = new JiraError({ reason: "RateLimited", message: "Slow down.", retryAfterMs: 500 })

describe("adaptive bulkfetch", () => {
  it.effect("puts the answer back in search order and reports what bulkfetch left out, with positions", () =>
    Effect.gen(function* () {
      const { ctx, fake } = yield* jiraWith((base) => base)
      // Search order is not id order: bulkfetch answers ascending, so the order must be restored.
      const wanted = idsOf([9, 2, 30, 5, 17])
      fake.deleted.add(issues[30]!.id)
      const fetched = yield* fetchInSearchOrder(ctx, wanted)
      expect(fetched.issues.map((i) => i.id)).toEqual(idsOf([9, 2, 5, 17]))
      expect(fetched.positions).toEqual([0, 1, 3, 4])
      expect(fetched.missing).toEqual([{ id: issues[30]!.id, position: 2 }])
    }),
  )

  it.effect("asks again only for retriable issueErrors, until they come back", () =>
    Effect.gen(function* () {
      const flaky = issues[4]!.id
      const { ctx, asked } = yield* jiraWith((base, call) =>
        base.pipe(Effect.map((result) => (call < 2 ? withErrors(result, [flaky]) : result))),
      )
      const wanted = idsOf([1, 4, 7])
      const fetched = yield* fetchInSearchOrder(ctx, wanted)
      expect(fetched.issues.map((i) => i.id)).toEqual(wanted)
      expect(fetched.missing).toEqual([])
      expect(asked).toEqual([wanted, [flaky], [flaky]])
    }),
  )

  it.effect("reports an issue still in issueErrors after the last retry as missing", () =>
    Effect.gen(function* () {
      const stuck = issues[7]!.id
      const { ctx, asked } = yield* jiraWith((base) =>
        base.pipe(Effect.map((result) => withErrors(result, [stuck]))),
      )
      const fetched = yield* fetchInSearchOrder(ctx, idsOf([1, 4, 7]))
      expect(fetched.issues.map((i) => i.id)).toEqual(idsOf([1, 4]))
      expect(fetched.missing).toEqual([{ id: stuck, position: 2 }])
      expect(asked.length).toBe(1 + settings.issueErrorRetries)
    }),
  )

  it.effect(
    "a rate limit past the client's retries: one permit fewer, then the same batch after the wait",
    () =>
      Effect.gen(function* () {
        const { ctx, asked } = yield* jiraWith((base, call) => (call === 0 ? Effect.fail(rateLimited) : base))
        const wanted = idsOf([3, 1])
        const fiber = yield* Effect.fork(fetchInSearchOrder(ctx, wanted))
        yield* TestClock.adjust(499)
        expect(asked.length).toBe(1)
        yield* TestClock.adjust(1)
        const fetched = yield* Fiber.join(fiber)
        expect(fetched.issues.map((i) => i.id)).toEqual(wanted)
        expect(asked).toEqual([wanted, wanted])
        expect(yield* ctx.limiter.current).toBe(settings.requestConcurrency - 1)
      }),
  )

  it.effect("a rate limit whose wait does not fit the deadline fails at once", () =>
    Effect.gen(function* () {
      const { ctx, asked } = yield* jiraWith(() => Effect.fail(rateLimited), 400)
      const result = yield* fetchInSearchOrder(ctx, idsOf([3])).pipe(Effect.either)
      expect(Either.isLeft(result) && result.left.reason).toBe("RateLimited")
      expect(asked.length).toBe(1)
    }),
  )

  it.effect("a pause Jira asked for during a successful call also gives up a permit", () =>
    Effect.gen(function* () {
      let pausedUntil = 0
      const fake = makeFakeJira(issues)
      const ctx = yield* makeContext({
        jira: {
          ...fake.jira,
          // Each bulkfetch was answered after the client waited out a 429: the pause moves on.
          bulkFetch: (request) =>
            fake.jira.bulkFetch(request).pipe(
              Effect.tap(() =>
                Effect.sync(() => {
                  pausedUntil += 1000
                }),
              ),
            ),
          quota: Effect.sync(() => ({ nearLimit: false, pausedUntil })),
        },
        format: fakeFormat,
        jql: "mod 1",
        gate: openGate,
        settings,
      })
      for (let i = 0; i < 2; i++) yield* fetchInSearchOrder(ctx, idsOf([i]))
      expect(yield* ctx.limiter.current).toBe(settings.requestConcurrency - 2)
    }),
  )
})
