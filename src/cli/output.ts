/**
 * Where the CSV goes. A file is written as `FILE.partial` and renamed to FILE only when the export is
 * complete, so FILE is never a half export and an existing FILE is never lost to a failed run; it is
 * not replaced at all without `--force`. `--resume` continues the cursor's own file only: the path it
 * recorded, at least as long as the bytes it accounts for, ending in the bytes it wrote.
 */
import { createHash, type Hash } from "node:crypto"
import * as fs from "node:fs"
import * as path from "node:path"
import { Effect } from "effect"
import { digestOf, type SavedCursor, tailOf } from "./cursorFile.js"
import { CliFailure, CliInputError, OutputClosed } from "./errors.js"

/** Makes the final file `target` from the partial file. */
export type Build = (partial: string, target: string) => Effect.Effect<void, CliFailure>

export interface Output {
  /** Appends `text` at the end of what this output holds. */
  readonly write: (text: string) => Effect.Effect<void, CliFailure | OutputClosed>
  /**
   * The export is complete: close, and give the file its final name; with `build`, the final file is
   * made from the partial one (a workbook zipped from its rows), which is then removed.
   */
  readonly finish: (build?: Build) => Effect.Effect<void, CliFailure>
  /** The export stopped: close and keep the partial file for `--resume`. */
  readonly close: Effect.Effect<void>
  /** What a cursor file records to find this output again. */
  readonly identity: Omit<SavedCursor, "cursor" | "bytes" | "tail" | "digest">
  /** The sha256 of everything this file holds so far (none for standard output). */
  readonly digest?: Effect.Effect<string>
}

/** Standard output, with its back-pressure; a reader that went away (EPIPE) is `OutputClosed`. */
export const standardOutput: Output = {
  write: (text) =>
    Effect.async<void, CliFailure | OutputClosed>((resume) => {
      // The callback comes once the chunk is handed on, so this also waits out a full pipe.
      process.stdout.write(text, (error) => {
        if (error === null || error === undefined) return resume(Effect.void)
        const code = Reflect.get(error, "code")
        resume(
          code === "EPIPE" || code === "ERR_STREAM_DESTROYED"
            ? Effect.fail(new OutputClosed())
            : Effect.fail(new CliFailure({ message: `Writing to standard output failed: ${error.message}` })),
        )
      })
    }),
  finish: () => Effect.void,
  close: Effect.void,
  identity: { out: null },
}

const exists = (file: string) => Effect.sync(() => fs.existsSync(file))

const fileOutput = (
  out: string,
  partial: string,
  fd: number,
  start: number,
  replace: boolean,
  // Of the file's first `start` bytes; kept up to date as text is written (one pass, not one per save).
  hash: Hash = createHash("sha256"),
): Output => {
  let position = start
  let isOpen = true
  // Closing twice could close a descriptor the number was given to since.
  const close = Effect.try(() => {
    if (isOpen) fs.closeSync(fd)
    isOpen = false
  }).pipe(Effect.ignore)
  return {
    write: (text) =>
      Effect.try({
        try: () => {
          const buffer = Buffer.from(text, "utf8")
          fs.writeSync(fd, buffer, 0, buffer.length, position)
          hash.update(buffer)
          position += buffer.length
        },
        catch: (e) => new CliFailure({ message: `Writing ${partial} failed: ${String(e)}` }),
      }),
    finish: (build) =>
      Effect.gen(function* () {
        yield* close
        if (partial === out) return
        if (!replace && (yield* exists(out)))
          return yield* new CliFailure({
            message: `${out} appeared while the export ran and was left as it is; the complete export is in ${partial}.`,
          })
        if (build === undefined) {
          yield* Effect.try({
            try: () => fs.renameSync(partial, out),
            catch: (e) =>
              new CliFailure({ message: `${partial} could not be renamed to ${out}: ${String(e)}` }),
          })
          return
        }
        // Built beside the final name and renamed, so FILE is never half a file.
        const building = `${out}.building`
        yield* build(partial, building)
        yield* Effect.try({
          try: () => {
            fs.renameSync(building, out)
            fs.rmSync(partial)
          },
          catch: (e) =>
            new CliFailure({ message: `${building} could not be renamed to ${out}: ${String(e)}` }),
        })
      }),
    close,
    identity: { out, partial, replace },
    digest: Effect.sync(() => hash.copy().digest("base64url")),
  }
}

const open = (file: string, flags: "w" | "r+") =>
  Effect.try({
    try: () => fs.openSync(file, flags),
    catch: (e) => new CliFailure({ message: `${file} could not be opened for writing: ${String(e)}` }),
  })

/** A new export into `out`; refused when `out` exists, unless `force`. */
export const newFileOutput = (
  out: string,
  force: boolean,
): Effect.Effect<Output, CliFailure | CliInputError> =>
  Effect.gen(function* () {
    if (!force && (yield* exists(out)))
      return yield* new CliInputError({
        message: `${out} already exists; add --force to replace it, or choose another --out.`,
      })
    const partial = `${out}.partial`
    return fileOutput(out, partial, yield* open(partial, "w"), 0, force)
  })

const sizeOf = (file: string) =>
  Effect.try({
    try: () => fs.statSync(file).size,
    catch: () => undefined,
  }).pipe(Effect.orElseSucceed(() => undefined))

/**
 * The output a saved cursor continues, cut back to the bytes it accounts for. `out` is the `--out`
 * given with `--resume`, if any: it may only name the same file.
 */
export const resumedOutput = (
  saved: SavedCursor,
  out: string | undefined,
  force: boolean,
): Effect.Effect<Output, CliFailure | CliInputError> =>
  Effect.gen(function* () {
    const refuse = (message: string) => Effect.fail(new CliInputError({ message }))
    if (saved.out === null) {
      if (out !== undefined)
        return yield* refuse(
          "This export was written to standard output; resume it without --out and append what it writes to the first part.",
        )
      return standardOutput
    }
    if (out !== undefined && out !== saved.out)
      return yield* refuse(
        `This cursor continues ${saved.out}; --out ${out} cannot take it over (leave --out out, or start a new export).`,
      )
    const partial = saved.partial ?? saved.out
    const size = yield* sizeOf(partial)
    if (size === undefined)
      return yield* refuse(`${partial}, which this cursor continues, is missing; start the export again.`)
    if (size < saved.bytes)
      return yield* refuse(
        `${partial} holds ${size} bytes but this cursor accounts for ${saved.bytes}: it is not this export's file; start the export again.`,
      )
    const changed = () => refuse(`${partial} was changed since the export stopped; start the export again.`)
    if (
      saved.digest === undefined &&
      saved.tail !== undefined &&
      (yield* tailOf(partial, saved.bytes)) !== saved.tail
    )
      return yield* changed()
    const hash = yield* digestOf(partial, saved.bytes)
    if (saved.digest !== undefined && hash.copy().digest("base64url") !== saved.digest)
      return yield* changed()
    const fd = yield* open(partial, "r+")
    yield* Effect.try({
      try: () => fs.ftruncateSync(fd, saved.bytes),
      catch: (e) =>
        new CliFailure({ message: `${partial} could not be cut back for resuming: ${String(e)}` }),
    })
    return fileOutput(saved.out, partial, fd, saved.bytes, force || (saved.replace ?? true), hash)
  })

/** A path as the user would type it: relative to where they ran the command when it is below it. */
export const asTyped = (file: string): string => {
  const base = process.env.INIT_CWD || process.cwd()
  const relative = path.relative(base, file)
  return relative !== "" && !relative.startsWith("..") && !path.isAbsolute(relative) ? relative : file
}
