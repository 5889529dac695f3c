/**
 * The command-line exporter: the same export engine as the Forge app, over HTTP with an API token
 * (`npm run export -- --help`). API-token traffic is exempt from Jira's points quota, so `auto` goes
 * fast. The CSV streams to the file (or standard output) as it is made; memory stays flat however
 * many issues there are.
 *
 * Resumption: the cursor file holds the cursor and the number of bytes of the output that belong to
 * it. `--resume` cuts the output back to that length and continues, so a file is exact even after a
 * hard kill between two saves.
 */
import * as fs from "node:fs"
import { Cause, Clock, Deferred, Effect, Either, Exit, Option, Ref, Schema, Stream } from "effect"
import { exportStream } from "../export/chunk.js"
import { BadCursor, type CursorContent, decodeCursor, encodeCursor } from "../export/cursor.js"
import { defaultSettings } from "../export/pipeline.js"
import type { RowFormat } from "../export/ports.js"
import { PlanError, planOf, startExport } from "../export/start.js"
import { liveExportJira, livePlanner } from "../export/wiring.js"
import { DEFAULT_COLUMNS } from "../fields/columns.js"
import { JiraClient } from "../jira/JiraClient.js"
import { JiraError } from "../jira/JiraError.js"
import { JiraLive } from "../jira/JiraLive.js"
import { RateLimitState } from "../jira/RateLimitState.js"
import { type CliArgs, parseCli, USAGE } from "./args.js"
import { type Progress, renderProgress } from "./progress.js"
import { afterQuotaReset, quotaProgress, recoverySentence, runWaitingForQuota } from "./quotaWait.js"

/** How often the cursor file is rewritten while an export runs into a file. */
const SAVE_EVERY_MS = 2_000
/** How often the progress bar is redrawn. */
const DRAW_EVERY_MS = 200

const SavedCursor = Schema.parseJson(
  Schema.Struct({ cursor: Schema.String, bytes: Schema.NonNegativeInt, out: Schema.NullOr(Schema.String) }),
)

/** Bad input: exit code 2 with this sentence. */
class CliInputError extends Schema.TaggedError<CliInputError>()("CliInputError", {
  message: Schema.String,
}) {}
/** A failure after which the cursor could not be or need not be saved. */
class CliFailure extends Schema.TaggedError<CliFailure>()("CliFailure", { message: Schema.String }) {}

const cursorFileOf = (args: CliArgs) =>
  args.cursorFile ?? args.resume ?? (args.out === undefined ? "liquitim-export.cursor" : `${args.out}.cursor`)

const readSaved = (file: string) =>
  Effect.try({
    try: () => fs.readFileSync(file, "utf8"),
    catch: () => new CliInputError({ message: `The cursor file ${file} could not be read.` }),
  }).pipe(
    Effect.flatMap((text) =>
      Schema.decodeUnknown(SavedCursor)(text).pipe(
        Effect.mapError(
          () => new CliInputError({ message: `${file} is not a cursor file of this exporter.` }),
        ),
      ),
    ),
  )

interface Output {
  readonly write: (text: string) => Effect.Effect<void, CliFailure>
  readonly close: Effect.Effect<void>
}

const openOutput = (out: string | null, resumeAt: number | undefined): Effect.Effect<Output, CliFailure> =>
  Effect.try({
    try: (): Output => {
      if (out === null) {
        const write = (text: string) =>
          Effect.async<void, CliFailure>((resume) => {
            // Standard output applies back-pressure: wait for it to drain before the next chunk.
            if (process.stdout.write(text)) resume(Effect.void)
            else process.stdout.once("drain", () => resume(Effect.void))
          })
        return { write, close: Effect.void }
      }
      const fd = fs.openSync(out, resumeAt === undefined ? "w" : "r+")
      if (resumeAt !== undefined) fs.ftruncateSync(fd, resumeAt)
      let position = resumeAt ?? 0
      return {
        write: (text) =>
          Effect.try({
            try: () => {
              const buffer = Buffer.from(text, "utf8")
              fs.writeSync(fd, buffer, 0, buffer.length, position)
              position += buffer.length
            },
            catch: (e) => new CliFailure({ message: `Writing ${out} failed: ${String(e)}` }),
          }),
        close: Effect.sync(() => fs.closeSync(fd)),
      }
    },
    catch: (e) => new CliFailure({ message: `${out} could not be opened for writing: ${String(e)}` }),
  })

