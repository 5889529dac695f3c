/**
 * The parallel thrifty strategy when Jira misbehaves (the emulator's chaos) and when it is stopped
 * and resumed: for an order cut into ranges of the key, one of `created`, and a Rank merge, the file
 * is the calm one byte for byte under expiring tokens, short pages, 429 storms and 5xx; issues
 * deleted while it runs are left out and nothing else is lost, doubled or moved; and a cursor saved
 * anywhere, with parts at different positions, resumes to the same bytes.
 */
import { parse } from "csv-parse/sync"
import { Effect } from "effect"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { type CursorContent, decodeCursor, encodeCursor } from "../../src/export/cursor.js"
import type { PipelineSettings } from "../../src/export/types.js"
import { defaultRetrySettings } from "../../src/jira/RetryPolicy.js"
import { type Harness, startHarness } from "../resolvers/emulated.js"
import {
  chunkAll,
  referenceIssues,
  referenceKeys,
  rowKeys,
  runOn,
  SEQUENTIAL,
  SETTINGS,
  type Streamed,
  startThrifty,
  streamAll,
} from "./parallelSupport.js"

const ORDERS = ["ORDER BY key ASC", "ORDER BY created DESC", "ORDER BY Rank ASC"] as const

/** Chaos without `Retry-After` is retried after milliseconds, not Jira's seconds. */
const QUICK = { ...defaultRetrySettings, initialDelayMs: 20, maxDelayMs: 200 }

const BUDGET = { timeMs: 15_000, graceMs: 5_000, maxBytes: 20_000 }

/** Whether the stream went through parts read in parallel (not the planner's fallback to one chain). */
const wentParallel = (streamed: Streamed) => streamed.cursors.some((c) => c?.phase._tag === "parallel")

const records = (csv: string) => parse(csv, { relax_column_count: true }) as Array<Array<string>>

const start = async (harness: Harness, order: string) => {
  const all = `project in (${harness.emulator.dataset.projects.map((p) => p.key).join(", ")})`
  const jql = `${all} ${order}`
  const started = await runOn(harness, startThrifty(jql))
  return { jql, started }
}

/** The calm file: the sequential chain, before any chaos. */
const calmFile = async (harness: Harness, order: string) => {
  harness.emulator.setChaos("none")
  const { jql, started } = await start(harness, order)
  const chain = await runOn(
    harness,
    streamAll(started.format, { ...started.content, phase: SEQUENTIAL }, SETTINGS),
  )
  return { jql, started, csv: chain.csv }
}

describe("parallel thrifty under chaos", () => {
  let harness: Harness
  beforeAll(async () => {
    harness = await startHarness({ issues: 300, seed: 31 }, { retry: QUICK })
  })
  afterAll(async () => {
    await harness.emulator.close()
  })

  for (const order of ORDERS)
    it(`${order}: expiring tokens and short pages, the calm bytes and the relocations counted`, async () => {
      const calm = await calmFile(harness, order)
      harness.emulator.setChaos("token-expiry=0.2,short-pages=0.3,seed=5")
      harness.emulator.resetStats()
      const { started } = await start(harness, order)
      const streamed = await runOn(harness, streamAll(started.format, started.content))
      expect(wentParallel(streamed)).toBe(true)
      expect(harness.emulator.stats().faults.byKind["token-expiry"]).toBeGreaterThan(0)
      expect(streamed.counters.relocations).toBeGreaterThan(0)
      expect(streamed.csv).toBe(calm.csv)
      const chunked = await chunkAll(harness, started.format, started.content, BUDGET)
      expect(chunked.counters.relocations).toBeGreaterThan(0)
      expect(chunked.csv).toBe(calm.csv)
    })

  for (const order of ORDERS)
    it(`${order}: 429 storms and 5xx with and without Retry-After, the calm bytes, every wait honoured`, async () => {
      const calm = await calmFile(harness, order)
      harness.emulator.setChaos(
        "storm429=0.03:1,5xx=0.05,5xx-retry-after=0.02,html5xx=0.03,html429=0.02,no-retry-after=0.03,seed=9",
      )
      harness.emulator.resetStats()
      const { started } = await start(harness, order)
      const streamed = await runOn(harness, streamAll(started.format, started.content))
      expect(wentParallel(streamed)).toBe(true)
      const stats = harness.emulator.stats()
      harness.emulator.setChaos("none")
      expect(stats.faults.total).toBeGreaterThan(0)
      expect(stats.retryAfterViolations).toBe(0)
      expect(streamed.csv).toBe(calm.csv)
    })
})

