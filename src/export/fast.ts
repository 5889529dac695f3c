/**
 * The fast strategy: id pages (`fields=id`, up to 5000) feed bulkfetch batches of 100 run with a
 * bounded, adaptive concurrency (bulk.ts), while the next id page is listed. About 2 points per issue,
 * many times faster than thrifty. A refused page token is followed by a relocation (relocate.ts),
 * which this file also streams, since an export found again continues as a fast phase.
 *
 * Each id page listed moves the export's position first (its ids become the cursor's pending ids):
 * an id page costs as many points as it lists ids (docs/jira-cloud.md §6), so under a points quota a
 * listing that spent the window's points is kept, and the next window fetches instead of listing again.
 */
import { Effect, Fiber, Option, Ref, Stream } from "effect"
import { JiraError } from "../jira/JiraError.js"
import { fetchInSearchOrder } from "./bulk.js"
import { decodeIds, encodeIds, keysField, keysOf, type Phase } from "./cursor.js"
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
import type { ExportContext, ExportFailure, Unit } from "./types.js"
import { toUnits } from "./units.js"

export type { FastPhase } from "./relocate.js"

/**
 * Ids on the first page of an export streamed to its end: a full page (5,000) takes about 0.6 s
 * before any batch can start; a short one lets ten batches start at once while the next is listed.
 */
const FIRST_ID_PAGE = 1000

interface IdPage {
  readonly ids: ReadonlyArray<string>
  /** Keys of the ids, as listed (and kept in the cursor with the pending ids), to name issues gone before their bulkfetch. */
  readonly keys: ReadonlyMap<string, string>
  /** Token of the id page after this one. */
  readonly token: string | null
  readonly more: boolean
  /** The last ids listed before this page, to find the place again should `token` be refused. */
  readonly before: ReadonlyArray<string>
  /** Listed in this stream (not the pending ids of the phase it started from). */
  readonly listed: boolean
  /** Jira refused the token of this listing: no ids, the relocation that takes over. */
  readonly refused?: RelocatePhase
}

interface Batch {
  readonly ids: ReadonlyArray<string>
  readonly keys: ReadonlyMap<string, string>
  /** The refused listing: once every batch before it is admitted, the relocation takes over. */
  readonly refused?: RelocatePhase
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
    ...keysField(rest, page.keys),
    token: page.token,
    more: page.more,
    ...(rest.length === 0 ? recentField(recentIds(page.before, page.ids.slice(0, index))) : {}),
  }
}

/** The page's batches, after an empty one that makes a listed page the export's position. */
const batchesOf = (page: IdPage, size: number): ReadonlyArray<Batch> => {
  if (page.refused !== undefined)
    return [
      { ids: [], keys: page.keys, refused: page.refused, after: null, resumeAt: () => phaseAt(page, 0) },
    ]
  const batches: Array<Batch> = page.listed
    ? [
        {
          ids: [],
          keys: page.keys,
          resumeAt: () => phaseAt(page, 0),
          after: page.ids.length === 0 && !page.more ? null : phaseAt(page, 0),
        },
      ]
    : []
  for (let start = 0; start < page.ids.length; start += size) {
    const end = Math.min(start + size, page.ids.length)
    batches.push({
      ids: page.ids.slice(start, end),
      keys: page.keys,
      resumeAt: (position) => phaseAt(page, Math.min(start + position, end)),
      after: end === page.ids.length && !page.more ? null : phaseAt(page, end),
    })
  }
  return batches
}

type Step = Option.Option<readonly [IdPage, Option.Option<Next>]>

type Next =
  | { readonly _tag: "page"; readonly page: IdPage }
  | { readonly _tag: "list"; readonly token: string | null; readonly before: ReadonlyArray<string> }
  /** The listing of the next id page, started while the page before it is fetched. */
  | { readonly _tag: "ahead"; readonly listing: Fiber.Fiber<Step, JiraError> }

