/**
 * The page's Excel download: the fragments the export's parts hold, zipped by the same writer as the
 * command line's (src/xlsx/workbook.ts). Parts are read one at a time: the page holds the compressed
 * workbook and one part's text, not every part as text.
 */
import type { ColumnInfo, WorkbookInfo } from "../../src/contract.js"

/**
 * The writer's file (xlsx.ts, built on its own beside `main.js`), loaded on the first Excel download:
 * a module URL, not a source import, so fflate and the writer stay out of the page's first load.
 */
const XLSX_MODULE = "./xlsx.js"

/** Who wrote the file, on the About sheet. */
const GENERATED_BY = "Liquitim Export for Jira"

export const workbookBlob = async (
  parts: ReadonlyArray<Blob>,
  info: WorkbookInfo,
  columns: ReadonlyArray<ColumnInfo>,
  count: number,
  notes: ReadonlyArray<string> = [],
): Promise<Blob> => {
  const { aboutOf, metaOf, workbookWriter, XLSX_MIME } = await import(XLSX_MODULE).then(
    (module: typeof import("./xlsx.js")) => module,
  )
  const out: Array<Uint8Array<ArrayBuffer>> = []
  const writer = workbookWriter(metaOf(info, columns), (bytes) => out.push(bytes.slice()))
  for (const part of parts) writer.push(await part.text())
  writer.end(aboutOf(info, columns, count, GENERATED_BY, notes))
  return new Blob(out, { type: XLSX_MIME })
}
