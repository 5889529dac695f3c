/**
 * A parallel thrifty export through `export/next` calls, each under its budgets (gate.ts): every call
 * makes progress, and the parts read ahead do not cut the call short. Each test failed against the
 * first parallel stream (the defect it showed is in its comment) and holds for the fix.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { type CursorContent, encodeCursor } from "../../src/export/cursor.js"
import { axisOf, rangeConditions } from "../../src/export/parallel/ranges.js"
import type { PipelineSettings } from "../../src/export/types.js"
import { type Harness, startHarness } from "../resolvers/emulated.js"
import { chunkAll, oneCall, runOn, SEQUENTIAL, SETTINGS, startThrifty, streamAll } from "./parallelSupport.js"

/** As in production: parts of a merge are 2 × requestConcurrency, and pages are not tiny. */
const WIDE: PipelineSettings = { ...SETTINGS, searchPageSize: 50, requestConcurrency: 8 }

describe("a parallel export through export/next calls", () => {
  let harness: Harness
  let all: string
  beforeAll(async () => {
    harness = await startHarness({ issues: 360, seed: 23 })
    all = `project in (${harness.emulator.dataset.projects.map((p) => p.key).join(", ")})`
  })
  afterAll(async () => {
    await harness.emulator.close()
  })

  /** The chain's file, and the export's first cursor content. */
  const reference = async (jql: string, settings: PipelineSettings) => {
    const started = await runOn(harness, startThrifty(jql))
    const chain = await runOn(
      harness,
      streamAll(started.format, { ...started.content, phase: SEQUENTIAL }, settings),
    )
    return { started, chain: chain.csv }
  }

  it("merge, first call: a Rank export's first call writes rows instead of handing back its own cursor", async () => {
    // 16 parts of 50: admission waits for a first measurement after 200 rows (ROWS_BEFORE_MEASURE),
    // but the merge writes nothing before it has a page of every part, so nothing is ever measured:
    // the call idles to its soft deadline (4 s here), writes nothing and hands back the cursor it was given.
    const { started, chain } = await reference(`${all} ORDER BY Rank ASC`, WIDE)
    const first = await oneCall(
      harness,
      started.format,
      encodeCursor(started.content),
      { timeMs: 4_000, graceMs: 1_000, maxBytes: 200_000 },
      WIDE,
    )
    expect(first.csv).not.toBe("")
    const rest =
      first.phase === null
        ? { csv: "" }
        : await chunkAll(
            harness,
            started.format,
            { ...started.content, phase: first.phase },
            { timeMs: 4_000, graceMs: 1_000, maxBytes: 200_000 },
            WIDE,
          )
    expect(first.csv + rest.csv).toBe(chain)
  })

  it("merge, measured: a budget smaller than a page of every part still moves the export on", async () => {
    // With a figure from an earlier call, 16 first pages of 50 rows at 200 bytes are 160 KB: the
    // gate refuses the pages past 60 KB, the merge halts before its first issue, and every call
    // hands back the same cursor for ever.
    const { started, chain } = await reference(`${all} ORDER BY Rank DESC`, WIDE)
    // The data set's ids run from 10000 up: 16 parts of about 20 issues each.
    const cuts = Array.from({ length: 15 }, (_, i) => 10_020 + 20 * i)
    const parts = rangeConditions(axisOf("id"), cuts, "asc")
    const content: CursorContent = {
      ...started.content,
      phase: { _tag: "parallel", mode: "merge", parts: parts.map((where) => ({ where, token: null })) },
      learned: { bytesPerRow: 200 },
    }
    const chunked = await chunkAll(
      harness,
      started.format,
      content,
      { timeMs: 60_000, graceMs: 5_000, maxBytes: 60_000 },
      WIDE,
    )
    expect(chunked.csv).toBe(chain)
  })

  it("concat, first call: a call whose first part is empty goes on to the next part", async () => {
    // A part read ahead waits until the call has measured a row (fitsAhead). When the part being
    // written holds nothing, no row is ever measured: the call idles past its soft deadline (the
    // wait loop does not look at it) until its hard deadline cuts it, having written nothing.
    const { started, chain } = await reference(`${all} ORDER BY id ASC`, WIDE)
    const content: CursorContent = {
      ...started.content,
      phase: {
        _tag: "parallel",
        mode: "concat",
        parts: ["id < 100", "id >= 100"].map((where) => ({ where, token: null })),
      },
    }
    const budget = { timeMs: 4_000, graceMs: 1_000, maxBytes: 20_000 }
    const first = await oneCall(harness, started.format, encodeCursor(content), budget, WIDE)
    expect(first.csv).not.toBe("")
    const rest =
      first.phase === null
        ? { csv: "" }
        : await chunkAll(harness, started.format, { ...content, phase: first.phase }, budget, WIDE)
    expect(first.csv + rest.csv).toBe(chain)
  })
})

describe("a larger parallel export through export/next calls", () => {
  let harness: Harness
  beforeAll(async () => {
    harness = await startHarness({ issues: 2000, seed: 23 })
  })
  afterAll(async () => {
    await harness.emulator.close()
  })

  it("concat, read-ahead: parts read ahead do not cut a call short; about as many calls as the chain", async () => {
    // A part read ahead that would not fit the answer stops the whole call (gate.stop in
    // fitsAhead): the part being written gets no further page either, so after the first call each
    // call writes one page (about 6 KB of a 100 KB budget): 21 calls where the chain needs 3.
    const projects = harness.emulator.dataset.projects.map((p) => p.key).join(", ")
    const settings: PipelineSettings = { ...SETTINGS, searchPageSize: 50, requestConcurrency: 4 }
    const started = await runOn(harness, startThrifty(`project in (${projects}) ORDER BY key ASC`))
    const budget = { timeMs: 60_000, graceMs: 5_000, maxBytes: 100_000 }
    const chain = await chunkAll(
      harness,
      started.format,
      { ...started.content, phase: SEQUENTIAL },
      budget,
      settings,
    )
    const parallel = await chunkAll(harness, started.format, started.content, budget, settings)
    expect(parallel.csv).toBe(chain.csv)
    expect(parallel.calls).toBeLessThanOrEqual(2 * chain.calls)
  })
})
