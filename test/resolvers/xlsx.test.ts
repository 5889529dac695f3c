/**
 * Workbooks through export/start + export/next: the chunks carry sheet fragments through the same
 * cursor protocol, and zipping them (as the page does) gives the cells of the CSV export.
 */
import { parse } from "csv-parse/sync"
import { Either } from "effect"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { exportNext, exportStart } from "../../src/resolvers/export.js"
import { xlsxKindOf } from "../../src/xlsx/cells.js"
import { aboutOf, metaOf, workbookBytes } from "../../src/xlsx/workbook.js"
import { expectedCell } from "../xlsx/expected.js"
import { readWorkbook } from "../xlsx/reader.js"
import { exportThrough, type Harness, jqlAll, startHarness } from "./emulated.js"

const COLUMNS = ["issuekey", "summary", "description", "created", "duedate", "votes", "comment", "issueurl"]

describe("workbooks through the resolvers", () => {
  let harness: Harness
  beforeAll(async () => {
    harness = await startHarness(
      { issues: 150, seed: 5 },
      {
        budget: { timeMs: 15_000, graceMs: 5_000, maxBytes: 60_000 },
        settings: {
          searchPageSize: 20,
          idPageSize: 90,
          bulkSize: 20,
          requestConcurrency: 2,
          completionConcurrency: 2,
          issueErrorRetries: 2,
        },
      },
    )
  })
  afterAll(async () => {
    await harness.emulator.close()
  })

  it("sends fragments in several chunks that zip to the CSV export's cells", async () => {
    const jql = jqlAll(harness.emulator)
    const through = (format: "csv" | "xlsx") =>
      exportThrough(
        harness,
        () => exportStart({ jql, columns: COLUMNS, options: { preset: "data", strategy: "fast", format } }),
        (cursor) => exportNext({ cursor }),
      )
    const csv = await through("csv")
    const xlsx = await through("xlsx")
    expect(xlsx.started.csv).toBe("")
    expect(xlsx.chunks.length).toBeGreaterThan(2)
    const info = xlsx.started.workbook
    if (info === undefined) throw new Error("no workbook info")
    expect(info).toMatchObject({ sheetName: "Issues", query: jql })
    const columns = xlsx.started.columns
    const count = xlsx.chunks.at(-1)?.progress.done ?? 0
    const bytes = workbookBytes(
      metaOf(info, columns),
      xlsx.chunks.map((c) => c.csv),
      aboutOf(info, columns, count, "test"),
    )
    const [sheet] = await readWorkbook(bytes)
    const [header, ...rows]: Array<Array<string>> = parse(csv.csv)
    expect(sheet?.rows[0]?.map((c) => ("value" in c ? c.value : ""))).toEqual(header)
    expect(sheet?.rows.length).toBe(rows.length + 1)
    const kinds = columns.map(xlsxKindOf)
    rows.forEach((row, r) => {
      expect(sheet?.rows[r + 1], `row ${r + 2}`).toEqual(
        row.map((cell, c) => expectedCell(cell, kinds[c] ?? "text", info.siteUrl)),
      )
    })
  })

  it("refuses a workbook for Jira's importer with a sentence", async () => {
    const refused = await harness.run(
      exportStart({
        jql: jqlAll(harness.emulator),
        columns: COLUMNS,
        options: { preset: "jira-import", format: "xlsx" },
      }),
    )
    expect(Either.isLeft(refused) && refused.left).toMatchObject({
      tag: "BadPayload",
      message: expect.stringContaining("Jira's importer reads CSV files"),
    })
  })
})