/** The id pages from `first` on: the pending ids of the phase, then pages listed while the gate admits. */
const idPages = (ctx: ExportContext, first: IdPage): Stream.Stream<IdPage, JiraError> => {
  // Ids handed on so far in this call: each is admitted (or the call stops) before the next page's.
  let handedOn = 0
  const list = (token: string | null, before: ReadonlyArray<string>): Effect.Effect<Step, JiraError> =>
    Effect.gen(function* () {
      const size = token === null && (yield* shortFirstPage(ctx)) ? FIRST_ID_PAGE : ctx.settings.idPageSize
      const listed = yield* ctx
        .call(
          ctx.jira.searchIds({
            jql: ctx.jql,
            maxResults: withinRows(ctx, size, handedOn),
            ...(token === null ? {} : { nextPageToken: token }),
            withKeys: true,
          }),
        )
        .pipe(Effect.either)
      if (listed._tag === "Left") {
        if (token === null || !isExpiredToken(listed.left)) return yield* listed.left
        if (before.length === 0) return yield* placeLost()
        // Passed on in order: the relocation only starts if the stream gets this far.
        const refusal: IdPage = {
          ids: [],
          keys: new Map(),
          token,
          more: false,
          before,
          listed: false,
          refused: relocation(before),
        }
        return Option.some([refusal, Option.none()] as const)
      }
      const { ids, keys, isLast, nextPageToken } = listed.right
      const following = isLast || !nextPageToken ? null : nextPageToken
      const page: IdPage = {
        ids,
        keys: keysOf(ids, keys),
        token: following,
        more: following !== null,
        before,
        listed: true,
      }
      return Option.some([page, Option.none()] as const)
    })
  // The next page is listed while this one is fetched: streamed to its end (the command line), after
  // a page this stream listed and unless the quota headers say points are short (a resumed run first
  // fetches what its cursor holds: a listing the quota cuts off is paid for again); under a
  // call's budgets only when the rows measured so far say the call will take a batch of it. Otherwise
  // once this page's last batch is taken.
  const handOn = (page: IdPage): Effect.Effect<Step> =>
    Effect.gen(function* () {
      handedOn += page.ids.length
      if (!page.more) return Option.some([page, Option.none()] as const)
      const before = recentIds(page.before, page.ids)
      const ahead = ctx.gate.budgeted
        ? yield* ctx.gate.fits(handedOn + ctx.settings.bulkSize)
        : page.listed && (yield* pointsToSpare(ctx))
      if (!ahead)
        return Option.some([page, Option.some({ _tag: "list", token: page.token, before })] as const)
      const listing = yield* Effect.fork(list(page.token, before))
      return Option.some([page, Option.some({ _tag: "ahead", listing })] as const)
    })
  const start: Next =
    first.ids.length === 0 && first.more
      ? { _tag: "list", token: first.token, before: first.before }
      : { _tag: "page", page: first }
  return Stream.unfoldEffect(
    Option.some(start),
    (next): Effect.Effect<Step, JiraError> =>
      Effect.gen(function* () {
        if (Option.isNone(next)) return Option.none()
        if (next.value._tag === "page") return yield* handOn(next.value.page)
        if (next.value._tag === "ahead") {
          const { listing } = next.value
          if (!(yield* ctx.gate.admit(0)))
            return yield* Fiber.interrupt(listing).pipe(Effect.as(Option.none()))
          const listed = yield* Fiber.join(listing)
          return Option.isNone(listed) ? listed : yield* handOn(listed.value[0])
        }
        // Listing costs points too, so it only starts while the gate is open; under a call's budgets,
        // only while a batch of what it lists would still be taken: a listing the call throws away is
        // paid for again by the next call (a point per id, 5,000 for a full page).
        if (ctx.gate.budgeted && !(yield* ctx.gate.wouldAdmit(ctx.settings.bulkSize))) return Option.none()
        if (!(yield* ctx.gate.admit(0))) return Option.none()
        const listed = yield* list(next.value.token, next.value.before)
        return Option.isNone(listed) ? listed : yield* handOn(listed.value[0])
      }),
  )
}

/**
 * An id page no longer than the rows the steward left this call (`handedOn`: ids already handed on):
 * listing costs a point per id before any of them is fetched, so a full page of 5,000 ids would spend
 * several calls' allowance at once. At least a batch, so that the call moves on.
 */
const withinRows = (ctx: ExportContext, size: number, handedOn: number): number =>
  ctx.gate.maxRows === undefined
    ? size
    : Math.min(size, Math.max(ctx.settings.bulkSize, ctx.gate.maxRows - handedOn))

/**
 * With points to spare, the first id page is short, so the first batches start sooner while the next
 * page is listed. Under a tight quota the listing stays one page: each page listed costs a request's
 * point, and the position moves a page at a time.
 */
