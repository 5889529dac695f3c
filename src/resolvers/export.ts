/**
 * `export/start` and `export/next`: the chunked export through Forge's 25 s / 5 MB invocations. The
 * cursor carries everything (resolvers keep no state); repeating a call with the same cursor gives
 * the same rows, so the page simply repeats a failed call.
 */
import { Clock, Effect, Schema } from "effect"
import {
  type ExportChunk,
  ExportNextPayload,
  type ExportStarted,
  ExportStartPayload,
  FORGE_LIMITS,
} from "../contract.js"
import { type CursorContent, decodeCursor, encodeCursor } from "../export/cursor.js"
import { ExportJira } from "../export/ExportJira.js"
import { planOf, progressOf, type Started, startExport } from "../export/engine.js"
import { livePlanner, timeZoneFor } from "../export/planner.js"
import type { ExportJiraShape } from "../export/ports.js"
import { sampleBytesPerRow } from "../export/sample.js"
import { isWorkbook, workbookInfoOf } from "../export/xlsx.js"
import type { RateLimitState } from "../jira/RateLimitState.js"
import { MAX_ANSWER_BYTES, pausedAt, runChunk } from "./chunk.js"
import { siteUrlOf } from "./context.js"
import { RETRY_AFTER_TIMEOUT_MS } from "./deadline.js"
import { ExportConfig } from "./ExportConfig.js"
import { decodePayload } from "./payload.js"
import { stewardCharge, stewardOutlook, stewardQuota, stewardTurn } from "./steward.js"

/** One row larger than a Forge answer may be: the page cannot export it; the CLI can. */
export class ExportTooLarge extends Schema.TaggedError<ExportTooLarge>()("ExportTooLarge", {
  bytes: Schema.Number,
}) {}

/** An `export/next` call whose time ran out before it read anything: Jira answers too slowly for it. */
export class ExportStalled extends Schema.TaggedError<ExportStalled>()("ExportStalled", {
  afterMs: Schema.Number,
  retryAfterMs: Schema.Number,
}) {}

export const exportStart = (payload: unknown, context?: unknown) =>
  Effect.gen(function* () {
    const invokedAt = yield* Clock.currentTimeMillis
    const input = yield* decodePayload(ExportStartPayload)(payload)
    const config = yield* ExportConfig
    const jira = yield* ExportJira
    const timeZone = yield* timeZoneFor(input.options?.timeZone)
    // `auto` weighs what the steward lets exports spend, not what is left of the pool.
    const services = yield* Effect.context<ExportConfig | RateLimitState>()
    const stewarded = jira.quota.pipe(Effect.flatMap(stewardQuota), Effect.provide(services))
    const started = yield* startExport({
      jira: { ...jira, quota: stewarded },
      planner: livePlanner,
      payload: input,
      timeZone,
      siteUrl: siteUrlOf(input.siteUrl, context),
      apiToken: config.apiToken,
    })
    const note = yield* stewardOutlook(started.approximateTotal, started.strategy)
    const points = (yield* jira.quota).remaining
    const result: ExportStarted = {
      ...(points === undefined ? {} : { pointsLeft: points }),
      csv: started.header,
      columns: started.columns,
      approximateTotal: started.approximateTotal,
      strategy: started.strategy,
      ...(started.sequentialReason === undefined ? {} : { sequentialReason: started.sequentialReason }),
      ...(note === undefined ? {} : { allowanceNote: note }),
      cursor: encodeCursor(
        yield* warm(jira, started, invokedAt + config.budget.timeMs + config.budget.graceMs),
      ),
      ...(isWorkbook(started.content.options) ? { workbook: workbookInfoOf(started.content) } : {}),
    }
    return result
  }).pipe(Effect.withSpan("resolver.export/start"))

/**
 * The first cursor with the bytes per row of a few sample issues, so the first `export/next` call
 * starts warm (src/export/sample.ts). A sample that fails, or would end past `untilMs` (a slow Jira:
 * the call must still answer), leaves the cursor as it was: the call then measures its own first output.
 */
