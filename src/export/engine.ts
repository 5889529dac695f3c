/**
 * The export engine, what every runner drives (docs/architecture.md "The engine and its runners"):
 *
 * - `startExport` (start.ts): checks the query, plans the columns, picks the strategy and makes the
 *   first cursor;
 * - `exportStream`: the export from a cursor as a Stream of units, each with the cursor after it;
 *   `exportUnits` is the same over a bare phase (the preview takes one unit of it).
 *
 * The runners only drive it: the Forge chunk runner cuts the stream at each call's time and size
 * budget (src/resolvers/chunk.ts), the command line writes it to a file (src/cli), the page runs it in
 * the browser. A unit is issues -> completed comment/worklog lists -> account ids resolved in one
 * batch per unit -> rows -> encoded CSV text (units.ts); its phase *after* it is a point from which
 * the export resumes with nothing lost and nothing doubled (cursor.ts).
 *
 * The phase picks the strategy: thrifty.ts (search pages with fields, about 1 point per issue; cut
 * into parts read in parallel where the query's order allows, parallel/) or fast.ts (id pages, then
 * bulkfetch batches in parallel, about 2), or a relocation after Jira refused a page token
 * (relocate.ts, streamed by fast.ts). All get one `ExportContext`, built here once per stream.
 */
import { Effect, Stream } from "effect"
import type { ExportProgress } from "../contract.js"
import { type NamedStatus, unlistedStatusesNote } from "../fields/historyColumns.js"
import type { JiraError } from "../jira/JiraError.js"
import { makeChangelogReader } from "./changelogs.js"
import { type Counters, type CursorContent, MAX_MISSING_LISTED, MAX_UNLISTED_STATUSES } from "./cursor.js"
import { fast, relocating } from "./fast.js"
import { openGate } from "./gate.js"
import { makeLimiter } from "./limiter.js"
import { resumedParts } from "./parallel/index.js"
import type { ExportJiraShape, RowFormat } from "./ports.js"
import { thrifty } from "./thrifty.js"
import {
  defaultSettings,
  type ExportContext,
  type ExportFailure,
  MAX_UNIT_BYTES,
  type PipelineInput,
  type PipelineSettings,
  type Unit,
} from "./types.js"

export {
  normaliseKeys,
  orderSelected,
  planOf,
  type Started,
  selectedJql,
  selectedPhase,
  startExport,
} from "./start.js"

/** The context of one export: a fresh limiter, and the reads bound to it and the deadline. */
export const makeContext = (input: Omit<PipelineInput, "phase">): Effect.Effect<ExportContext> =>
  Effect.gen(function* () {
    const settings = input.settings ?? defaultSettings
    const limiter = yield* makeLimiter(settings.requestConcurrency)
    const { jira, deadlineMs } = input
    const call = <A>(effect: Effect.Effect<A, JiraError>) =>
      limiter.run(deadlineMs === undefined ? effect : jira.withDeadline(effect, deadlineMs))
    const fieldIds = input.format.changelogFields
    return {
      jira,
      format: input.format,
      jql: input.jql,
      settings,
      gate: input.gate,
      deadlineMs,
      keepCells: input.keepCells === true,
      maxUnitBytes: settings.maxUnitBytes ?? MAX_UNIT_BYTES,
      limiter,
      call,
      changelogs: fieldIds === undefined ? undefined : makeChangelogReader({ jira, fieldIds, call }),
    }
  })

/** Builds the unit stream for one export, starting at `phase`. */
export const exportUnits = (input: PipelineInput): Stream.Stream<Unit, ExportFailure> =>
  Stream.unwrap(
    makeContext(input).pipe(
      Effect.map((ctx) =>
        input.phase._tag === "thrifty"
          ? thrifty(ctx, input.phase)
          : input.phase._tag === "parallel"
            ? resumedParts(ctx, input.phase)
            : input.phase._tag === "fast"
              ? fast(ctx, input.phase)
              : relocating(ctx, input.phase),
      ),
    ),
  )

/** The statuses named so far and new ones, each once, in the order first met, up to the cursor's cap. */
const withStatuses = (
  named: ReadonlyArray<NamedStatus>,
  more: ReadonlyArray<NamedStatus>,
): ReadonlyArray<NamedStatus> => {
  const ids = new Set(named.map((s) => s.id))
  // Cut to what the cursor holds: a name comes from the history as Jira wrote it.
  const added = more
    .filter((s) => !ids.has(s.id))
    .map((s) => ({ id: s.id.slice(0, 64), name: s.name.slice(0, 255) }))
  return added.length === 0 ? named : [...named, ...added].slice(0, MAX_UNLISTED_STATUSES)
}

/** The export's notes as its progress carries them (absent when it has none): one sentence each. */
export const exportNotes = (counters: Counters): { readonly notes?: ReadonlyArray<string> } => {
  const note = unlistedStatusesNote(counters.unlistedStatuses ?? [])
  return note === undefined ? {} : { notes: [note] }
}

/** The progress a runner answers after a unit: the counters as the page shows them, notes included. */
export const progressOf = (counters: Counters): ExportProgress => ({
  done: counters.done,
  total: counters.total,
  missing: counters.missing,
  truncatedCells: counters.truncatedCells,
  ...(counters.relocations === undefined ? {} : { relocations: counters.relocations }),
  ...exportNotes(counters),
})

/** Adds a unit to the counters. */
export const countUnit = (counters: Counters, unit: Unit): Counters => ({
  ...counters,
  done: counters.done + unit.rows,
  truncatedCells: counters.truncatedCells + unit.truncatedCells,
  missingCount: counters.missingCount + unit.missing.length,
  ...(unit.relocated === true ? { relocations: (counters.relocations ?? 0) + 1 } : {}),
  ...(unit.unlistedStatuses === undefined
    ? {}
    : { unlistedStatuses: withStatuses(counters.unlistedStatuses ?? [], unit.unlistedStatuses) }),
  missing:
    unit.missing.length === 0 || counters.missing.length >= MAX_MISSING_LISTED
      ? counters.missing
      : [...counters.missing, ...unit.missing].slice(0, MAX_MISSING_LISTED),
})

/** One unit of a whole export: its text, the cursor after it (null at the end) and the counters so far. */
export interface CursorUnit {
  readonly text: string
  readonly next: CursorContent | null
  readonly counters: Counters
}

/** The whole export from `content` as a Stream of text, each element with the cursor after it. */
export const exportStream = (input: {
  readonly jira: ExportJiraShape
  readonly format: RowFormat
  readonly content: CursorContent
  readonly settings?: PipelineSettings
}): Stream.Stream<CursorUnit, ExportFailure> =>
  exportUnits({
    jira: input.jira,
    format: input.format,
    jql: input.content.jql,
    phase: input.content.phase,
    gate: openGate,
    ...(input.settings === undefined ? {} : { settings: input.settings }),
  }).pipe(
    Stream.mapAccum(input.content.counters, (counters, unit) => {
      const updated = countUnit(counters, unit)
      const next: CursorContent | null =
        unit.after === null ? null : { ...input.content, phase: unit.after, counters: updated }
      return [updated, { text: unit.text, next, counters: updated }] as const
    }),
  )
