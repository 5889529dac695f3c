/**
 * A workbook export keeps its rows as sheet fragments in `FILE.partial` while it runs (appended like
 * a CSV, so `--resume` cuts it back and continues exactly as for a CSV), and zips them into the
 * `.xlsx` once complete. Zipping at the end rather than as the rows come is what makes a resumed
 * workbook the same bytes as an uninterrupted one without keeping a deflate stream's state in the
 * cursor file; it reads the fragments a megabyte at a time, so memory stays flat.
 */
import * as fs from "node:fs"
import { Effect } from "effect"
import type { CursorContent } from "../export/cursor.js"
import { exportNotes } from "../export/engine.js"
import type { RowFormat } from "../export/ports.js"
import { workbookInfoOf } from "../export/xlsx.js"
import { aboutOf, metaOf, workbookWriter } from "../xlsx/workbook.js"
import { CliFailure } from "./errors.js"
import type { Build } from "./output.js"

/** Bytes read at a time: small enough that what one read makes (its text, rows, bytes) is soon garbage. */
const READ_BYTES = 1 << 18

/** Who wrote the file, on the About sheet. */
export const GENERATED_BY = "Liquitim Export for Jira (command line)"

const failed = (target: string) => (e: unknown) =>
  new CliFailure({ message: `The workbook ${target} could not be written: ${String(e)}` })

const opened = (file: string, flags: "r" | "w", target: string) =>
  Effect.acquireRelease(Effect.try({ try: () => fs.openSync(file, flags), catch: failed(target) }), (fd) =>
    Effect.try(() => fs.closeSync(fd)).pipe(Effect.ignore),
  )

/** Zips the fragments of `content`'s export, kept in `partial`, into the workbook `target`. */
export const buildWorkbook =
  (content: CursorContent, format: RowFormat): Build =>
  (partial, target) =>
    Effect.scoped(
      Effect.gen(function* () {
        const input = yield* opened(partial, "r", target)
        const output = yield* opened(target, "w", target)
        const info = workbookInfoOf(content)
        yield* Effect.try({
          try: () => {
            const writer = workbookWriter(metaOf(info, format.columns), (bytes) => {
              fs.writeSync(output, bytes)
            })
            const buffer = Buffer.alloc(READ_BYTES)
            const decoder = new TextDecoder("utf-8")
            for (let n = fs.readSync(input, buffer); n > 0; n = fs.readSync(input, buffer))
              writer.push(decoder.decode(buffer.subarray(0, n), { stream: true }))
            writer.push(decoder.decode())
            writer.end(
              aboutOf(
                info,
                format.columns,
                content.counters.done,
                GENERATED_BY,
                exportNotes(content.counters).notes,
              ),
            )
          },
          catch: failed(target),
        })
      }),
    )
