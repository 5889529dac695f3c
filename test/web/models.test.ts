// @vitest-environment happy-dom
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest"
import type { FieldInfo, JqlAutocomplete, PreviewPage } from "../../src/contract.js"
import { systemClock } from "../../web/src/clock.js"
import { ColumnsModel, DEFAULT_COLUMNS } from "../../web/src/models/ColumnsModel.js"
import { JqlModel, PARSE_DEBOUNCE_MS, SUGGEST_DEBOUNCE_MS } from "../../web/src/models/JqlModel.js"
import { OptionsModel, presetDefaults, restoreOptions, toInput } from "../../web/src/models/OptionsModel.js"
import { PageModel } from "../../web/src/models/PageModel.js"
import { PreviewModel } from "../../web/src/models/PreviewModel.js"
import { storagePrefs } from "../../web/src/prefs.js"
import { computed, signal } from "../../web/src/state/signal.js"
import { fail, fakeBackend, ok, testContext } from "./FakeBackend.js"

const field = (id: string, name: string, type = "string", custom = false): FieldInfo => ({
  id,
  name,
  header: name,
  custom,
  type,
})

describe("signal", () => {
  it("notifies subscribers of a signal and of computed values that read it", () => {
    const a = signal(1)
    const b = signal(10)
    const sum = computed(() => a.value + b.value)
    const seen: number[] = []
    const stop = sum.subscribe(() => seen.push(sum.peek()))
    a.value = 2
    b.update((v) => v + 1)
    a.value = 2 // same value: no notification
    stop()
    a.value = 3
    expect(seen).toEqual([12, 13])
    expect(sum.value).toBe(14)
  })
})

describe("JqlModel", () => {
  beforeEach(() => {
    vi.useFakeTimers()
  })
  afterEach(() => {
    vi.useRealTimers()
  })

  const autocomplete: JqlAutocomplete = {
    fields: [
      {
        value: "status",
        displayName: "Status",
        operators: ["="],
        types: ["com.atlassian.jira.issue.status.Status"],
      },
      { value: "summary", displayName: "Summary", operators: ["~"], types: ["java.lang.String"] },
      {
        value: '"Story Points"',
        displayName: "Story Points - cf[10016]",
        operators: ["="],
        types: ["Number"],
      },
    ],
    functions: [],
    reservedWords: [],
  }

  it("asks Jira to parse only after typing pauses, and shows Jira's error with its position", async () => {
    const fake = fakeBackend({
      "jql/parse": ({ jql }) =>
        ok(
          jql === "status = Done"
            ? { valid: true, errors: [], warnings: [] }
            : {
                valid: false,
                errors: [
                  {
                    message: "Error in the JQL Query: Expecting operator but got 'Done'.",
                    line: 1,
                    character: 8,
                  },
                ],
                warnings: [],
              },
        ),
    })
    const saved: string[] = []
    const model = new JqlModel(fake.backend, systemClock, "", (jql) => saved.push(jql))
    expect(model.validation.peek().kind).toBe("empty")
    model.setText("status", 6)
    model.setText("status Done", 11)
    expect(model.validation.peek().kind).toBe("checking")
    await vi.advanceTimersByTimeAsync(PARSE_DEBOUNCE_MS - 1)
    expect(fake.callsTo("jql/parse")).toHaveLength(0)
    await vi.advanceTimersByTimeAsync(1)
    expect(fake.callsTo("jql/parse")).toHaveLength(1)
    expect(model.validation.peek()).toMatchObject({
      kind: "invalid",
      errors: [{ message: expect.stringContaining("Expecting operator"), line: 1, character: 8 }],
    })
    model.setText("status = Done", 13)
    await vi.advanceTimersByTimeAsync(PARSE_DEBOUNCE_MS)
    expect(model.validation.peek()).toEqual({ kind: "valid", warnings: [] })
    expect(saved.at(-1)).toBe("status = Done")
  })

  it("drops a parse answer that arrives after the text changed", async () => {
    let answer: (v: ReturnType<typeof ok<{ valid: boolean; errors: []; warnings: [] }>>) => void = () =>
      undefined
    const fake = fakeBackend({
      "jql/parse": () =>
        new Promise((resolve) => {
          answer = resolve
        }),
    })
    const model = new JqlModel(fake.backend, systemClock, "", () => undefined)
    model.setText("a = 1", 5)
    await vi.advanceTimersByTimeAsync(PARSE_DEBOUNCE_MS)
    model.setText("a = 12", 6)
    answer(ok({ valid: true, errors: [], warnings: [] }))
    await vi.advanceTimersByTimeAsync(0)
    expect(model.validation.peek().kind).toBe("checking")
  })

  it("suggests field names from autocomplete data and values from jql/suggestions, and inserts them", async () => {
    const fake = fakeBackend({
      "jql/parse": () => ok({ valid: true, errors: [], warnings: [] }),
      "jql/suggestions": ({ fieldValue }) =>
        ok({
          results: [
            { value: "In Progress", displayName: `<b>${fieldValue}</b> Progress` },
            { value: "Done", displayName: "Done" },
          ],
        }),
    })
    const model = new JqlModel(fake.backend, systemClock, "", () => undefined)
    model.useAutocomplete(autocomplete)
    model.setText("st", 2)
    expect(model.suggestions.peek().items.map((s) => s.label)).toEqual(["Status", "Story Points - cf[10016]"])
    model.moveActive(1)
    expect(model.accept()).toBe('"Story Points"'.length + 1)
    expect(model.text.peek()).toBe('"Story Points" ')

    model.setText("status = In", 11)
    expect(model.suggestions.peek().items).toEqual([])
    await vi.advanceTimersByTimeAsync(SUGGEST_DEBOUNCE_MS)
    expect(fake.callsTo("jql/suggestions").map((c) => c.payload)).toEqual([
      { fieldName: "status", fieldValue: "In" },
    ])
    expect(model.suggestions.peek().items.map((s) => s.label)).toEqual(["In Progress", "Done"])
    model.accept(0)
    expect(model.text.peek()).toBe('status = "In Progress" ')
  })

  it("treats a parse call that fails as unknown, not as an invalid query", async () => {
    const fake = fakeBackend({ "jql/parse": () => fail({ tag: "Transport", message: "Offline." }) })
    const model = new JqlModel(fake.backend, systemClock, "a = 1", () => undefined)
    await model.validateNow()
    expect(model.validation.peek()).toEqual({ kind: "unknown", message: "Offline." })
  })
})

