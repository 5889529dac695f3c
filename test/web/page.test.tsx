// @vitest-environment happy-dom
import { cleanup, fireEvent, render, screen, waitFor } from "@testing-library/preact"
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest"
import type { ExportChunk, ExportStarted, FieldInfo, PreviewPage, Result } from "../../src/contract.js"
import { systemClock } from "../../web/src/clock.js"
import { PageModel } from "../../web/src/models/PageModel.js"
import { App } from "../../web/src/views/App.js"
import { fail, fakeBackend, type Handlers, ok } from "./FakeBackend.js"

const fields: FieldInfo[] = ["key", "summary", "status", "assignee", "priority", "created", "updated"].map(
  (id) => ({
    id,
    name: id[0]!.toUpperCase() + id.slice(1),
    header: id[0]!.toUpperCase() + id.slice(1),
    custom: false,
    type: "string",
  }),
)

const preview = (jql: string, columns: ReadonlyArray<string>): PreviewPage => ({
  columns: columns.map((id) => ({ id, header: id.toUpperCase(), kind: "text" })),
  rows: jql.includes("EMPTY") ? [] : [columns.map((c) => `${c}-1`), columns.map((c) => `${c}-2`)],
  issueKeys: jql.includes("EMPTY") ? [] : ["ABC-1", "ABC-2"],
  nextPageToken: null,
  approximateTotal: jql.includes("EMPTY") ? 0 : 2,
})

const handlers = (overrides: Handlers = {}): Handlers => ({
  "session/whoami": () => ok({ accountId: "acc-1", displayName: "Ada Admin", timeZone: "UTC" }),
  "fields/list": () => ok({ fields, defaults: ["key", "summary", "status"] }),
  "jql/autocomplete": () => ok({ fields: [], functions: [], reservedWords: [] }),
  "jql/parse": ({ jql }) =>
    ok(
      jql.includes("!!")
        ? {
            valid: false,
            errors: [{ message: "Error in the JQL Query: The character '!' is a reserved JQL character." }],
            warnings: [],
          }
        : { valid: true, errors: [], warnings: [] },
    ),
  "preview/page": ({ jql, columns }) =>
    jql.includes("!!")
      ? fail({
          tag: "InvalidJql",
          message: "The query isn't valid JQL.",
          details: ["The character '!' is reserved."],
        })
      : ok(preview(jql, columns)),
  "export/start": () =>
    ok({ csv: "\uFEFFKEY\r\n", columns: [], approximateTotal: 2, strategy: "thrifty", cursor: "c0" }),
  "export/next": ({ cursor }) => {
    const chunk: ExportChunk =
      cursor === "c0"
        ? { csv: "ABC-1\r\n", cursor: "c1", progress: { done: 1, total: 2, missing: [], truncatedCells: 0 } }
        : { csv: "ABC-2\r\n", cursor: null, progress: { done: 2, total: 2, missing: [], truncatedCells: 0 } }
    return ok(chunk)
  },
  ...overrides,
})

const mount = async (overrides: Handlers = {}) => {
  const fake = fakeBackend(handlers(overrides))
  const page = await PageModel.create(fake.backend, systemClock, localStorage)
  render(<App page={page} />)
  await page.init()
  return { fake, page }
}

