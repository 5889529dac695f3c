// @vitest-environment happy-dom
/**
 * Where an export runs: the automatic choice and its one line, and the export model driving the page
 * runner (a fake engine here; the real one runs in Chromium, test/browser/page-engine.test.ts) with the
 * parts and cursor kept after each one, resumed, and forgotten when done or dismissed.
 */
import { describe, expect, it } from "vitest"
import type { ExportChunk, ExportStarted, Result } from "../../src/contract.js"
import { systemClock } from "../../web/src/clock.js"
import { ExportModel, type ExportRequest } from "../../web/src/models/ExportModel.js"
import { AUTO_BROWSER_ABOVE, autoPlace, type EngineLike } from "../../web/src/models/runners.js"
import type { ExportStore, SavedExport } from "../../web/src/models/savedExports.js"
import { fakeBackend, ok } from "./FakeBackend.js"

const started = (total: number | null, extra: Partial<ExportStarted> = {}): ExportStarted => ({
  csv: "Key\r\n",
  columns: [{ id: "key", header: "Key", kind: "text" }],
  approximateTotal: total,
  strategy: "fast",
  cursor: "c0",
  ...extra,
})

describe("the automatic choice", () => {
  it("runs in the browser above about 1,000 issues, and says so", () => {
    expect(autoPlace(started(AUTO_BROWSER_ABOVE + 1))).toEqual({
      place: "browser",
      why: "Running in this browser: 1,001 issues are more than one answer from Atlassian's servers carries (about 1,000).",
    })
  })

  it("runs in the browser when the servers would spend more than half the points left", () => {
    expect(autoPlace(started(800, { pointsLeft: 3_000 }))).toEqual({
      place: "browser",
      why: "Running in this browser: the servers would spend about 1,600 of the 3,000 Jira points the app has left this hour.",
    })
    expect(autoPlace(started(800, { strategy: "thrifty", pointsLeft: 3_000 })).place).toBe("servers")
  })

  it("keeps a small export on the servers when the points are there or unknown", () => {
    expect(autoPlace(started(1_000, { pointsLeft: 65_000 }))).toEqual({
      place: "servers",
      why: "Running on Atlassian's servers: this export is small.",
    })
    expect(autoPlace(started(null)).place).toBe("servers")
  })
})

const request: ExportRequest = { jql: "project = A", columns: ["key"], options: {}, timeZone: "UTC" }

/** An engine that answers one unit per cursor: c0 -> c1 -> c2 -> end. */
const fakeEngine = (stopAfter?: string) => {
  const asked: Array<string> = []
  const chunk = (csv: string, cursor: string | null, done: number): Result<ExportChunk> => ({
    ok: true,
    value: { csv, cursor, progress: { done, total: 3, missing: [], truncatedCells: 0 } },
  })
  const engine: EngineLike = {
    start: () => Promise.resolve({ ok: true, value: started(3) }),
    next: (cursor) => {
      asked.push(cursor)
      if (cursor === stopAfter) return new Promise(() => undefined)
      return Promise.resolve(
        cursor === "c0"
          ? chunk("A-1\r\n", "c1", 1)
          : cursor === "c1"
            ? chunk("A-2\r\n", "c2", 2)
            : chunk("A-3\r\n", null, 3),
      )
    },
    stop: () => undefined,
  }
  return { engine, asked }
}

/** The store in memory, as IndexedDB keeps it (one record per export, parts by number). */
const memoryStore = () => {
  const records = new Map<string, SavedExport<ExportRequest>>()
  const parts = new Map<string, Map<number, string>>()
  const store: ExportStore<ExportRequest> = {
    save: (record, seq, text) => {
      records.set(record.id, record)
      parts.set(record.id, (parts.get(record.id) ?? new Map()).set(seq, text))
      return Promise.resolve()
    },
    latest: () => Promise.resolve([...records.values()].find((r) => r.cursor !== null)),
    parts: (id) =>
      Promise.resolve(
        [...(parts.get(id) ?? new Map<number, string>()).entries()]
          .sort(([a], [b]) => a - b)
          .map(([, text]) => new Blob([text])),
      ),
    remove: (id) => {
      records.delete(id)
      parts.delete(id)
      return Promise.resolve()
    },
  }
  return { store, records, parts }
}

