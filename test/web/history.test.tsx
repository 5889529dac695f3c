// @vitest-environment happy-dom
import { cleanup, fireEvent, render, screen } from "@testing-library/preact"
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest"
import type { ExportOptionsInput, FieldInfo, PreviewPage } from "../../src/contract.js"
import { systemClock } from "../../web/src/clock.js"
import { MAX_HISTORY_FIELDS, resolveHistoryFields } from "../../web/src/models/historyFields.js"
import { OptionsModel, presetDefaults, restoreOptions, toInput } from "../../web/src/models/OptionsModel.js"
import { PageModel, REFRESH_DEBOUNCE_MS } from "../../web/src/models/PageModel.js"
import { App } from "../../web/src/views/App.js"
import { fakeBackend, type Handlers, ok } from "./FakeBackend.js"

const field = (id: string, name: string, type = "string"): FieldInfo => ({
  id,
  name,
  header: name,
  custom: id.startsWith("customfield_"),
  type,
})

const fields: FieldInfo[] = [
  field("issuekey", "Issue key"),
  field("timeInStatus", "Time in status (h)", "history"),
  field("summary", "Summary"),
  field("status", "Status"),
  field("assignee", "Assignee", "user"),
  field("labels", "Labels", "array<string>"),
  field("customfield_10020", "Sprint", "array<json>"),
  field("customfield_1", "Team"),
  field("customfield_2", "Team"),
]

describe("the history field filter", () => {
  it("takes names or ids in any case, in the order typed, once each", () => {
    expect(resolveHistoryFields(" STATUS, assignee ,Sprint, status,, ", fields)).toEqual({
      ok: true,
      ids: ["status", "assignee", "customfield_10020"],
    })
    expect(resolveHistoryFields("customfield_1", fields)).toEqual({ ok: true, ids: ["customfield_1"] })
    expect(resolveHistoryFields("   ", fields)).toEqual({ ok: true, ids: [] })
  })

  it("says which word it cannot use: unknown, computed, ambiguous, too many", () => {
    expect(resolveHistoryFields("status, Colour", fields)).toEqual({
      ok: false,
      message: `"Colour" is not a field you can pick; type a field's name or id as the Columns list shows it.`,
    })
    // Computed columns are in the picker but never in a change history.
    expect(resolveHistoryFields("timeInStatus", fields).ok).toBe(false)
    expect(resolveHistoryFields("team", fields)).toEqual({
      ok: false,
      message: `"team" names 2 fields; type one of their ids instead: customfield_1, customfield_2.`,
    })
    const many = Array.from({ length: MAX_HISTORY_FIELDS + 1 }, (_, i) => field(`f${i}`, `F${i}`))
    const eleven = many.map((f) => f.id).join(",")
    expect(resolveHistoryFields(eleven, many)).toMatchObject({ ok: false })
    expect(resolveHistoryFields(eleven, many)).toHaveProperty(
      "message",
      expect.stringContaining("at most 10"),
    )
    expect(
      resolveHistoryFields(
        many
          .slice(0, 10)
          .map((f) => f.id)
          .join(","),
        many,
      ).ok,
    ).toBe(true)
  })
})

