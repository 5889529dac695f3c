/**
 * Through `export/next` calls, `fast` lists each id page once: a call whose answer fills inside a page
 * must not have listed the next page ahead, which the next call would list (and pay for) again. The
 * budgets here hold a few batches a call, as Forge's do (thousands of rows); a call too small for two
 * batches can still list a page it then cannot start.
 */
import { describe, expect, it } from "@effect/vitest"
import { Effect } from "effect"
import { type CursorContent, decodeCursor, encodeCursor } from "../../src/export/cursor.js"
import { defaultSettings, type PipelineSettings } from "../../src/export/types.js"
import { type ChunkResult, runChunk } from "../../src/resolvers/chunk.js"
import { beginFake, fakeFormat, makeFakeJira, makeIssues, referenceCsv } from "./fakes.js"

const issues = makeIssues(1_200, 5)
const settings: PipelineSettings = { ...defaultSettings, idPageSize: 300, bulkSize: 50 }

describe("fast through export/next calls", () => {
  it.effect("lists every id page exactly once, however the calls' answers cut the pages", () =>
    Effect.gen(function* () {
      for (const maxBytes of [10_000, 12_000, 15_000]) {
        const fake = makeFakeJira(issues)
        const started = yield* beginFake(fake)
        let content: CursorContent | null = started.content
        let csv = ""
        let calls = 0
        while (content !== null) {
          const chunk: ChunkResult = yield* runChunk({
            jira: fake.jira,
            format: fakeFormat,
            content,
            settings,
            budget: { timeMs: 15_000, graceMs: 5_000, maxBytes },
          })
          csv += chunk.csv
          calls += 1
          content = chunk.next === null ? null : yield* decodeCursor(encodeCursor(chunk.next))
        }

        expect(csv).toBe(referenceCsv(issues))
        expect(calls, `calls with ${maxBytes} bytes`).toBeGreaterThan(2)
        expect(fake.stats.byKind.ids, `id pages with ${maxBytes} bytes`).toBe(issues.length / 300)
      }
    }),
  )
})
