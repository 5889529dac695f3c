/**
 * The parts of a parallel thrifty export, read at once and written in the query's order
 * (docs/jira-cloud.md §13). `concat`: up to `requestConcurrency` parts are read ahead while the first is
 * written; each part's pages are written once the parts before it are. `merge`: every part is read at
 * once, a few pages ahead, and their issues are merged by the order (order.ts).
 *
 * Every unit carries the position of every part not yet written to its end, so a cursor resumes each
 * where it stood; what a part read ahead but did not write is read again then. A refused page token
 * hands over to a relocation of the whole query after the last issues written (relocate.ts), as the
 * sequential thrifty does.
 */
import { Chunk, Deferred, Effect, Option, Queue, Ref, Scope, Stream } from "effect"
import { CHANGELOG_BULK_MAX_ISSUES } from "../../jira/changelogRequests.js"
import type { Phase } from "../cursor.js"
import { afterRefusal } from "../fast.js"
import type { ExportContext, ExportFailure, Unit } from "../pipeline.js"
import type { ExportIssue } from "../ports.js"
import {
  decodeRecent,
  placeLost,
  type RelocatePhase,
  recentField,
  recentIds,
  relocation,
} from "../relocate.js"
import { type Source, toUnits } from "../units.js"
import type { Direction, SplitQuery } from "./order.js"
import { MAX_PART_ISSUES, type PartsPlan } from "./plan.js"
import { type PartPosition, partJql } from "./ranges.js"
import { type PartEvent, type PartPage, type PartReader, startReader } from "./reader.js"

export type ParallelPhase = Extract<Phase, { readonly _tag: "parallel" }>

/** Pages of a `concat` plan held ahead of the part being written, per request slot. */
const AHEAD_PAGES_PER_SLOT = 6

/** Pages a part of a `merge` plan reads ahead of what the merge has taken from it. */
const MERGE_AHEAD_PAGES = 2

const idsOf = (issues: ReadonlyArray<ExportIssue>) => issues.map((issue) => issue.id)

const position = (part: PartPosition, token: string | null, skip: number): PartPosition => ({
  where: part.where,
  token,
  ...(skip > 0 ? { skip } : {}),
  ...(part.size === undefined ? {} : { size: part.size }),
})

const phaseOf = (
  mode: ParallelPhase["mode"],
  parts: ReadonlyArray<PartPosition>,
  recent: ReadonlyArray<string>,
): Phase | null => (parts.length === 0 ? null : { _tag: "parallel", mode, parts, ...recentField(recent) })

/** What the stream of a part plan yields: sources to write, a failure after them, or its early end. */
type Item =
  | { readonly _tag: "sources"; readonly sources: ReadonlyArray<Source> }
  | { readonly _tag: "fail"; readonly error: ExportFailure }
  | { readonly _tag: "halt" }

/** Sources until the first halt; a refused token was remembered in `refused` for the relocation. */
const written = (
  ctx: ExportContext,
  items: Stream.Stream<ReadonlyArray<Item>, ExportFailure>,
  refused: Ref.Ref<RelocatePhase | null>,
): Stream.Stream<Unit, ExportFailure> =>
  items.pipe(
    Stream.flattenIterables,
    Stream.takeWhile((item) => item._tag !== "halt"),
    Stream.flatMap((item) =>
      item._tag === "fail"
        ? Stream.fail(item.error)
        : Stream.fromIterable(item._tag === "sources" ? item.sources : []),
    ),
    Stream.mapEffect((source) => toUnits(ctx, source)),
    Stream.flattenIterables,
    Stream.concat(afterRefusal(ctx, refused)),
  )

/** What ends a plan's stream early after `sources`: a part's failure, the call's budget, a refused token. */
const ending = (
  ctx: ExportContext,
  sources: ReadonlyArray<Source>,
  event: PartEvent | undefined,
  recent: ReadonlyArray<string>,
  refused: Ref.Ref<RelocatePhase | null>,
): Effect.Effect<ReadonlyArray<Item>> => {
  const written: ReadonlyArray<Item> = sources.length === 0 ? [] : [{ _tag: "sources", sources }]
  if (event === undefined || event._tag === "page" || event._tag === "end") return Effect.succeed(written)
  if (event._tag === "failed") return Effect.succeed([...written, { _tag: "fail", error: event.error }])
  // The call's budget: it ends here on purpose, and its answer carries the position.
  if (event._tag === "stopped") return ctx.gate.stop.pipe(Effect.as([...written, { _tag: "halt" } as const]))
  // Everything written so far is a prefix of the query: find the place after it.
  if (recent.length === 0) return Effect.succeed([...written, { _tag: "fail", error: placeLost() }])
  return Ref.set(refused, relocation(recent)).pipe(Effect.as([...written, { _tag: "halt" } as const]))
}

