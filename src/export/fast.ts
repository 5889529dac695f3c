/**
 * The fast strategy: id pages (`fields=id`, up to 5000) feed bulkfetch batches of 100 run with a
 * bounded, adaptive concurrency (bulk.ts), while the next id page is listed. About 2 points per issue,
 * many times faster than thrifty. Under a short points quota an id page lists only what the points
 * left can also fetch (points.ts). A refused page token is followed by a relocation (relocate.ts),
 * which this file also streams, since an export found again continues as a fast phase.
 */
import { Clock, Effect, Option, Ref, Stream, SubscriptionRef } from "effect"
import { JiraError } from "../jira/JiraError.js"
import { fetchInSearchOrder } from "./bulk.js"
import { decodeIds, encodeIds, type Phase } from "./cursor.js"
import type { ExportContext, Unit } from "./pipeline.js"
import { affordableIdPage, affords, pointsLeft } from "./points.js"
import {
  decodeRecent,
  type FastPhase,
  isExpiredToken,
  locate,
  placeLost,
  type RelocatePhase,
  recentField,
  recentIds,
  relocation,
} from "./relocate.js"
import { toUnits } from "./units.js"

export type { FastPhase } from "./relocate.js"

interface IdPage {
  readonly ids: ReadonlyArray<string>
  /** Token of the id page after this one. */
  readonly token: string | null
  readonly more: boolean
  /** The last ids listed before this page, to find the place again should `token` be refused. */
  readonly before: ReadonlyArray<string>
}

interface Batch {
  readonly ids: ReadonlyArray<string>
  readonly after: Phase | null
  /** Where the export stands when the batch's ids before `position` have been emitted. */
  readonly resumeAt: (position: number) => Phase
}

/** The phase with the page's ids from `index` on still to emit. */
const phaseAt = (page: IdPage, index: number): FastPhase => {
  const rest = page.ids.slice(index)
  return {
    _tag: "fast",
    pending: encodeIds(rest),
    token: page.token,
    more: page.more,
    ...(rest.length === 0 ? recentField(recentIds(page.before, page.ids.slice(0, index))) : {}),
  }
}

const batchesOf = (page: IdPage, size: number): ReadonlyArray<Batch> => {
  const batches: Array<Batch> = []
  for (let start = 0; start < page.ids.length; start += size) {
    const end = Math.min(start + size, page.ids.length)
    batches.push({
      ids: page.ids.slice(start, end),
      resumeAt: (position) => phaseAt(page, Math.min(start + position, end)),
      after: end === page.ids.length && !page.more ? null : phaseAt(page, end),
    })
  }
  return batches
}

/** What one export stream shares between listing and fetching. */
interface Shared {
  /** Ids listed but not fetched yet. */
  readonly unfetched: SubscriptionRef.SubscriptionRef<number>
  /** Set when Jira refused an id page's token: the relocation to stream once the rest is emitted. */
  readonly refused: Ref.Ref<RelocatePhase | null>
}

/**
 * How many ids to list next. Without a quota (or with points to spare) a whole page, listed while
 * the previous page is fetched. Short of points: once everything listed is fetched, as many as the
 * points left can list and fetch, so every quota window ends with its issues emitted.
 */
const idPageSize = (ctx: ExportContext, shared: Shared): Effect.Effect<number> =>
  Effect.gen(function* () {
    const full = ctx.settings.idPageSize
    const left = pointsLeft(yield* ctx.jira.quota, yield* Clock.currentTimeMillis)
    if (affords(left, full, yield* SubscriptionRef.get(shared.unfetched))) return full
    yield* shared.unfetched.changes.pipe(
      Stream.takeUntil((n) => n === 0),
      Stream.runDrain,
    )
    return affordableIdPage(pointsLeft(yield* ctx.jira.quota, yield* Clock.currentTimeMillis), full)
  })

type Next =
  | { readonly _tag: "page"; readonly page: IdPage }
  | { readonly _tag: "list"; readonly token: string | null; readonly before: ReadonlyArray<string> }

