import { describe, expect, it } from "@effect/vitest"
import { Effect, Either } from "effect"
import fc from "fast-check"
import {
  type Counters,
  type CursorContent,
  decodeCursor,
  decodeIds,
  encodeCursor,
} from "../../src/export/cursor.js"
import type { PipelineSettings } from "../../src/export/types.js"
import { type ChunkBudget, type ChunkResult, runChunk } from "../../src/resolvers/chunk.js"
import {
  beginFake,
  type FakeJira,
  fakeFormat,
  makeFakeJira,
  makeIssues,
  referenceCsv,
  referenceSearch,
} from "./fakes.js"

const small: PipelineSettings = {
  searchPageSize: 25,
  idPageSize: 200,
  bulkSize: 16,
  requestConcurrency: 4,
  completionConcurrency: 2,
  issueErrorRetries: 2,
}

const issues = makeIssues(600)

const begin = (fake: FakeJira, jql: string, strategy: "thrifty" | "fast") =>
  beginFake(fake, { jql, strategy }).pipe(Effect.map((started) => started.content))

/** Runs up to `calls` export/next calls (each cursor through its wire form) from `content`. */
const runCalls = (
  fake: FakeJira,
  content: CursorContent,
  options: { calls?: number; budget?: ChunkBudget; settings?: PipelineSettings } = {},
) =>
  Effect.gen(function* () {
    let current: CursorContent | null = content
    let counters: Counters = content.counters
    let csv = ""
    for (let call = 0; current !== null && call < (options.calls ?? 10_000); call++) {
      const result: ChunkResult = yield* runChunk({
        jira: fake.jira,
        format: fakeFormat,
        content: current,
        settings: options.settings ?? small,
        budget: options.budget ?? { timeMs: 15_000, graceMs: 5_000, maxBytes: 1_500 },
      })
      csv += result.csv
      counters = result.counters
      current = result.next === null ? null : yield* decodeCursor(encodeCursor(result.next))
    }
    return { csv, counters, next: current }
  })

describe("a refused page token", () => {
  for (const strategy of ["thrifty", "fast"] as const)
    for (const jql of ["mod 1", "mod 3 desc"])
      for (const maxBytes of [1_500, 3_000_000])
        it.effect(`${strategy} ${jql}, answers of ${maxBytes} bytes: tokens expiring mid-export`, () =>
          Effect.gen(function* () {
            // A few requests with a token find their search dropped, one of them during a relocation.
            const fake = makeFakeJira(issues, { expireToken: (n) => [1, 2, 6, 12, 20].includes(n) })
            const content = yield* begin(fake, jql, strategy)
            const result = yield* runCalls(fake, content, {
              budget: { timeMs: 15_000, graceMs: 5_000, maxBytes },
              settings: { ...small, idPageSize: 40 },
            })
            expect(result.next).toBeNull()
            expect(result.csv).toBe(referenceCsv(referenceSearch(issues, jql)))
            expect(result.counters.done).toBe(referenceSearch(issues, jql).length)
            expect(fake.stats.expiredTokens).toBeGreaterThan(0)
            expect(result.counters.relocations).toBeGreaterThan(0)
          }),
        )

  it.effect(
    "property: tokens expiring as it runs, stopped anywhere, resumed after every token died and the last rows deleted",
    () =>
      Effect.gen(function* () {
        yield* Effect.promise(() =>
          fc.assert(
            fc.asyncProperty(
              fc.constantFrom("thrifty" as const, "fast" as const),
              fc.constantFrom("mod 1", "mod 2 desc", "mod 5"),
              fc.integer({ min: 1, max: 30 }),
              fc.constantFrom(3, 13, 70, 5000),
              fc.integer({ min: 0, max: 5 }),
              fc.uniqueArray(fc.integer({ min: 0, max: 40 }), { maxLength: 4 }),
              (strategy, jql, calls, idPageSize, deletions, expiries) =>
                Effect.runPromise(
                  Effect.gen(function* () {
                    const settings = { ...small, idPageSize }
                    // Tokens also expire now and then while it runs.
                    const fake = makeFakeJira(issues, { expireToken: (n) => expiries.includes(n) })
                    const expected = referenceSearch(issues, jql)
                    const first = yield* runCalls(fake, yield* begin(fake, jql, strategy), {
                      calls,
                      settings,
                    })
                    if (first.next === null) return
                    // The last rows written are deleted in Jira, then every search is dropped.
                    const written = expected.slice(0, first.counters.done)
                    for (const issue of written.slice(-deletions))
                      if (deletions > 0) fake.deleted.add(issue.id)
                    fake.expireAll()
                    const rest = yield* runCalls(fake, first.next, { settings })
                    expect(rest.next).toBeNull()
                    expect(first.csv + rest.csv).toBe(referenceCsv(expected))
                    expect(rest.counters.done).toBe(expected.length)
                  }),
                ),
            ),
            { numRuns: 40, seed: 12 },
          ),
        )
      }),
  )

  for (const strategy of ["thrifty", "fast"] as const)
    it.effect(`${strategy}: when none of the last rows is listed any more, it stops with a sentence`, () =>
      Effect.gen(function* () {
        const settings = { ...small, idPageSize: 40 }
        const fake = makeFakeJira(issues)
        const expected = referenceSearch(issues, "mod 1")
        const first = yield* runCalls(fake, yield* begin(fake, "mod 1", strategy), { calls: 4, settings })
        const phase = first.next?.phase
        expect(phase !== undefined && "token" in phase ? phase.token : undefined).toEqual(expect.any(String))
        // Every issue before the token's page goes: those written and those listed but not written yet.
        const listed = phase?._tag === "fast" ? Either.getOrThrow(decodeIds(phase.pending)).length : 0
        for (const issue of expected.slice(0, first.counters.done + listed)) fake.deleted.add(issue.id)
        fake.expireAll()
        const failed = yield* runCalls(fake, first.next!, { settings }).pipe(Effect.either)
        expect(Either.isLeft(failed)).toBe(true)
        if (Either.isLeft(failed)) {
          expect(failed.left.message).toContain("cannot continue exactly")
          expect(failed.left.message).toContain("start it again")
        }
      }),
    )

  it.effect("old cursors (no remembered ids) still decode and run to the end", () =>
    Effect.gen(function* () {
      const fake = makeFakeJira(issues)
      const content = yield* begin(fake, "mod 1", "thrifty")
      const first = yield* runCalls(fake, content, { calls: 3 })
      const phase = first.next?.phase
      if (phase?._tag !== "thrifty") throw new Error("expected a thrifty phase")
      const { recent: _, ...old } = phase
      const { relocations: __, ...counters } = first.next!.counters
      const rest = yield* runCalls(fake, { ...first.next!, phase: old, counters })
      expect(first.csv + rest.csv).toBe(referenceCsv(referenceSearch(issues, "mod 1")))
    }),
  )
})