/** Pages gathered into one step when rows need changelogs (one changelog request reads them). */
const stepPages = (ctx: ExportContext): number =>
  ctx.changelogs === undefined
    ? 1
    : Math.max(1, Math.floor(CHANGELOG_BULK_MAX_ISSUES / ctx.settings.searchPageSize))

/** A reader's events, a step at a time (the pages it has ready, up to `perStep`), to its last. */
const drain =
  (perStep: number) =>
  (
    reader: PartReader,
  ): Stream.Stream<{ readonly reader: PartReader; readonly events: ReadonlyArray<PartEvent> }> =>
    Stream.unfoldEffect(false, (finished) =>
      finished
        ? Effect.succeed(Option.none())
        : Queue.takeBetween(reader.events, 1, perStep).pipe(
            Effect.map((chunk) => {
              const events = Chunk.toReadonlyArray(chunk)
              return Option.some([{ reader, events }, events.some((e) => e._tag !== "page")] as const)
            }),
          ),
    )

/**
 * Whether a part read ahead may read its next page under a call's budgets: when `rows` in all (the
 * parts before it by their counts, and its pages so far) would still fit the answer. It does not
 * count against the call's budget (the part being written does) and never stops the call: a part
 * that does not fit stops reading, and the call ends when it is that part's turn. Before the call has
 * measured a row it waits, until then or until it is the part being written.
 */
const fitsAhead = (ctx: ExportContext, rows: number, head: Deferred.Deferred<void>): Effect.Effect<boolean> =>
  Effect.gen(function* () {
    for (;;) {
      if (yield* Deferred.isDone(head)) return yield* ctx.gate.admit(ctx.settings.searchPageSize)
      if (yield* ctx.gate.fits(rows)) return true
      if ((yield* ctx.gate.stopped) || (yield* ctx.gate.bytesPerRow) !== undefined) return false
      yield* Effect.raceFirst(Effect.sleep(25), Deferred.await(head))
    }
  })

/**
 * Reads the parts of `plan` from where each stands (`recent`: the ids written just before, when a
 * cursor resumes).
 */
export const parallel = (
  ctx: ExportContext,
  plan: PartsPlan,
  recent: ParallelPhase["recent"],
  query: SplitQuery,
  merge: { readonly rankFieldId: string; readonly direction: Direction } | undefined,
): Stream.Stream<Unit, ExportFailure> =>
  plan.mode === "merge" && merge !== undefined
    ? merged(ctx, plan.planned(), recent, query, merge)
    : concatenated(ctx, plan, recent, query)

