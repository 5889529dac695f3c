/**
 * The page engine's start (web/src/engine/engine.ts) over a product fetch that reaches the emulator
 * as the signed-in user, as the local host's product fetch does: the profile and the fields are read
 * beside each other, as the command line reads them, not one after the other; units read ahead while
 * the page was busy go out in one answer, and the file is the same.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { FORGE_ACCOUNT_HEADER, type RunningEmulator, startEmulator } from "../../dev/emulator/index.js"
import type { ProductFetch } from "../../src/jira/BridgeTransport.js"
import { makePageEngine } from "../../web/src/engine/engine.js"

let emulator: RunningEmulator
beforeAll(async () => {
  emulator = await startEmulator({ issues: 600, seed: 4 })
})
afterAll(async () => {
  await emulator?.close()
})

/** A field the site gets while the page is open (added to `/field`'s answer once `created` is set). */
const budget = { id: "customfield_19999", key: "customfield_19999", name: "Budget", custom: true }

/** The page's reads, each with when it left and when its answer came. */
const recordingBridge = (site: { created: boolean } = { created: false }) => {
  const reads: Array<{ path: string; sent: number; answered: number }> = []
  const fetchProduct: ProductFetch = async (path, init) => {
    const read = { path: path.replace(/\?.*$/, ""), sent: performance.now(), answered: Number.NaN }
    reads.push(read)
    const response = await fetch(`${emulator.url}${path}`, {
      method: init.method,
      headers: { ...init.headers, [FORGE_ACCOUNT_HEADER]: emulator.accounts.admin.accountId },
      ...(init.body === undefined ? {} : { body: init.body }),
    })
    const text = await response.text()
    const body =
      site.created && read.path === "/rest/api/3/field" ? JSON.stringify([...JSON.parse(text), budget]) : text
    read.answered = performance.now()
    return { status: response.status, headers: Object.fromEntries(response.headers.entries()), body }
  }
  return { reads, fetchProduct }
}

describe("the page engine's start", () => {
  it("reads the profile and the fields at once, then plans and counts", async () => {
    const { reads, fetchProduct } = recordingBridge()
    const engine = makePageEngine(fetchProduct)
    const started = await engine.start({
      jql: `project = ${emulator.dataset.projects[0]?.key} ORDER BY key ASC`,
      columns: ["key", "summary"],
      options: { timeZone: "user" },
    })
    expect(started, JSON.stringify(started)).toMatchObject({ ok: true })
    const myself = reads.find((r) => r.path === "/rest/api/3/myself")
    const fields = reads.find((r) => r.path === "/rest/api/3/field")
    if (myself === undefined || fields === undefined) throw new Error(`not read: ${JSON.stringify(reads)}`)
    // Each left before the other's answer came: both were in flight together.
    expect(fields.sent).toBeLessThan(myself.answered)
    expect(myself.sent).toBeLessThan(fields.answered)
    expect(reads.filter((r) => r.path === "/rest/api/3/myself")).toHaveLength(1)
    expect(reads.filter((r) => r.path === "/rest/api/3/field")).toHaveLength(1)
    engine.stop()
  })

  it("knows a field created while the page stayed open at the next export, as a new command-line run would", async () => {
    const site = { created: false }
    const { reads, fetchProduct } = recordingBridge(site)
    const engine = makePageEngine(fetchProduct)
    const payload = {
      jql: `project = ${emulator.dataset.projects[0]?.key} ORDER BY key ASC`,
      columns: ["key", budget.id],
      options: { timeZone: "UTC" },
    }
    const before = await engine.start(payload)
    expect(before.ok ? "started" : before.error.tag).toBe("UnknownColumn")
    site.created = true
    const after = await engine.start(payload)
    if (!after.ok) throw new Error(JSON.stringify(after.error))
    expect(after.value.columns.map((c) => c.header)).toContain("Budget")
    // One read of the fields per export: the stream after a start plans with the start's.
    const first = await engine.next(after.value.cursor ?? "")
    expect(first.ok, JSON.stringify(first)).toBe(true)
    expect(reads.filter((r) => r.path === "/rest/api/3/field")).toHaveLength(2)
    engine.stop()
  })

  it("does not read the profile when the export names its time zone", async () => {
    const { reads, fetchProduct } = recordingBridge()
    const started = await makePageEngine(fetchProduct).start({
      jql: `project = ${emulator.dataset.projects[0]?.key} ORDER BY key ASC`,
      columns: ["key", "summary"],
      options: { timeZone: "UTC" },
    })
    expect(started, JSON.stringify(started)).toMatchObject({ ok: true })
    expect(reads.map((r) => r.path)).not.toContain("/rest/api/3/myself")
  })
})

/** A whole export through the engine, `pauseMs` between answers: its text and each answer's issue count. */
const exportAll = async (pauseMs: number) => {
  const engine = makePageEngine(recordingBridge().fetchProduct)
  const started = await engine.start({
    jql: `project in (${emulator.dataset.projects.map((p) => p.key).join(", ")}) ORDER BY key ASC`,
    columns: ["key", "summary", "status"],
    options: { timeZone: "UTC" },
  })
  if (!started.ok) throw new Error(JSON.stringify(started.error))
  let text = started.value.csv
  let cursor: string | null = started.value.cursor
  let done = 0
  const answers: Array<number> = []
  while (cursor !== null) {
    await new Promise((resolve) => setTimeout(resolve, pauseMs))
    const chunk = await engine.next(cursor)
    if (!chunk.ok) throw new Error(JSON.stringify(chunk.error))
    text += chunk.value.csv
    answers.push(chunk.value.progress.done - done)
    done = chunk.value.progress.done
    cursor = chunk.value.cursor
  }
  return { text, answers, done }
}

describe("the page engine's answers", () => {
  it("hands out the units read ahead while the page was busy together, and the file is the same", async () => {
    const eager = await exportAll(0)
    const busy = await exportAll(300)
    expect(busy.done).toBe(eager.done)
    expect(busy.done).toBeGreaterThan(100)
    expect(busy.text).toBe(eager.text)
    // A unit is one page of at most 100 issues: an answer with more held several.
    expect(Math.max(...busy.answers)).toBeGreaterThan(100)
    expect(busy.answers.length).toBeLessThan(eager.answers.length)
  })
})
