/**
 * The fixed parts of a workbook and those written once its sheets are known: content types,
 * relationships, the workbook, styles, and the "About this export" sheet (ECMA-376 Part 1 §18;
 * package parts: Part 2, Open Packaging Conventions).
 */
import { STYLE, serialDate } from "./cells.js"
import { columnName, XML_HEADER, xmlText } from "./xml.js"

const MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
const REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
const PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
const CT = "application/vnd.openxmlformats-officedocument.spreadsheetml"

/** A sheet of the workbook, as workbook.xml lists it. */
export interface SheetEntry {
  readonly name: string
  /** Rows including the header. */
  readonly rows: number
}

export const sheetPath = (index: number) => `xl/worksheets/sheet${index + 1}.xml`
export const sheetRelsPath = (index: number) => `xl/worksheets/_rels/sheet${index + 1}.xml.rels`

export const contentTypes = (sheets: number): string =>
  `${XML_HEADER}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">` +
  `<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>` +
  `<Default Extension="xml" ContentType="application/xml"/>` +
  `<Override PartName="/xl/workbook.xml" ContentType="${CT}.sheet.main+xml"/>` +
  `<Override PartName="/xl/styles.xml" ContentType="${CT}.styles+xml"/>` +
  Array.from(
    { length: sheets },
    (_, i) => `<Override PartName="/${sheetPath(i)}" ContentType="${CT}.worksheet+xml"/>`,
  ).join("") +
  "</Types>"

export const ROOT_RELS = `${XML_HEADER}<Relationships xmlns="${PKG_REL}"><Relationship Id="rId1" Type="${REL}/officeDocument" Target="xl/workbook.xml"/></Relationships>`

export const workbookRels = (sheets: number): string =>
  `${XML_HEADER}<Relationships xmlns="${PKG_REL}">` +
  Array.from(
    { length: sheets },
    (_, i) =>
      `<Relationship Id="rId${i + 1}" Type="${REL}/worksheet" Target="worksheets/sheet${i + 1}.xml"/>`,
  ).join("") +
  `<Relationship Id="rId${sheets + 1}" Type="${REL}/styles" Target="styles.xml"/></Relationships>`

/** A sheet name inside a reference (`'Issues (2)'!$A$1`). */
const quoted = (name: string) => `'${name.replace(/'/g, "''")}'`

/**
 * The workbook: its sheets in order, and each data sheet's filter range as Excel names it
 * (`_xlnm._FilterDatabase`, which Excel writes beside every `autoFilter`).
 */
export const workbookXml = (sheets: ReadonlyArray<SheetEntry>, filtered: number, columns: number): string => {
  const last = columnName(Math.max(columns, 1) - 1)
  const names = sheets
    .slice(0, filtered)
    .map(
      (s, i) =>
        `<definedName name="_xlnm._FilterDatabase" localSheetId="${i}" hidden="1">${xmlText(
          `${quoted(s.name)}!$A$1:$${last}$${s.rows}`,
        )}</definedName>`,
    )
    .join("")
  return (
    `${XML_HEADER}<workbook xmlns="${MAIN}" xmlns:r="${REL}"><bookViews><workbookView activeTab="0"/></bookViews><sheets>` +
    sheets
      .map((s, i) => `<sheet name="${xmlText(s.name)}" sheetId="${i + 1}" r:id="rId${i + 1}"/>`)
      .join("") +
    `</sheets>${names === "" ? "" : `<definedNames>${names}</definedNames>`}</workbook>`
  )
}

/**
 * Styles, in the order of `STYLE` (cells.ts): 0 plain, 1 date, 2 date-time, 3 wrapped text, 4 link,
 * 5 bold header. Number formats 164 and up are custom (ECMA-376 Part 1 §18.8.30).
 */
export const STYLES =
  `${XML_HEADER}<styleSheet xmlns="${MAIN}">` +
  `<numFmts count="2"><numFmt numFmtId="164" formatCode="yyyy\\-mm\\-dd"/><numFmt numFmtId="165" formatCode="yyyy\\-mm\\-dd\\ hh:mm:ss"/></numFmts>` +
  `<fonts count="3"><font><sz val="11"/><name val="Calibri"/><family val="2"/></font>` +
  `<font><b/><sz val="11"/><name val="Calibri"/><family val="2"/></font>` +
  `<font><u/><sz val="11"/><color rgb="FF0563C1"/><name val="Calibri"/><family val="2"/></font></fonts>` +
  `<fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills>` +
  `<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>` +
  `<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>` +
  `<cellXfs count="6"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>` +
  `<xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>` +
  `<xf numFmtId="165" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>` +
  `<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0" applyAlignment="1"><alignment vertical="top" wrapText="1"/></xf>` +
  `<xf numFmtId="0" fontId="2" fillId="0" borderId="0" xfId="0" applyFont="1"/>` +
  `<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/></cellXfs>` +
  `<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles></styleSheet>`

