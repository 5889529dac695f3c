/**
 * The workbook writer: row fragments (cells.ts) in, the bytes of a `.xlsx` out, streamed.
 *
 * Rows are numbered, their issue keys linked, and zipped as they are pushed, with fflate's streaming
 * `Zip`/`ZipDeflate` (docs/architecture.md "Excel workbooks" says why fflate). Memory holds the rows of
 * one push, the first rows until the column widths are known, and at most `MAX_LINKS` links per sheet.
 * The output depends only on the fragments and the meta (every ZIP entry has the same fixed time), so
 * the same rows give the same bytes: a resumed export's workbook is the uninterrupted one.
 *
 * Used by the command line (from its `.partial` file) and the page (from the chunks it received).
 */
import { Zip, ZipDeflate } from "fflate"
import { columnWidths, headerRow, type XlsxKind, xlsxKindOf } from "./cells.js"
import {
  type AboutExport,
  aboutSheet,
  contentTypes,
  hyperlink,
  LINKS_CLOSE,
  RELS_END,
  RELS_START,
  ROOT_RELS,
  relationship,
  SHEET_CLOSE,
  type SheetEntry,
  STYLES,
  sheetEnd,
  sheetPath,
  sheetRelsPath,
  sheetStart,
  workbookRels,
  workbookXml,
} from "./parts.js"
import { columnName } from "./xml.js"

/** Excel's rows per sheet, the header's included (https://support.microsoft.com/en-us/office/excel-specifications-and-limits-1672b34d-7043-467e-8e27-269d656771c3). */
export const EXCEL_MAX_ROWS = 1_048_576
/**
 * Links per sheet: Excel's limits page gives 66,530 hyperlinks per worksheet; we keep under the
 * lower 65,530 some writers hold to. Rows past it keep their key as text (the Issue URL column has
 * the address of every issue).
 */
export const MAX_LINKS = 65_530
/**
 * fflate writes no Zip64, so an entry must stay under 4 GiB, and long text in every row can get there
 * before Excel's row limit: a sheet takes rows whose fragments total at most this many UTF-16 units
 * (at most 3 bytes each in UTF-8, plus the cell references), then the next row starts a new sheet.
 * Counted per row, so where the fragments were cut does not move a sheet's end.
 */
export const MAX_SHEET_CHARS = 1_000_000_000
/** Rows read for the column widths. */
export const WIDTH_ROWS = 100
/** The data sheet of an issue export. */
export const ISSUES_SHEET = "Issues"
/**
 * The data sheet of a history export. Not "History": Excel reserves that name (its shared-workbook
 * change log) and refuses a sheet called so.
 */
export const HISTORY_SHEET = "Change history"
/** The media type of a `.xlsx` download. */
export const XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

export interface WorkbookMeta {
  /** `ISSUES_SHEET` or `HISTORY_SHEET`; later sheets add " (2)", " (3)", … */
  readonly sheetName: string
  readonly columns: ReadonlyArray<{
    readonly id: string
    readonly header: string
    readonly kind: "text" | "number" | "date" | "datetime"
  }>
  /** The site's base URL, for the issue links. */
  readonly siteUrl: string
  /** Rows per sheet, the header's included (tests use small ones). */
  readonly maxRows?: number
  /** Characters of fragments per sheet, past which the next row starts a new sheet (tests use small ones). */
  readonly maxSheetChars?: number
}

export interface WorkbookWriter {
  /** More fragments, cut anywhere (even inside a row or a character's UTF-16 pair is fine: kept until whole). */
  readonly push: (fragments: string) => void
  /** No more rows: writes the last sheet, the "About this export" sheet and the package parts. */
  readonly end: (about: AboutExport) => void
}

/** The column kinds a row format's columns give the fragments (the encoder's and the links' rule). */
export const kindsOf = (columns: WorkbookMeta["columns"]): ReadonlyArray<XlsxKind> => columns.map(xlsxKindOf)

/**
 * Every entry's modification time. fflate writes MS-DOS local time from a Date's local fields, so a
 * date built from local fields gives the same bytes in every time zone.
 */
const FIXED_TIME = new Date(1980, 0, 1, 0, 0, 0)

