// @vitest-environment happy-dom
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest"
import type { ExportChunk, ExportStarted } from "../../src/contract.js"
import { encodeXlsxRows } from "../../src/xlsx/cells.js"
import { XLSX_MIME } from "../../src/xlsx/workbook.js"
import { systemClock } from "../../web/src/clock.js"
import {
  backoff,
  ExportModel,
  type ExportRequest,
  type ExportState,
  MAX_CONSECUTIVE_FAILURES,
  MIN_CALL_SPACING_MS,
} from "../../web/src/models/ExportModel.js"
import { readWorkbook } from "../xlsx/reader.js"
import { deferred, fail, fakeBackend, ok } from "./FakeBackend.js"

const request: ExportRequest = {
  jql: "project = ABC ORDER BY key",
  columns: ["key", "summary"],
  options: { preset: "spreadsheet" },
  timeZone: "UTC",
}

const started: ExportStarted = {
  csv: "\uFEFFKey,Summary\r\n",
  columns: [
    { id: "key", header: "Key", kind: "text" },
    { id: "summary", header: "Summary", kind: "text" },
  ],
  approximateTotal: 3,
  strategy: "thrifty",
  cursor: "c0",
}

/** Three chunks of one row each: c0 -> c1 -> c2 -> end. */
const chunks: Record<string, ExportChunk> = {
  c0: { csv: "ABC-1,One\r\n", cursor: "c1", progress: { done: 1, total: 3, missing: [], truncatedCells: 0 } },
  c1: { csv: "ABC-2,Two\r\n", cursor: "c2", progress: { done: 2, total: 3, missing: [], truncatedCells: 0 } },
  c2: {
    csv: "ABC-3,Three\r\n",
    cursor: null,
    progress: { done: 3, total: 3, missing: ["ABC-9"], truncatedCells: 1, relocations: 1 },
  },
}
const wholeFile = `${started.csv}ABC-1,One\r\nABC-2,Two\r\nABC-3,Three\r\n`

const setup = (
  next: (cursor: string, attempt: number) => ReturnType<typeof ok<ExportChunk>> | ReturnType<typeof fail>,
  answer: ExportStarted = started,
) => {
  const attempts = new Map<string, number>()
  const fake = fakeBackend({
    "export/start": () => ok(answer),
    "export/next": ({ cursor }) => {
      const n = (attempts.get(cursor) ?? 0) + 1
      attempts.set(cursor, n)
      return next(cursor, n)
    },
  })
  const model = new ExportModel(fake.backend, systemClock)
  const states: ExportState["kind"][] = []
  const activities: string[] = []
  model.state.subscribe(() => {
    const s = model.state.peek()
    states.push(s.kind)
    if (s.kind === "running") activities.push(s.activity.kind)
  })
  const cursors = () => fake.callsTo("export/next").map((c) => (c.payload as { cursor: string }).cursor)
  return { fake, model, states, activities, cursors }
}

const straight = (cursor: string) => {
  const chunk = chunks[cursor]
  if (chunk === undefined) throw new Error(`unknown cursor ${cursor}`)
  return ok(chunk)
}

const fileText = async (model: ExportModel) => {
  const s = model.state.peek()
  if (s.kind !== "done") throw new Error(`not done: ${s.kind}`)
  return new Uint8Array(await s.file.blob.arrayBuffer())
}
const utf8 = (text: string) => new TextEncoder().encode(text)