/** The id pages from `first` on: the pending ids of the phase, then pages listed while the gate admits. */
const idPages = (ctx: ExportContext, first: IdPage, shared: Shared): Stream.Stream<IdPage, JiraError> => {
  const after = (page: IdPage): Option.Option<Next> =>
    page.more
      ? Option.some({ _tag: "list", token: page.token, before: recentIds(page.before, page.ids) })
      : Option.none()
  const start: Next =
    first.ids.length === 0 && first.more
      ? { _tag: "list", token: first.token, before: first.before }
      : { _tag: "page", page: first }
  return Stream.unfoldEffect(
    Option.some(start),
    (next): Effect.Effect<Option.Option<readonly [IdPage, Option.Option<Next>]>, JiraError> =>
      Effect.gen(function* () {
        if (Option.isNone(next)) return Option.none()
        if (next.value._tag === "page") return Option.some([next.value.page, after(next.value.page)] as const)
        // Listing costs points too, so it only starts while the gate is open.
        if (!(yield* ctx.gate.admit(0))) return Option.none()
        const { token, before } = next.value
        const listed = yield* ctx
          .call(
            ctx.jira.searchIds({
              jql: ctx.jql,
              maxResults: yield* idPageSize(ctx, shared),
              ...(token === null ? {} : { nextPageToken: token }),
            }),
          )
          .pipe(Effect.either)
        if (listed._tag === "Left") {
          if (token === null || !isExpiredToken(listed.left)) return yield* listed.left
          if (before.length === 0) return yield* placeLost()
          yield* Ref.set(shared.refused, relocation(before))
          return Option.none()
        }
        const { ids, isLast, nextPageToken } = listed.right
        yield* SubscriptionRef.update(shared.unfetched, (n) => n + ids.length)
        const following = isLast || !nextPageToken ? null : nextPageToken
        const page: IdPage = { ids, token: following, more: following !== null, before }
        return Option.some([page, after(page)] as const)
      }),
  )
}

const fetchBatch = (
  ctx: ExportContext,
  batch: Batch,
  shared: Shared,
): Effect.Effect<ReadonlyArray<Unit>, JiraError> =>
  Effect.gen(function* () {
    const fetched = yield* fetchInSearchOrder(ctx, batch.ids)
    yield* SubscriptionRef.update(shared.unfetched, (n) => n - batch.ids.length)
    return yield* toUnits(ctx, { ...fetched, after: batch.after, resumeAt: batch.resumeAt })
  })

/** A unit with no rows that only moves the export's position (and may count a relocation). */
const mark = (after: Phase | null, relocated = false): Unit => ({
  text: "",
  rows: 0,
  truncatedCells: 0,
  missing: [],
  after,
  ...(relocated ? { relocated } : {}),
})

/** A relocation from `phase` on: one unit per id page listed (a call may stop between them), then fast. */
export const relocating = (ctx: ExportContext, phase: RelocatePhase): Stream.Stream<Unit, JiraError> =>
  Stream.unwrap(
    Effect.gen(function* () {
      if (!(yield* ctx.gate.admit(0))) return Stream.empty
      const located = yield* locate(ctx, phase)
      if (located._tag === "searching")
        return Stream.make(mark(located.phase)).pipe(
          Stream.concat(Stream.suspend(() => relocating(ctx, located.phase))),
        )
      if (located.phase === null) return Stream.make(mark(null))
      return Stream.make(mark(located.phase)).pipe(Stream.concat(fast(ctx, located.phase)))
    }),
  )

/**
 * Once the stream before it has been emitted: the relocation Jira's refusal of a token asked for
 * (counted in its first unit), or nothing.
 */
export const afterRefusal = (
  ctx: ExportContext,
  refused: Ref.Ref<RelocatePhase | null>,
): Stream.Stream<Unit, JiraError> =>
  Stream.unwrap(
    Ref.get(refused).pipe(
      Effect.map((phase) =>
        phase === null
          ? Stream.empty
          : Stream.make(mark(phase, true)).pipe(Stream.concat(relocating(ctx, phase))),
      ),
    ),
  )

export const fast = (ctx: ExportContext, phase: FastPhase): Stream.Stream<Unit, JiraError> =>
  Stream.unwrap(
    Effect.gen(function* () {
      const pending = decodeIds(phase.pending)
      if (pending._tag === "Left")
        return yield* new JiraError({ reason: "Decode", message: "The export position is damaged." })
      const before = yield* decodeRecent(phase.recent)
      const shared: Shared = {
        unfetched: yield* SubscriptionRef.make(pending.right.length),
        refused: yield* Ref.make<RelocatePhase | null>(null),
      }
      const first: IdPage = { ids: pending.right, token: phase.token, more: phase.more, before }
      return idPages(ctx, first, shared).pipe(
        // The next id page is listed while bulkfetches of this one run.
        Stream.buffer({ capacity: 1 }),
        Stream.flatMap((page) => Stream.fromIterable(batchesOf(page, ctx.settings.bulkSize))),
        Stream.mapEffect((batch) =>
          ctx.gate
            .admit(batch.ids.length)
            .pipe(Effect.map((open) => (open ? Option.some(batch) : Option.none()))),
        ),
        Stream.takeWhile(Option.isSome),
        Stream.map((batch) => batch.value),
        // One batch in progress per request allowed in flight, plus one: more only holds more issues in
        // memory (each batch is 100 issues of raw, parsed and formatted data) for no measurable speed.
        Stream.mapEffect((batch) => fetchBatch(ctx, batch, shared), {
          concurrency: ctx.settings.requestConcurrency + 1,
        }),
        Stream.flattenIterables,
        Stream.concat(afterRefusal(ctx, shared.refused)),
      )
    }),
  )
