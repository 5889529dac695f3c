/**
 * The command-line exporter: the same export engine as the Forge app, over HTTP with an API token
 * (`npm run export -- --help`). API-token traffic is exempt from Jira's points quota, so `auto` goes
 * fast. The CSV streams to the file (or standard output) as it is made; memory stays flat however
 * many issues there are.
 *
 * Resumption: the cursor file holds the cursor and the identity of the output it belongs to (see
 * cursorFile.ts, output.ts). `--resume` checks that it continues the same site and the same file,
 * cuts the file back to the bytes the cursor accounts for and continues, so a file is exact even
 * after a hard kill between two saves.
 */
import * as fs from "node:fs"
import { Cause, Clock, Deferred, Effect, Either, Exit, Fiber, Option, Ref, Stream } from "effect"
import { DEFAULT_COLUMNS, sameSite } from "../contract/constants.js"
import type { ExportOptionsInput } from "../contract.js"
import { type CursorContent, decodeCursor } from "../export/cursor.js"
import { ExportJira } from "../export/ExportJira.js"
import { exportNotes, exportStream, planOf, startExport } from "../export/engine.js"
import { BadCursor, PlanError } from "../export/errors.js"
import { livePlanner, timeZoneFor } from "../export/planner.js"
import type { RowFormat } from "../export/ports.js"
import { directSettings } from "../export/types.js"
import { JiraError } from "../jira/JiraError.js"
import { RateLimitState } from "../jira/RateLimitState.js"
import { type CliArgs, historyOptionOf, parseCli, USAGE } from "./args.js"
import { readSaved, type SavedCursor, saveCursor, siteOfCursorFile } from "./cursorFile.js"
import { CliFailure, CliInputError, OutputClosed } from "./errors.js"
import { httpJira } from "./jiraLayer.js"
import { listColumns } from "./listColumns.js"
import { asTyped, newFileOutput, type Output, resumedOutput, standardOutput } from "./output.js"
import {
  issueCount,
  issuesAfter,
  missingReport,
  type Progress,
  renderProgress,
  sequentialNotice,
  successLine,
} from "./progress.js"
import {
  afterQuotaReset,
  quotaProgress,
  quotaStopSentence,
  recoverySentence,
  runWaitingForQuota,
} from "./quotaWait.js"
import { makeWaiting, nowWaitingFor, type Waiting, waitingOnPurpose, watchWaiting } from "./waiting.js"
import { buildWorkbook } from "./workbookFile.js"

/** How often the cursor file is rewritten while an export runs into a file. */
const SAVE_EVERY_MS = 2_000
/** How often the progress bar is redrawn. */
const DRAW_EVERY_MS = 200

interface Resumed {
  readonly saved: SavedCursor
  readonly content: CursorContent
  readonly output: Output
}

/** What `--resume` continues, checked before any request: the same site, the cursor's own file. */
const prepareResume = (
  args: CliArgs,
  cursorFile: string,
): Effect.Effect<Resumed, CliFailure | CliInputError | BadCursor> =>
  Effect.gen(function* () {
    const saved = yield* readSaved(cursorFile)
    const content = yield* decodeCursor(saved.cursor)
    if (!sameSite(content.siteUrl, args.site))
      return yield* new CliInputError({
        message: `This cursor continues an export from ${content.siteUrl}, not ${args.site}; resume it with --site ${content.siteUrl}.`,
      })
    const output = yield* resumedOutput(saved, args.out, args.force)
    return { saved, content, output }
  })

