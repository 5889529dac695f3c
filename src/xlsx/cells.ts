/**
 * Rows of cell text as SpreadsheetML `<row>` fragments, typed by their column's kind: numbers as
 * numbers, dates and date-times as Excel serial dates, booleans, everything else as inline strings
 * (never a formula: a cell starting with `=` is text here, so no guard is needed).
 *
 * The fragments carry no cell references (`r="B7"`): a row's number is known only once the rows
 * before it are written, which on the page and in parallel exports is after it was made. The
 * workbook writer (workbook.ts) numbers them as it zips them. Like the CSV encoder, this keeps no
 * state: rows encoded in chunks give the text of encoding them at once.
 */
import { EXCEL_CELL_LIMIT, truncateCell } from "../csv/encoder.js"
import { xmlText } from "./xml.js"

/**
 * What a column's cells are. `date` and `datetime` cells hold ISO text already in the export's time
 * zone (`2026-11-02`, `2026-11-02T10:17:05.120+01:00`: the formatters' `iso` date format), whose wall
 * time is the serial date; `issueKey` cells link to the issue.
 */
export type XlsxKind = "text" | "number" | "date" | "datetime" | "boolean" | "issueKey"

/** Style indexes of styles.xml (parts.ts `STYLES`), in its `cellXfs` order. */
export const STYLE = { date: 1, datetime: 2, wrapped: 3, link: 4, header: 5 } as const

/** A column's kind as the workbook types it: the issue key links; the rest keep the column's kind. */
export const xlsxKindOf = (column: {
  readonly id: string
  readonly kind: "text" | "number" | "date" | "datetime"
}): XlsxKind => (column.id === "issuekey" ? "issueKey" : column.kind)

const PLAIN_NUMBER = /^-?\d+(?:\.\d+)?$/
/** Excel keeps 15 significant digits (https://learn.microsoft.com/en-us/office/troubleshoot/excel/last-digits-changed-to-zeros); longer numbers stay text. */
const MAX_DIGITS = 15

const significantDigits = (text: string): number =>
  text.replace(/[-.]/g, "").replace(/^0+/, "").replace(/0+$/, "").length

const ISO_DATE =
  /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,3}))?)?(?:Z|[+-]\d{2}(?::?\d{2})?)?)?$/
const DAY_MS = 86_400_000
/** Excel's day 0 in its 1900 date system (https://learn.microsoft.com/en-us/office/troubleshoot/excel/wrongly-assumes-1900-is-leap-year). */
const EPOCH_MS = Date.UTC(1899, 11, 30)
/** Serials before 1900-03-01 are off by Excel's 29 February 1900; such dates stay text. */
const FIRST_SERIAL = 61

/** The Excel serial date of ISO text's wall time (its offset is the export's zone and is dropped). */
export const serialDate = (text: string): number | undefined => {
  const m = ISO_DATE.exec(text)
  if (m === null) return undefined
  const ms = Date.UTC(
    Number(m[1]),
    Number(m[2]) - 1,
    Number(m[3]),
    Number(m[4] ?? 0),
    Number(m[5] ?? 0),
    Number(m[6] ?? 0),
    Number((m[7] ?? "0").padEnd(3, "0")),
  )
  const serial = (ms - EPOCH_MS) / DAY_MS
  // Date.UTC rolls 2026-02-31 over to March: such text is not a date.
  const back = new Date(ms)
  if (back.getUTCDate() !== Number(m[3]) || back.getUTCMonth() !== Number(m[2]) - 1) return undefined
  return serial >= FIRST_SERIAL && Number(m[1]) <= 9999 ? serial : undefined
}

const text = (cell: string, style: string): string => {
  const space = /^\s|\s$|\n/.test(cell) ? ' xml:space="preserve"' : ""
  return `<c${style} t="inlineStr"><is><t${space}>${xmlText(cell)}</t></is></c>`
}

const MULTI_LINE = /[\r\n]/
const ISSUE_KEY = /^[A-Za-z][A-Za-z0-9_]*-\d+$/

interface Counter {
  truncated: number
}