describe("ColumnsModel", () => {
  const fields = [
    field("issuekey", "Issue key"),
    field("summary", "Summary"),
    field("status", "Status", "status"),
    field("assignee", "Assignee", "user"),
    field("priority", "Priority", "priority"),
    field("created", "Created", "datetime"),
    field("updated", "Updated", "datetime"),
    field("customfield_10016", "Story Points", "number", true),
  ]

  it("starts from the defaults, adds, removes and reorders, and reports every change", () => {
    const changes: ReadonlyArray<string>[] = []
    const model = new ColumnsModel(undefined, (c) => changes.push(c))
    model.load(fields, DEFAULT_COLUMNS)
    expect(model.selected.peek()).toEqual(DEFAULT_COLUMNS)
    expect(model.available.peek().map((f) => f.id)).toEqual(["customfield_10016"])
    model.add("customfield_10016")
    model.move(7, 0)
    model.remove("summary")
    model.move(0, 99)
    expect(model.selected.peek()).toEqual([
      "issuekey",
      "status",
      "assignee",
      "priority",
      "created",
      "updated",
      "customfield_10016",
    ])
    expect(changes).toHaveLength(4)
  })

  it("searches by name, id and type", () => {
    const model = new ColumnsModel(["issuekey"], () => undefined)
    model.load(fields, DEFAULT_COLUMNS)
    // "Updated" matches by its name, "Created" only by its type (Date & time).
    model.setSearch("date")
    expect(model.available.peek().map((f) => f.id)).toEqual(["updated", "created"])
    model.setSearch("customfield number")
    expect(model.available.peek().map((f) => f.id)).toEqual(["customfield_10016"])
    // Jira's words find fields too.
    model.setSearch("user")
    expect(model.available.peek().map((f) => f.id)).toEqual(["assignee"])
  })

  it("ranks name matches first, then id matches, then type matches", () => {
    const model = new ColumnsModel(["issuekey"], () => undefined)
    model.load(
      [
        field("timeInStatus", "Time in status (h)", "history"),
        field("leadTime", "Lead time (h)", "history"),
        field("customfield_10099", "Points", "number", true),
        field("customfield_10016", "Story Points", "number", true),
        field("storyid", "Reference", "string"),
      ],
      DEFAULT_COLUMNS,
    )
    model.setSearch("story")
    expect(model.available.peek().map((f) => f.id)).toEqual([
      "customfield_10016",
      "storyid",
      "timeInStatus",
      "leadTime",
    ])
  })

  it("drops remembered columns that Jira no longer lists", () => {
    const model = new ColumnsModel(["issuekey", "customfield_99999"], () => undefined)
    model.load(fields, DEFAULT_COLUMNS)
    expect(model.selected.peek()).toEqual(["issuekey"])
  })
})