/** Deflate level: 1 is several times faster than 6 on sheet XML and within a few percent of its size. */
const LEVEL = 1

const ROW_END = "</row>"
/** Links written to the ZIP at a time. */
const LINK_BATCH = 2000
/** The openings the writer numbers: a row, an empty cell (dropped), a linked key, any other cell. */
const TAGS = /<row>|<c\/>|<c s="4" t="inlineStr"><is><t>([^<]*)<\/t>|<c(?=[ >])/g

export const workbookWriter = (meta: WorkbookMeta, sink: (bytes: Uint8Array) => void): WorkbookWriter => {
  const maxRows = meta.maxRows ?? EXCEL_MAX_ROWS
  const maxSheetChars = meta.maxSheetChars ?? MAX_SHEET_CHARS
  const headers = meta.columns.map((c) => c.header)
  const names = meta.columns.map((_, i) => columnName(i))
  const base = meta.siteUrl.replace(/\/+$/, "")
  const encoder = new TextEncoder()
  const zip = new Zip((error, data) => {
    if (error !== null) throw error
    sink(data)
  })
  const sheets: Array<SheetEntry> = []
  let pending = ""
  let widths: ReadonlyArray<number> | undefined
  let entry: ZipDeflate | undefined
  let row = 1
  let column = 0
  let sheetChars = 0
  // A sheet's links, kept small: the cell's row and column, and the key (up to MAX_LINKS of each).
  let linkRows: Array<number> = []
  let linkColumns: Array<number> = []
  let linkKeys: Array<string> = []

  const entryAt = (path: string): ZipDeflate => {
    const file = new ZipDeflate(path, { level: LEVEL })
    file.mtime = FIXED_TIME
    zip.add(file)
    return file
  }
  const whole = (path: string, text: string) => {
    const file = entryAt(path)
    file.push(encoder.encode(text), true)
  }
  const write = (text: string) => entry?.push(encoder.encode(text), false)

  const number = (m: string, key: string | undefined): string => {
    if (m === "<row>") {
      row += 1
      column = 0
      return `<row r="${row}">`
    }
    column += 1
    if (m === "<c/>") return ""
    const ref = `${names[column - 1] ?? columnName(column - 1)}${row}`
    if (key === undefined) return `<c r="${ref}"`
    if (linkKeys.length < MAX_LINKS) {
      linkRows.push(row)
      linkColumns.push(column - 1)
      linkKeys.push(key)
    }
    return `<c r="${ref}" s="4" t="inlineStr"><is><t>${key}</t>`
  }

  const startSheet = () => {
    const index = sheets.length
    const name = index === 0 ? meta.sheetName : `${meta.sheetName} (${index + 1})`
    sheets.push({ name, rows: 1 })
    entry = entryAt(sheetPath(index))
    row = 1
    sheetChars = 0
    linkRows = []
    linkColumns = []
    linkKeys = []
    write(sheetStart(index === 0, widths ?? [], headerRow(headers, names)))
  }

  const endSheet = () => {
    const index = sheets.length - 1
    sheets[index] = { name: sheets[index]?.name ?? meta.sheetName, rows: row }
    const links = linkKeys.length
    write(sheetEnd(row, headers.length, links > 0))
    // Written a batch at a time: the parts of 65,530 links are megabytes of text.
    const inBatches = (file: ZipDeflate, item: (i: number) => string, close: string) => {
      for (let from = 0; from < links; from += LINK_BATCH) {
        let text = ""
        for (let i = from; i < Math.min(links, from + LINK_BATCH); i++) text += item(i)
        file.push(encoder.encode(text), false)
      }
      file.push(encoder.encode(close), true)
    }
    const sheet = entry
    entry = undefined
    if (sheet === undefined) return
    if (links === 0) {
      sheet.push(encoder.encode(SHEET_CLOSE), true)
      return
    }
    const ref = (i: number) =>
      `${names[linkColumns[i] ?? 0] ?? columnName(linkColumns[i] ?? 0)}${linkRows[i]}`
    inBatches(sheet, (i) => hyperlink(ref(i), i + 1), LINKS_CLOSE)
    const rels = entryAt(sheetRelsPath(index))
    rels.push(encoder.encode(RELS_START), false)
    inBatches(rels, (i) => relationship(i + 1, `${base}/browse/${linkKeys[i]}`), RELS_END)
  }

  /** Whole rows, numbered into the current sheet, a new one begun when it is full. */
  const writeRows = (rows: string) => {
    let rest = rows
    while (rest !== "") {
      if (entry === undefined || row >= maxRows || sheetChars >= maxSheetChars) {
        if (entry !== undefined) endSheet()
        startSheet()
      }
      // The rows that still fit in this sheet (it takes its first row whatever its size).
      let room = maxRows - row
      let cut = 0
      while (room > 0 && cut < rest.length) {
        const at = rest.indexOf(ROW_END, cut)
        const end = at < 0 ? rest.length : at + ROW_END.length
        if (sheetChars + end > maxSheetChars && (cut > 0 || sheetChars > 0)) {
          sheetChars = maxSheetChars
          break
        }
        cut = end
        room -= 1
      }
      if (sheetChars < maxSheetChars) sheetChars += cut
      write(rest.slice(0, cut).replace(TAGS, number))
      rest = rest.slice(cut)
    }
  }

  const countRows = (text: string, atMost: number): number => {
    let n = 0
    for (let at = text.indexOf(ROW_END); at >= 0 && n < atMost; at = text.indexOf(ROW_END, at + 1)) n += 1
    return n
  }

  return {
    push: (fragments) => {
      pending += fragments
      if (widths === undefined) {
        if (countRows(pending, WIDTH_ROWS) < WIDTH_ROWS) return
        widths = columnWidths(headers, pending)
      }
      const end = pending.lastIndexOf(ROW_END)
      if (end < 0) return
      const cut = end + ROW_END.length
      const rows = pending.slice(0, cut)
      pending = pending.slice(cut)
      writeRows(rows)
    },
    end: (about) => {
      if (widths === undefined) widths = columnWidths(headers, pending)
      writeRows(pending)
      pending = ""
      if (entry === undefined) startSheet()
      endSheet()
      const filtered = sheets.length
      const all = [...sheets, { name: "About this export", rows: 6 }]
      whole(sheetPath(filtered), aboutSheet(about))
      whole("xl/styles.xml", STYLES)
      whole("xl/workbook.xml", workbookXml(all, filtered, headers.length))
      whole("xl/_rels/workbook.xml.rels", workbookRels(all.length))
      whole("_rels/.rels", ROOT_RELS)
      whole("[Content_Types].xml", contentTypes(all.length))
      zip.end()
    },
  }
}

