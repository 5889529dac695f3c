/**
 * A small RFC 4180 CSV encoder (https://www.rfc-editor.org/rfc/rfc4180), with the spreadsheet
 * safeguards a Jira export needs: OWASP formula guard, Excel's cell length limit, and no SYLK header.
 *
 * It keeps no state between calls: every row ends with the line ending, so encoding rows in chunks
 * gives exactly the text of encoding them at once.
 */

/** How the encoder writes cells and rows (RFC 4180, https://www.rfc-editor.org/rfc/rfc4180). */
export interface CsvOptions {
  readonly delimiter: "," | ";" | "\t" | "|"
  readonly lineEnding: "\r\n" | "\n"
  /** A UTF-8 byte order mark, so Excel reads the file as UTF-8 rather than the ANSI code page. */
  readonly bom: boolean
  /** OWASP CSV injection rule: https://owasp.org/www-community/attacks/CSV_Injection */
  readonly formulaGuard: boolean
  /** Cut cells at Excel's 32,767-character cell limit, with a visible marker. */
  readonly truncateLongCells: boolean
}

/**
 * What the encoder needs to know of a column: a `number` cell holding a plain decimal is written as
 * it is (never guarded, so "-3" stays a number); everything else is text.
 */
export type CellKind = "number" | "text"

export interface EncodedChunk {
  readonly text: string
  /** Cells cut at {@link EXCEL_CELL_LIMIT} in this chunk. */
  readonly truncatedCells: number
}

/** Excel's maximum characters per cell: https://support.microsoft.com/en-us/office/excel-specifications-and-limits-1672b34d-7043-467e-8e27-269d656771c3 */
export const EXCEL_CELL_LIMIT = 32_767
/** Appended to a cut cell so a reader sees that text is missing. */
export const TRUNCATION_MARKER = "…[truncated]"
export const BOM = "\uFEFF"

/**
 * First characters a spreadsheet may read as the start of a formula (OWASP CSV injection:
 * https://owasp.org/www-community/attacks/CSV_Injection): = + - @, tab, CR, and the full-width and
 * small forms that some spreadsheet locales normalise to them.
 */
export const FORMULA_TRIGGERS: ReadonlySet<string> = new Set([
  "=",
  "+",
  "-",
  "@",
  "\t",
  "\r",
  "\uFF1D", // ＝
  "\uFF0B", // ＋
  "\uFF0D", // －
  "\uFF20", // ＠
  "\uFE66", // ﹦
  "\uFE62", // ﹢
  "\uFE63", // ﹣
  "\uFE6B", // ﹫
])

const triggerCodes: ReadonlySet<number> = new Set([...FORMULA_TRIGGERS].map((c) => c.charCodeAt(0)))

const LEADING_SPACE = /^\s/

/**
 * Whether a guarded cell needs its leading `'`: it starts with a trigger, or does after leading
 * white space (some readers trim cells before they look for a formula).
 */
const needsGuard = (cell: string): boolean =>
  triggerCodes.has(cell.charCodeAt(0)) ||
  (LEADING_SPACE.test(cell) && triggerCodes.has(cell.trimStart().charCodeAt(0)))

/**
 * A plain decimal as the formatters write numbers. A number-kind cell that is not one (a leading
 * `+`, an expression, text from a fallback) is guarded like text: "never guarded" holds for numbers only.
 */
const PLAIN_NUMBER = /^-?\d+(?:\.\d+)?$/

const quoteTests: Readonly<Record<CsvOptions["delimiter"], RegExp>> = {
  ",": /[",\r\n]|^[ \t]|[ \t]$/,
  ";": /[";\r\n]|^[ \t]|[ \t]$/,
  "\t": /["\t\r\n]|^ | $/,
  "|": /["|\r\n]|^[ \t]|[ \t]$/,
}

const QUOTES = /"/g

/** Cuts a cell to the limit with the marker, never splitting a surrogate pair. */
export const truncateCell = (cell: string): string => {
  let end = EXCEL_CELL_LIMIT - TRUNCATION_MARKER.length
  const last = cell.charCodeAt(end - 1)
  if (last >= 0xd800 && last <= 0xdbff) end -= 1
  return cell.slice(0, end) + TRUNCATION_MARKER
}

interface CellCounter {
  truncated: number
}

/** Guard and cut one cell as the options say (no quoting yet). */
const prepareCell = (cell: string, guard: boolean, options: CsvOptions, counter: CellCounter): string => {
  if (cell.length === 0) return cell
  if (guard && needsGuard(cell)) cell = `'${cell}`
  if (options.truncateLongCells && cell.length > EXCEL_CELL_LIMIT) {
    cell = truncateCell(cell)
    counter.truncated += 1
  }
  return cell
}

/** Numbers are never guarded (a "-3" must stay a number), but only when they really are numbers. */
const guardsCell = (cell: string, kind: CellKind | null | undefined, options: CsvOptions): boolean =>
  options.formulaGuard && !(kind === "number" && PLAIN_NUMBER.test(cell))

const encodeCell = (
  cell: string,
  guard: boolean,
  options: CsvOptions,
  quoteTest: RegExp,
  counter: CellCounter,
): string => {
  cell = prepareCell(cell, guard, options, counter)
  return quoteTest.test(cell) ? `"${cell.replace(QUOTES, '""')}"` : cell
}

/**
 * The text a cell holds once a spreadsheet has parsed the file: formula-guarded and cut exactly as
 * {@link encodeRows} writes it, without the CSV quoting. The preview shows this, so what the user sees
 * is what the file holds.
 */
export const cellText = (cell: string, kind: CellKind, options: CsvOptions): string =>
  prepareCell(cell, guardsCell(cell, kind, options), options, { truncated: 0 })

const encodeLine = (
  cells: ReadonlyArray<string>,
  kinds: ReadonlyArray<CellKind> | null,
  options: CsvOptions,
  counter: CellCounter,
  sylkSafe = false,
): string => {
  const quoteTest = quoteTests[options.delimiter]
  // A row of one empty cell would be an empty line, which readers skip or read as zero cells.
  if (cells.length === 1 && cells[0] === "") return `""${options.lineEnding}`
  let line = ""
  for (let i = 0; i < cells.length; i++) {
    const cell = cells[i] ?? ""
    const guard = guardsCell(cell, kinds?.[i], options)
    const encoded = encodeCell(cell, guard, options, quoteTest, counter)
    if (i === 0) line = sylkSafe && encoded.startsWith("ID") ? `"${encoded}"` : encoded
    else line += options.delimiter + encoded
  }
  return line + options.lineEnding
}

/**
 * The start of the file: the BOM (when asked) and the header line. Headers are text, guarded like any
 * text cell. A first header starting with `ID` is quoted, because Excel opens a file beginning with
 * the bytes `ID` as SYLK and fails (https://support.microsoft.com/en-us/office/sylk-file-error).
 */
export const encodeHeader = (headers: ReadonlyArray<string>, options: CsvOptions): string => {
  const counter: CellCounter = { truncated: 0 }
  return (options.bom ? BOM : "") + encodeLine(headers, null, options, counter, true)
}

/**
 * Encodes rows; every row ends with the line ending. `kinds[i] === "number"` cells holding a plain
 * decimal are never formula-guarded.
 */
export const encodeRows = (
  rows: ReadonlyArray<ReadonlyArray<string>>,
  kinds: ReadonlyArray<CellKind>,
  options: CsvOptions,
): EncodedChunk => {
  const counter: CellCounter = { truncated: 0 }
  let text = ""
  for (const row of rows) text += encodeLine(row, kinds, options, counter)
  return { text, truncatedCells: counter.truncated }
}
