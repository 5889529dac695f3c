/**
 * The `jira-import` preset against Atlassian's documentation of the CSV importer (docs/jira-cloud.md
 * §12): each rule is stated in our words with the page it comes from, and checked on an export of the
 * emulator's issues through export/start and export/next, read back with csv-parse.
 */
import { parse } from "csv-parse/sync"
import { Either } from "effect"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { CUSTOM } from "../../dev/emulator/data/fields.js"
import { exportNext, exportStart } from "../../src/resolvers/export.js"
import { previewPage } from "../../src/resolvers/preview.js"
import { exportThrough, type Harness, jqlAll, startHarness } from "../resolvers/emulated.js"

const IMPORT_PAGE =
  "https://support.atlassian.com/jira-cloud-administration/docs/import-data-from-a-csv-file/"
const PREPARE_PAGE = "https://support.atlassian.com/jira-software-cloud/docs/prepare-a-csv-file-for-import/"
const PARENT_KB =
  "https://support.atlassian.com/jira/kb/keep-issue-parent-child-mapping-during-csv-import-to-jira-cloud/"

const VALUE_COLUMNS = 50
const COLUMNS = [
  "summary",
  "labels",
  "components",
  "fixVersions",
  "Approvers",
  "Platforms",
  "comment",
  "attachment",
  "assignee",
  "created",
  "duedate",
  "timeoriginalestimate",
]
/** The pattern the user types into the importer's date step (docs/jira-cloud.md §12). */
const DATE = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}$/
const ACCOUNT_ID = /^[0-9a-z:-]{10,}$/i

type Row = ReadonlyArray<string>

describe("a jira-import file follows Atlassian's CSV importer documentation", () => {
  let harness: Harness
  let header: Row
  let rows: ReadonlyArray<Row>
  let jiraFields: (key: string) => Readonly<Record<string, unknown>>
  beforeAll(async () => {
    harness = await startHarness({ issues: 240, seed: 3 })
    const jql = jqlAll(harness.emulator, "ORDER BY key ASC")
    const { csv } = await exportThrough(
      harness,
      () =>
        exportStart({
          jql,
          columns: COLUMNS,
          options: { preset: "jira-import", valueColumns: VALUE_COLUMNS, timeZone: "UTC" },
        }),
      (cursor) => exportNext({ cursor }),
    )
    // csv-parse refuses a row whose cell count differs from the header's (relax_column_count off).
    const records: Array<Array<string>> = parse(csv, { bom: true, relax_quotes: false })
    header = records[0] ?? []
    rows = records.slice(1)
    const dataset = harness.emulator.dataset
    jiraFields = (key) => dataset.issueByIdOrKey(key)?.fields ?? {}
  })
  afterAll(async () => {
    await harness.emulator.close()
  })

  const at = (name: string): Array<number> => header.flatMap((h, i) => (h === name ? [i] : []))
  const one = (name: string): number => {
    const [index] = at(name)
    if (index === undefined) throw new Error(`no ${name} column in ${header.join(",")}`)
    return index
  }
  const keyOf = (row: Row) => row[one("Issue key")] ?? ""
  const valuesIn = (row: Row, name: string) => at(name).map((i) => row[i] ?? "")

  it("a header row with a Summary column, and no row omits a cell", () => {
    // IMPORT_PAGE: the header row maps columns to fields; it must contain Summary; commas for
    // empty values may not be left out.
    expect(IMPORT_PAGE).toContain("import-data-from-a-csv-file")
    expect(header).toContain("Summary")
    expect(rows.length).toBeGreaterThan(100)
    for (const row of rows) expect(row).toHaveLength(header.length)
  })

  it("a multi-value field takes one column per value, all with the same header", () => {
    // IMPORT_PAGE ("importing multiple values"): labels, components, versions and other multi-value
    // fields are written as several columns with the same name, one value in each.
    for (const [name, field] of [
      ["Labels", "labels"],
      ["Components", "components"],
      ["Fix versions", "fixVersions"],
      ["Approvers", CUSTOM.approvers],
      ["Platforms", CUSTOM.platforms],
    ] as const) {
      const columns = at(name)
      expect(columns, name).toHaveLength(VALUE_COLUMNS)
      // Side by side, as the user asked for the field once.
      expect(columns.at(-1)! - columns[0]!).toBe(VALUE_COLUMNS - 1)
      for (const row of rows) {
        const cells = valuesIn(row, name).filter((c) => c !== "")
        const value = jiraFields(keyOf(row))[field]
        const expected = Array.isArray(value)
          ? value.map((v: unknown) =>
              typeof v === "string"
                ? v
                : typeof v === "object" && v !== null
                  ? String(Reflect.get(v, "accountId") ?? Reflect.get(v, "value") ?? Reflect.get(v, "name"))
                  : String(v),
            )
          : []
        expect(cells, `${keyOf(row)} ${name}`).toEqual(expected)
      }
    }
    expect(rows.some((row) => valuesIn(row, "Labels").filter((c) => c !== "").length > 1)).toBe(true)
  })

  it("comments: one per Comment column, as date;author account id;body", () => {
    // IMPORT_PAGE: several comments go in several Comment columns; a comment keeps its date and author
    // when written as `date;author;body`, the date in the format stated in the wizard.
    let seen = 0
    for (const row of rows) {
      const cells = valuesIn(row, "Comment").filter((c) => c !== "")
      const comments = harness.emulator.dataset.commentsOf?.(keyOf(row)) ?? []
      expect(cells, keyOf(row)).toHaveLength(comments.length)
      for (const [k, cell] of cells.entries()) {
        const [date = "", author = "", ...body] = cell.split(";")
        expect(date).toMatch(DATE)
        expect(author).toMatch(ACCOUNT_ID)
        expect(author).toBe(Reflect.get(Object(comments[k]?.author), "accountId"))
        expect(harness.emulator.dataset.userByAccountId(author)).toBeDefined()
        expect(body.join(";").length).toBeGreaterThan(0)
        seen += 1
      }
    }
    expect(seen).toBeGreaterThan(50)
    expect(at("Comment")).toHaveLength(VALUE_COLUMNS)
  })

  it("dates: one pattern in every date column, in the export's time zone", () => {
    // IMPORT_PAGE: every date the importer reads uses the one format stated in its wizard.
    for (const row of rows) {
      const created = row[one("Created")] ?? ""
      expect(created).toMatch(DATE)
      const jira = String(jiraFields(keyOf(row)).created)
      expect(created).toBe(new Date(jira).toISOString().slice(0, 16).replace("T", " "))
      const due = row[one("Due date")] ?? ""
      if (due !== "") expect(due).toMatch(/^\d{4}-\d{2}-\d{2} 00:00$/)
    }
    expect(rows.some((row) => row[one("Due date")] !== "")).toBe(true)
  })

  it("people as account ids, which the importer maps to users", () => {
    // PREPARE_PAGE: user fields are matched to people during the import (by email, or ids the
    // importer asks the user to match).
    expect(PREPARE_PAGE).toContain("prepare-a-csv-file-for-import")
    for (const row of rows) {
      const assignee = row[one("Assignee")] ?? ""
      const jira = jiraFields(keyOf(row)).assignee
      expect(assignee).toBe(jira === null ? "" : Reflect.get(Object(jira), "accountId"))
    }
  })

  it("hierarchy: Issue Type, Issue key, Issue id, Summary and Parent, the parent's id above its child", () => {
    // PARENT_KB: keep Issue Type, Issue key, Issue ID, Summary and Parent; the Parent cell holds the
    // parent's Issue ID, and parents come before their children in the file.
    expect(PARENT_KB).toContain("parent-child")
    for (const name of ["Issue Type", "Issue key", "Issue id", "Summary", "Parent"])
      expect(at(name)).toHaveLength(1)
    const idColumn = one("Issue id")
    const above = new Set<string>()
    let children = 0
    for (const row of rows) {
      const parent = row[one("Parent")] ?? ""
      const jira = jiraFields(keyOf(row)).parent
      expect(parent).toBe(jira === undefined || jira === null ? "" : Reflect.get(Object(jira), "id"))
      if (parent !== "") {
        expect(parent).toMatch(/^\d+$/)
        expect(above.has(parent), `${keyOf(row)}'s parent ${parent}`).toBe(true)
        children += 1
      }
      above.add(row[idColumn] ?? "")
    }
    expect(children).toBeGreaterThan(20)
  })

  it("cells as Jira holds them: no formula guard, nothing cut, attachments and estimates as the importer reads them", () => {
    // IMPORT_PAGE: the importer stores cell text as it is (quotes only delimit), so an apostrophe
    // added against spreadsheet formulas would end up in Jira; time tracking is in seconds; an
    // attachment is `date;author;file name;URL`.
    for (const row of rows) {
      const jira = jiraFields(keyOf(row))
      expect(row[one("Summary")]).toBe(jira.summary)
      const estimate = jira.timeoriginalestimate
      expect(row[one("Original estimate")]).toBe(typeof estimate === "number" ? String(estimate) : "")
      for (const cell of valuesIn(row, "Attachment").filter((c) => c !== ""))
        expect(cell).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2};[^;]+;.+;https?:\/\/\S+$/)
    }
    expect(rows.some((row) => /^[=+\-@]/.test(row[one("Summary")] ?? ""))).toBe(true)
  })
})

