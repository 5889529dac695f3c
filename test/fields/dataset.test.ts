/**
 * Every formatter over every field of the emulator's data set (its hostile values included), then
 * through the spreadsheet-preset encoder and back through csv-parse: what LibreOffice would read.
 */
import { parse } from "csv-parse/sync"
import { Either } from "effect"
import { describe, expect, it } from "vitest"
import { createDataset, FIELDS } from "../../dev/emulator/data/index.js"
import { EXCEL_CELL_LIMIT, encodeHeader, encodeRows, TRUNCATION_MARKER } from "../../src/csv/encoder.js"
import { cellKindOf, PRESETS } from "../../src/export/options.js"
import { resolveColumns } from "../../src/fields/columns.js"
import { formatRow } from "../../src/fields/format.js"
import { collectAccountIds, type DirectoryUserLike } from "../../src/fields/users.js"
import type { Issue } from "../../src/jira/schemas.js"

const ISSUES = 300
const dataset = createDataset({ issues: ISSUES, seed: 7 })
const resolved = resolveColumns(FIELDS, ["issuekey", "issueid", "issueurl", ...FIELDS.map((f) => f.id)])
if (Either.isLeft(resolved)) throw new Error(resolved.left.message)
const columns = resolved.right
const preset = PRESETS.spreadsheet

const issues: ReadonlyArray<Issue> = Array.from({ length: ISSUES }, (_, i) => dataset.issueAt(i)).flatMap(
  (r) => (r === undefined ? [] : [{ id: r.id, key: r.key, fields: r.fields }]),
)

/** What the UserDirectory would answer for the collected ids. */
const directory = (ids: ReadonlyArray<string>): ReadonlyMap<string, DirectoryUserLike> =>
  new Map(
    ids.flatMap((id) => {
      const u = dataset.userByAccountId(id)
      if (u === undefined) return []
      const email = u.json.emailAddress
      const user: DirectoryUserLike =
        typeof email === "string" && email !== ""
          ? { accountId: id, displayName: u.displayName, emailAddress: email }
          : { accountId: id, displayName: u.displayName }
      return [[id, user] as const]
    }),
  )

const rows = issues.map((issue) =>
  formatRow(issue, columns, {
    users: directory(collectAccountIds(issue, columns)),
    options: preset.format,
    siteUrl: "https://liquitim-emulator.atlassian.net",
  }),
)

const DURATION_FIELDS = new Set([
  "timeoriginalestimate",
  "timeestimate",
  "timespent",
  "aggregatetimeoriginalestimate",
  "aggregatetimeestimate",
  "aggregatetimespent",
])

describe(`the emulator's first ${ISSUES} issues, every field`, () => {
  it("formats every cell as readable text of the column's kind", () => {
    expect(issues.length).toBeGreaterThan(ISSUES / 2)
    for (const row of rows) {
      expect(row).toHaveLength(columns.length)
      row.forEach((cell, i) => {
        const column = columns[i]
        expect(cell).not.toContain("[object Object]")
        if (cell === "" || column === undefined) return
        if (column.kind === "datetime") expect(cell).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}$/)
        if (column.kind === "date") expect(cell).toMatch(/^\d{4}-\d{2}-\d{2}$/)
        if (column.kind === "number" && !DURATION_FIELDS.has(column.id))
          expect(cell).toMatch(/^-?\d+(\.\d+)?$/)
        if (DURATION_FIELDS.has(column.id)) expect(cell).toMatch(/^(\d+[wdhm])( \d+[wdhm])*$/)
      })
    }
  })

  it("writes no cell that is a JSON object or array (issue 19 item 2)", () => {
    const containers = rows.flatMap((row) =>
      row.flatMap((cell, i) => {
        if (!/^\s*[[{]/.test(cell)) return []
        const parsed: unknown = (() => {
          try {
            return JSON.parse(cell)
          } catch {
            return undefined
          }
        })()
        return typeof parsed === "object" && parsed !== null
          ? [`${columns[i]?.id}: ${cell.slice(0, 80)}`]
          : []
      }),
    )
    expect(containers).toEqual([])
  })

  it("resolves mentions and id-only users to names", () => {
    for (const row of rows)
      for (const cell of row) expect(cell).not.toMatch(/@(5b10[0-9a-f]{20}|\d{6}:[0-9a-f-]{36})/)
  })

  it("reads back from the spreadsheet-preset CSV with every row, every column and every character", () => {
    let truncated = 0
    let text = encodeHeader(
      columns.map((c) => c.header),
      preset.csv,
    )
    for (let i = 0; i < rows.length; i += 50) {
      const chunk = encodeRows(
        rows.slice(i, i + 50),
        columns.map((c) => cellKindOf(c.kind)),
        preset.csv,
      )
      text += chunk.text
      truncated += chunk.truncatedCells
    }
    const parsed: Array<Array<string>> = parse(text, { bom: true, record_delimiter: "\r\n" })
    expect(parsed).toHaveLength(rows.length + 1)
    let cut = 0
    rows.forEach((row, r) => {
      const back = parsed[r + 1] ?? []
      expect(back).toHaveLength(columns.length)
      row.forEach((cell, i) => {
        const got = back[i] ?? ""
        if (got.endsWith(TRUNCATION_MARKER) && cell.length > EXCEL_CELL_LIMIT - 1) {
          cut += 1
          expect(got.length).toBeLessThanOrEqual(EXCEL_CELL_LIMIT)
          return
        }
        const unguarded = got.startsWith("'") && got.slice(1) === cell ? got.slice(1) : got
        expect(unguarded).toBe(cell)
        if (unguarded !== got)
          expect(cell.trimStart()).toMatch(/^[=+\-@\t\r\uFF1D\uFF0B\uFF0D\uFF20\uFE66\uFE62\uFE63\uFE6B]/)
      })
    })
    expect(cut).toBe(truncated)
  })
})