describe("the page", () => {
  beforeEach(() => localStorage.clear())
  afterEach(() => {
    cleanup()
    vi.useRealTimers()
  })

  it("shows who is signed in, runs the query on Ctrl+Enter and links issue keys to Jira", async () => {
    const { fake } = await mount()
    await screen.findByText("Signed in as Ada Admin")
    const box = screen.getByLabelText("JQL")
    fireEvent.input(box, { target: { value: "project = ABC" } })
    fireEvent.keyDown(box, { key: "Enter", ctrlKey: true })
    const table = await screen.findByTestId("preview-table")
    expect(table.querySelectorAll("th").length).toBe(3)
    expect(screen.getByTestId("preview-count").textContent).toBe("Showing 2 of about 2 issues.")
    fireEvent.click(screen.getByText("key-1"))
    expect(fake.opened).toEqual(["ABC-1"])
  })

  it("remembers the query and the columns for the same user", async () => {
    await mount()
    fireEvent.input(screen.getByLabelText("JQL"), { target: { value: "project = XYZ" } })
    fireEvent.click(await screen.findByRole("button", { name: "Move Summary down" }))
    cleanup()
    const { page, fake } = await mount()
    expect(page.jql.text.peek()).toBe("project = XYZ")
    expect(page.columns.selected.peek()).toEqual(["key", "status", "summary"])
    // The remembered query runs when the page opens.
    expect(fake.callsTo("preview/page")).toHaveLength(1)
  })

  it("reorders columns from the keyboard and announces the move", async () => {
    const { page } = await mount()
    const grip = await screen.findByRole("button", { name: /^Status, column 3 of 3/ })
    fireEvent.keyDown(grip, { key: "ArrowUp", altKey: true })
    expect(page.columns.selected.peek()).toEqual(["key", "status", "summary"])
    await screen.findByText("Status moved to position 2 of 3.")
  })

  it("says when an invalid query cannot run, once and in Jira's words, and when no issues match", async () => {
    await mount()
    const box = screen.getByLabelText("JQL")
    fireEvent.input(box, { target: { value: "project !! ABC" } })
    fireEvent.click(screen.getByTestId("search-button"))
    // One message, under the query box; the preview and the Export panel repeat nothing.
    await screen.findByTestId("preview-invalid")
    expect(screen.queryByTestId("preview-error")).toBeNull()
    // What the search was refused with shows there until Jira's check of the text replaces it.
    await waitFor(
      () => expect(screen.getByTestId("jql-error").textContent).toContain("reserved JQL character"),
      { timeout: 2_000 },
    )
    expect(screen.getAllByTestId("jql-error")).toHaveLength(1)
    expect(screen.getByTestId("export-button").hasAttribute("disabled")).toBe(true)
    fireEvent.input(box, { target: { value: "project = EMPTY" } })
    fireEvent.click(screen.getByTestId("search-button"))
    await screen.findByText("No issues match this query.")
  })

  it("exports, then offers the file for download with its size and a summary", async () => {
    await mount()
    fireEvent.input(screen.getByLabelText("JQL"), { target: { value: "project = ABC" } })
    fireEvent.click(screen.getByTestId("export-button"))
    const done = await screen.findByTestId("export-done")
    expect(done.textContent).toContain("Export complete: 2 issues")
    expect(screen.queryByTestId("export-sequential")).toBeNull()
    const button = screen.getByTestId("download-button")
    expect(button.textContent).toMatch(/^Download project-abc-\d{4}-\d\d-\d\d\.csv \(22 bytes\)$/)
    const created: Blob[] = []
    URL.createObjectURL = (blob: Blob) => {
      created.push(blob)
      return "blob:test"
    }
    URL.revokeObjectURL = () => undefined
    fireEvent.click(button)
    expect(await created[0]?.text()).toBe("\uFEFFKEY\r\nABC-1\r\nABC-2\r\n")
  })

  it("says when Jira's page token expired and the export found its place again", async () => {
    await mount({
      "export/next": () =>
        ok({
          csv: "ABC-1\r\n",
          cursor: null,
          progress: { done: 1, total: 1, missing: [], truncatedCells: 0, relocations: 2 },
        }),
    })
    fireEvent.input(screen.getByLabelText("JQL"), { target: { value: "project = ABC" } })
    fireEvent.click(screen.getByTestId("export-button"))
    const note = await screen.findByTestId("export-relocations")
    expect(note.textContent).toContain("Jira's page token expired 2 times")
  })

  it("says when the export read the query's pages one after another, and why", async () => {
    const reason = `the export cannot reproduce Jira's order by "summary" from the issues it reads`
    await mount({
      "export/start": () =>
        ok({
          csv: "KEY\r\n",
          columns: [],
          approximateTotal: 2,
          strategy: "thrifty",
          sequentialReason: reason,
          cursor: "c0",
        }),
    })
    fireEvent.input(screen.getByLabelText("JQL"), { target: { value: "project = ABC ORDER BY summary" } })
    fireEvent.click(screen.getByTestId("export-button"))
    const note = await screen.findByTestId("export-sequential")
    expect(note.textContent).toContain(`could not be read in parallel (${reason})`)
  })

  it("shows a failed field list as a sentence with a way to try again", async () => {
    await mount({
      "fields/list": () => fail({ tag: "Forbidden", message: "You can't read the field list." }),
    })
    const error = await screen.findByTestId("page-error")
    expect(error.textContent).toContain("You don't have permission")
    expect(error.textContent).toContain("You can't read the field list.")
    expect(screen.getByRole("button", { name: "Try again" })).toBeTruthy()
  })
})

describe("payloads", () => {
  afterEach(() => cleanup())
  it("send the site URL from the page context with previews and exports", async () => {
    localStorage.clear()
    const { fake, page } = await mount()
    fireEvent.input(screen.getByLabelText("JQL"), { target: { value: "project = ABC" } })
    await page.search()
    await page.export()
    expect(fake.callsTo("preview/page")[0]?.payload).toMatchObject({
      siteUrl: "https://example.atlassian.net",
    })
    expect(fake.callsTo("export/start")[0]?.payload).toMatchObject({
      siteUrl: "https://example.atlassian.net",
    })
  })
})

