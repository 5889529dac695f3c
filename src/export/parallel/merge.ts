/**
 * Parts whose issues interleave, merged by Rank (docs/jira-cloud.md §13): every part is read at once,
 * a few pages ahead of the merge, and the merge takes the least issue of the parts' heads. It writes
 * nothing before it holds a page of every part.
 */
import { Effect, Option, Queue, Ref, Stream } from "effect"
import type { ExportIssue } from "../ports.js"
import { decodeRecent, type RelocatePhase, recentField, recentIds } from "../relocate.js"
import type { ExportContext, ExportFailure, Unit } from "../types.js"
import type { Source } from "../units.js"
import { historyBatcher } from "./histories.js"
import type { Direction, SplitQuery } from "./order.js"
import { type PartPosition, partJql } from "./ranges.js"
import { type PartEvent, type PartPage, type PartReader, startReader } from "./reader.js"
import { ending, type Item, idsOf, type ParallelPhase, phaseOf, position, written } from "./stream.js"

/** Pages a part reads ahead of what the merge has taken from it. */
const MERGE_AHEAD_PAGES = 2

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
/** Where a part of a merge stands: the page it is in and the next issue of it to write. */
interface HeadState {
  page: PartPage | null
  index: number
  done: boolean
}

interface Head extends HeadState {
  readonly reader: PartReader
}

const positionOf = (part: PartPosition, state: HeadState): PartPosition | null => {
  if (state.done) return null
  const { page } = state
  if (page === null) return part
  if (state.index < page.issues.length) return position(part, page.token, state.index)
  return page.following === null ? null : position(part, page.following, 0)
}

const headPosition = (head: Head): PartPosition | null => positionOf(head.reader.part, head)

export const merged = (
  ctx: ExportContext,
  parts: ReadonlyArray<PartPosition>,
  written0: ParallelPhase["recent"],
  query: SplitQuery,
  order: { readonly rankFieldId: string; readonly direction: Direction },
): Stream.Stream<Unit, ExportFailure> =>
  Stream.unwrapScoped(
    Effect.gen(function* () {
      const scope = yield* Effect.scope
      const histories = historyBatcher(ctx, scope)
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
          ...(histories === undefined ? {} : { read: histories.add }),
        }),
      )
      heads = readers.map((reader): Head => ({ reader, page: null, index: 0, done: false }))
      const compare = rankOrder(order.rankFieldId, order.direction)
      let recent: ReadonlyArray<string> = yield* decodeRecent(written0)
      let over = false
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
      /**
       * The next batch of up to a page of merged issues, and what ends the stream after it. Only the
       * head just taken from needs its next page; where every part stood before each issue is
       * replayed from the batch's start when a unit boundary asks for it.
       */
      const batch = Effect.gen(function* () {
        const issues: Array<ExportIssue> = []
        if (!(yield* ctx.gate.admit(pageSize))) {
          const items: ReadonlyArray<Item> = [{ _tag: "halt" }]
          return { items, finished: false }
        }
        let end: PartEvent | undefined
        for (const head of heads) {
          end = yield* fill(head)
          if (end !== undefined) break
        }
        const start: ReadonlyArray<HeadState> = heads.map((h) => ({
          page: h.page,
          index: h.index,
          done: h.done,
        }))
        const startRecent = recent
        const picks: Array<{ readonly head: number; readonly page: PartPage; readonly index: number }> = []
        while (issues.length < pageSize && end === undefined) {
          let best = -1
          for (let j = 0; j < heads.length; j++) {
            const head = heads[j]!
            if (head.done || head.page === null) continue
            const other = heads[best]
            if (
              other === undefined ||
              compare(head.page.issues[head.index]!, other.page!.issues[other.index]!) < 0
            )
              best = j
          }
          const head = heads[best]
          if (head === undefined || head.page === null) break
          picks.push({ head: best, page: head.page, index: head.index })
          issues.push(head.page.issues[head.index]!)
          head.index++
          end = yield* fill(head)
        }
        recent = recentIds(recent, idsOf(issues))
        writtenRows += issues.length
        const partsBefore = (i: number): ReadonlyArray<PartPosition> => {
          const states = start.map((state) => ({ ...state }))
          for (const pick of picks.slice(0, i))
            states[pick.head] = { page: pick.page, index: pick.index + 1, done: false }
          return heads.flatMap((h, j) => positionOf(h.reader.part, states[j] ?? h) ?? [])
        }
        const source: Source = {
          issues,
          positions: issues.map((_, i) => i),
          missing: [],
          after: phaseOf(
            "merge",
            heads.flatMap((h) => headPosition(h) ?? []),
            recent,
          ),
          resumeAt: (i) => ({
            _tag: "parallel",
            mode: "merge",
            parts: partsBefore(i),
            ...recentField(recentIds(startRecent, idsOf(issues.slice(0, i)))),
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
      return written(ctx, items, refused, histories)
    }),
  )
