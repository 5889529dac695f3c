/**
 * The Forge chunk runner, one `export/next` call: run the engine's unit stream from the cursor's phase
 * until the call's time or size budget, and hand back the text, the counters and the cursor after the
 * last emitted unit. A call that fails part-way loses nothing: its cursor still points at the first
 * unit it did not emit, and a wait Jira asks for is a pause from there (src/export/pause.ts).
 */
import { Clock, Deferred, Effect, Either, Ref, Stream } from "effect"
import { FORGE_LIMITS } from "../contract/constants.js"
import { type Counters, type CursorContent, encodeCursor, type Phase } from "../export/cursor.js"
import { countUnit, exportUnits } from "../export/engine.js"
import { makeGate } from "../export/gate.js"
import { type Pause, pauseFor } from "../export/pause.js"
import type { ExportJiraShape, RowFormat } from "../export/ports.js"
import type { ExportFailure, PipelineSettings } from "../export/types.js"

export interface ChunkBudget {
  /** Stop taking new work this long after the call started (Forge allows 25 s per invocation). */
  readonly timeMs: number
  /** Extra time for work already started; past it the call returns what it has. */
  readonly graceMs: number
  /** Stop taking new work once the response JSON would pass this many bytes (Forge allows 5 MB). */
  readonly maxBytes: number
  /** Largest answer sent at all (a single row can pass `maxBytes`); default just under Forge's 5 MB. */
  readonly maxAnswerBytes?: number
}

/**
 * A call inside Forge's limits (docs/forge.md §2): new work stops at 60% of the 25 s, work under way
 * gets until 86% (21.5 s), a second before the resolver's own answer line (90%, deadline.ts): a read
 * started just before the 15 s under a Jira taking 6–10 s per request still lands in the call. The
 * text takes up to 90% of the 5 MB answer, less what the cursor and the missing keys may need
 * (`textRoom`): each call pays Forge's invocation overhead, so fewer and larger answers finish sooner.
 */
export const defaultBudget: ChunkBudget = {
  timeMs: FORGE_LIMITS.invocationMs * 0.6,
  graceMs: FORGE_LIMITS.invocationMs * 0.26,
  maxBytes: Math.floor(FORGE_LIMITS.invokeResponseBytes * 0.9),
}

/**
 * Largest `export/next` answer we send: Forge refuses resolver answers over 5 MB (docs/forge.md §2),
 * and the answer travels inside envelopes we do not measure, so we keep a twentieth of it spare.
 * Units are cut between rows well below this (`maxUnitBytes`, src/export/types.ts), so only a single
 * row can reach it.
 */
export const MAX_ANSWER_BYTES = Math.floor(FORGE_LIMITS.invokeResponseBytes * 0.95)

/** Room kept in every answer besides the text and twice the cursor and missing keys it came with. */
const ANSWER_SLACK_BYTES = 256 * 1024

/**
 * Bytes of text a call may answer with: its budget, and never more than a 95% answer leaves once the
 * cursor and the missing keys have twice the room they take coming in (they grow little in one call;
 * the resolver still refuses an answer past 95%, src/resolvers/export.ts).
 */
const textRoom = (content: CursorContent, budget: ChunkBudget): number => {
  const carried =
    Buffer.byteLength(encodeCursor(content), "utf8") +
    Buffer.byteLength(JSON.stringify(content.counters), "utf8")
  return Math.min(budget.maxBytes, MAX_ANSWER_BYTES - 2 * carried - ANSWER_SLACK_BYTES)
}

export interface ChunkResult extends Pause {
  readonly csv: string
  /** The cursor content after this chunk; null when the export is complete. */
  readonly next: CursorContent | null
  readonly counters: Counters
  /** The call's time ran out before it wrote anything or moved its cursor: Jira is too slow for it. */
  readonly stalled?: true
}

const jsonBytes = (text: string) => Buffer.byteLength(JSON.stringify(text), "utf8")