/** One cell. Text past Excel's limit is cut with the CSV's marker (a longer cell would not open). */
const encodeCell = (cell: string, kind: XlsxKind, counter: Counter): string => {
  if (cell === "") return "<c/>"
  switch (kind) {
    case "number":
      if (PLAIN_NUMBER.test(cell) && significantDigits(cell) <= MAX_DIGITS) return `<c><v>${cell}</v></c>`
      break
    case "date":
    case "datetime": {
      const serial = serialDate(cell)
      if (serial !== undefined)
        return `<c s="${kind === "date" ? STYLE.date : STYLE.datetime}"><v>${serial}</v></c>`
      break
    }
    case "boolean":
      if (cell === "true" || cell === "false") return `<c t="b"><v>${cell === "true" ? 1 : 0}</v></c>`
      break
    case "issueKey":
      // The writer finds this exact opening to add the link (workbook.ts).
      if (ISSUE_KEY.test(cell)) return `<c s="${STYLE.link}" t="inlineStr"><is><t>${cell}</t></is></c>`
      break
  }
  if (cell.length > EXCEL_CELL_LIMIT) {
    cell = truncateCell(cell)
    counter.truncated += 1
  }
  return text(cell, MULTI_LINE.test(cell) ? ` s="${STYLE.wrapped}"` : "")
}

/** Rows as `<row>` fragments; `kinds[i]` types column i. */
export const encodeXlsxRows = (
  rows: ReadonlyArray<ReadonlyArray<string>>,
  kinds: ReadonlyArray<XlsxKind>,
): { readonly text: string; readonly truncatedCells: number } => {
  const counter: Counter = { truncated: 0 }
  let out = ""
  for (const row of rows) {
    out += "<row>"
    for (let i = 0; i < row.length; i++) out += encodeCell(row[i] ?? "", kinds[i] ?? "text", counter)
    out += "</row>"
  }
  return { text: out, truncatedCells: counter.truncated }
}

/** The header row's cells (bold), numbered: it is the first row of every sheet. */
export const headerRow = (headers: ReadonlyArray<string>, columnNames: ReadonlyArray<string>): string =>
  `<row r="1">${headers
    .map(
      (h, i) =>
        `<c r="${columnNames[i]}1" s="${STYLE.header}" t="inlineStr"><is><t>${xmlText(h)}</t></is></c>`,
    )
    .join("")}</row>`

/**
 * A cell as the workbook shows it, for previews: dates in the sheet's date formats, text cut like
 * the file.
 */
export const xlsxCellText = (cell: string, kind: XlsxKind): string => {
  if ((kind === "date" || kind === "datetime") && serialDate(cell) !== undefined)
    return kind === "date" ? cell.slice(0, 10) : `${cell.slice(0, 10)} ${cell.slice(11, 19).padEnd(8, ":00")}`
  return cell.length > EXCEL_CELL_LIMIT ? truncateCell(cell) : cell
}

// ---------------------------------------------------------------------------------------------
// Column widths

const WIDTH = { min: 6, max: 60, date: 10, datetime: 19 } as const
const CELL = /<c([^>]*?)(?:\/>|>(.*?)<\/c>)/gs
const TEXT = /<t[^>]*>(.*?)<\/t>/s
const ENTITY = /&[^;]+;/g

/** The widest line of a cell, in characters, as its fragment holds it. */
const cellWidth = (attributes: string, content: string | undefined): number => {
  if (content === undefined) return 0
  if (attributes.includes(`s="${STYLE.date}"`)) return WIDTH.date
  if (attributes.includes(`s="${STYLE.datetime}"`)) return WIDTH.datetime
  const t = TEXT.exec(content)
  const shown = t === null ? content.replace(/<\/?v>/g, "") : (t[1] ?? "")
  let widest = 0
  for (const line of shown.replace(ENTITY, "x").split("\n")) widest = Math.max(widest, line.length)
  return widest
}

/**
 * Column widths (in characters) from the header and the fragments of the first rows: the widest
 * line plus a margin for the filter button, between 6 and 60.
 */
export const columnWidths = (headers: ReadonlyArray<string>, firstRows: string): ReadonlyArray<number> => {
  const widths = headers.map((h) => h.length + 3)
  for (const row of firstRows.split("</row>")) {
    let i = 0
    for (const m of row.matchAll(CELL)) {
      widths[i] = Math.max(widths[i] ?? 0, cellWidth(m[1] ?? "", m[2]))
      i += 1
    }
  }
  return widths.map((w) => Math.min(WIDTH.max, Math.max(WIDTH.min, w + 2)))
}