const shortFirstPage = (ctx: ExportContext): Effect.Effect<boolean> =>
  Effect.gen(function* () {
    if (ctx.settings.idPageSize <= FIRST_ID_PAGE) return false
    // Under a call's budgets, only a call that knows its bytes per row lists the next page ahead.
    if (ctx.gate.budgeted && (yield* ctx.gate.bytesPerRow) === undefined) return false
    return yield* pointsToSpare(ctx)
  })

/** Whether Jira's quota headers leave room for listing a page ahead (no headers: API-token traffic). */
const pointsToSpare = (ctx: ExportContext): Effect.Effect<boolean> =>
  ctx.jira.quota.pipe(
    Effect.map(
      (quota) =>
        !quota.nearLimit && (quota.remaining === undefined || quota.remaining > 2 * ctx.settings.idPageSize),
    ),
  )

/** A unit with no rows that only moves the export's position (and may count a relocation). */
const mark = (after: Phase | null, relocated = false): Unit => ({
  text: "",
  rows: 0,
  truncatedCells: 0,
  missing: [],
  after,
  positionOnly: true,
  ...(relocated ? { relocated } : {}),
})

const fetchBatch = (
  ctx: ExportContext,
  batch: Batch,
  refused: Ref.Ref<RelocatePhase | null>,
): Effect.Effect<ReadonlyArray<Unit>, ExportFailure> =>
  batch.refused !== undefined
    ? Ref.set(refused, batch.refused).pipe(Effect.as([]))
    : batch.ids.length === 0
      ? Effect.succeed([mark(batch.after)])
      : Effect.gen(function* () {
          const fetched = yield* fetchInSearchOrder(ctx, batch.ids, batch.keys)
          return yield* toUnits(ctx, { ...fetched, after: batch.after, resumeAt: batch.resumeAt })
        })

/** A relocation from `phase` on: one unit per id page listed (a call may stop between them), then fast. */
export const relocating = (ctx: ExportContext, phase: RelocatePhase): Stream.Stream<Unit, ExportFailure> =>
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
): Stream.Stream<Unit, ExportFailure> =>
  Stream.unwrap(
    Ref.get(refused).pipe(
      Effect.map((phase) =>
        phase === null
          ? Stream.empty
          : Stream.make(mark(phase, true)).pipe(Stream.concat(relocating(ctx, phase))),
      ),
    ),
  )

export const fast = (ctx: ExportContext, phase: FastPhase): Stream.Stream<Unit, ExportFailure> =>
  Stream.unwrap(
    Effect.gen(function* () {
      const pending = decodeIds(phase.pending)
      if (pending._tag === "Left")
        return yield* new JiraError({ reason: "Decode", message: "The export position is damaged." })
      const before = yield* decodeRecent(phase.recent)
      const refused = yield* Ref.make<RelocatePhase | null>(null)
      const first: IdPage = {
        ids: pending.right,
        keys: keysOf(pending.right, phase.keys),
        token: phase.token,
        more: phase.more,
        before,
        listed: false,
      }
      // When the next id page is listed while this one's batches run: idPages (`handOn`).
      return idPages(ctx, first).pipe(
        Stream.flatMap((page) => Stream.fromIterable(batchesOf(page, ctx.settings.bulkSize))),
        Stream.mapEffect((batch) =>
          // A listed page's marker costs nothing and keeps what was paid for: the cursor then holds
          // the page's ids, and the next call does not list them again.
          batch.ids.length === 0 && batch.refused === undefined
            ? Effect.succeed(Option.some(batch))
            : ctx.gate
                .admit(batch.ids.length)
                .pipe(Effect.map((open) => (open ? Option.some(batch) : Option.none()))),
        ),
        Stream.takeWhile(Option.isSome),
        Stream.map((batch) => batch.value),
        // One batch in progress per request allowed in flight, plus one: more only holds more issues in
        // memory (each batch is 100 issues of raw, parsed and formatted data) for no measurable speed.
        Stream.mapEffect((batch) => fetchBatch(ctx, batch, refused), {
          concurrency: ctx.settings.requestConcurrency + 1,
        }),
        Stream.flattenIterables,
        Stream.concat(afterRefusal(ctx, refused)),
      )
    }),
  )