describe("OptionsModel in history mode", () => {
  it("sends options.history only in history mode, with the fields when there are some", () => {
    const issues = presetDefaults("spreadsheet")
    expect(issues.mode).toBe("issues")
    expect(toInput(issues)).not.toHaveProperty("history")
    expect(toInput({ ...issues, mode: "history" }).history).toEqual({})
    expect(toInput({ ...issues, mode: "history", historyFields: ["status"] }).history).toEqual({
      fields: ["status"],
    })
    // A filter typed while in issues mode is kept for later but not sent.
    expect(toInput({ ...issues, historyFields: ["status"] })).not.toHaveProperty("history")
  })

  it("keeps the mode and its filter across a preset change, and restores them", () => {
    const seen: ExportOptionsInput[] = []
    const model = new OptionsModel(presetDefaults("spreadsheet"), (o) => seen.push(toInput(o)))
    model.set("mode", "history")
    model.setHistoryFields("Status, labels", fields)
    model.setPreset("data")
    expect(model.options.peek()).toEqual({
      ...presetDefaults("data"),
      mode: "history",
      historyFields: ["status", "labels"],
    })
    const saved = seen.at(-1)
    expect(saved).toMatchObject({ preset: "data", history: { fields: ["status", "labels"] } })
    expect(restoreOptions(saved)).toEqual(model.options.peek())
    expect(new OptionsModel(restoreOptions(saved), () => undefined).historyText.peek()).toBe("status, labels")
  })

  it("restores a saved history mode only in the contract's shape", () => {
    const base = presetDefaults("spreadsheet")
    expect(restoreOptions({ history: {} })).toEqual({ ...base, mode: "history" })
    const broken: ReadonlyArray<unknown> = [null, "yes", [], { fields: "status" }, { fields: [1] }]
    for (const history of broken) {
      const saved = JSON.parse(JSON.stringify({ history })) as ExportOptionsInput
      expect(restoreOptions(saved)).toEqual(base)
    }
    const tooMany = { history: { fields: Array.from({ length: 11 }, (_, i) => `f${i}`) } }
    expect(restoreOptions(tooMany)).toEqual(base)
  })

  it("keeps the last usable filter while the typed one has a problem, and reports changes only", () => {
    let changes = 0
    const model = new OptionsModel({ ...presetDefaults("spreadsheet"), mode: "history" }, () => changes++)
    model.setHistoryFields("status", fields)
    model.setHistoryFields("status, Colo", fields)
    expect(model.historyProblem.peek()).toContain('"Colo"')
    expect(model.historyText.peek()).toBe("status, Colo")
    expect(model.options.peek().historyFields).toEqual(["status"])
    model.setHistoryFields("Status ", fields)
    expect(model.historyProblem.peek()).toBeUndefined()
    expect(changes).toBe(1)
  })
})

const historyPreview = (options: ExportOptionsInput | undefined): PreviewPage =>
  options?.history === undefined
    ? {
        columns: [{ id: "issuekey", header: "Issue key", kind: "text" }],
        rows: [["ABC-1"], ["ABC-2"]],
        issueKeys: ["ABC-1", "ABC-2"],
        nextPageToken: null,
        approximateTotal: 2,
      }
    : {
        columns: ["Issue key", "Date", "Author", "Field", "From", "To"].map((header, i) => ({
          id:
            ["issuekey", "historyDate", "historyAuthor", "historyField", "historyFrom", "historyTo"][i] ?? "",
          header,
          kind: "text",
        })),
        rows: [
          ["ABC-1", "2026-01-01 10:00", "Ada", "status", "To Do", "In Progress"],
          ["ABC-1", "2026-01-02 10:00", "Ada", "status", "In Progress", "Done"],
          ["ABC-2", "2026-01-03 10:00", "Rita", "status", "To Do", "Done"],
        ],
        issueKeys: ["ABC-1", "ABC-1", "ABC-2"],
        nextPageToken: null,
        approximateTotal: 2,
      }

const handlers: Handlers = {
  "session/whoami": () => ok({ accountId: "acc-1", displayName: "Ada Admin", timeZone: "UTC" }),
  "fields/list": () => ok({ fields, defaults: ["issuekey", "summary"] }),
  "jql/autocomplete": () => ok({ fields: [], functions: [], reservedWords: [] }),
  "jql/parse": () => ok({ valid: true, errors: [], warnings: [] }),
  "preview/page": ({ options }) => ok(historyPreview(options)),
  "export/start": () =>
    ok({ csv: "Issue key,Date\r\n", columns: [], approximateTotal: 2, strategy: "thrifty", cursor: "c0" }),
  "export/next": () =>
    ok({ csv: "", cursor: null, progress: { done: 2, total: 2, missing: [], truncatedCells: 0 } }),
}

const mount = async () => {
  const fake = fakeBackend(handlers)
  const page = await PageModel.create(fake.backend, systemClock, localStorage)
  render(<App page={page} />)
  await page.init()
  return { fake, page }
}

