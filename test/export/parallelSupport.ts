/**
 * What the tests of the parallel thrifty strategy share: starting an export on the emulator, running
 * it in one stream or through budgeted `export/next` calls (each cursor through its wire form), the
 * sequential chain of pages to compare with, and the data set's values a hand-made partition cuts.
 */
import { parse } from "csv-parse/sync"
import { Effect, Either, Stream } from "effect"
import type { RunningEmulator } from "../../dev/emulator/index.js"
import {
  type Counters,
  type CursorContent,
  decodeCursor,
  encodeCursor,
  type Phase,
} from "../../src/export/cursor.js"
import { ExportJira } from "../../src/export/ExportJira.js"
import { exportStream } from "../../src/export/engine.js"
import { livePlanner } from "../../src/export/planner.js"
import type { RowFormat } from "../../src/export/ports.js"
import { startExport } from "../../src/export/start.js"
import type { PipelineSettings } from "../../src/export/types.js"
import { type ChunkBudget, runChunk } from "../../src/resolvers/chunk.js"
import type { ResolverFailure } from "../../src/resolvers/respond.js"
import type { ResolverServices } from "../../src/runtime.js"
import type { Harness } from "../resolvers/emulated.js"

export const SETTINGS: PipelineSettings = {
  searchPageSize: 20,
  idPageSize: 90,
  bulkSize: 20,
  requestConcurrency: 3,
  completionConcurrency: 2,
  issueErrorRetries: 2,
}

export const COLUMNS = ["issuekey", "summary", "status", "assignee", "labels", "created", "updated", "Rank"]

/** The sequential chain of pages: a first thrifty phase without leave to cut the query. */
export const SEQUENTIAL: Phase = { _tag: "thrifty", token: null }

/** Runs `effect` on the harness; a failure fails the test with its sentence. */
export const runOn = async <A>(
  harness: Harness,
  effect: Effect.Effect<A, ResolverFailure, ResolverServices>,
): Promise<A> => {
  const result = await harness.run(effect)
  if (Either.isLeft(result)) throw new Error(`${result.left.tag}: ${result.left.message}`)
  return result.right
}

/** export/start of a thrifty export of `jql`. */
export const startThrifty = (jql: string) =>
  Effect.gen(function* () {
    const jira = yield* ExportJira
    return yield* startExport({
      jira,
      planner: livePlanner,
      payload: { jql, columns: COLUMNS, options: { strategy: "thrifty" } },
      timeZone: "UTC",
      siteUrl: "https://example.atlassian.net",
      apiToken: true,
    })
  })

export interface Streamed {
  readonly csv: string
  readonly counters: Counters
  /** The cursor after each element, in order (null after the last). */
  readonly cursors: ReadonlyArray<CursorContent | null>
  /** The text of each element. */
  readonly texts: ReadonlyArray<string>
}

/** The whole file from `content` on, in one stream (no header). */
export const streamAll = (
  format: RowFormat,
  content: CursorContent,
  settings: PipelineSettings = SETTINGS,
  onUnit: (index: number) => void = () => undefined,
) =>
  Effect.gen(function* () {
    const jira = yield* ExportJira
    const texts: Array<string> = []
    const cursors: Array<CursorContent | null> = []
    let counters = content.counters
    yield* exportStream({ jira, format, content, settings }).pipe(
      Stream.runForEach((element) =>
        Effect.sync(() => {
          texts.push(element.text)
          cursors.push(element.next)
          counters = element.counters
          onUnit(texts.length)
        }),
      ),
    )
    return { csv: texts.join(""), counters, cursors, texts } satisfies Streamed
  })

export interface Chunked {
  readonly csv: string
  readonly counters: Counters
  readonly calls: number
  /** Cursors handed back with a part of a parallel phase in the middle of a page. */
  readonly midPage: number
}

export interface Call {
  readonly csv: string
  readonly counters: Counters
  /** The cursor handed back, in its wire form (null: the export is complete). */
  readonly next: string | null
  readonly phase: Phase | null
  /** What the call asked to wait before the next, in ms. */
  readonly wait: number
}