const program = (
  args: CliArgs,
  resumed: Resumed | undefined,
  stop: Deferred.Deferred<void>,
  streaming: Deferred.Deferred<void>,
  waiting: Waiting,
) =>
  Effect.gen(function* () {
    const jira = yield* ExportJira
    const cursorFile = args.cursorFile
    let content: CursorContent
    let format: RowFormat
    let output: Output
    let bytes: number
    if (resumed !== undefined) {
      content = resumed.content
      output = resumed.output
      yield* nowWaitingFor(waiting, "list the fields")
      format = (yield* livePlanner(planOf(content))).format
      if (output.identity.out === null && resumed.saved.bytes > 0)
        yield* Effect.logDebug("resuming to standard output: append this output to the first part yourself")
      bytes = resumed.saved.bytes
    } else {
      yield* nowWaitingFor(waiting, "check the query and list the fields")
      const options: ExportOptionsInput = {
        ...(args.preset === undefined ? {} : { preset: args.preset }),
        ...(args.valueColumns === undefined ? {} : { valueColumns: args.valueColumns }),
        ...(args.delimiter === undefined ? {} : { delimiter: args.delimiter }),
        ...(args.strategy === undefined ? {} : { strategy: args.strategy }),
        ...(args.format === undefined ? {} : { format: args.format }),
        ...historyOptionOf(args),
      }
      const started = yield* startExport({
        jira,
        planner: livePlanner,
        payload: { jql: args.jql ?? "", columns: args.columns ?? DEFAULT_COLUMNS, options },
        // The profile's zone comes from the `/myself` read that checked the credentials (jiraLayer.ts).
        timeZone: yield* timeZoneFor(options.timeZone),
        siteUrl: args.site,
        apiToken: true,
      })
      // Said once, before any row: thrifty was asked for, but that it reads this query slowly is not obvious.
      const reason = started.sequentialReason
      if (reason !== undefined && !args.quiet)
        yield* Effect.sync(() => process.stderr.write(`${sequentialNotice(reason)}\n`))
      content = started.content
      format = started.format
      output = args.out === undefined ? standardOutput : yield* newFileOutput(args.out, args.force)
      bytes = Buffer.byteLength(started.header, "utf8")
      yield* output.write(started.header).pipe(Effect.tapError(() => output.close))
    }
    // From here on, Ctrl-C stops the stream at a unit's end and saves the cursor.
    yield* Deferred.succeed(streaming, undefined)
    yield* nowWaitingFor(waiting, issuesAfter(content.counters.done))

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
    const save = Effect.gen(function* () {
      const s = yield* Ref.get(state)
      const digest = output.digest === undefined ? {} : { digest: yield* output.digest }
      yield* saveCursor(cursorFile, s.last, { ...output.identity, bytes: s.bytes, ...digest })
    })

    // Each run starts from the latest cursor: after a quota wait it continues where the last one stopped.
    const latest = Ref.get(state).pipe(Effect.map((s) => s.last))
    const run = Stream.unwrap(
      latest.pipe(
        Effect.map((last) => exportStream({ jira, format, content: last, settings: directSettings })),
      ),
    ).pipe(
      Stream.interruptWhen(Deferred.await(stop)),
      Stream.runForEach(({ text, next, counters }) =>
        Effect.gen(function* () {
          // Written and counted as one step: a stop between them would leave the cursor's byte count
          // (and the file's digest, cursorFile.ts) behind what the file holds.
          const s = yield* output.write(text).pipe(
            Effect.zipRight(
              Ref.updateAndGet(state, (x) => ({
                ...x,
                bytes: x.bytes + Buffer.byteLength(text, "utf8"),
                counters,
                ...(next === null ? {} : { last: next }),
              })),
            ),
            Effect.uninterruptible,
          )
          yield* nowWaitingFor(waiting, issuesAfter(counters.done))
          const now = yield* Clock.currentTimeMillis
          if (output.identity.out !== null && next !== null && now - s.lastSave >= SAVE_EVERY_MS) {
            yield* save
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
          Ref.update(state, (x) => ({ ...x, quotaUntil: until })).pipe(
            Effect.zipRight(waitingOnPurpose(waiting, until)),
            Effect.zipRight(draw(true)),
          ),
      }),
    )
    yield* draw(true)
    if (showProgress) process.stderr.write("\n")
    const s = yield* Ref.get(state)
    const stopped = yield* Deferred.isDone(stop)
    if (Exit.isSuccess(exit) && !stopped) {
      const workbook = content.options.format === "xlsx"
      yield* output.finish(workbook ? buildWorkbook({ ...s.last, counters: s.counters }, format) : undefined)
      if (fs.existsSync(cursorFile)) fs.rmSync(cursorFile)
      const endedAt = yield* Clock.currentTimeMillis
      yield* Effect.sync(() =>
        summarize(args, s.counters, s.counters.done - firstDone, endedAt - startedAt, {
          bytes: s.bytes,
          out: output.identity.out,
        }),
      )
      return
    }
    yield* output.close
    const failure = Exit.isFailure(exit) ? Cause.failureOption(exit.cause) : Option.none()
    // The reader went away (`| head -1`): what it read is what it wanted.
    if (Option.isSome(failure) && failure.value instanceof OutputClosed) return yield* failure.value
    // An issue the file's columns cannot hold (jira-import): a resume would meet it again.
    if (Option.isSome(failure) && failure.value instanceof PlanError) {
      // No cursor is kept, so a new export's part file would be an orphan: it goes too.
      const partial = output.identity.partial
      if (resumed === undefined && partial !== undefined && partial !== output.identity.out)
        yield* Effect.sync(() => fs.rmSync(partial, { force: true }))
      return yield* failure.value
    }
    yield* save
    if (stopped || Option.isNone(failure))
      return yield* new CliFailure({
        message: `Interrupted after ${issueCount(s.last.counters.done)}; continue with --resume ${cursorFile}`,
      })
    const done = issueCount(s.last.counters.done)
    return yield* new CliFailure({
      message:
        quotaStopSentence(
          failure.value,
          `the export stopped after ${done}: continue it with --resume ${cursorFile}`,
        ) ??
        `${failure.value.message} The export stopped after ${done}; continue it with --resume ${cursorFile}`,
    })
  })

/** The lines after a complete export: issues that vanished meanwhile, the export's notes, and `--stats`. */
const summarize = (
  args: CliArgs,
  counters: CursorContent["counters"],
  done: number,
  ms: number,
  file: { readonly bytes: number; readonly out: string | null },
) => {
  if (counters.missingCount > 0)
    process.stderr.write(`${missingReport(counters.missingCount, counters.missing)}\n`)
  const recovered = recoverySentence(counters)
  if (recovered !== undefined) process.stderr.write(`${recovered}\n`)
  for (const note of exportNotes(counters).notes ?? []) process.stderr.write(`${note}\n`)
  if (!args.quiet)
    process.stderr.write(
      `${successLine({
        issues: counters.done,
        out: file.out === null ? undefined : asTyped(file.out),
        bytes: file.bytes,
        ms,
        missing: counters.missingCount,
        relocations: counters.relocations ?? 0,
        history: args.history,
      })}\n`,
    )
  if (args.stats)
    process.stderr.write(
      `${JSON.stringify({
        issues: done,
        ms,
        issuesPerSecond: ms > 0 ? Math.round((done * 1000) / ms) : null,
        missing: counters.missingCount,
        truncatedCells: counters.truncatedCells,
        pageTokenRecoveries: counters.relocations ?? 0,
        maxRssKb: process.resourceUsage().maxRSS,
      })}\n`,
    )
}

/** Said under a bad argument's sentence instead of the whole usage. */
const HELP_HINT = "Run with --help for every option."

/** 0 done, 2 bad input (one sentence), 1 failure (cursor saved where there was one). */
const exitCodeOf = (error: unknown): 0 | 1 | 2 => {
  if (error instanceof OutputClosed) return 0
  if (error instanceof CliInputError || error instanceof BadCursor || error instanceof PlanError) return 2
  if (error instanceof JiraError && (error.reason === "InvalidJql" || error.reason === "Unauthorized"))
    return 2
  return 1
}

const main = () => {
  // A closed pipe is reported to the write that hit it (output.ts), not thrown at the process.
  process.stdout.on("error", () => {})
  process.stderr.on("error", () => {})
  const parsed = parseCli(process.argv.slice(2), process.env, process.cwd(), siteOfCursorFile)
  if (Either.isLeft(parsed)) {
    // The sentence, and where the rest is: the whole usage would bury it.
    process.stderr.write(`${parsed.left}\n${HELP_HINT}\n`)
    process.exitCode = 2
    return
  }
  if (parsed.right._tag === "Help") {
    process.stdout.write(`${USAGE}\n`)
    return
  }
  const args = parsed.right.args
  const layer = httpJira({
    baseUrl: args.site,
    email: args.email,
    apiToken: args.token,
    requestTimeoutMs: args.timeoutSeconds * 1000,
  })
  const stop = Effect.runSync(Deferred.make<void>())
  const streaming = Effect.runSync(Deferred.make<void>())
  const showNotices = !args.quiet
  const say = (line: string) =>
    Effect.sync(() => {
      process.stderr.write(`${process.stderr.isTTY ? "\r\x1b[K" : ""}${line}\n`)
    })
  const whole = Effect.gen(function* () {
    if (args.listColumns === true) {
      const table = yield* listColumns.pipe(Effect.provide(layer))
      return yield* Effect.sync(() => process.stdout.write(`${table}\n`))
    }
    const resumed = args.resume === undefined ? undefined : yield* prepareResume(args, args.resume)
    if (resumed === undefined && args.out !== undefined && !args.force) {
      if (fs.existsSync(args.out))
        return yield* new CliInputError({
          message: `${args.out} already exists; add --force to replace it, or choose another --out.`,
        })
      if (fs.existsSync(`${args.out}.partial`) && fs.existsSync(args.cursorFile))
        return yield* new CliInputError({
          message: `An interrupted export into ${args.out} can be continued with --resume ${args.cursorFile}; add --force to start it over.`,
        })
    }
    const waiting = yield* makeWaiting("check the email and API token")
    // A quota spent before anything is written (the credential check, the count, the fields) is waited out too.
    const starting = {
      wait: args.noWait !== true,
      quiet: args.quiet,
      stop,
      onWait: (until: number) => waitingOnPurpose(waiting, until),
    }
    const exporting = afterQuotaReset(
      program(args, resumed, stop, streaming, waiting).pipe(Effect.provide(layer)),
      starting,
    ).pipe(Effect.tapErrorCause(() => resumed?.output.close ?? Effect.void))
    return yield* showNotices ? Effect.raceFirst(exporting, watchWaiting(waiting, args.site, say)) : exporting
  })
  const fiber = Effect.runFork(whole)
  // Ctrl-C (or a termination signal) stops the stream, and the program saves the cursor and says how
  // to resume; before the stream there is nothing to save, so it simply stops.
  for (const signal of ["SIGINT", "SIGTERM"] as const)
    process.once(signal, () =>
      Effect.runFork(
        Effect.if(Deferred.isDone(streaming), {
          onTrue: () => Deferred.succeed(stop, undefined),
          onFalse: () => Fiber.interrupt(fiber),
        }),
      ),
    )
  fiber.addObserver((exit) => {
    if (Exit.isSuccess(exit)) return
    const failure = Cause.failureOption(exit.cause)
    if (Option.isSome(failure)) {
      // A quota spent before the export started: no cursor exists yet (the start makes it).
      const message =
        quotaStopSentence(failure.value, "nothing was written yet: run the same command again") ??
        failure.value.message
      if (!(failure.value instanceof OutputClosed)) process.stderr.write(`${message}\n`)
      // The page has its picker; here the list is one flag away.
      if (failure.value instanceof PlanError && failure.value.reason === "UnknownColumn")
        process.stderr.write("--list-columns lists the columns you can export from this site.\n")
      process.exitCode = exitCodeOf(failure.value)
    } else {
      process.stderr.write(
        Cause.isInterruptedOnly(exit.cause)
          ? "Interrupted before the export started; nothing was written.\n"
          : `Unexpected failure: ${Cause.pretty(exit.cause)}\n`,
      )
      process.exitCode = 1
    }
  })
}

main()