describe("the export panel while running and after a failure", () => {
  beforeEach(() => {
    localStorage.clear()
    vi.useFakeTimers({
      now: new Date("2026-11-29T10:00:00Z"),
      toFake: ["setTimeout", "clearTimeout", "Date"],
    })
  })
  afterEach(() => {
    cleanup()
    vi.useRealTimers()
  })

  it("says Jira is silent when the first call stays unanswered past 8 s, and stops once it answers", async () => {
    let answer: (value: Result<ExportStarted>) => void = () => undefined
    await mount({
      "export/start": () =>
        new Promise((resolve) => {
          answer = resolve
        }),
    })
    fireEvent.input(screen.getByLabelText("JQL"), { target: { value: "project = ABC" } })
    fireEvent.click(screen.getByTestId("export-button"))
    await vi.advanceTimersByTimeAsync(7_000)
    expect(screen.queryByTestId("export-silence")).toBeNull()
    await vi.advanceTimersByTimeAsync(2_000)
    expect(screen.getByTestId("export-silence").textContent).toBe(
      "Jira has not answered for 9 s; we keep waiting, and try again if it stays silent.",
    )
    answer(ok({ csv: "\uFEFFKEY\r\n", columns: [], approximateTotal: 2, strategy: "thrifty", cursor: "c0" }))
    await vi.advanceTimersByTimeAsync(1_000)
    expect(screen.queryByTestId("export-silence")).toBeNull()
  })

  it("shows the quota pause in words with the progress, then a network failure with Try again that resumes", async () => {
    let calls = 0
    const { page } = await mount({
      "export/next": ({ cursor }) => {
        calls++
        if (calls === 1)
          return ok({
            csv: "ABC-1\r\n",
            cursor: "c1",
            progress: { done: 1, total: 2, missing: [], truncatedCells: 0 },
            pausedUntil: "2026-11-29T10:30:00Z",
          })
        if (calls <= 7) return fail({ tag: "Transport", message: "The page could not reach the app." })
        return ok({
          csv: "ABC-2\r\n",
          cursor: null,
          progress: { done: 2, total: 2, missing: [], truncatedCells: 0 },
          ...(cursor === "c1" ? {} : { csv: "WRONG CURSOR\r\n" }),
        })
      },
    })
    fireEvent.input(screen.getByLabelText("JQL"), { target: { value: "project = ABC" } })
    fireEvent.click(screen.getByTestId("export-button"))
    await vi.advanceTimersByTimeAsync(500)
    expect(screen.getByTestId("export-state").textContent).toBe(
      "Paused until 10:30 because the app's hourly Jira quota is spent. The export resumes by itself; keep this page open.",
    )
    expect(screen.getByTestId("export-figures").textContent).toContain("1 of about 2 issues")
    expect(screen.getByRole("progressbar", { name: "Export progress" })).toBeTruthy()
    // Screen readers hear the state and the progress in tenths.
    const spoken = screen.getAllByRole("status").map((e) => e.textContent)
    expect(spoken).toContain(
      "Paused until 10:30 because the app's hourly Jira quota is spent. The export resumes by itself; keep this page open. 50% done.",
    )
    await vi.advanceTimersByTimeAsync(30 * 60_000 + 200)
    expect(screen.getByTestId("export-state").textContent).toMatch(
      /^Jira is not answering; we keep trying: next try in \d+ s/,
    )
    await vi.advanceTimersByTimeAsync(120_000)
    const error = screen.getByTestId("export-error")
    expect(error.textContent).toContain("Jira is not answering")
    fireEvent.click(screen.getByRole("button", { name: "Try again" }))
    await vi.advanceTimersByTimeAsync(1_000)
    expect(page.exporter.state.peek().kind).toBe("done")
    const state = page.exporter.state.peek()
    if (state.kind !== "done") throw new Error("not done")
    expect(await state.file.blob.text()).toBe("\uFEFFKEY\r\nABC-1\r\nABC-2\r\n")
  })

  it("says Cancel stopped the export", async () => {
    await mount({
      "export/next": () =>
        ok({
          csv: "",
          cursor: "c0",
          progress: { done: 0, total: 2, missing: [], truncatedCells: 0 },
          retryAfterMs: 10_000,
        }),
    })
    fireEvent.input(screen.getByLabelText("JQL"), { target: { value: "project = ABC" } })
    fireEvent.click(screen.getByTestId("export-button"))
    await vi.advanceTimersByTimeAsync(500)
    expect(screen.getByTestId("export-state").textContent).toBe("Waiting 10 s for Jira's rate limit…")
    fireEvent.click(screen.getByTestId("cancel-button"))
    await vi.advanceTimersByTimeAsync(0)
    expect(screen.getByTestId("export-cancelled").textContent).toContain("Export cancelled")
  })
})

describe("focus", () => {
  beforeEach(() => localStorage.clear())
  afterEach(() => cleanup())
  it("moves from Export to Cancel while running and to Download at the end, never to the page body", async () => {
    let release: () => void = () => undefined
    const gate = new Promise<void>((r) => {
      release = r
    })
    await mount({
      "export/next": async () => {
        await gate
        return ok({
          csv: "ABC-1\r\n",
          cursor: null,
          progress: { done: 1, total: 1, missing: [], truncatedCells: 0 },
        })
      },
    })
    fireEvent.input(screen.getByLabelText("JQL"), { target: { value: "project = ABC" } })
    const exportButton = screen.getByTestId("export-button")
    exportButton.focus()
    fireEvent.click(exportButton)
    await screen.findByTestId("cancel-button")
    await vi.waitFor(() => expect(document.activeElement).toBe(screen.getByTestId("cancel-button")))
    release()
    await screen.findByTestId("download-button")
    await vi.waitFor(() => expect(document.activeElement).toBe(screen.getByTestId("download-button")))
  })
})
