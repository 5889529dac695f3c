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

/** A running sha256 of `file`'s bytes from `from` to `to`, read a megabyte at a time. */
const hashOf = (file: string, from: number, to: number): Effect.Effect<Hash, CliFailure> => {
  const failed = (e: unknown) => new CliFailure({ message: `${file} could not be read back: ${String(e)}` })
  return Effect.acquireUseRelease(
    Effect.try({ try: () => fs.openSync(file, "r"), catch: failed }),
    (fd) =>
      Effect.try({
        try: () => {
          const hash = createHash("sha256")
          const buffer = Buffer.alloc(Math.min(1024 * 1024, Math.max(1, to - from)))
          for (let at = from; at < to; ) {
            const read = fs.readSync(fd, buffer, 0, Math.min(buffer.length, to - at), at)
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

/** The fingerprint older cursor files kept (`tail`): the sha256 of the TAIL_BYTES before byte `bytes`. */
export const tailOf = (file: string, bytes: number): Effect.Effect<string, CliFailure> =>
  hashOf(file, Math.max(0, bytes - TAIL_BYTES), bytes).pipe(Effect.map((hash) => hash.digest("base64url")))

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

/** A running sha256 of `file`'s first `bytes` bytes (the digest a cursor file keeps). */
export const digestOf = (file: string, bytes: number): Effect.Effect<Hash, CliFailure> =>
  hashOf(file, 0, bytes)

/** Write then rename, so a kill mid-save never leaves half a cursor file. */
export const saveCursor = (
  file: string,
  content: CursorContent,
  output: Omit<SavedCursor, "cursor" | "tail">,
): Effect.Effect<void, CliFailure> =>
  Effect.gen(function* () {
    // Every file output keeps its digest as it writes; `tail` is only read, from older cursor files.
    const saved: SavedCursor = { cursor: encodeCursor(content), ...output }
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
