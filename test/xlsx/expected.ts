/** What a reader must find in a workbook cell, from the text the CSV export holds for it. */
import { EXCEL_CELL_LIMIT, truncateCell } from "../../src/csv/encoder.js"
import { serialDate, type XlsxKind } from "../../src/xlsx/cells.js"
import type { ReadCell } from "./reader.js"

const ILLEGAL =
  /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g

/**
 * `text` is the cell as the CSV holds it (dates as ISO text in the export's zone); `site` the base
 * URL the issue links point into.
 */
export const expectedCell = (text: string, kind: XlsxKind, site: string): ReadCell => {
  if (text === "") return { type: "empty" }
  if (
    kind === "number" &&
    /^-?\d+(\.\d+)?$/.test(text) &&
    text.replace(/[-.]/g, "").replace(/^0+/, "").replace(/0+$/, "").length <= 15
  )
    return { type: "number", value: Number(text) }
  if ((kind === "date" || kind === "datetime") && serialDate(text) !== undefined) {
    const m = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,3}))?)?/.exec(text) ?? []
    const [y, mo, d, h, mi, s] = m.slice(1, 7).map((x) => Number(x ?? 0))
    const ms = Number((m[7] ?? "0").padEnd(3, "0"))
    return { type: "date", value: new Date(Date.UTC(y ?? 0, (mo ?? 1) - 1, d, h, mi, s, ms)) }
  }
  if (kind === "boolean" && (text === "true" || text === "false"))
    return { type: "boolean", value: text === "true" }
  if (kind === "issueKey" && /^[A-Za-z][A-Za-z0-9_]*-\d+$/.test(text))
    return { type: "link", value: text, target: `${site}/browse/${text}` }
  const cut = text.length > EXCEL_CELL_LIMIT ? truncateCell(text) : text
  return { type: "text", value: cut.replace(ILLEGAL, "\uFFFD") }
}