const warm = (jira: ExportJiraShape, started: Started, untilMs: number) =>
  Effect.gen(function* () {
    const now = yield* Clock.currentTimeMillis
    return yield* sampleBytesPerRow(jira, started.content.jql, started.format).pipe(
      Effect.timeoutFail({ duration: Math.max(0, untilMs - now), onTimeout: () => "late" as const }),
    )
  }).pipe(
    Effect.map(
      (bytesPerRow): CursorContent =>
        bytesPerRow === undefined
          ? started.content
          : {
              ...started.content,
              learned: { bytesPerRow: Math.min(bytesPerRow, FORGE_LIMITS.invokeResponseBytes) },
            },
    ),
    Effect.orElseSucceed(() => started.content),
  )

/** The answer of a call the steward holds back: nothing read, the same cursor, continue at `until`. */
const stewardPause = (content: CursorContent, until: string): ExportChunk => ({
  csv: "",
  cursor: encodeCursor(content),
  progress: progressOf(content.counters),
  pausedUntil: until,
  pausedBy: "steward",
})

/** The answer of a call that waits a moment for other calls of its installation: nothing read. */
const heldBack = (content: CursorContent, retryAfterMs: number): ExportChunk => ({
  csv: "",
  cursor: encodeCursor(content),
  progress: progressOf(content.counters),
  retryAfterMs,
})

export const exportNext = (payload: unknown) =>
  Effect.gen(function* () {
    const invokedAt = yield* Clock.currentTimeMillis
    const input = yield* decodePayload(ExportNextPayload)(payload)
    const content = yield* decodeCursor(input.cursor)
    const config = yield* ExportConfig
    const turn = yield* stewardTurn(content)
    // The pool's allowance for exports is used up: wait for the reset, as for a spent quota.
    if (turn._tag === "pause") return stewardPause(content, turn.until)
    // Other calls of this installation hold it for a few seconds: ask again from the same cursor.
    if (turn._tag === "wait") return heldBack(content, turn.retryAfterMs)
    const budget = turn._tag === "go" ? { ...config.budget, maxRows: turn.maxRows } : config.budget
    const jira = yield* ExportJira
    const chunk = yield* livePlanner(planOf(content)).pipe(
      Effect.flatMap((planned) =>
        runChunk({
          jira,
          format: planned.format,
          content,
          budget,
          settings: config.settings,
          startedMs: invokedAt,
        }),
      ),
      // A wait Jira asks for before any row is read is a pause from the same cursor, not a failure.
      pausedAt(content),
      // A call that fails hands its claim back, or a retry would find the share taken by it.
      Effect.onError(() => stewardCharge(turn, undefined)),
    )
    yield* stewardCharge(turn, chunk.counters.done - content.counters.done)
    if (chunk.stalled === true)
      return yield* Effect.fail(
        new ExportStalled({
          afterMs: (yield* Clock.currentTimeMillis) - invokedAt,
          retryAfterMs: RETRY_AFTER_TIMEOUT_MS,
        }),
      )
    const result: ExportChunk = {
      csv: chunk.csv,
      cursor: chunk.next === null ? null : encodeCursor(chunk.next),
      progress: progressOf(chunk.counters),
      ...(chunk.retryAfterMs === undefined ? {} : { retryAfterMs: chunk.retryAfterMs }),
      ...(chunk.pausedUntil === undefined ? {} : { pausedUntil: chunk.pausedUntil }),
    }
    // Fail with a sentence rather than send what Forge would refuse on every repeat.
    const bytes = Buffer.byteLength(JSON.stringify(result))
    if (bytes > (config.budget.maxAnswerBytes ?? MAX_ANSWER_BYTES))
      return yield* Effect.fail(new ExportTooLarge({ bytes }))
    return result
  }).pipe(Effect.withSpan("resolver.export/next"))