const concatenated = (
  ctx: ExportContext,
  plan: PartsPlan,
  written0: ParallelPhase["recent"],
  query: SplitQuery,
) =>
  Stream.unwrapScoped(
    Effect.gen(function* () {
      const scope = yield* Effect.scope
      const refused = yield* Ref.make<RelocatePhase | null>(null)
      const pageSize = ctx.settings.searchPageSize
      let recent: ReadonlyArray<string> = yield* decodeRecent(written0)
      /** The parts after the `j`-th, planned or standing for what is not planned yet. */
      const after = (j: number): ReadonlyArray<PartPosition> => {
        const unplanned = plan.unplanned()
        return [...plan.planned().slice(j + 1), ...(unplanned === null ? [] : [unplanned])]
      }
      const slots = ctx.settings.requestConcurrency
      // At most `slots` parts read at once (more would only queue for request slots, and a part that
      // waits there holds up every part after it); parts read to their end wait to be written, their
      // pages counted against the pages that may be held ahead of the part being written.
      const reading = yield* Effect.makeSemaphore(slots)
      const ahead = yield* Effect.makeSemaphore(AHEAD_PAGES_PER_SLOT * slots)
      const open = ([part, j]: readonly [PartPosition, number]) =>
        Effect.gen(function* () {
          // Under a call's budgets, a part after the first is read only while what comes before it
          // (the parts before, by their counts) and its pages would still fit the answer.
          const before = plan
            .planned()
            .slice(0, j)
            .reduce((sum, p) => sum + (p.size ?? MAX_PART_ISSUES), 0)
          const head = yield* Deferred.make<void>()
          yield* reading.take(1)
          const reader = yield* startReader({
            ctx,
            index: j,
            part,
            jql: partJql(query, part.where),
            fields: ctx.format.fields,
            capacity: Math.ceil(MAX_PART_ISSUES / pageSize) + 2,
            admit: (pages) =>
              !ctx.gate.budgeted || j === 0
                ? ctx.gate.admit(pageSize)
                : fitsAhead(ctx, before + (pages + 1) * pageSize, head),
            // The part being written reads without waiting: the pages held are those after it.
            hold: Effect.if(Deferred.isDone(head), {
              onTrue: () => Effect.succeed(false),
              onFalse: () =>
                Effect.raceFirst(
                  ahead.take(1).pipe(Effect.as(true)),
                  Deferred.await(head).pipe(Effect.as(false)),
                ),
            }),
            done: reading.release(1),
          }).pipe(Scope.extend(scope))
          return { reader, head }
        })
      const items = plan.parts.pipe(
        Stream.zipWithIndex,
        Stream.mapEffect(open),
        // Parts opened ahead of the one being written (their pages are bounded by `ahead`).
        Stream.buffer({ capacity: AHEAD_PAGES_PER_SLOT * slots }),
        Stream.flatMap(({ reader, head }) =>
          Stream.fromEffect(Deferred.succeed(head, undefined)).pipe(
            Stream.drain,
            Stream.concat(drain(stepPages(ctx))(reader)),
            Stream.tap(({ events }) =>
              ahead.release(events.filter((e) => e._tag === "page" && e.held).length),
            ),
          ),
        ),
        Stream.mapEffect(({ reader, events }) => {
          const pages = events.flatMap((e) => (e._tag === "page" ? [e.page] : []))
          const rest = after(reader.index)
          const sources = pages.map((page, k): Source => {
            const start = recent
            const fresh = page.issues.slice(page.skip)
            recent = recentIds(recent, idsOf(fresh))
            const emitted = (at: number) => recentIds(start, idsOf(page.issues.slice(page.skip, at)))
            const here = (at: number): Phase => ({
              _tag: "parallel",
              mode: "concat",
              parts: [position(reader.part, page.token, at), ...rest],
              ...recentField(emitted(at)),
            })
            return {
              issues: fresh,
              positions: fresh.map((_, i) => page.skip + i),
              missing: [],
              upcoming: pages.slice(k + 1).flatMap((later) => idsOf(later.issues.slice(later.skip))),
              after: phaseOf(
                "concat",
                page.following === null ? rest : [position(reader.part, page.following, 0), ...rest],
                recent,
              ),
              resumeAt: here,
            }
          })
          return ending(ctx, sources, events[events.length - 1], recent, refused)
        }),
      )
      return written(ctx, items, refused)
    }),
  )

/** Jira's order by Rank as the merge applies it: empty ranks greatest, ties by id (docs/jira-cloud.md §13). */
export const rankOrder =
  (rankFieldId: string, direction: Direction) =>
  (a: ExportIssue, b: ExportIssue): number => {
    const sign = direction === "asc" ? 1 : -1
    const ra = rankOf(a, rankFieldId)
    const rb = rankOf(b, rankFieldId)
    if (ra !== rb) {
      if (ra === undefined) return sign
      if (rb === undefined) return -sign
      return (ra < rb ? -1 : 1) * sign
    }
    const ia = Number(a.id)
    const ib = Number(b.id)
    return ia !== ib && !Number.isNaN(ia) && !Number.isNaN(ib)
      ? ia - ib
      : a.id < b.id
        ? -1
        : a.id > b.id
          ? 1
          : 0
  }

const rankOf = (issue: ExportIssue, fieldId: string): string | undefined => {
  const value = issue.fields?.[fieldId]
  return typeof value === "string" && value !== "" ? value : undefined
}

/** Where a part of a merge stands: the page it is in and the next issue of it to write. */
interface Head {
  readonly reader: PartReader
  page: PartPage | null
  index: number
  done: boolean
}

const headPosition = (head: Head): PartPosition | null => {
  if (head.done) return null
  const { page, reader } = head
  if (page === null) return reader.part
  if (head.index < page.issues.length) return position(reader.part, page.token, head.index)
  return page.following === null ? null : position(reader.part, page.following, 0)
}