describe("an issue with more values than the file has columns for", () => {
  let harness: Harness
  beforeAll(async () => {
    harness = await startHarness({ issues: 120, seed: 3 })
  })
  afterAll(async () => {
    await harness.emulator.close()
  })

  it("stops the export with a sentence naming the issue, the field and the columns to ask for", async () => {
    const jql = jqlAll(harness.emulator, "ORDER BY key ASC")
    const started = await harness.run(
      exportStart({
        jql,
        columns: ["summary", "labels"],
        options: { preset: "jira-import", valueColumns: 1 },
      }),
    )
    if (Either.isLeft(started)) throw new Error(started.left.message)
    expect(started.right.csv).toBe("Summary,Labels,Issue Type,Issue key,Issue id,Parent\r\n")
    const next = await harness.run(exportNext({ cursor: started.right.cursor }))
    expect(Either.isLeft(next)).toBe(true)
    if (Either.isLeft(next)) {
      expect(next.left.tag).toBe("TooManyValues")
      expect(next.left.message).toMatch(
        /^[A-Z]+-\d+ has \d+ values in "Labels", more than the 1 "Labels" columns of this file; export again with at least \d+ columns per multi-value field\.$/,
      )
    }
    // The preview runs the same rows: it says so before any export starts.
    const preview = await harness.run(
      previewPage({
        jql,
        columns: ["summary", "labels"],
        options: { preset: "jira-import", valueColumns: 1 },
      }),
    )
    expect(Either.isLeft(preview) && preview.left.tag).toBe("TooManyValues")
    const fits = await harness.run(
      previewPage({
        jql,
        columns: ["summary", "labels"],
        options: { preset: "jira-import", valueColumns: 10 },
      }),
    )
    if (Either.isLeft(fits)) throw new Error(fits.left.message)
    expect(fits.right.columns.map((c) => c.header)).toEqual([
      "Summary",
      ...Array.from({ length: 10 }, () => "Labels"),
      "Issue Type",
      "Issue key",
      "Issue id",
      "Parent",
    ])
    for (const row of fits.right.rows) expect(row).toHaveLength(fits.right.columns.length)
  })
})
