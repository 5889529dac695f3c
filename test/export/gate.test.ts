import { describe, expect, it } from "@effect/vitest"
import { Effect, Fiber, Option, TestClock } from "effect"
import { type CursorContent, decodeCursor, encodeCursor } from "../../src/export/cursor.js"
import { makeGate, ROWS_BEFORE_MEASURE } from "../../src/export/gate.js"
import { type ChunkResult, runChunk } from "../../src/resolvers/chunk.js"
import { beginFake, type FakeJira, fakeFormat, makeFakeJira, makeIssues } from "./fakes.js"

const FAR = 1_000_000

const small = {
  searchPageSize: 25,
  idPageSize: 70,
  bulkSize: 16,
  requestConcurrency: 4,
  completionConcurrency: 2,
  issueErrorRetries: 2,
}

const begin = (fake: FakeJira) => beginFake(fake)

/** Whether `admit` decided without waiting for output (the fiber is done after letting it run). */
const admitsAtOnce = (admit: Effect.Effect<boolean>) =>
  Effect.gen(function* () {
    const fiber = yield* Effect.fork(admit)
    for (let i = 0; i < 5; i++) yield* Effect.yieldNow()
    return yield* Fiber.poll(fiber)
  })

describe("gate", () => {
  it.effect("unseeded, it waits for the first output once ROWS_BEFORE_MEASURE rows are under way", () =>
    Effect.gen(function* () {
      const gate = yield* makeGate({ softDeadlineMs: FAR, maxBytes: 10_000 })
      expect(yield* gate.admit(ROWS_BEFORE_MEASURE - 1)).toBe(true)
      expect(yield* gate.admit(1)).toBe(true)
      expect(Option.isNone(yield* admitsAtOnce(gate.admit(1)))).toBe(true)
      expect(yield* gate.bytesPerRow).toBeUndefined()
    }),
  )

  it.effect(
    "seeded with a previous call's bytes per row, it admits at once and still stops at the budget",
    () =>
      Effect.gen(function* () {
        const gate = yield* makeGate({ softDeadlineMs: FAR, maxBytes: 10_000, bytesPerRow: 10 })
        // 10 bytes a row: 1,000 rows fill the 10,000 bytes, far past ROWS_BEFORE_MEASURE, without waiting.
        for (let i = 0; i < 10; i++) {
          const decided = yield* admitsAtOnce(gate.admit(100))
          expect(Option.getOrUndefined(decided)?._tag).toBe("Success")
          expect(yield* gate.admit(0)).toBe(true)
        }
        expect(yield* gate.stopped).toBe(false)
        expect(yield* gate.admit(1)).toBe(false)
        expect(yield* gate.stopped).toBe(true)
        expect(yield* gate.bytesPerRow).toBe(10)
      }),
  )

  it.effect("once it has measured its own output, the measure replaces the seed", () =>
    Effect.gen(function* () {
      const gate = yield* makeGate({ softDeadlineMs: FAR, maxBytes: 10_000, bytesPerRow: 1 })
      expect(yield* gate.admit(10)).toBe(true)
      yield* gate.emitted(10, 2_000)
      expect(yield* gate.bytesPerRow).toBe(200)
      // 10 rows under way at 200 bytes a row: 40 more would make 10,000; 41 would pass it.
      expect(yield* gate.wouldAdmit(40)).toBe(true)
      expect(yield* gate.admit(41)).toBe(false)
    }),
  )

  it.effect("fits says yes only to rows a known rate puts within the budget, before the deadline", () =>
    Effect.gen(function* () {
      const unknown = yield* makeGate({ softDeadlineMs: FAR, maxBytes: 10_000 })
      // Nothing measured, nothing seeded: never pay ahead of need.
      expect(yield* unknown.fits(1)).toBe(false)
      const seeded = yield* makeGate({ softDeadlineMs: FAR, maxBytes: 10_000, bytesPerRow: 10 })
      expect(yield* seeded.fits(1_000)).toBe(true)
      expect(yield* seeded.fits(1_001)).toBe(false)
      yield* TestClock.adjust(FAR)
      expect(yield* seeded.fits(1)).toBe(false)
    }),
  )

  it.effect("each call hands its measure on in the cursor, and a cursor without one still works", () =>
    Effect.gen(function* () {
      const fake = makeFakeJira(makeIssues(600))
      const started = yield* beginFake(fake)
      expect(started.content.learned).toBeUndefined()
      const budget = { timeMs: 15_000, graceMs: 5_000, maxBytes: 5_000 }
      const first: ChunkResult = yield* runChunk({
        jira: fake.jira,
        format: fakeFormat,
        content: started.content,
        budget,
      })
      const next: CursorContent | null = first.next
      expect(first.counters.done).toBeGreaterThan(0)
      expect(first.next).not.toBeNull()
      expect(next?.learned?.bytesPerRow).toBeGreaterThan(0)
      if (next === null) return
      const decoded = yield* decodeCursor(encodeCursor(next))
      expect(decoded.learned).toEqual(next.learned)
    }),
  )

  it.effect("a warm call lists the next id page while it fetches this one, a cold call only after", () =>
    Effect.gen(function* () {
      const fake = makeFakeJira(makeIssues(600), { latencyMs: 100 })
      // Bulkfetches started when each id page after the first was asked for.
      const fetchesBefore: Array<number> = []
      let fetches = 0
      const jira = {
        ...fake.jira,
        searchIds: (r: Parameters<typeof fake.jira.searchIds>[0]) => {
          if (r.nextPageToken !== undefined) fetchesBefore.push(fetches)
          return fake.jira.searchIds(r)
        },
        bulkFetch: (r: Parameters<typeof fake.jira.bulkFetch>[0]) => {
          fetches++
          return fake.jira.bulkFetch(r)
        },
      }
      const settings = { ...small, idPageSize: 160 }
      const content = (yield* begin(makeFakeJira(makeIssues(600)))).content
      const call = (learned?: { bytesPerRow: number }) =>
        Effect.gen(function* () {
          fetchesBefore.length = 0
          fetches = 0
          const fiber = yield* Effect.fork(
            runChunk({
              jira,
              format: fakeFormat,
              content: learned === undefined ? content : { ...content, learned },
              budget: { timeMs: 15_000, graceMs: 5_000, maxBytes: 3_000_000 },
              settings,
            }),
          )
          for (let i = 0; i < 200; i++) yield* TestClock.adjust(100)
          return yield* Fiber.join(fiber)
        })
      const cold = yield* call()
      // 160 ids a page in batches of 16: cold, all ten batches of the page start before the next listing.
      expect(fetchesBefore[0]).toBe(10)
      const warm = yield* call({ bytesPerRow: 100 })
      expect(fetchesBefore[0]).toBeLessThan(10)
      expect(warm.csv).toBe(cold.csv)
      expect(warm.next).toBeNull()
    }),
  )
})