const text = async (model: ExportModel) => {
  const state = model.state.peek()
  if (state.kind !== "done") throw new Error(`not done: ${state.kind}`)
  return state.file.blob.text()
}

describe("the export model in the browser", () => {
  it("drives the engine unit by unit, with no invoke, keeping each part and forgetting them when done", async () => {
    const fake = fakeBackend({})
    const { engine, asked } = fakeEngine()
    const kept = memoryStore()
    const model = new ExportModel(fake.backend, systemClock, {
      engine: () => Promise.resolve(engine),
      store: kept.store,
    })
    model.setRunIn("browser")
    await model.start(request)
    expect(await text(model)).toBe("Key\r\nA-1\r\nA-2\r\nA-3\r\n")
    expect(asked).toEqual(["c0", "c1", "c2"])
    expect(fake.calls).toEqual([])
    expect(model.placement.peek()).toEqual({
      place: "browser",
      why: "Running in this browser, as chosen in Options.",
    })
    expect(kept.records.size).toBe(0)
    expect(kept.parts.size).toBe(0)
  })

  it("an export left in the middle is offered after a reload and resumes to the same file", async () => {
    const kept = memoryStore()
    const first = fakeEngine("c2")
    const before = new ExportModel(fakeBackend({}).backend, systemClock, {
      engine: () => Promise.resolve(first.engine),
      store: kept.store,
    })
    before.setRunIn("browser")
    void before.start(request)
    await expect.poll(() => first.asked).toEqual(["c0", "c1", "c2"])
    // The page is gone (a reload): a new model over the same storage.
    const after = new ExportModel(fakeBackend({}).backend, systemClock, {
      engine: () => Promise.resolve(fakeEngine().engine),
      store: kept.store,
    })
    await after.loadSaved()
    const saved = after.saved.peek()
    expect(saved).toMatchObject({
      request,
      place: "browser",
      cursor: "c2",
      parts: 3,
      progress: { done: 2, total: 3 },
    })
    await after.resumeSaved()
    expect(await text(after)).toBe("Key\r\nA-1\r\nA-2\r\nA-3\r\n")
    expect(kept.records.size).toBe(0)
  })

  it("a dismissed or cancelled export leaves nothing", async () => {
    const kept = memoryStore()
    const stuck = fakeEngine("c1")
    const model = new ExportModel(fakeBackend({}).backend, systemClock, {
      engine: () => Promise.resolve(stuck.engine),
      store: kept.store,
    })
    model.setRunIn("browser")
    void model.start(request)
    await expect.poll(() => stuck.asked).toEqual(["c0", "c1"])
    expect(kept.records.size).toBe(1)
    model.cancel()
    await expect.poll(() => kept.records.size).toBe(0)
    expect(kept.parts.size).toBe(0)
  })

  it("automatically, a large export starts on the servers and goes on in the browser from their cursor", async () => {
    const fake = fakeBackend({ "export/start": () => ok(started(5_000)) })
    const { engine, asked } = fakeEngine()
    const model = new ExportModel(fake.backend, systemClock, { engine: () => Promise.resolve(engine) })
    await model.start(request)
    expect(fake.calls.map((c) => c.key)).toEqual(["export/start"])
    expect(asked).toEqual(["c0", "c1", "c2"])
    expect(model.placement.peek()?.place).toBe("browser")
  })
})

