/**
 * The cursor file of an interrupted export: the cursor, and the identity of the output it belongs to
 * (which file, how many bytes of it the cursor accounts for, a digest of all of them), so `--resume`
 * continues that file, unchanged, and no other.
 */
import { createHash, type Hash } from "node:crypto"
import * as fs from "node:fs"
import { Effect, Schema } from "effect"
import { type CursorContent, decodeCursor, encodeCursor } from "../export/cursor.js"
import { CliFailure, CliInputError } from "./errors.js"

/** Bytes before the resume point that the fingerprint covers. */
const TAIL_BYTES = 4096

export const SavedCursor = Schema.Struct({
  cursor: Schema.String,
  /** Bytes of the output that the cursor accounts for; the rest is cut on resume. */
  bytes: Schema.NonNegativeInt,
  /** The file the export ends in; null for standard output. */
  out: Schema.NullOr(Schema.String),
  /** The file being written, renamed to `out` at the end (older cursor files wrote `out` itself). */
  partial: Schema.optional(Schema.String),
  /** sha256 of the last TAIL_BYTES bytes before `bytes` (older cursor files; `digest` supersedes it). */
  tail: Schema.optional(Schema.String),
  /** sha256 of the whole written part, the first `bytes` bytes: a change anywhere in it is caught. */
  digest: Schema.optional(Schema.String),
  /** The export may replace an existing `out` (`--force`). */
  replace: Schema.optional(Schema.Boolean),
})
export type SavedCursor = typeof SavedCursor.Type

const SavedCursorJson = Schema.parseJson(SavedCursor)

/** The fingerprint of `file` just before byte `bytes`. */
export const tailOf = (file: string, bytes: number): Effect.Effect<string, CliFailure> => {
  const failed = (e: unknown) => new CliFailure({ message: `${file} could not be read back: ${String(e)}` })
  return Effect.acquireUseRelease(
    Effect.try({ try: () => fs.openSync(file, "r"), catch: failed }),
    (fd) =>
      Effect.try({
        try: () => {
          const length = Math.min(bytes, TAIL_BYTES)
          const buffer = Buffer.alloc(length)
          const read = fs.readSync(fd, buffer, 0, length, bytes - length)
          return createHash("sha256").update(buffer.subarray(0, read)).digest("base64url")
        },
        catch: failed,
      }),
    (fd) => Effect.try(() => fs.closeSync(fd)).pipe(Effect.ignore),
  )
}

export const readSaved = (file: string): Effect.Effect<SavedCursor, CliInputError> =>
  Effect.try({
    try: () => fs.readFileSync(file, "utf8"),
    catch: () => new CliInputError({ message: `The cursor file ${file} could not be read.` }),
  }).pipe(
    Effect.flatMap((text) =>
      Schema.decodeUnknown(SavedCursorJson)(text).pipe(
        Effect.mapError(
          () => new CliInputError({ message: `${file} is not a cursor file of this exporter.` }),
        ),
      ),
    ),
  )

/** A running sha256 of `file`'s first `bytes` bytes, read a megabyte at a time. */
export const digestOf = (file: string, bytes: number): Effect.Effect<Hash, CliFailure> => {
  const failed = (e: unknown) => new CliFailure({ message: `${file} could not be read back: ${String(e)}` })
  return Effect.acquireUseRelease(
    Effect.try({ try: () => fs.openSync(file, "r"), catch: failed }),
    (fd) =>
      Effect.try({
        try: () => {
          const hash = createHash("sha256")
          const buffer = Buffer.alloc(1024 * 1024)
          for (let at = 0; at < bytes; ) {
            const read = fs.readSync(fd, buffer, 0, Math.min(buffer.length, bytes - at), at)
            if (read === 0) break
            hash.update(buffer.subarray(0, read))
            at += read
          }
          return hash
        },
        catch: failed,
      }),
    (fd) => Effect.try(() => fs.closeSync(fd)).pipe(Effect.ignore),
  )
}

/** Write then rename, so a kill mid-save never leaves half a cursor file. */
export const saveCursor = (
  file: string,
  content: CursorContent,
  output: Omit<SavedCursor, "cursor" | "tail">,
): Effect.Effect<void, CliFailure> =>
  Effect.gen(function* () {
    const tail =
      output.partial === undefined || output.digest !== undefined
        ? undefined
        : yield* tailOf(output.partial, output.bytes)
    const saved: SavedCursor = {
      cursor: encodeCursor(content),
      ...output,
      ...(tail === undefined ? {} : { tail }),
    }
    yield* Effect.try({
      try: () => {
        fs.writeFileSync(`${file}.tmp`, JSON.stringify(saved))
        fs.renameSync(`${file}.tmp`, file)
      },
      catch: (e) => new CliFailure({ message: `The cursor could not be saved to ${file}: ${String(e)}` }),
    })
  })

/** The site a cursor file records, for `--resume FILE` without `--site`; undefined when unreadable. */
export const siteOfCursorFile = (file: string): string | undefined =>
  Effect.runSync(
    readSaved(file).pipe(
      Effect.flatMap((saved) => decodeCursor(saved.cursor)),
      Effect.map((content) => content.siteUrl),
      Effect.orElseSucceed(() => undefined),
    ),
  )
