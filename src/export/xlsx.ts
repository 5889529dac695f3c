/**
 * The row format of an Excel workbook (src/xlsx): the same columns and formatters as the CSV, rows
 * encoded as sheet fragments, no header text (the workbook writer writes the header on every sheet).
 */
import type { ExportOptionsInput, WorkbookInfo } from "../contract.js"
import type { Column } from "../fields/column.js"
import { formatCell } from "../fields/format.js"
import type { FormatContext } from "../fields/formatters.js"
import type { FormatOptions } from "../fields/options.js"
import { encodeXlsxRows, xlsxCellText, xlsxKindOf } from "../xlsx/cells.js"
import { HISTORY_SHEET, ISSUES_SHEET } from "../xlsx/workbook.js"
import type { CursorContent } from "./cursor.js"
import type { RowFormat } from "./ports.js"

export const isWorkbook = (options: ExportOptionsInput): boolean => options.format === "xlsx"

/** Why a file for Jira's importer cannot be a workbook, as a sentence. */
export const IMPORTER_WORKBOOK =
  "Jira's importer reads CSV files: choose the CSV file for the jira-import preset, or another preset for a workbook."

/**
 * Dates written as ISO text in the export's zone, whose wall time the workbook turns into serial
 * dates (src/xlsx/cells.ts): the date is formatted once, and the cell shows it in the sheet's format.
 */
export const isoDates = (options: FormatOptions): FormatOptions => ({ ...options, dateFormat: "iso" })

/** One row: date and date-time columns as ISO text, the rest (comments' dates too) as the user chose. */
export const workbookRow = (
  issue: Parameters<typeof formatCell>[0],
  columns: ReadonlyArray<Column>,
  ctx: FormatContext,
): ReadonlyArray<string> => {
  const iso = { ...ctx, options: isoDates(ctx.options) }
  return columns.map((c) => formatCell(issue, c, c.kind === "date" || c.kind === "datetime" ? iso : ctx))
}

/** The parts of a row format that make sheet fragments instead of CSV. */
export const workbookEncoding = (
  columns: ReadonlyArray<Pick<Column, "id" | "kind">>,
): Pick<RowFormat, "header" | "cellTexts" | "encodeRows"> => {
  const kinds = columns.map(xlsxKindOf)
  return {
    header: "",
    cellTexts: (row) => row.map((cell, i) => xlsxCellText(cell, kinds[i] ?? "text")),
    encodeRows: (rows) => encodeXlsxRows(rows, kinds),
  }
}

/** What zipping this export's fragments needs besides its columns and count (the page's `workbook`). */
export const workbookInfoOf = (content: CursorContent): WorkbookInfo => ({
  sheetName: content.options.history === undefined ? ISSUES_SHEET : HISTORY_SHEET,
  siteUrl: content.siteUrl,
  query: content.jql,
  timeZone: content.timeZone,
  asOf: content.history?.asOf ?? 0,
})