describe("the page's export mode", () => {
  beforeEach(() => localStorage.clear())
  afterEach(() => {
    cleanup()
    vi.useRealTimers()
  })

  it("previews and exports the change history with the chosen fields, and remembers the choice", async () => {
    const { fake, page } = await mount()
    fireEvent.input(screen.getByLabelText("JQL"), { target: { value: "project = ABC" } })
    await page.search()
    expect(screen.getByTestId("preview-count").textContent).toBe("Showing 2 of about 2 issues.")
    fireEvent.change(screen.getByLabelText("Mode"), { target: { value: "history" } })
    await screen.findByText(/The file's columns are Issue key, Date, Author, Field, From, To/)
    fireEvent.input(await screen.findByLabelText("Only changes of (optional)"), {
      target: { value: "status, Assignee" },
    })
    await vi.waitFor(() =>
      expect(screen.getByTestId("history-fields-help").textContent).toBe(
        "Only changes of: Status, Assignee.",
      ),
    )
    await vi.waitFor(() => expect(fake.callsTo("preview/page").length).toBeGreaterThanOrEqual(2), {
      timeout: REFRESH_DEBOUNCE_MS * 10,
    })
    await vi.waitFor(() =>
      expect(screen.getByTestId("preview-count").textContent).toBe(
        "Change history: showing 3 changes of 2 issues (the query matches about 2).",
      ),
    )
    const headers = [...screen.getByTestId("preview-table").querySelectorAll("th")].map(
      (th) => th.textContent,
    )
    expect(headers).toEqual(["Issue key", "Date", "Author", "Field", "From", "To"])
    expect(fake.callsTo("preview/page").at(-1)?.payload).toMatchObject({
      options: { history: { fields: ["status", "assignee"] } },
    })
    fireEvent.click(screen.getByTestId("export-button"))
    await screen.findByTestId("export-done")
    expect(fake.callsTo("export/start")[0]?.payload).toMatchObject({
      options: { history: { fields: ["status", "assignee"] } },
    })
    cleanup()
    const again = await mount()
    expect(again.page.options.options.peek()).toMatchObject({
      mode: "history",
      historyFields: ["status", "assignee"],
    })
    expect((screen.getByLabelText("Only changes of (optional)") as HTMLInputElement).value).toBe(
      "status, assignee",
    )
  })

  it("does not export while the typed filter cannot be used, and says why", async () => {
    await mount()
    fireEvent.change(screen.getByLabelText("Mode"), { target: { value: "history" } })
    const input = await screen.findByLabelText("Only changes of (optional)")
    fireEvent.input(input, { target: { value: "status, Colour" } })
    const problem = await screen.findByTestId("history-fields-problem")
    expect(problem.textContent).toContain('"Colour" is not a field')
    expect(input.getAttribute("aria-invalid")).toBe("true")
    expect(screen.getByTestId("export-button").hasAttribute("disabled")).toBe(true)
    // Back to one row per issue: the filter no longer matters.
    fireEvent.change(screen.getByLabelText("Mode"), { target: { value: "issues" } })
    await vi.waitFor(() => expect(screen.queryByLabelText("Only changes of (optional)")).toBeNull())
    expect(screen.getByTestId("export-button").hasAttribute("disabled")).toBe(false)
  })

  it("previews and exports a change history with no column chosen, and refuses an unusable filter in the model too", async () => {
    const { fake, page } = await mount()
    fireEvent.change(screen.getByLabelText("Mode"), { target: { value: "history" } })
    for (const id of [...page.columns.selected.peek()]) page.columns.remove(id)
    expect(page.columns.selected.peek()).toEqual([])
    fireEvent.input(screen.getByLabelText("JQL"), { target: { value: "project = ABC" } })
    await page.search()
    expect(page.hint.peek()).toBeUndefined()
    expect(fake.callsTo("preview/page").length).toBeGreaterThanOrEqual(1)
    fireEvent.input(await screen.findByLabelText("Only changes of (optional)"), {
      target: { value: "Colour" },
    })
    await screen.findByTestId("history-fields-problem")
    await page.export()
    expect(fake.callsTo("export/start")).toHaveLength(0)
  })
})