const saveCursor = (file: string, content: CursorContent, bytes: number, out: string | null) =>
  Effect.try({
    try: () => {
      // Write then rename, so a kill mid-save never leaves half a cursor file.
      fs.writeFileSync(`${file}.tmp`, JSON.stringify({ cursor: encodeCursor(content), bytes, out }))
      fs.renameSync(`${file}.tmp`, file)
    },
    catch: (e) => new CliFailure({ message: `The cursor could not be saved to ${file}: ${String(e)}` }),
  })

const program = (args: CliArgs, stop: Deferred.Deferred<void>) =>
  Effect.gen(function* () {
    const jira = yield* liveExportJira
    const cursorFile = cursorFileOf(args)
    let content: CursorContent
    let format: RowFormat
    let output: Output
    let bytes: number
    let out: string | null
    if (args.resume !== undefined) {
      const saved = yield* readSaved(args.resume)
      content = yield* decodeCursor(saved.cursor)
      format = (yield* livePlanner(planOf(content))).format
      out = args.out ?? saved.out
      if (out === null && saved.bytes > 0)
        yield* Effect.logDebug("resuming to standard output: append this output to the first part yourself")
      output = yield* openOutput(out, out === null ? undefined : saved.bytes)
      bytes = saved.bytes
    } else {
      const me = yield* JiraClient.myself()
      const started = yield* startExport({
        jira,
        planner: livePlanner,
        payload: {
          jql: args.jql ?? "",
          columns: args.columns ?? DEFAULT_COLUMNS,
          options: {
            ...(args.preset === undefined ? {} : { preset: args.preset }),
            ...(args.delimiter === undefined ? {} : { delimiter: args.delimiter }),
            ...(args.strategy === undefined ? {} : { strategy: args.strategy }),
          },
        },
        timeZone: me.timeZone ?? "UTC",
        siteUrl: args.site.replace(/\/+$/, ""),
        apiToken: true,
      })
      content = started.content
      format = started.format
      out = args.out ?? null
      output = yield* openOutput(out, undefined)
      yield* output.write(started.header)
      bytes = Buffer.byteLength(started.header, "utf8")
    }

    const showProgress = !args.quiet && process.stderr.isTTY === true
    const startedAt = yield* Clock.currentTimeMillis
    // `last` is the resume point (the cursor after the last unit written); `counters` count every unit.
    const state = yield* Ref.make({
      last: content,
      counters: content.counters,
      bytes,
      lastSave: startedAt,
      lastDraw: 0,
      quotaUntil: null as number | null,
    })
    const firstDone = content.counters.done
    const draw = (force: boolean) =>
      Effect.gen(function* () {
        if (!showProgress) return
        const now = yield* Clock.currentTimeMillis
        const s = yield* Ref.get(state)
        if (!force && now - s.lastDraw < DRAW_EVERY_MS) return
        const quota = yield* RateLimitState.get
        const waitingUntil = Math.max(quota.pausedUntil ?? 0, quota.blockedUntil ?? 0)
        const progress: Progress = {
          done: s.counters.done,
          total: s.counters.total,
          elapsedMs: now - startedAt,
          doneThisRun: s.counters.done - firstDone,
          waitingMs: waitingUntil > now ? waitingUntil - now : 0,
          missing: s.counters.missingCount,
          ...quotaProgress(s.quotaUntil, s.counters),
        }
        process.stderr.write(`\r${renderProgress(progress, process.stderr.columns ?? 80)}`)
        yield* Ref.update(state, (x) => ({ ...x, lastDraw: now }))
      })

    // Each run starts from the latest cursor: after a quota wait it continues where the last one stopped.
    const latest = Ref.get(state).pipe(Effect.map((s) => s.last))
    const run = Stream.unwrap(
      latest.pipe(
        Effect.map((last) => exportStream({ jira, format, content: last, settings: defaultSettings })),
      ),
    ).pipe(
      Stream.interruptWhen(Deferred.await(stop)),
      Stream.runForEach(({ text, next, counters }) =>
        Effect.gen(function* () {
          yield* output.write(text)
          const now = yield* Clock.currentTimeMillis
          const s = yield* Ref.updateAndGet(state, (x) => ({
            ...x,
            bytes: x.bytes + Buffer.byteLength(text, "utf8"),
            counters,
            ...(next === null ? {} : { last: next }),
          }))
          if (out !== null && next !== null && now - s.lastSave >= SAVE_EVERY_MS) {
            yield* saveCursor(cursorFile, next, s.bytes, out)
            yield* Ref.update(state, (x) => ({ ...x, lastSave: now }))
          }
          yield* draw(false)
        }),
      ),
    )
    const exit = yield* Effect.exit(
      runWaitingForQuota({
        run,
        position: latest,
        wait: args.noWait !== true,
        stop,
        announce: !showProgress && !args.quiet,
        waiting: (until) =>
          Ref.update(state, (x) => ({ ...x, quotaUntil: until })).pipe(Effect.zipRight(draw(true))),
      }),
    )
    yield* draw(true)
    if (showProgress) process.stderr.write("\n")
    yield* output.close
    const s = yield* Ref.get(state)
    if (yield* Deferred.isDone(stop)) {
      yield* saveCursor(cursorFile, s.last, s.bytes, out)
      return yield* new CliFailure({
        message: `Interrupted after ${s.last.counters.done} issues; continue with --resume ${cursorFile}`,
      })
    }
    if (Exit.isFailure(exit)) {
      yield* saveCursor(cursorFile, s.last, s.bytes, out)
      const reason = Cause.failureOption(exit.cause).pipe(
        Option.map((e) => e.message),
        Option.getOrElse(() => "the export was interrupted"),
      )
      return yield* new CliFailure({
        message: `${reason} The export stopped after ${s.last.counters.done} issues; continue it with --resume ${cursorFile}`,
      })
    }
    if (fs.existsSync(cursorFile)) fs.rmSync(cursorFile)
    const endedAt = yield* Clock.currentTimeMillis
    const done = s.counters.done
    const issues = done - firstDone
    if (s.counters.missingCount > 0)
      process.stderr.write(
        `${s.counters.missingCount} issues matched but could no longer be read (deleted or moved): ${s.counters.missing.slice(0, 20).join(", ")}\n`,
      )
    const recovered = recoverySentence(s.counters)
    if (recovered !== undefined) process.stderr.write(`${recovered}\n`)
    if (args.stats) {
      const ms = endedAt - startedAt
      process.stderr.write(
        `${JSON.stringify({
          issues,
          ms,
          issuesPerSecond: ms > 0 ? Math.round((issues * 1000) / ms) : null,
          missing: s.counters.missingCount,
          truncatedCells: s.counters.truncatedCells,
          pageTokenRecoveries: s.counters.relocations ?? 0,
          maxRssKb: process.resourceUsage().maxRSS,
        })}\n`,
      )
    }
  })