const merged = (
  ctx: ExportContext,
  parts: ReadonlyArray<PartPosition>,
  written0: ParallelPhase["recent"],
  query: SplitQuery,
  order: { readonly rankFieldId: string; readonly direction: Direction },
) =>
  Stream.unwrapScoped(
    Effect.gen(function* () {
      const refused = yield* Ref.make<RelocatePhase | null>(null)
      const pageSize = ctx.settings.searchPageSize
      const fields = ctx.format.fields.includes(order.rankFieldId)
        ? ctx.format.fields
        : [...ctx.format.fields, order.rankFieldId]
      // Under a call's budgets the merge admits its batches itself (below), and a part reads the page
      // the merge waits for without asking: refused, the merge could never go on. A page ahead of
      // need is read only while it would still be written in this call: every part's unwritten
      // pages are read again by the next.
      let writtenRows = 0
      let heads: ReadonlyArray<Head> = []
      const waiting: Array<boolean> = parts.map(() => false)
      const coming: Array<number> = parts.map(() => 0)
      const heldRows = () =>
        heads.reduce(
          (sum, h, j) =>
            sum + (h.page === null ? 0 : h.page.issues.length - h.index) + (coming[j] ?? 0) * pageSize,
          0,
        )
      const ahead = (j: number): Effect.Effect<boolean> =>
        Effect.gen(function* () {
          for (;;) {
            if (waiting[j] === true || (yield* ctx.gate.fits(writtenRows + heldRows() + pageSize))) {
              coming[j] = (coming[j] ?? 0) + 1
              return true
            }
            if (yield* ctx.gate.stopped) return false
            yield* Effect.sleep(10)
          }
        })
      const readers = yield* Effect.forEach(parts, (part, j) =>
        startReader({
          ctx,
          index: j,
          part,
          jql: partJql(query, part.where),
          fields,
          capacity: MERGE_AHEAD_PAGES + 1,
          admit: () => (ctx.gate.budgeted ? ahead(j) : Effect.succeed(true)),
        }),
      )
      heads = readers.map((reader): Head => ({ reader, page: null, index: 0, done: false }))
      const compare = rankOrder(order.rankFieldId, order.direction)
      let recent: ReadonlyArray<string> = yield* decodeRecent(written0)
      let over = false
      const positions = () => heads.flatMap((h) => headPosition(h) ?? [])
      /** Takes the head's next page when it has written the one it holds; its end event, if it ends so. */
      const fill = (head: Head): Effect.Effect<PartEvent | undefined> =>
        Effect.gen(function* () {
          while (!head.done && (head.page === null || head.index >= head.page.issues.length)) {
            if (head.page !== null && head.page.following === null) {
              head.done = true
              break
            }
            const j = head.reader.index
            waiting[j] = true
            const event = yield* Queue.take(head.reader.events)
            waiting[j] = false
            if (event._tag === "page") {
              coming[j] = Math.max(0, (coming[j] ?? 0) - 1)
              head.page = event.page
              head.index = event.page.skip
            } else if (event._tag === "end") head.done = true
            else return event
          }
          return undefined
        })
      /** The next batch of up to a page of merged issues, and what ends the stream after it. */
      const batch = Effect.gen(function* () {
        const issues: Array<ExportIssue> = []
        const at: Array<ReadonlyArray<PartPosition>> = []
        const recents: Array<ReadonlyArray<string>> = []
        let end: PartEvent | undefined
        if (!(yield* ctx.gate.admit(pageSize))) {
          const items: ReadonlyArray<Item> = [{ _tag: "halt" }]
          return { items, finished: false }
        }
        while (issues.length < pageSize && end === undefined) {
          for (const head of heads) {
            end = yield* fill(head)
            if (end !== undefined) break
          }
          if (end !== undefined) break
          let best: Head | undefined
          for (const head of heads) {
            if (head.done || head.page === null) continue
            if (
              best === undefined ||
              compare(head.page.issues[head.index]!, best.page!.issues[best.index]!) < 0
            )
              best = head
          }
          if (best === undefined || best.page === null) break
          at.push(positions())
          recents.push(recent)
          const issue = best.page.issues[best.index]!
          issues.push(issue)
          recent = recentIds(recent, [issue.id])
          best.index++
        }
        writtenRows += issues.length
        const after = phaseOf("merge", positions(), recent)
        const source: Source = {
          issues,
          positions: issues.map((_, i) => i),
          missing: [],
          after,
          resumeAt: (i) => ({
            _tag: "parallel",
            mode: "merge",
            parts: at[i] ?? [],
            ...recentField(recents[i] ?? []),
          }),
        }
        const finished = end === undefined && heads.every((h) => h.done || headPosition(h) === null)
        return {
          items: yield* ending(ctx, issues.length === 0 ? [] : [source], end, recent, refused),
          finished,
        }
      })
      const items = Stream.repeatEffectOption(
        Effect.gen(function* () {
          if (over) return yield* Effect.fail(Option.none())
          const { items, finished } = yield* batch
          if (finished || items.some((item) => item._tag !== "sources")) over = true
          return items
        }),
      )
      return written(ctx, items, refused)
    }),
  )