describe("OptionsModel", () => {
  it("resets to the preset's defaults when the preset changes and keeps single changes", () => {
    const seen: string[] = []
    const model = new OptionsModel(presetDefaults("spreadsheet"), (o) => seen.push(o.preset))
    model.set("delimiter", ";")
    expect(model.options.peek()).toMatchObject({
      preset: "spreadsheet",
      delimiter: ";",
      bom: true,
      formulaGuard: true,
    })
    model.setPreset("data")
    expect(model.options.peek()).toEqual(presetDefaults("data"))
    expect(presetDefaults("data")).toMatchObject({ bom: false, formulaGuard: false, dateFormat: "iso" })
    expect(seen).toEqual(["spreadsheet", "data"])
  })

  it("the jira-import preset sends the importer's defaults and its columns per value, and restores them", () => {
    const o = presetDefaults("jira-import")
    expect(o).toMatchObject({
      userDisplay: "accountId",
      bom: false,
      formulaGuard: false,
      dateFormat: "importer",
    })
    const input = toInput({ ...o, valueColumns: 35 })
    // The importer's date pattern is the preset's own default: the page leaves it to the backend.
    expect(input).not.toHaveProperty("dateFormat")
    expect(input).toMatchObject({ preset: "jira-import", valueColumns: 35, userDisplay: "accountId" })
    expect(restoreOptions(input)).toEqual({ ...o, valueColumns: 35 })
    expect(toInput(presetDefaults("spreadsheet"))).not.toHaveProperty("valueColumns")
    expect(restoreOptions({ preset: "jira-import", valueColumns: 0 }).valueColumns).toBe(o.valueColumns)
  })

  it("the file is CSV or an Excel workbook, kept across presets but never for Jira's importer", () => {
    const model = new OptionsModel(presetDefaults("spreadsheet"), () => undefined)
    expect(model.options.peek().file).toBe("csv")
    expect(toInput(model.options.peek())).not.toHaveProperty("format")
    model.set("file", "xlsx")
    expect(toInput(model.options.peek())).toMatchObject({ format: "xlsx" })
    model.setPreset("data")
    expect(model.options.peek().file).toBe("xlsx")
    model.setPreset("jira-import")
    expect(model.options.peek().file).toBe("csv")
    expect(restoreOptions({ preset: "data", format: "xlsx" }).file).toBe("xlsx")
    expect(restoreOptions({ preset: "jira-import", format: "xlsx" }).file).toBe("csv")
  })

  it("restores only valid saved values", () => {
    expect(restoreOptions({ preset: "data", delimiter: "|", timeZone: "Mars/Base" })).toEqual({
      ...presetDefaults("data"),
      delimiter: "|",
    })
  })
})