describe("parallel thrifty with issues deleted while it runs", () => {
  let harness: Harness
  beforeAll(async () => {
    harness = await startHarness({ issues: 300, seed: 37 }, { retry: QUICK })
  })
  afterAll(async () => {
    await harness.emulator.close()
  })

  /**
   * Every issue still there once, in the query's order, each row as calm; the missing ones deleted
   * (named by key, or by id when only the id was carried over: a cursor's or a relocation's ids).
   */
  const expectExact = (
    listed: ReadonlyArray<{ readonly id: string; readonly key: string }>,
    after: ReadonlyArray<string>,
    calm: string,
    csv: string,
    missing: ReadonlyArray<string>,
  ) => {
    const before = listed.map((issue) => issue.key)
    const keyOf = new Map(listed.map((issue) => [issue.id, issue.key]))
    const keys = rowKeys(csv)
    expect(new Set(keys).size).toBe(keys.length)
    const at = keys.map((k) => before.indexOf(k))
    for (let i = 0; i < at.length; i++) expect(at[i]).toBeGreaterThan(i === 0 ? -1 : (at[i - 1] ?? 0))
    const written = new Set(keys)
    expect(after.filter((key) => !written.has(key))).toEqual([])
    const deleted = new Set(before.filter((k) => !after.includes(k)))
    expect(missing.filter((name) => !deleted.has(keyOf.get(name) ?? name))).toEqual([])
    // Rows written are the calm rows of those issues (read before or after the deletions).
    expect(records(csv)).toEqual(records(calm).filter((row) => written.has(row[0] ?? "")))
  }

  for (const order of ORDERS)
    it(`${order}: issues ahead deleted mid-stream are left out, nothing else`, async () => {
      const calm = await calmFile(harness, order)
      const listed = referenceIssues(harness.emulator, calm.jql)
      const before = listed.map((issue) => issue.key)
      const { started } = await start(harness, order)
      // After the third unit, every 23rd issue from the 90th on goes, and two already written.
      const victims = [...before.filter((_, i) => i >= 90 && i % 23 === 0), before[3], before[11]]
      const streamed = await runOn(
        harness,
        streamAll(started.format, started.content, SETTINGS, (units) => {
          if (units === 3) for (const key of victims) harness.emulator.dataset.deleteIssue(key ?? "")
        }),
      )
      expect(wentParallel(streamed)).toBe(true)
      const after = referenceKeys(harness.emulator, calm.jql)
      expect(after.length).toBe(before.length - victims.length)
      expectExact(listed, after, calm.csv, streamed.csv, streamed.counters.missing)
      expect(rowKeys(streamed.csv).length).toBeLessThan(before.length)
    })

  for (const order of ORDERS)
    it(`${order}: chaos deletes issues and expires tokens; the deleted ones reported are deleted`, async () => {
      const calm = await calmFile(harness, order)
      const listed = referenceIssues(harness.emulator, calm.jql)
      harness.emulator.setChaos("delete=0.4,token-expiry=0.2,seed=6")
      harness.emulator.resetStats()
      const { started } = await start(harness, order)
      const streamed = await runOn(harness, streamAll(started.format, started.content))
      expect(wentParallel(streamed)).toBe(true)
      harness.emulator.setChaos("none")
      expect(harness.emulator.stats().faults.byKind.delete).toBeGreaterThan(0)
      const after = referenceKeys(harness.emulator, calm.jql)
      expectExact(listed, after, calm.csv, streamed.csv, streamed.counters.missing)
      expect(streamed.counters.missing).toHaveLength(streamed.counters.missingCount)
    })
})

describe("parallel thrifty resumed from a cursor saved mid-export", () => {
  let harness: Harness
  beforeAll(async () => {
    harness = await startHarness({ issues: 300, seed: 41 })
  })
  afterAll(async () => {
    await harness.emulator.close()
  })

  /** Cursors of the stream whose parts stand at different places: a part under way, others not. */
  const spread = (cursors: ReadonlyArray<CursorContent | null>) =>
    cursors.flatMap((cursor, i) => {
      const phase = cursor?.phase
      if (phase?._tag !== "parallel" || phase.parts.length < 2) return []
      const underway = phase.parts.filter((p) => p.token !== null || (p.skip ?? 0) > 0).length
      const fresh = phase.parts.length - underway
      return underway >= 1 && (fresh >= 1 || underway >= 2) ? [i] : []
    })

  for (const order of ORDERS)
    it(`${order}: from a cursor anywhere, through its wire form, with other concurrency, the same bytes`, async () => {
      const { started } = await start(harness, order)
      const settings: PipelineSettings = { ...SETTINGS, searchPageSize: 15, requestConcurrency: 4 }
      const whole = await runOn(harness, streamAll(started.format, started.content, settings))
      const eligible = spread(whole.cursors)
      expect(eligible.length).toBeGreaterThan(2)
      const picks = [0, 1, 2, 3].map((k) => eligible[Math.floor((k * (eligible.length - 1)) / 3)] ?? 0)
      for (const [n, i] of picks.entries()) {
        const saved = whole.cursors[i]
        if (saved === null || saved === undefined) throw new Error("no cursor")
        const again = { ...settings, requestConcurrency: 1 + ((n * 2) % 5) }
        const resumed = await runOn(
          harness,
          Effect.flatMap(decodeCursor(encodeCursor(saved)), (content) =>
            streamAll(started.format, content, again),
          ),
        )
        expect(whole.texts.slice(0, i + 1).join("") + resumed.csv).toBe(whole.csv)
        expect(resumed.counters.done).toBe(whole.counters.done)
      }
    })

  it("ORDER BY key DESC: resumed through calls from a cursor saved mid-stream, the same bytes", async () => {
    const { started } = await start(harness, "ORDER BY key DESC")
    const whole = await runOn(harness, streamAll(started.format, started.content))
    const i = spread(whole.cursors)[2]
    const saved = i === undefined ? null : whole.cursors[i]
    if (i === undefined || saved === null || saved === undefined) throw new Error("no cursor to resume")
    const chunked = await chunkAll(harness, started.format, saved, BUDGET)
    expect(whole.texts.slice(0, i + 1).join("") + chunked.csv).toBe(whole.csv)
  })
})
