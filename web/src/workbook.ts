/**
 * The page's Excel download: the fragments the export's chunks carried, zipped by the same writer as
 * the command line's (src/xlsx/workbook.ts). Loaded on first use, so fflate and the writer stay out of
 * the page's first load.
 */
import type { ColumnInfo, WorkbookInfo } from "../../src/contract.js"

/** Who wrote the file, on the About sheet. */
const GENERATED_BY = "Liquitim Export for Jira"

export const workbookBlob = async (
  fragments: ReadonlyArray<string>,
  info: WorkbookInfo,
  columns: ReadonlyArray<ColumnInfo>,
  count: number,
): Promise<Blob> => {
  const { aboutOf, metaOf, workbookBytes, XLSX_MIME } = await import("../../src/xlsx/workbook.js")
  const bytes = workbookBytes(metaOf(info, columns), fragments, aboutOf(info, columns, count, GENERATED_BY))
  return new Blob([bytes], { type: XLSX_MIME })
}