describe("prefs", () => {
  it("remembers per account and ignores broken or throwing storage", () => {
    const prefs = storagePrefs(localStorage, "acc-1")
    prefs.save({ jql: "project = ABC" })
    prefs.save({ columns: ["key"] })
    expect(prefs.load()).toEqual({ jql: "project = ABC", columns: ["key"] })
    expect(storagePrefs(localStorage, "acc-2").load()).toEqual({})
    localStorage.setItem("liquitim-export:v1:acc-3", "{not json")
    expect(storagePrefs(localStorage, "acc-3").load()).toEqual({})
    const throwing = {
      getItem: () => {
        throw new Error("blocked")
      },
      setItem: () => {
        throw new Error("full")
      },
    } as unknown as Storage
    const broken = storagePrefs(throwing, "acc-1")
    expect(() => broken.save({ jql: "x" })).not.toThrow()
    expect(broken.load()).toEqual({})
  })

  it("remembers where exports run, per account, and drops a value it does not know", async () => {
    const first = await PageModel.create(fakeBackend({}).backend, systemClock, localStorage)
    expect(first.exporter.runIn.peek()).toBe("auto")
    first.exporter.setRunIn("browser")
    const again = await PageModel.create(fakeBackend({}).backend, systemClock, localStorage)
    expect(again.exporter.runIn.peek()).toBe("browser")
    const other = await PageModel.create(
      fakeBackend({}, { ...testContext, accountId: "someone-else" }).backend,
      systemClock,
      localStorage,
    )
    expect(other.exporter.runIn.peek()).toBe("auto")
    localStorage.setItem(`liquitim-export:v1:${testContext.accountId}`, JSON.stringify({ runIn: "moon" }))
    expect(storagePrefs(localStorage, testContext.accountId).load()).toEqual({})
  })
})

describe("PreviewModel", () => {
  const page = (n: number, next: string | null): PreviewPage => ({
    columns: [{ id: "key", header: "Key", kind: "text" }],
    rows: [[`ABC-${n}`]],
    issueKeys: [`ABC-${n}`],
    nextPageToken: next,
    approximateTotal: 2,
  })

  it("loads the first page, appends more, and keeps rows when a later page fails", async () => {
    let second = 0
    const fake = fakeBackend({
      "preview/page": (p) => {
        if (p.nextPageToken === undefined) return ok(page(1, "t2"))
        second++
        return second === 1 ? fail({ tag: "Transport", message: "Offline." }) : ok(page(2, null))
      },
    })
    const model = new PreviewModel(fake.backend)
    await model.load({ jql: "project = ABC", columns: ["key"], options: {} })
    await model.loadMore()
    expect(model.state.peek()).toMatchObject({ kind: "moreFailed", table: { rows: [["ABC-1"]] } })
    await model.loadMore()
    expect(model.state.peek()).toMatchObject({
      kind: "ready",
      table: { rows: [["ABC-1"], ["ABC-2"]], nextPageToken: null },
    })
  })

  it("shows only the answer to the newest request", async () => {
    const answers: Array<(v: ReturnType<typeof ok<PreviewPage>>) => void> = []
    const fake = fakeBackend({ "preview/page": () => new Promise((r) => answers.push(r)) })
    const model = new PreviewModel(fake.backend)
    const first = model.load({ jql: "a = 1", columns: ["key"], options: {} })
    const second = model.load({ jql: "a = 2", columns: ["key"], options: {} })
    answers[1]?.(ok(page(2, null)))
    answers[0]?.(ok(page(1, null)))
    await Promise.all([first, second])
    expect(model.state.peek()).toMatchObject({ kind: "ready", table: { request: { jql: "a = 2" } } })
  })
})

describe("PreviewModel with empty pages", () => {
  it("follows a few empty pages that still have a token instead of saying nothing matches", async () => {
    const empty = (next: string | null): PreviewPage => ({
      columns: [{ id: "key", header: "Key", kind: "text" }],
      rows: [],
      issueKeys: [],
      nextPageToken: next,
      approximateTotal: 7,
    })
    const fake = fakeBackend({
      "preview/page": (p) =>
        p.nextPageToken === undefined
          ? ok(empty("t1"))
          : p.nextPageToken === "t1"
            ? ok(empty("t2"))
            : ok({ ...empty(null), rows: [["ABC-1"]], issueKeys: ["ABC-1"], approximateTotal: null }),
    })
    const model = new PreviewModel(fake.backend)
    await model.load({ jql: "a = 1", columns: ["key"], options: {} })
    expect(fake.callsTo("preview/page")).toHaveLength(3)
    expect(model.state.peek()).toMatchObject({
      kind: "ready",
      table: { rows: [["ABC-1"]], approximateTotal: 7 },
    })
  })
})
