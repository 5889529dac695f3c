/**
 * Thrifty exports whose rows need changelogs (time in status, the history mode): ten search pages go
 * into one step, so one `changelog/bulkfetch` reads the histories of up to 1,000 issues (issue 14),
 * and the cursor still resumes exactly inside a step.
 */
import { describe, expect, it } from "@effect/vitest"
import { Effect, Stream } from "effect"
import fc from "fast-check"
import { type CursorContent, decodeCursor, encodeCursor } from "../../src/export/cursor.js"
import { exportStream } from "../../src/export/engine.js"
import type { RowFormat } from "../../src/export/ports.js"
import { defaultSettings, type PipelineSettings } from "../../src/export/types.js"
import { type ChunkResult, runChunk } from "../../src/resolvers/chunk.js"
import {
  beginFake,
  expectedHistoryCsv as expectedCsv,
  type FakeJira,
  fakeFormat,
  historyFormat,
  makeFakeJira,
  makeIssues,
  referenceCsv,
} from "./fakes.js"

const begin = (fake: FakeJira, format: RowFormat = historyFormat) =>
  beginFake(fake, {
    format,
    strategy: "thrifty",
    columns: ["key", "summary", "assignee", "comment", "statusChanges"],
  }).pipe(Effect.map((started) => started.content))

const oneShot = (fake: FakeJira, content: CursorContent, settings: PipelineSettings = defaultSettings) =>
  Stream.runCollect(exportStream({ jira: fake.jira, format: historyFormat, content, settings })).pipe(
    Effect.map((units) => [...units]),
  )

const many = makeIssues(2_500, 3)

describe("thrifty with changelog columns", () => {
  it.effect("2,500 issues: one changelog request per 1,000 issues (and the first page's), each id once", () =>
    Effect.gen(function* () {
      const fake = makeFakeJira(many)
      const units = yield* oneShot(fake, yield* begin(fake))
      expect(units.map((u) => u.text).join("")).toBe(expectedCsv(many))
      const requests = fake.stats.changelogRequests
      // The first page is a step of its own (its rows come at once); then ten pages per request.
      expect(requests.map((ids) => ids.length)).toEqual([100, 1000, 1000, 400])
      expect(requests.flat()).toEqual(many.map((i) => i.id))
      expect(fake.stats.byKind.search).toBe(25)
    }),
  )

  it.effect("through export/next calls: per call, the first page's request and one per ten pages", () =>
    Effect.gen(function* () {
      const fake = makeFakeJira(many)
      let content: CursorContent | null = yield* begin(fake)
      let csv = ""
      let calls = 0
      while (content !== null) {
        const [pagesBefore, requestsBefore] = [
          fake.stats.byKind.search ?? 0,
          fake.stats.changelogRequests.length,
        ]
        const chunk: ChunkResult = yield* runChunk({
          jira: fake.jira,
          format: historyFormat,
          content,
          budget: { timeMs: 15_000, graceMs: 5_000, maxBytes: 30_000 },
        })
        const pages = (fake.stats.byKind.search ?? 0) - pagesBefore
        const requests = fake.stats.changelogRequests.length - requestsBefore
        expect(requests).toBeLessThanOrEqual(1 + Math.ceil((pages - 1) / 10))
        csv += chunk.csv
        calls += 1
        content = chunk.next === null ? null : yield* decodeCursor(encodeCursor(chunk.next))
      }
      expect(csv).toBe(expectedCsv(many))
      expect(calls).toBeGreaterThan(2)
      expect(fake.stats.changelogRequests.every((ids) => ids.length <= 1000)).toBe(true)
      // A call whose answer is full leaves its last page to the next call, which reads it again.
      const read = fake.stats.changelogRequests.flat()
      expect(new Set(read)).toEqual(new Set(many.map((i) => i.id)))
      expect(read.length).toBeLessThanOrEqual(many.length + (calls - 1) * 100)
    }),
  )

  it.effect("without changelog columns: one step per page, the same requests as ever", () =>
    Effect.gen(function* () {
      const fake = makeFakeJira(many)
      const content = yield* begin(fake, fakeFormat)
      const units = yield* Stream.runCollect(
        exportStream({ jira: fake.jira, format: fakeFormat, content, settings: defaultSettings }),
      )
      expect([...units].map((u) => u.text).join("")).toBe(referenceCsv(many))
      expect(units.length).toBe(25)
      expect(fake.stats.byKind.changelogs).toBeUndefined()
      expect(fake.stats.byKind.search).toBe(25)
    }),
  )

  it.effect(
    "resumption: stopped after any unit, inside a step or between, even after the search expired",
    () =>
      Effect.gen(function* () {
        const issues = makeIssues(1_300, 5)
        const expected = expectedCsv(issues)
        // Units of a few rows: every step is cut many times, so stops fall inside steps.
        const settings: PipelineSettings = { ...defaultSettings, maxUnitBytes: 600 }
        yield* Effect.promise(() =>
          fc.assert(
            fc.asyncProperty(fc.array(fc.nat(120), { maxLength: 4 }), fc.boolean(), (stops, expire) =>
              Effect.runPromise(
                Effect.gen(function* () {
                  const fake = makeFakeJira(issues)
                  let content: CursorContent | null = yield* begin(fake)
                  let csv = ""
                  for (const stop of stops) {
                    if (content === null) break
                    const taken: Array<{ text: string; next: CursorContent | null }> = [
                      ...(yield* Stream.runCollect(
                        exportStream({ jira: fake.jira, format: historyFormat, content, settings }).pipe(
                          Stream.take(stop + 1),
                        ),
                      )),
                    ]
                    csv += taken.map((t) => t.text).join("")
                    const last = taken.at(-1)
                    content = last === undefined ? content : last.next
                    if (content !== null) content = yield* decodeCursor(encodeCursor(content))
                    // The cursor's token dies: the recent ids must find the place again.
                    if (expire) fake.expireAll()
                  }
                  if (content !== null)
                    csv += (yield* oneShot(fake, content, settings)).map((u) => u.text).join("")
                  expect(csv).toBe(expected)
                }),
              ),
            ),
            { numRuns: 25 },
          ),
        )
      }),
  )
})
