/**
 * Parts that follow one another in the query's order (docs/jira-cloud.md §13): up to
 * `requestConcurrency` parts are read at once while the first is written, and each part's pages are
 * written once the parts before it are. Parts read to their end wait in memory, their pages bounded.
 */
import { Deferred, Effect, Option, Queue, Ref, Scope, Stream } from "effect"
import { decodeRecent, type RelocatePhase, recentField, recentIds } from "../relocate.js"
import type { ExportContext, ExportFailure, Unit } from "../types.js"
import type { Source } from "../units.js"
import { historyBatcher } from "./histories.js"
import type { SplitQuery } from "./order.js"
import { MAX_PART_ISSUES, type PartsPlan } from "./plan.js"
import { type PartPosition, partJql } from "./ranges.js"
import { type PartEvent, type PartReader, startReader } from "./reader.js"
import { ending, idsOf, type ParallelPhase, phaseOf, position, written } from "./stream.js"

/** Pages of a `concat` plan held ahead of the part being written, per request slot. */
const AHEAD_PAGES_PER_SLOT = 6

/**
 * A reader's events a step at a time, to its last: `perStep()` pages, fewer at the part's end. With
 * changelogs a step is several pages, whose histories are then sent for together (histories.ts).
 */
const drain =
  (perStep: () => number) =>
  (
    reader: PartReader,
  ): Stream.Stream<{ readonly reader: PartReader; readonly events: ReadonlyArray<PartEvent> }> =>
    Stream.unfoldEffect(false, (finished) =>
      finished
        ? Effect.succeed(Option.none())
        : Effect.gen(function* () {
            const events: Array<PartEvent> = []
            const wanted = perStep()
            let pages = 0
            let last = false
            while (pages < wanted && !last)
              for (const event of yield* Queue.takeBetween(reader.events, 1, wanted - pages)) {
                events.push(event)
                if (event._tag === "page") pages++
                else last = true
              }
            return Option.some([{ reader, events }, last] as const)
          }),
    )

/** Pages in a step when rows need changelogs (the first step of a stream is one page: a call measures its rows). */
const HISTORY_STEP_PAGES = 5

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

export const concatenated = (
  ctx: ExportContext,
  plan: PartsPlan,
  written0: ParallelPhase["recent"],
  query: SplitQuery,
): Stream.Stream<Unit, ExportFailure> =>
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
      const histories = historyBatcher(ctx, scope)
      let steps = 0
      const perStep = () => (histories === undefined || steps++ === 0 ? 1 : HISTORY_STEP_PAGES)
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
            ...(histories === undefined ? {} : { read: histories.add }),
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
            Stream.concat(drain(perStep)(reader)),
            Stream.tap(({ events }) =>
              ahead.release(events.filter((e) => e._tag === "page" && e.held).length),
            ),
          ),
        ),
        Stream.mapEffect(({ reader, events }) => {
          const rest = after(reader.index)
          const sources = events.flatMap((event): ReadonlyArray<Source> => {
            if (event._tag !== "page") return []
            const { page } = event
            const start = recent
            const fresh = page.issues.slice(page.skip)
            recent = recentIds(recent, idsOf(fresh))
            const emitted = (at: number) => recentIds(start, idsOf(page.issues.slice(page.skip, at)))
            return [
              {
                issues: fresh,
                positions: fresh.map((_, i) => page.skip + i),
                missing: [],
                after: phaseOf(
                  "concat",
                  page.following === null ? rest : [position(reader.part, page.following, 0), ...rest],
                  recent,
                ),
                resumeAt: (at) => ({
                  _tag: "parallel",
                  mode: "concat",
                  parts: [position(reader.part, page.token, at), ...rest],
                  ...recentField(emitted(at)),
                }),
              },
            ]
          })
          return ending(ctx, sources, events[events.length - 1], recent, refused)
        }),
      )
      return written(ctx, items, refused, histories)
    }),
  )
