/**
 * Statuses that left every workflow (issue 19 item 4), through export/start and export/next against
 * the emulator: a status that still exists gets its own "Time in …" column, read once at the start
 * from `/statuses/search` and kept in the cursor, so every resumed call writes under the same header
 * and the two strategies give the same header and cells; a status deleted from the site stays summed in the
 * shared column, and the export's notes name it. A user who may not list every status gets the
 * shared column for both, named in the notes.
 */
import { Either } from "effect"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { defaultRetrySettings } from "../../src/jira/RetryPolicy.js"
import { exportNext, exportStart } from "../../src/resolvers/export.js"
import { exportThrough, type Harness, jqlAll, startHarness } from "../resolvers/emulated.js"

const COLUMNS = ["issuekey", "status", "timeInStatus", "leadTime", "cycleTime", "statusChanges"]
const SHARED = "Time in statuses no longer in a workflow (h)"
const NOTE_START = `"${SHARED}" sums the time in`

describe("a column per status that left every workflow, through the resolvers", () => {
  let harness: Harness
  beforeAll(async () => {
    // Small answers: the export is resumed from its cursor many times.
    harness = await startHarness(
      { issues: 300, seed: 14 },
      { budget: { timeMs: 15_000, graceMs: 5_000, maxBytes: 8_000 } },
    )
  })
  afterAll(async () => {
    await harness.emulator.close()
  })

  const run = async (strategy: "thrifty" | "fast", user: "admin" | "restricted" = "admin") => {
    harness.emulator.resetStats()
    const result = await exportThrough(
      harness,
      () =>
        exportStart({
          jql: jqlAll(harness.emulator, "ORDER BY key ASC", user),
          columns: COLUMNS,
          options: { strategy, preset: "data" },
        }),
      (cursor) => exportNext({ cursor }),
      user,
    )
    const reads = harness.emulator.stats().requests.byEndpoint
    return { ...result, reads }
  }

  const headerOf = (csv: string) => (csv.replace(/^\uFEFF/, "").split(/\r?\n/)[0] ?? "").split(",")

  it("an administrator's export: its own column for a retired status, the deleted one named in the notes; the same header and cells both ways", async () => {
    const thrifty = await run("thrifty")
    const fast = await run("fast")
    // Each run counts the current status up to its own start: the columns of statuses no issue is in
    // any more (and the header) must agree to the byte.
    const fixed = (csv: string) => {
      const header = headerOf(csv)
      const keep = [
        "Issue key",
        "Status",
        "Time in Awaiting Triage (h)",
        SHARED,
        "Lead time (h)",
        "Status changes",
      ].map((name) => header.indexOf(name))
      expect(keep.every((i) => i >= 0)).toBe(true)
      return csv.split(/\r?\n/).map((line) => keep.map((i) => line.split(",")[i]).join(","))
    }
    expect(headerOf(fast.csv)).toEqual(headerOf(thrifty.csv))
    expect(fixed(fast.csv)).toEqual(fixed(thrifty.csv))
    for (const result of [thrifty, fast]) {
      expect(result.chunks.length).toBeGreaterThan(2)
      // Read once at the start; each resumed call takes the statuses from the cursor.
      expect(result.reads["GET /rest/api/3/statuses/search"]).toBe(1)
      expect(result.reads["GET /rest/api/3/status"]).toBe(1)
      expect(result.chunks.at(-1)?.progress.notes).toEqual([
        `${NOTE_START} a status Jira no longer lists (deleted from the site, or not readable with your permissions): Needs Info (id 10098).`,
      ])
    }
    const header = headerOf(thrifty.csv)
    expect(header).toContain("Time in Awaiting Triage (h)")
    expect(header.indexOf("Time in Awaiting Triage (h)")).toBe(header.indexOf(SHARED) - 1)
    expect(header).not.toContain("Time in Needs Info (h)")
    const rows = thrifty.csv.split(/\r?\n/).slice(1)
    const column = (name: string) => rows.map((r) => r.split(",")[header.indexOf(name)] ?? "")
    expect(column("Time in Awaiting Triage (h)").filter((c) => c !== "").length).toBeGreaterThan(3)
    expect(column(SHARED).filter((c) => c !== "").length).toBeGreaterThan(0)
  }, 120_000)

  it("a failure Jira may not repeat (503) is retried, never taken for a refusal: the header keeps every column", async () => {
    const faulty = await startHarness(
      { issues: 20, seed: 14, chaos: "5xx=0.5,seed=3" },
      { retry: { ...defaultRetrySettings, initialDelayMs: 5, maxDelayMs: 20, maxFlakyRetries: 12 } },
    )
    try {
      let retried = false
      for (let start = 0; start < 10 && !retried; start++) {
        faulty.emulator.resetStats()
        const started = await faulty.run(
          exportStart({ jql: jqlAll(faulty.emulator), columns: COLUMNS, options: { preset: "data" } }),
        )
        if (Either.isLeft(started)) throw new Error(started.left.message)
        expect(started.right.columns.map((c) => c.header)).toContain("Time in Awaiting Triage (h)")
        retried = (faulty.emulator.stats().requests.byEndpoint["GET /rest/api/3/statuses/search"] ?? 0) > 1
      }
      expect(retried).toBe(true)
    } finally {
      await faulty.emulator.close()
    }
  }, 120_000)

  it("a user who may not list every status: one shared column for both, both named in the notes", async () => {
    const result = await run("thrifty", "restricted")
    // Refused once (401), never asked again, and the export carries on.
    expect(result.reads["GET /rest/api/3/statuses/search"]).toBe(1)
    expect(headerOf(result.csv)).not.toContain("Time in Awaiting Triage (h)")
    expect(headerOf(result.csv)).toContain(SHARED)
    const notes = result.chunks.at(-1)?.progress.notes ?? []
    expect(notes).toHaveLength(1)
    expect(notes[0]).toContain(NOTE_START)
    expect(notes[0]).toContain("Awaiting Triage (id 10099)")
    expect(notes[0]).toContain("Needs Info (id 10098)")
  }, 120_000)
})