/** 0 done, 2 bad input (one sentence), 1 failure (cursor saved where there was one). */
const exitCodeOf = (error: unknown): 1 | 2 => {
  if (error instanceof CliInputError || error instanceof BadCursor || error instanceof PlanError) return 2
  if (error instanceof JiraError && (error.reason === "InvalidJql" || error.reason === "Unauthorized"))
    return 2
  return 1
}

const main = () => {
  const parsed = parseCli(process.argv.slice(2), process.env)
  if (Either.isLeft(parsed)) {
    process.stderr.write(`${parsed.left}\n\n${USAGE}\n`)
    process.exitCode = 2
    return
  }
  if (parsed.right._tag === "Help") {
    process.stdout.write(`${USAGE}\n`)
    return
  }
  const args = parsed.right.args
  const layer = JiraLive.http({ baseUrl: args.site, email: args.email, apiToken: args.token })
  const stop = Effect.runSync(Deferred.make<void>())
  // A quota spent before anything is written (the credential check, the count, the fields) is waited out too.
  const starting = { wait: args.noWait !== true, quiet: args.quiet, stop }
  const fiber = Effect.runFork(afterQuotaReset(program(args, stop).pipe(Effect.provide(layer)), starting))
  // Ctrl-C (or a termination signal) stops the stream; the program saves the cursor and says how to resume.
  for (const signal of ["SIGINT", "SIGTERM"] as const)
    process.once(signal, () => Effect.runFork(Deferred.succeed(stop, undefined)))
  fiber.addObserver((exit) => {
    if (Exit.isSuccess(exit)) return
    const failure = Cause.failureOption(exit.cause)
    if (Option.isSome(failure)) {
      process.stderr.write(`${failure.value.message}\n`)
      process.exitCode = exitCodeOf(failure.value)
    } else {
      process.stderr.write(
        Cause.isInterruptedOnly(exit.cause)
          ? "Interrupted.\n"
          : `Unexpected failure: ${Cause.pretty(exit.cause)}\n`,
      )
      process.exitCode = 1
    }
  })
}

main()
