/**
 * The formatters and the history columns on payloads captured from real Jira Cloud sites and on
 * Atlassian's documented example (test/fixtures/README.md lists each file's source and licence).
 */
import * as fs from "node:fs"
import * as path from "node:path"
import { Schema } from "effect"
import { describe, expect, it } from "vitest"
import { PRESETS } from "../../src/export/options.js"
import { formatRow } from "../../src/fields/format.js"
import { expandStatusColumns, historyCell, statusChangesOf } from "../../src/fields/historyColumns.js"
import { BulkChangelogPage, ChangelogPage } from "../../src/jira/changelogSchemas.js"
import type { Issue } from "../../src/jira/schemas.js"
import { ctxWith, fields } from "./fixtures.js"
import { columnsOf, SITE_FIELDS } from "./siteFieldDefs.js"

const fixture = (name: string): unknown =>
  JSON.parse(fs.readFileSync(path.join(import.meta.dirname, "..", "fixtures", name), "utf8"))

const isJsonContainer = (text: string) => /^\s*[[{]/.test(text) && /[\]}]\s*$/.test(text)

describe("an issue from a site without Premium (reshuffle-demo)", () => {
  const raw = fixture("reshuffle-demo-issue.json") as Issue
  const issue: Issue = { id: raw.id, key: raw.key, fields: raw.fields }
  // The site's own custom fields in place of the emulator catalogue's of the same id.
  const all = [...fields.filter((f) => !SITE_FIELDS.some((s) => s.id === f.id)), ...SITE_FIELDS]
  const ids = Object.keys(issue.fields ?? {}).filter((id) => all.some((f) => f.id === id))
  const columns = columnsOf(all, ids)
  const row = formatRow(issue, columns, { ...ctxWith(), options: PRESETS.spreadsheet.format })
  const cell = (id: string) => row[columns.findIndex((c) => c.id === id)]

  it("placeholders are empty cells: Parent Link, restriction, Work Ratio -1, Development {}", () => {
    expect(cell("customfield_10018")).toBe("")
    expect(cell("issuerestriction")).toBe("")
    expect(cell("workratio")).toBe("")
    expect(cell("customfield_10000")).toBe("")
    expect(cell("timetracking")).toBe("")
    expect(cell("status")).toBe("Selected for Development")
    expect(cell("summary")).toBe("Connect to Jira without pulling your hair")
  })

  it("no cell of the spreadsheet preset is a JSON object or array", () => {
    expect(columns.length).toBeGreaterThan(20)
    expect(row.filter(isJsonContainer)).toEqual([])
  })
})

describe("a changelog page from a real site (hack-jira-cfd)", () => {
  const page = Schema.decodeUnknownSync(ChangelogPage)(fixture("hack-jira-cfd-changelog.json"))
  const statuses = [
    { id: "10123", name: "To Do", category: "new" },
    { id: "10124", name: "In Progress", category: "indeterminate" },
    { id: "10125", name: "Done", category: "done" },
  ]
  const issue: Issue = {
    id: "1",
    key: "ISSUE-1",
    fields: {
      created: "2023-11-02T09:00:00.000+0100",
      status: { id: "10125", name: "Done", statusCategory: { key: "done" } },
    },
    changelog: { histories: page.values },
  }
  const ctx = { ...ctxWith(), history: { asOfMs: Date.parse("2023-11-10T00:00:00Z"), statuses } }
  const columns = expandStatusColumns(
    columnsOf(fields, ["statusChanges", "leadTime", "cycleTime", "timeInStatus"]),
    statuses,
  )
  const cells = Object.fromEntries(columns.map((c) => [c.header, historyCell(issue, c, ctx)]))

  it("reads only the status items among other fields' changes", () => {
    expect(statusChangesOf(issue).map((c) => [c.from, c.to])).toEqual([
      ["10123", "10124"],
      ["10124", "10125"],
    ])
  })

  it("counts the changes, lead and cycle time and the time in each status", () => {
    expect(cells).toEqual({
      "Status changes": "2",
      "Lead time (h)": "120.77",
      "Cycle time (h)": "95.80",
      "Time in To Do (h)": "24.97",
      "Time in In Progress (h)": "95.80",
      "Time in Done (h)": "63.23",
      "Time in statuses no longer in a workflow (h)": "",
    })
  })
})

describe("Atlassian's documented bulkfetch answer", () => {
  it("decodes, `created` given in epoch seconds", () => {
    const page = Schema.decodeUnknownSync(BulkChangelogPage)(fixture("atlassian-bulkfetch-example.json"))
    expect(page.nextPageToken).toBe("UxAQBFRF")
    expect(page.issueChangeLogs.flatMap((l) => l.changeHistories.map((h) => h.created))).toEqual([
      "2017-04-13T08:00:29.000Z",
      "2017-04-13T08:17:09.000Z",
    ])
  })
})
