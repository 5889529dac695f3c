/**
 * Reads a workbook back with independent code: fflate's unzip, saxes (a strict XML parser) for
 * well-formedness, and exceljs for the cells, so the tests see what a reader sees.
 */
import ExcelJS from "exceljs"
import { unzipSync } from "fflate"
import { SaxesParser } from "saxes"

/** A cell as a reader gives it: its type and value (dates as their UTC fields = the wall time written). */
export type ReadCell =
  | { readonly type: "text"; readonly value: string }
  | { readonly type: "number"; readonly value: number }
  | { readonly type: "date"; readonly value: Date }
  | { readonly type: "boolean"; readonly value: boolean }
  | { readonly type: "link"; readonly value: string; readonly target: string }
  | { readonly type: "empty" }

export interface ReadSheet {
  readonly name: string
  readonly rows: ReadonlyArray<ReadonlyArray<ReadCell>>
  readonly frozenRows: number
  readonly autoFilter: string | undefined
  readonly headerBold: boolean
}

/** Every XML part of the ZIP parsed strictly (a parse error throws); the parts' text by path. */
export const xmlParts = (bytes: Uint8Array): ReadonlyMap<string, string> => {
  const files = unzipSync(bytes)
  const parts = new Map<string, string>()
  for (const [path, data] of Object.entries(files)) {
    const text = new TextDecoder("utf-8", { fatal: true }).decode(data)
    const parser = new SaxesParser({ xmlns: true })
    parser.on("error", (e) => {
      throw new Error(`${path}: ${e.message}`)
    })
    parser.write(text).close()
    parts.set(path, text)
  }
  return parts
}

/** Excel's own escape `_xHHHH_` in text (ECMA-376 Part 1 §22.9.2.19), which exceljs leaves as it is. */
const unescapeXstring = (text: string) =>
  text.replace(/_x([0-9A-Fa-f]{4})_/g, (_m, hex: string) => String.fromCharCode(Number.parseInt(hex, 16)))

const readCell = (cell: ExcelJS.Cell): ReadCell => {
  const v = cell.value
  if (v === null || v === undefined) return { type: "empty" }
  if (typeof v === "number") return { type: "number", value: v }
  if (typeof v === "boolean") return { type: "boolean", value: v }
  if (v instanceof Date) return { type: "date", value: v }
  if (typeof v === "string") return { type: "text", value: unescapeXstring(v) }
  if (typeof v === "object" && "hyperlink" in v && "text" in v)
    return { type: "link", value: String(v.text), target: String(v.hyperlink) }
  if (typeof v === "object" && "richText" in v)
    return { type: "text", value: unescapeXstring(v.richText.map((r) => r.text).join("")) }
  throw new Error(`unexpected cell ${JSON.stringify(v)} (a formula?)`)
}

export const readWorkbook = async (bytes: Uint8Array): Promise<ReadonlyArray<ReadSheet>> => {
  xmlParts(bytes)
  const workbook = new ExcelJS.Workbook()
  // exceljs's types want an older Buffer type than Node's.
  await workbook.xlsx.load(Buffer.from(bytes) as unknown as ExcelJS.Buffer)
  return workbook.worksheets.map((ws) => {
    const rows: Array<Array<ReadCell>> = []
    const width = ws.columnCount
    for (let r = 1; r <= ws.rowCount; r++) {
      const row = ws.getRow(r)
      rows.push(Array.from({ length: width }, (_, c) => readCell(row.getCell(c + 1))))
    }
    const view = ws.views?.[0]
    const filter = ws.autoFilter
    return {
      name: ws.name,
      rows,
      frozenRows: view?.state === "frozen" ? (view.ySplit ?? 0) : 0,
      autoFilter: typeof filter === "string" ? filter : undefined,
      headerBold: ws.getRow(1).getCell(1).font?.bold === true,
    }
  })
}