export const runChunk = (input: {
  readonly jira: ExportJiraShape
  readonly format: RowFormat
  readonly content: CursorContent
  readonly budget?: ChunkBudget
  readonly settings?: PipelineSettings
  /**
   * When the invocation started (epoch ms): the budgets count from it, not from after the reads the
   * call made before its rows (`/field`), which under a slow Jira pushed them past Forge's cut.
   */
  readonly startedMs?: number
}): Effect.Effect<ChunkResult, ExportFailure> =>
  Effect.gen(function* () {
    const budget = input.budget ?? defaultBudget
    const now = yield* Clock.currentTimeMillis
    const started = Math.min(now, input.startedMs ?? now)
    const softDeadlineMs = started + budget.timeMs
    const hardDeadlineMs = softDeadlineMs + budget.graceMs
    const maxBytes = textRoom(input.content, budget)
    const gate = yield* makeGate({
      softDeadlineMs,
      maxBytes,
      ...(input.content.learned === undefined ? {} : { bytesPerRow: input.content.learned.bytesPerRow }),
    })
    const state = yield* Ref.make<{
      readonly texts: Array<string>
      readonly counters: Counters
      readonly phase: Phase | null
      readonly units: number
      readonly bytes: number
      /** A unit was left for the next call because the answer was full. */
      readonly full: boolean
    }>({
      texts: [],
      counters: input.content.counters,
      phase: input.content.phase,
      units: 0,
      bytes: 0,
      full: false,
    })
    const cutOff = yield* Deferred.make<void>()
    const outcome = yield* exportUnits({
      jira: input.jira,
      format: input.format,
      jql: input.content.jql,
      phase: input.content.phase,
      gate,
      deadlineMs: hardDeadlineMs,
      ...(input.settings === undefined ? {} : { settings: input.settings }),
    }).pipe(
      Stream.interruptWhen(
        Effect.sleep(Math.max(0, hardDeadlineMs - now)).pipe(
          Effect.zipRight(Deferred.succeed(cutOff, undefined)),
        ),
      ),
      // A unit that would take the answer past the size budget waits for the next call (the first
      // unit of a call always goes, so every call makes progress).
      Stream.runForEachWhile((unit) => {
        const bytes = jsonBytes(unit.text)
        return Ref.modify(state, (s) => {
          if (s.units > 0 && s.bytes + bytes > maxBytes) return [false, { ...s, full: true }] as const
          s.texts.push(unit.text)
          const next = {
            texts: s.texts,
            counters: countUnit(s.counters, unit),
            phase: unit.after,
            units: s.units + 1,
            bytes: s.bytes + bytes,
            full: false,
          }
          return [true, next] as const
        }).pipe(
          Effect.tap((taken) =>
            taken && unit.positionOnly !== true ? gate.emitted(unit.rows, bytes) : Effect.void,
          ),
        )
      }),
      Effect.either,
    )
    const s = yield* Ref.get(state)
    const stoppedEarly = s.full || (yield* gate.stopped) || (yield* Deferred.isDone(cutOff))
    const perRow = yield* gate.bytesPerRow
    // Rounded up: a whole number keeps the cursor short, and erring large only stops a call sooner.
    const learned = perRow === undefined || perRow <= 0 ? {} : { learned: { bytesPerRow: Math.ceil(perRow) } }
    const next = (phase: Phase | null): CursorContent | null =>
      phase === null ? null : { ...input.content, ...learned, phase, counters: s.counters }
    const csv = s.texts.join("")
    if (Either.isRight(outcome) && stoppedEarly && s.units === 0) return stalled(input.content)
    if (Either.isRight(outcome))
      return { csv, counters: s.counters, next: stoppedEarly ? next(s.phase) : null }
    const pause = pauseFor(outcome.left)
    if (pause !== undefined) return { csv, counters: s.counters, next: next(s.phase), ...pause }
    // Hand back what was done; the next call, from the cursor, meets the error again and reports it.
    // A plan error (an issue the file cannot hold) fails every call from here: say so now.
    if (s.units > 0 && outcome.left._tag === "JiraError")
      return { csv, counters: s.counters, next: next(s.phase) }
    return yield* Effect.fail(outcome.left)
  })

/**
 * A call cut before its first unit. A thrifty export still to be planned (its parts probed one
 * request after another) goes on as one chain, which needs a single read before its first rows;
 * anything else is said to be stalled, and the same cursor is tried again.
 */
const stalled = (content: CursorContent): ChunkResult => {
  const phase = content.phase
  if (phase._tag === "thrifty" && phase.parallel === true && phase.token === null)
    return { csv: "", counters: content.counters, next: { ...content, phase: { ...phase, parallel: false } } }
  return { csv: "", counters: content.counters, next: content, stalled: true }
}

/**
 * A call whose work failed before any unit (planning the row format, say) with a wait Jira asked for:
 * the same cursor, paused, instead of a failure.
 */
export const pausedAt =
  (content: CursorContent) =>
  <R>(chunk: Effect.Effect<ChunkResult, ExportFailure, R>): Effect.Effect<ChunkResult, ExportFailure, R> =>
    Effect.catchAll(chunk, (error) => {
      const pause = pauseFor(error)
      return pause === undefined
        ? Effect.fail(error)
        : Effect.succeed({ csv: "", next: content, counters: content.counters, ...pause })
    })
