import { Either } from "effect"
import { describe, expect, it } from "vitest"
import { PRESETS } from "../../src/export/options.js"
import type { Column } from "../../src/fields/column.js"
import { resolveColumns } from "../../src/fields/columns.js"
import type { FormatContext } from "../../src/fields/formatters.js"
import {
  cellColumns,
  IMPORTER_COLUMNS,
  importerRow,
  isRepeated,
  tooManyValues,
  tooManyValuesMessage,
  withImporterColumns,
} from "../../src/fields/importer.js"
import type { Issue } from "../../src/jira/schemas.js"
import { directory, fields, issue, jane, omar } from "./fixtures.js"

const columnsFor = (refs: ReadonlyArray<string>): ReadonlyArray<Column> => {
  const resolved = resolveColumns(fields, refs)
  if (Either.isLeft(resolved)) throw new Error(resolved.left.message)
  return resolved.right
}

const importer = PRESETS["jira-import"].format
const ctx: FormatContext = {
  users: directory,
  options: { ...importer, timeZone: "UTC" },
  siteUrl: "https://example.atlassian.net",
}
const layout = (valueColumns: number) => ({ valueColumns })

describe("which columns repeat", () => {
  it("every multi-value field the importer takes one value per column; the rest stay one cell", () => {
    const repeated = fields.filter((f) => columnsFor([f.id]).every(isRepeated)).map((f) => f.name)
    expect(repeated.sort()).toEqual(
      [
        "Affects versions",
        "Approvers",
        "Attachment",
        "Comment",
        "Components",
        "Fix versions",
        "Flagged",
        "Labels",
        "Notified groups",
        "Platforms",
        "Shipped in",
        "Sprint",
        "Tags",
      ].sort(),
    )
    // Sub-tasks come from each sub-task's Parent; links and worklogs are not in the importer's shape.
    for (const id of ["subtasks", "issuelinks", "worklog", "parent", "issuekey", "statuscategory"])
      expect(columnsFor([id]).some(isRepeated), id).toBe(false)
  })

  it("a repeated column takes valueColumns cells, all with its header, where the user put it", () => {
    const cells = cellColumns(columnsFor(["summary", "labels", "assignee"]), layout(3))
    expect(cells.map((c) => c.header)).toEqual(["Summary", "Labels", "Labels", "Labels", "Assignee"])
  })
})

describe("the importer's columns", () => {
  it("adds the ones the user left out, after the user's, in the knowledge base's order", () => {
    const columns = withImporterColumns(fields, columnsFor(["assignee", "summary", "key"]))
    expect(columns.map((c) => c.id)).toEqual([
      "assignee",
      "summary",
      "issuekey",
      "issuetype",
      "issueid",
      "parent",
    ])
    expect(IMPORTER_COLUMNS).toEqual(["issuetype", "issuekey", "issueid", "summary", "parent"])
  })

  it("goes without a field the site does not have", () => {
    const columns = withImporterColumns(
      fields.filter((f) => f.id !== "parent"),
      columnsFor(["summary"]),
    )
    expect(columns.map((c) => c.id)).toEqual(["summary", "issuetype", "issuekey", "issueid"])
  })
})

describe("an importer row", () => {
  const row = (refs: ReadonlyArray<string>, n: number, of: Issue = issue) =>
    importerRow(of, columnsFor(refs), ctx, layout(n))

  it("one value per cell, padded to the layout; people as account ids; the parent as its id", () => {
    expect(row(["labels", "fixVersions", "assignee", "parent"], 4)).toEqual([
      "backend",
      "-1",
      "naïve",
      "",
      "1.0",
      '2.0 "Beta"',
      "",
      "",
      jane.accountId,
      "10001",
    ])
  })

  it("comments as date;author;body, with the body's lines and semicolons kept", () => {
    const [first, second, ...rest] = row(["comment"], 4)
    expect(first).toBe(`2026-11-02 09:17;${jane.accountId};Looks good\n\nship it`)
    expect(second?.startsWith("2026-")).toBe(true)
    expect(second?.split(";")[1]).toBe(omar.accountId)
    expect(rest).toEqual(["", ""])
  })

  it("attachments as date;author;file name;URL, and dates in the importer's pattern", () => {
    const [attachment] = row(["attachment"], 2)
    expect(attachment).toBe(`2026-11-02 09:17;${jane.accountId};screen shot.png;…`)
    expect(row(["created", "duedate", "timeoriginalestimate"], 1)).toEqual([
      "2026-11-02 09:17",
      "2026-07-17 00:00",
      "201600",
    ])
  })

  it("an issue without values gets empty cells, never fewer", () => {
    const bare: Issue = { id: "1", key: "ABC-1", fields: {} }
    expect(row(["labels", "comment", "parent"], 2)).toHaveLength(5)
    expect(row(["labels", "comment", "parent"], 2, bare)).toEqual(["", "", "", "", ""])
  })
})

describe("more values than columns", () => {
  const columns = columnsFor(["summary", "labels", "comment"])

  it("names the first column that does not fit, counting the comments Jira has beyond the page", () => {
    expect(tooManyValues(issue, columns, layout(3))).toBeUndefined()
    const labels = tooManyValues(issue, columns, layout(2))
    expect(labels?.column.id).toBe("labels")
    expect(labels?.count).toBe(3)
    const paged: Issue = {
      ...issue,
      fields: { ...issue.fields, labels: [], comment: { comments: [], total: 7 } },
    }
    expect(tooManyValues(paged, columns, layout(6))?.count).toBe(7)
  })

  it("says which issue, which field and how many columns to ask for", () => {
    const problem = tooManyValues(issue, columns, layout(2))
    if (problem === undefined) throw new Error("expected a problem")
    expect(tooManyValuesMessage(issue, problem, layout(2))).toBe(
      'ABC-42 has 3 values in "Labels", more than the 2 "Labels" columns of this file; export again with at least 3 columns per multi-value field.',
    )
  })
})