describe("the engine's file", () => {
  /** An export model that counts its engine's loads; `load(n)` answers the n-th (a fake engine by default). */
  const countingLoads = (
    load: (n: number) => Promise<EngineLike> = () => Promise.resolve(fakeEngine().engine),
  ) => {
    const counted = { loads: 0 }
    const model = new ExportModel(fakeBackend({}).backend, systemClock, {
      engine: () => load(++counted.loads),
    })
    return { model, counted }
  }

  it("loads once the user says exports run in this browser, before any export, and only once", async () => {
    const { model, counted } = countingLoads()
    model.setRunIn("servers")
    model.setRunIn("auto")
    expect(counted.loads).toBe(0)
    model.setRunIn("browser")
    expect(counted.loads).toBe(1)
    await model.start(request)
    expect(await text(model)).toBe("Key\r\nA-1\r\nA-2\r\nA-3\r\n")
    expect(counted.loads).toBe(1)
  })

  it("loads when the preview counts more issues than an automatic export leaves on the servers", () => {
    const { model, counted } = countingLoads()
    model.expectIssues(null)
    model.expectIssues(AUTO_BROWSER_ABOVE)
    expect(counted.loads).toBe(0)
    model.setRunIn("servers")
    model.expectIssues(25_000)
    expect(counted.loads).toBe(0)
    model.setRunIn("auto")
    model.expectIssues(AUTO_BROWSER_ABOVE + 1)
    model.expectIssues(25_000)
    expect(counted.loads).toBe(1)
  })

  it("a load that failed ahead of the export is tried again by the run", async () => {
    const { engine } = fakeEngine()
    const { model, counted } = countingLoads((n) =>
      n === 1 ? Promise.reject(new Error("offline")) : Promise.resolve(engine),
    )
    model.setRunIn("browser")
    await Promise.resolve()
    await model.start(request)
    expect(counted.loads).toBe(2)
    expect(await text(model)).toBe("Key\r\nA-1\r\nA-2\r\nA-3\r\n")
  })
})

describe("a steward's pause on the servers", () => {
  it("offers the rest to this browser: the same cursor goes on here at once, and the file is whole", async () => {
    const later = new Date(Date.now() + 3_600_000).toISOString()
    const fake = fakeBackend({
      "export/start": () => ok(started(3)),
      // The servers read A-1, then the steward holds the export back until the next window.
      "export/next": (p) =>
        p.cursor === "c0"
          ? ok({
              csv: "A-1\r\n",
              cursor: "c1",
              progress: { done: 1, total: 3, missing: [], truncatedCells: 0 },
            })
          : ok({
              csv: "",
              cursor: "c1",
              pausedUntil: later,
              pausedBy: "steward",
              progress: { done: 1, total: 3, missing: [], truncatedCells: 0 },
            }),
    })
    const { engine, asked } = fakeEngine()
    const model = new ExportModel(fake.backend, systemClock, { engine: () => Promise.resolve(engine) })
    model.setRunIn("servers")
    void model.start(request)
    await expect
      .poll(() => model.state.peek())
      .toMatchObject({ kind: "running", activity: { kind: "paused", by: "steward" } })
    await model.runHere()
    expect(await text(model)).toBe("Key\r\nA-1\r\nA-2\r\nA-3\r\n")
    expect(asked).toEqual(["c1", "c2"])
    expect(model.placement.peek()?.place).toBe("browser")
  })
  it("is not offered for Jira's own spent quota: that pause holds wherever the export runs", async () => {
    const later = new Date(Date.now() + 3_600_000).toISOString()
    const fake = fakeBackend({
      "export/start": () => ok(started(3)),
      "export/next": () =>
        ok({
          csv: "",
          cursor: "c0",
          pausedUntil: later,
          progress: { done: 0, total: 3, missing: [], truncatedCells: 0 },
        }),
    })
    const { engine, asked } = fakeEngine()
    const model = new ExportModel(fake.backend, systemClock, { engine: () => Promise.resolve(engine) })
    model.setRunIn("servers")
    void model.start(request)
    await expect.poll(() => model.state.peek()).toMatchObject({ activity: { kind: "paused" } })
    await model.runHere()
    expect(model.state.peek()).toMatchObject({ kind: "running", activity: { kind: "paused" } })
    expect(asked).toEqual([])
    model.cancel()
  })
})