/** One export/next call from `cursor`, in an invocation of its own. */
export const oneCall = (
  harness: Harness,
  format: RowFormat,
  cursor: string,
  budget: ChunkBudget,
  settings: PipelineSettings = SETTINGS,
): Promise<Call> =>
  runOn(
    harness,
    Effect.gen(function* () {
      const jira = yield* ExportJira
      const content = yield* decodeCursor(cursor)
      const result = yield* runChunk({ jira, format, content, settings, budget })
      return {
        csv: result.csv,
        counters: result.counters,
        next: result.next === null ? null : encodeCursor(result.next),
        phase: result.next?.phase ?? null,
        wait: result.retryAfterMs ?? 0,
      }
    }),
  )

/** The whole file from `content` on through export/next calls, one invocation each (no header). */
export const chunkAll = async (
  harness: Harness,
  format: RowFormat,
  content: CursorContent,
  budget: ChunkBudget,
  settings: PipelineSettings = SETTINGS,
): Promise<Chunked> => {
  let cursor = encodeCursor(content)
  let csv = ""
  let calls = 0
  let midPage = 0
  for (;;) {
    calls++
    if (calls > 2000) throw new Error("the export does not end")
    const chunk = await oneCall(harness, format, cursor, budget, settings)
    csv += chunk.csv
    const phase = chunk.phase
    if (phase?._tag === "parallel" && phase.parts.some((p) => (p.skip ?? 0) > 0)) midPage++
    if (chunk.next === null) return { csv, counters: chunk.counters, calls, midPage }
    // A call that writes nothing and hands back its own cursor would be repeated for ever.
    if (chunk.next === cursor && chunk.csv === "" && chunk.wait === 0)
      throw new Error(`no progress: call ${calls} handed back its own cursor and wrote nothing`)
    if (chunk.wait > 0) await new Promise((resolve) => setTimeout(resolve, Math.min(chunk.wait, 2000)))
    cursor = chunk.next
  }
}

/** An issue of the data set as the partitions see it. */
export interface DataIssue {
  readonly id: number
  readonly key: string
  readonly project: string
  readonly number: number
  /** Minutes since the epoch, as JQL compares dates. */
  readonly created: number
  readonly updated: number
}

const minuteOf = (value: unknown): number => {
  const ms = typeof value === "string" ? Date.parse(value.replace(/([+-]\d\d)(\d\d)$/, "$1:$2")) : Number.NaN
  if (Number.isNaN(ms)) throw new Error(`not a date: ${String(value)}`)
  return Math.floor(ms / 60_000)
}

/** Every issue of the data set that is not deleted, in id order. */
export const dataIssues = (emulator: RunningEmulator): ReadonlyArray<DataIssue> => {
  const out: Array<DataIssue> = []
  for (let i = 0; i < emulator.dataset.issueCount; i++) {
    const issue = emulator.dataset.issueAt(i)
    if (issue === undefined) continue
    out.push({
      id: issue.numericId,
      key: issue.key,
      project: issue.projectKey,
      number: Number(issue.key.split("-")[1]),
      created: minuteOf(issue.fields.created),
      updated: minuteOf(issue.fields.updated),
    })
  }
  return out
}

/** Issue ids and keys of the query, in Jira's order, as the admin sees them. */
export const referenceIssues = (
  emulator: RunningEmulator,
  jql: string,
): ReadonlyArray<{ readonly id: string; readonly key: string }> =>
  emulator
    .referenceSearch(jql, emulator.accounts.admin.accountId)
    .map((id) => ({ id, key: emulator.dataset.issueByIdOrKey(id)?.key ?? `?${id}` }))

/** Issue keys of the query, in Jira's order, as the admin sees them. */
export const referenceKeys = (emulator: RunningEmulator, jql: string): ReadonlyArray<string> =>
  referenceIssues(emulator, jql).map((issue) => issue.key)

/** The issue key of each row of a CSV without its header (the first column is the key). */
export const rowKeys = (csv: string): ReadonlyArray<string> =>
  (parse(csv, { relax_column_count: true }) as Array<Array<string>>).map((row) => row[0] ?? "")