describe("ExportModel", () => {
  beforeEach(() => {
    vi.useFakeTimers({ now: new Date("2026-11-29T10:00:00Z") })
  })
  afterEach(() => {
    vi.useRealTimers()
  })

  it("runs start then next until the cursor is null, and builds the exact file with a summary", async () => {
    const { model, states, activities, cursors } = setup(straight)
    const run = model.start(request)
    await vi.advanceTimersByTimeAsync(1_000)
    await run
    expect(cursors()).toEqual(["c0", "c1", "c2"])
    expect(activities.slice(0, 2)).toEqual(["starting", "fetching"])
    expect(states.at(-1)).toBe("done")
    const s = model.state.peek()
    if (s.kind !== "done") throw new Error("not done")
    expect(s.file.name).toBe("project-abc-order-by-key-2026-11-29.csv")
    expect(s.file.size).toBe(utf8(wholeFile).byteLength)
    expect(await fileText(model)).toEqual(utf8(wholeFile))
    expect(s.summary).toMatchObject({ issues: 3, missing: ["ABC-9"], truncatedCells: 1, relocations: 1 })
    // export/start gave no reason to read one page after another.
    expect("sequentialReason" in s.summary).toBe(false)
    expect(model.progress.peek().done).toBe(3)
  })

  it("zips a workbook's fragments into an .xlsx download with the workbook's media type", async () => {
    const kinds = ["issueKey", "text"] as const
    const fragment = (key: string, text: string) => encodeXlsxRows([[key, text]], kinds).text
    const workbookChunks: Record<string, ExportChunk> = {
      c0: { ...(chunks.c0 as ExportChunk), csv: fragment("ABC-1", "=1+2") },
      c1: { ...(chunks.c1 as ExportChunk), csv: fragment("ABC-2", "Two\nlines") },
      c2: { ...(chunks.c2 as ExportChunk), csv: fragment("ABC-3", "Three") },
    }
    const info = {
      sheetName: "Issues",
      siteUrl: "https://acme.atlassian.net",
      query: request.jql,
      timeZone: "UTC",
      asOf: 0,
    }
    const { model } = setup((cursor) => ok(workbookChunks[cursor] as ExportChunk), {
      ...started,
      csv: "",
      workbook: info,
    })
    const run = model.start({ ...request, options: { ...request.options, format: "xlsx" } })
    await vi.advanceTimersByTimeAsync(1_000)
    await run
    const s = model.state.peek()
    if (s.kind !== "done") throw new Error(`not done: ${s.kind}`)
    expect(s.file.name).toBe("project-abc-order-by-key-2026-11-29.xlsx")
    expect(s.file.blob.type).toBe(XLSX_MIME)
    // exceljs unzips on timers of its own.
    vi.useRealTimers()
    const [sheet, about] = await readWorkbook(await fileText(model))
    expect(sheet?.rows.map((r) => r.map((c) => ("value" in c ? c.value : "")))).toEqual([
      ["Key", "Summary"],
      ["ABC-1", "=1+2"],
      ["ABC-2", "Two\nlines"],
      ["ABC-3", "Three"],
    ])
    expect(sheet?.rows[1]?.[0]).toEqual({
      type: "link",
      value: "ABC-1",
      target: "https://acme.atlassian.net/browse/ABC-1",
    })
    expect(about?.rows[4]?.[1]).toEqual({ type: "number", value: 3 })
  })

  it("a workbook whose writer cannot be loaded fails with Try again, which only zips what it holds", async () => {
    const info = {
      sheetName: "Issues",
      siteUrl: "https://acme.atlassian.net",
      query: request.jql,
      timeZone: "UTC",
      asOf: 0,
    }
    const fragment = encodeXlsxRows([["ABC-1", "One"]], ["issueKey", "text"]).text
    const { model, cursors } = setup(
      () =>
        ok({ csv: fragment, cursor: null, progress: { done: 1, total: 1, missing: [], truncatedCells: 0 } }),
      { ...started, csv: "", workbook: info },
    )
    vi.doMock("../../web/src/xlsx.js", () => {
      throw new Error("chunk failed to load")
    })
    const run = model.start({ ...request, options: { ...request.options, format: "xlsx" } })
    await vi.advanceTimersByTimeAsync(1_000)
    await run
    const failed = model.state.peek()
    expect(failed).toMatchObject({ kind: "failed", canResume: true, error: { tag: "Transport" } })
    vi.doUnmock("../../web/src/xlsx.js")
    const again = model.resume()
    await vi.advanceTimersByTimeAsync(1_000)
    await again
    expect(model.state.peek().kind).toBe("done")
    expect(cursors()).toEqual(["c0"])
  })

  it("carries export/start's reason for reading one page after another into the summary, across a resume", async () => {
    const reason = `the export cannot reproduce Jira's order by "summary" from the issues it reads`
    let down = true
    const { model } = setup(
      (cursor) =>
        cursor === "c1" && down
          ? fail({ tag: "ServerError", message: "Jira had a problem." })
          : straight(cursor),
      { ...started, sequentialReason: reason },
    )
    const run = model.start(request)
    await vi.advanceTimersByTimeAsync(120_000)
    await run
    expect(model.state.peek().kind).toBe("failed")
    down = false
    const again = model.resume()
    await vi.advanceTimersByTimeAsync(1_000)
    await again
    const s = model.state.peek()
    if (s.kind !== "done") throw new Error(`not done: ${s.kind}`)
    expect(s.summary.sequentialReason).toBe(reason)
  })

  it("spaces calls so the bridge's 500 calls per 25 s is never reached", async () => {
    const { model, fake } = setup(straight)
    const run = model.start(request)
    await vi.advanceTimersByTimeAsync(1_000)
    await run
    const times = fake.calls.map((c) => c.at)
    for (let i = 1; i < times.length; i++)
      expect(times[i]! - times[i - 1]!).toBeGreaterThanOrEqual(MIN_CALL_SPACING_MS)
  })

  it("waits retryAfterMs when a chunk asks for it, then goes on from the new cursor", async () => {
    const { model, cursors, fake } = setup((cursor) =>
      cursor === "c0" ? ok({ ...straight(cursor).value, retryAfterMs: 5_000 }) : straight(cursor),
    )
    const run = model.start(request)
    await vi.advanceTimersByTimeAsync(100)
    const s = model.state.peek()
    expect(s.kind === "running" && s.activity).toMatchObject({ kind: "waiting", reason: "rateLimit" })
    expect(cursors()).toEqual(["c0"])
    await vi.advanceTimersByTimeAsync(4_800)
    expect(cursors()).toEqual(["c0"])
    await vi.advanceTimersByTimeAsync(1_000)
    const times = fake.callsTo("export/next").map((c) => c.at)
    expect(times[1]! - times[0]!).toBe(5_000)
    await run
    expect(await fileText(model)).toEqual(utf8(wholeFile))
  })

  it("retries the same cursor after a RateLimited error, honouring retryAfterMs", async () => {
    const { model, cursors } = setup((cursor, attempt) =>
      cursor === "c1" && attempt < 3
        ? fail({ tag: "RateLimited", message: "Slow down.", retryAfterMs: 2_000 })
        : straight(cursor),
    )
    const run = model.start(request)
    // c1 is first called at about 120 ms (calls are spaced), then again 2 s later.
    await vi.advanceTimersByTimeAsync(2_000)
    expect(cursors()).toEqual(["c0", "c1"])
    await vi.advanceTimersByTimeAsync(200)
    expect(cursors()).toEqual(["c0", "c1", "c1"])
    await vi.advanceTimersByTimeAsync(5_000)
    await run
    expect(cursors()).toEqual(["c0", "c1", "c1", "c1", "c2"])
    expect(await fileText(model)).toEqual(utf8(wholeFile))
  })

  it("pauses until the quota resets and resumes by itself", async () => {
    const resetAt = "2026-11-29T10:30:00Z"
    const { model, cursors } = setup((cursor, attempt) =>
      cursor === "c1" && attempt === 1
        ? fail({ tag: "QuotaExhausted", message: "Quota spent.", resetAt })
        : straight(cursor),
    )
    const run = model.start(request)
    await vi.advanceTimersByTimeAsync(1_000)
    const s = model.state.peek()
    expect(s.kind === "running" && s.activity).toEqual({ kind: "paused", until: Date.parse(resetAt) })
    await vi.advanceTimersByTimeAsync(28 * 60_000)
    expect(cursors()).toEqual(["c0", "c1"])
    await vi.advanceTimersByTimeAsync(2 * 60_000)
    await run
    expect(cursors()).toEqual(["c0", "c1", "c1", "c2"])
    expect(await fileText(model)).toEqual(utf8(wholeFile))
  })

  it("pauses when a chunk says pausedUntil", async () => {
    const pausedUntil = "2026-11-29T11:00:00Z"
    const { model, cursors } = setup((cursor) =>
      cursor === "c0"
        ? ok({ ...straight(cursor).value, csv: "ABC-1,One\r\n", pausedUntil })
        : straight(cursor),
    )
    const run = model.start(request)
    await vi.advanceTimersByTimeAsync(1_000)
    const s = model.state.peek()
    expect(s.kind === "running" && s.activity.kind).toBe("paused")
    await vi.advanceTimersByTimeAsync(60 * 60_000)
    await run
    expect(cursors()).toEqual(["c0", "c1", "c2"])
    expect(await fileText(model)).toEqual(utf8(wholeFile))
  })

  it("backs off on network errors (1 s, 2 s, …) and repeats the same cursor", async () => {
    const { model, cursors, fake } = setup((cursor, attempt) =>
      cursor === "c1" && attempt <= 2 ? fail({ tag: "Transport", message: "Offline." }) : straight(cursor),
    )
    const run = model.start(request)
    await vi.advanceTimersByTimeAsync(10_000)
    await run
    expect(cursors()).toEqual(["c0", "c1", "c1", "c1", "c2"])
    const times = fake.callsTo("export/next").map((c) => c.at)
    expect(times[2]! - times[1]!).toBe(backoff(1))
    expect(times[3]! - times[2]!).toBe(backoff(2))
    expect(await fileText(model)).toEqual(utf8(wholeFile))
  })

  it("fails after too many network errors, then Try again resumes from the same cursor without doubling rows", async () => {
    let down = true
    const { model, cursors } = setup((cursor) =>
      cursor === "c1" && down
        ? fail({ tag: "ServerError", message: "Jira had a problem." })
        : straight(cursor),
    )
    const run = model.start(request)
    await vi.advanceTimersByTimeAsync(120_000)
    await run
    const s = model.state.peek()
    expect(s).toMatchObject({ kind: "failed", canResume: true, error: { tag: "ServerError" } })
    expect(cursors().filter((c) => c === "c1")).toHaveLength(MAX_CONSECUTIVE_FAILURES)
    down = false
    const again = model.resume()
    await vi.advanceTimersByTimeAsync(1_000)
    await again
    expect(await fileText(model)).toEqual(utf8(wholeFile))
  })

  it("fails at once, without retrying, on an error retrying cannot fix", async () => {
    const { model, cursors } = setup(() => fail({ tag: "BadCursor", message: "The export can't continue." }))
    const run = model.start(request)
    await vi.advanceTimersByTimeAsync(10_000)
    await run
    expect(cursors()).toEqual(["c0"])
    expect(model.state.peek()).toMatchObject({
      kind: "failed",
      canResume: false,
      error: { tag: "BadCursor" },
    })
  })

  it("cancel during a wait stops all further calls", async () => {
    const { model, cursors, states } = setup((cursor) =>
      ok({ ...straight(cursor).value, retryAfterMs: 10_000 }),
    )
    const run = model.start(request)
    await vi.advanceTimersByTimeAsync(1_000)
    model.cancel()
    await run
    await vi.advanceTimersByTimeAsync(60_000)
    expect(cursors()).toEqual(["c0"])
    expect(states.at(-1)).toBe("cancelled")
  })

  it("cancel while a call is in flight drops its answer and makes no further call", async () => {
    const pending = deferred<ReturnType<typeof straight>>()
    const fake = fakeBackend({ "export/start": () => ok(started), "export/next": () => pending.promise })
    const model = new ExportModel(fake.backend, systemClock)
    const run = model.start(request)
    await vi.advanceTimersByTimeAsync(100)
    expect(fake.callsTo("export/next")).toHaveLength(1)
    model.cancel()
    pending.resolve(straight("c0"))
    await run
    await vi.advanceTimersByTimeAsync(10_000)
    expect(fake.callsTo("export/next")).toHaveLength(1)
    expect(model.state.peek().kind).toBe("cancelled")
    expect(model.progress.peek().done).toBe(0)
  })

  it("reports issues/s and time left from the progress and the time spent fetching", async () => {
    const fake = fakeBackend({
      "export/start": () => ok({ ...started, approximateTotal: 1_000 }),
      "export/next": async () => {
        await new Promise((r) => setTimeout(r, 1_000))
        return ok({
          csv: "x\r\n",
          cursor: "more",
          progress: { done: 100, total: 1_000, missing: [], truncatedCells: 0 },
        })
      },
    })
    const model = new ExportModel(fake.backend, systemClock)
    void model.start(request)
    await vi.advanceTimersByTimeAsync(1_100)
    // 100 issues after about 1 s of fetching.
    expect(model.rate.peek()).toBeGreaterThan(90)
    expect(model.rate.peek()).toBeLessThanOrEqual(100)
    expect(model.remainingMs.peek()).toBeGreaterThan(8_000)
    model.cancel()
  })

  it("tells issues/s and time left once per chunk, from that chunk's count and arrival time together", async () => {
    let done = 0
    const fake = fakeBackend({
      "export/start": () => ok({ ...started, approximateTotal: 300 }),
      "export/next": async () => {
        await new Promise((r) => setTimeout(r, 1_000))
        done += 100
        return ok({
          csv: "x\r\n",
          cursor: done < 300 ? "more" : null,
          progress: { done, total: 300, missing: [], truncatedCells: 0 },
        })
      },
    })
    const model = new ExportModel(fake.backend, systemClock)
    const startedAt = Date.now()
    const rates: Array<number | undefined> = []
    const left: Array<number | undefined> = []
    const stopRate = model.rate.subscribe(() => rates.push(model.rate.peek()))
    const stopLeft = model.remainingMs.subscribe(() => left.push(model.remainingMs.peek()))
    const run = model.start(request)
    await vi.advanceTimersByTimeAsync(5_000)
    await run
    stopRate()
    stopLeft()
    // Each answer arrives about 1 s after the previous one: 100 issues/s throughout, never a value
    // mixing one chunk's count with the previous chunk's time.
    const elapsed = (fake.callsTo("export/next").at(-1)?.at ?? 0) + 1_000 - startedAt
    expect(rates).toHaveLength(3)
    expect(rates.at(-1)).toBeCloseTo(300_000 / elapsed)
    for (const rate of rates) expect(rate).toBeLessThanOrEqual(100)
    expect(left).toHaveLength(3)
    expect(left.at(-1)).toBe(0)
  })
})
