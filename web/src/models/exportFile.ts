/**
 * The end of an export run: its parts joined into the file (a CSV as it came, a workbook zipped in the
 * page) and the summary the page shows beside the Download button.
 */
import type { ExportProgress } from "../../../src/contract.js"
import { fileNameFor } from "../format.js"
import { workbookBlob } from "../workbook.js"
import type { ExportFile, ExportRequest, ExportSummary, Position } from "./exportRun.js"

/** The finished file, or why a workbook could not be made (its code did not load, or zipping failed). */
export const finishedFile = async (input: {
  readonly request: ExportRequest
  readonly parts: ReadonlyArray<Blob>
  readonly workbook: Position["workbook"]
  readonly done: number
  /** The export's notes, for the workbook's About sheet. */
  readonly notes: ReadonlyArray<string>
  readonly end: number
}): Promise<ExportFile | Error> => {
  const { request, workbook } = input
  const blob =
    workbook === undefined
      ? new Blob(input.parts as Array<Blob>, { type: "text/csv;charset=utf-8" })
      : await workbookBlob(input.parts, workbook.info, workbook.columns, input.done, input.notes).catch(
          (cause: unknown) => new Error(cause instanceof Error ? cause.message : String(cause)),
        )
  if (blob instanceof Error) return blob
  return {
    name: fileNameFor(
      request.jql,
      new Date(input.end),
      request.timeZone,
      request.options.history !== undefined,
      workbook === undefined ? "csv" : "xlsx",
    ),
    blob,
    size: blob.size,
  }
}

export const summaryOf = (
  progress: ExportProgress,
  durationMs: number,
  sequentialReason: string | undefined,
): ExportSummary => ({
  issues: progress.done,
  durationMs,
  missing: progress.missing,
  truncatedCells: progress.truncatedCells,
  relocations: progress.relocations ?? 0,
  notes: progress.notes ?? [],
  ...(sequentialReason === undefined ? {} : { sequentialReason }),
})