/** What an export says of its workbook (the contract's `WorkbookInfo`, kept in step by a type test). */
export interface WorkbookSource {
  readonly sheetName: string
  readonly siteUrl: string
  readonly query: string
  readonly timeZone: string
  readonly asOf: number
}

export const metaOf = (source: WorkbookSource, columns: WorkbookMeta["columns"]): WorkbookMeta => ({
  sheetName: source.sheetName,
  columns,
  siteUrl: source.siteUrl,
})

/** The About sheet of an export of `count` issues, with the export's notes (engine.ts `exportNotes`). */
export const aboutOf = (
  source: WorkbookSource,
  columns: WorkbookMeta["columns"],
  count: number,
  generatedBy: string,
  notes: ReadonlyArray<string> = [],
): AboutExport => ({
  query: source.query,
  columns: columns.map((c) => c.header),
  timeZone: source.timeZone,
  asOf: source.asOf,
  count,
  generatedBy,
  ...(notes.length === 0 ? {} : { notes }),
})

/** A whole workbook in memory, from fragments: for the page's download and for tests. */
export const workbookBytes = (
  meta: WorkbookMeta,
  fragments: Iterable<string>,
  about: AboutExport,
): Uint8Array<ArrayBuffer> => {
  const chunks: Array<Uint8Array> = []
  const writer = workbookWriter(meta, (bytes) => chunks.push(bytes))
  for (const f of fragments) writer.push(f)
  writer.end(about)
  const out = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0))
  let at = 0
  for (const c of chunks) {
    out.set(c, at)
    at += c.length
  }
  return out
}
