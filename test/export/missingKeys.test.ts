/**
 * Issues the search listed but bulkfetch no longer returns are reported by key (issue 12, item 9):
 * the fast strategy's id pages list the keys too, and the cursor keeps them with the pending ids (also
 * those a relocation after an expired page token listed).
 */
import { describe, expect, it } from "@effect/vitest"
import { parse } from "csv-parse/sync"
import { Effect, Either, Stream } from "effect"
import { afterAll, beforeAll } from "vitest"
import { type CursorContent, decodeCursor, encodeCursor } from "../../src/export/cursor.js"
import { ExportJira } from "../../src/export/ExportJira.js"
import { exportStream } from "../../src/export/engine.js"
import { livePlanner } from "../../src/export/planner.js"
import type { RowFormat } from "../../src/export/ports.js"
import { startExport } from "../../src/export/start.js"
import { defaultSettings, type PipelineSettings } from "../../src/export/types.js"
import { type Harness, jqlAll, startHarness } from "../resolvers/emulated.js"
import { beginFake, type FakeJira, fakeFormat, makeFakeJira, makeIssues, referenceCsv } from "./fakes.js"

const small: PipelineSettings = { ...defaultSettings, idPageSize: 200, bulkSize: 20, requestConcurrency: 2 }

const issues = makeIssues(500, 9)

const begin = (fake: FakeJira) => beginFake(fake).pipe(Effect.map((started) => started.content))

const run = (fake: FakeJira, content: CursorContent, format: RowFormat = fakeFormat, take?: number) =>
  Stream.runCollect(
    exportStream({ jira: fake.jira, format, content, settings: small }).pipe(
      take === undefined ? (s) => s : Stream.take(take),
    ),
  ).pipe(Effect.map((units) => [...units]))

describe("issues gone before their bulkfetch", () => {
  it.effect("are reported by the key their id page listed", () =>
    Effect.gen(function* () {
      const victims = [issues[4]!, issues[150]!, issues[333]!]
      const fake = makeFakeJira(issues, {
        beforeBulkFetch: (call) => {
          if (call === 0) for (const victim of victims) fake.deleted.add(victim.id)
        },
      })
      const units = yield* run(fake, yield* begin(fake))
      const last = units.at(-1)
      expect(last?.counters.missing).toEqual(victims.map((v) => v.key))
      expect(last?.counters.missingCount).toBe(victims.length)
      expect(units.map((u) => u.text).join("")).toBe(referenceCsv(issues.filter((i) => !victims.includes(i))))
    }),
  )

  it.effect("pending ids resumed from a cursor are reported by key: the cursor keeps their keys", () =>
    Effect.gen(function* () {
      const victim = issues[7]!
      const fake = makeFakeJira(issues)
      // The first unit only moves the position: the first id page is listed and pending.
      const [listed] = yield* run(fake, yield* begin(fake), fakeFormat, 1)
      const pending = yield* decodeCursor(encodeCursor(listed!.next!))
      expect(pending.phase._tag).toBe("fast")
      fake.deleted.add(victim.id)
      const units = yield* run(fake, pending)
      expect(units.at(-1)?.counters.missing).toEqual([victim.key])
    }),
  )

  it.effect("after an expired page token, ids the relocation listed are reported by key", () =>
    Effect.gen(function* () {
      const victim = issues[250]!
      const fake = makeFakeJira(issues)
      // The first id page (200) written to its end: the next listing needs the page token.
      const units = yield* run(fake, yield* begin(fake), fakeFormat, 11)
      const atPageEnd = yield* decodeCursor(encodeCursor(units.at(-1)!.next!))
      expect(atPageEnd.phase).toMatchObject({ _tag: "fast", pending: "" })
      // Jira dropped the search: the export lists the ids again (300 to a page) and finds its place
      // mid-page; the victim, listed there, is deleted before its bulkfetch.
      let deleted = false
      const again = makeFakeJira(issues, {
        beforeBulkFetch: () => {
          if (!deleted) again.deleted.add(victim.id)
          deleted = true
        },
      })
      again.expireAll()
      const rest = yield* Stream.runCollect(
        exportStream({
          jira: again.jira,
          format: fakeFormat,
          content: atPageEnd,
          settings: { ...small, idPageSize: 300 },
        }),
      )
      const last = [...rest].at(-1)
      expect(last?.counters.relocations).toBe(1)
      expect(last?.counters.missing).toEqual([victim.key])
    }),
  )
})

describe("issues deleted mid-export on the emulator (chaos: delete)", () => {
  let harness: Harness
  beforeAll(async () => {
    harness = await startHarness({ issues: 300, seed: 12 })
  })
  afterAll(async () => {
    await harness.emulator.close()
  })

  it("are named by key, and none of them is in the file", async () => {
    harness.emulator.setChaos("delete=0.3,seed=8")
    const result = await harness.run(
      Effect.gen(function* () {
        const jira = yield* ExportJira
        const started = yield* startExport({
          jira,
          planner: livePlanner,
          payload: {
            jql: jqlAll(harness.emulator),
            columns: ["issuekey", "summary"],
            options: { strategy: "fast" },
          },
          timeZone: "UTC",
          siteUrl: "https://example.atlassian.net",
          apiToken: true,
        })
        const units = yield* Stream.runCollect(
          exportStream({ jira, format: started.format, content: started.content, settings: small }),
        )
        return { csv: [...units].map((u) => u.text).join(""), counters: [...units].at(-1)?.counters }
      }),
    )
    if (Either.isLeft(result)) throw new Error(result.left.message)
    const { csv, counters } = result.right
    expect(harness.emulator.stats().faults.byKind.delete).toBeGreaterThan(0)
    expect(counters?.missingCount).toBeGreaterThan(0)
    expect(counters?.missing).toHaveLength(counters?.missingCount ?? -1)
    for (const name of counters?.missing ?? []) expect(name).toMatch(/^[A-Z][A-Z0-9]*-\d+$/)
    const written = new Set((parse(csv) as Array<Array<string>>).map((row) => row[0]))
    for (const name of counters?.missing ?? []) expect(written.has(name)).toBe(false)
  })
})
