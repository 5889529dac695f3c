/**
 * Page tokens that expire mid-export, against the emulator's chaos (`token-expiry`): the export finds
 * its place again and writes the same bytes as an export that met no expiry.
 */
import { Effect, Either } from "effect"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import type { Counters } from "../../src/export/cursor.js"
import { ExportJira } from "../../src/export/ExportJira.js"
import { livePlanner } from "../../src/export/planner.js"
import { startExport } from "../../src/export/start.js"
import type { PipelineSettings } from "../../src/export/types.js"
import { runChunk } from "../../src/resolvers/chunk.js"
import { type Harness, jqlAll, startHarness } from "../resolvers/emulated.js"

const settings: PipelineSettings = {
  searchPageSize: 20,
  idPageSize: 90,
  bulkSize: 20,
  requestConcurrency: 2,
  completionConcurrency: 2,
  issueErrorRetries: 2,
}

const COLUMNS = ["issuekey", "summary", "status", "assignee", "comment", "labels", "created"]

describe("expiring page tokens against the emulator", () => {
  let harness: Harness
  beforeAll(async () => {
    harness = await startHarness({ issues: 400, seed: 11 })
  })
  afterAll(async () => {
    await harness.emulator.close()
  })

  /** A whole export through export/next calls of at most 20 KB each. */
  const exportAll = (strategy: "thrifty" | "fast") =>
    harness.run(
      Effect.gen(function* () {
        const jira = yield* ExportJira
        const started = yield* startExport({
          jira,
          planner: livePlanner,
          payload: { jql: jqlAll(harness.emulator), columns: COLUMNS, options: { strategy } },
          timeZone: "UTC",
          siteUrl: "https://example.atlassian.net",
          apiToken: true,
        })
        let content = started.content
        let csv = started.header
        let counters: Counters = content.counters
        for (;;) {
          const chunk = yield* runChunk({
            jira,
            format: started.format,
            content,
            settings,
            budget: { timeMs: 15_000, graceMs: 5_000, maxBytes: 20_000 },
          })
          csv += chunk.csv
          counters = chunk.counters
          if (chunk.next === null) return { csv, counters }
          content = chunk.next
        }
      }),
    )

  for (const strategy of ["thrifty", "fast"] as const)
    it(`${strategy}: the same bytes as without expiries, and the recoveries counted`, async () => {
      harness.emulator.setChaos("none")
      const calm = await exportAll(strategy)
      if (Either.isLeft(calm)) throw new Error(calm.left.message)
      harness.emulator.setChaos("token-expiry=0.1,short-pages=0.3,seed=5")
      harness.emulator.resetStats()
      const stormy = await exportAll(strategy)
      if (Either.isLeft(stormy)) throw new Error(stormy.left.message)
      expect(harness.emulator.stats().faults.byKind["token-expiry"]).toBeGreaterThan(0)
      expect(stormy.right.counters.relocations).toBeGreaterThan(0)
      expect(stormy.right.counters.done).toBe(calm.right.counters.done)
      expect(stormy.right.csv).toBe(calm.right.csv)
    })
})