/** What the "About this export" sheet says. */
export interface AboutExport {
  readonly query: string
  readonly columns: ReadonlyArray<string>
  /** The zone the dates are in (an IANA name or UTC). */
  readonly timeZone: string
  /** When the export started (epoch ms); shown in `timeZone`. */
  readonly asOf: number
  /** Issues written (in the history mode too: an issue's changes are its rows). */
  readonly count: number
  readonly generatedBy: string
  /** What the export has to say of its data (statuses summed in one column…), one sentence each. */
  readonly notes?: ReadonlyArray<string>
}

/** `ms` as ISO wall time in `zone` (no offset), through Intl as every runtime has it. */
const wallTime = (ms: number, zone: string): string => {
  const parts = new Intl.DateTimeFormat("en-US", {
    timeZone: zone,
    hourCycle: "h23",
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
    hour: "2-digit",
    minute: "2-digit",
    second: "2-digit",
  }).formatToParts(ms)
  const get = (type: string) => parts.find((p) => p.type === type)?.value ?? "00"
  return `${get("year")}-${get("month")}-${get("day")}T${get("hour")}:${get("minute")}:${get("second")}`
}

const labelCell = (ref: string, label: string) =>
  `<c r="${ref}" s="${STYLE.header}" t="inlineStr"><is><t>${xmlText(label)}</t></is></c>`
const textCell = (ref: string, value: string) =>
  `<c r="${ref}" s="${STYLE.wrapped}" t="inlineStr"><is><t xml:space="preserve">${xmlText(value)}</t></is></c>`

export const aboutSheet = (about: AboutExport): string => {
  const asOf = serialDate(wallTime(about.asOf, about.timeZone))
  const rows: ReadonlyArray<readonly [string, (ref: string) => string]> = [
    ["Query", (ref) => textCell(ref, about.query === "" ? "(all issues you can see)" : about.query)],
    ["Columns", (ref) => textCell(ref, about.columns.join(", "))],
    ["Time zone", (ref) => textCell(ref, about.timeZone)],
    [
      "As of",
      (ref) =>
        asOf === undefined
          ? textCell(ref, String(about.asOf))
          : `<c r="${ref}" s="${STYLE.datetime}"><v>${asOf}</v></c>`,
    ],
    ["Issues", (ref) => `<c r="${ref}"><v>${about.count}</v></c>`],
    ["Generated by", (ref) => textCell(ref, about.generatedBy)],
    ...(about.notes === undefined || about.notes.length === 0
      ? []
      : [["Notes", (ref: string) => textCell(ref, (about.notes ?? []).join("\n"))] as const]),
  ]
  return (
    `${XML_HEADER}<worksheet xmlns="${MAIN}"><cols><col min="1" max="1" width="16" customWidth="1"/><col min="2" max="2" width="100" customWidth="1"/></cols><sheetData>` +
    rows
      .map(
        ([label, value], i) =>
          `<row r="${i + 1}">${labelCell(`A${i + 1}`, label)}${value(`B${i + 1}`)}</row>`,
      )
      .join("") +
    "</sheetData></worksheet>"
  )
}

/** The start of a data sheet: frozen header, column widths, and the header row. */
export const sheetStart = (selected: boolean, widths: ReadonlyArray<number>, header: string): string =>
  `${XML_HEADER}<worksheet xmlns="${MAIN}" xmlns:r="${REL}"><sheetViews><sheetView${selected ? ' tabSelected="1"' : ""} workbookViewId="0">` +
  `<pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/><selection pane="bottomLeft" activeCell="A2" sqref="A2"/></sheetView></sheetViews>` +
  `<sheetFormatPr defaultRowHeight="15"/>` +
  (widths.length === 0
    ? ""
    : `<cols>${widths.map((w, i) => `<col min="${i + 1}" max="${i + 1}" width="${w}" customWidth="1"/>`).join("")}</cols>`) +
  `<sheetData>${header}`

/** The end of a data sheet's rows and its filter; the links follow (`hyperlink`), then `SHEET_CLOSE`. */
export const sheetEnd = (rows: number, columns: number, withLinks: boolean): string =>
  `</sheetData><autoFilter ref="A1:${columnName(Math.max(columns, 1) - 1)}${rows}"/>${withLinks ? "<hyperlinks>" : ""}`

export const SHEET_CLOSE = "</worksheet>"
export const LINKS_CLOSE = `</hyperlinks>${SHEET_CLOSE}`

/** The `n`-th link of a sheet (1-based), on cell `ref`. */
export const hyperlink = (ref: string, n: number): string => `<hyperlink ref="${ref}" r:id="rId${n}"/>`

/** A sheet's relationships part: the start, one `relationship` per link, the end. */
export const RELS_START = `${XML_HEADER}<Relationships xmlns="${PKG_REL}">`
export const RELS_END = "</Relationships>"
export const relationship = (n: number, target: string): string =>
  `<Relationship Id="rId${n}" Type="${REL}/hyperlink" Target="${xmlText(target)}" TargetMode="External"/>`
