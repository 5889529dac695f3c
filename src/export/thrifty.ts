/**
 * The thrifty strategy: sequential `/search/jql` pages with the needed fields, about 1 point per issue
 * under Jira's points quota; the next page is read while the current one is formatted. Each phase
 * remembers the last ids emitted, so when Jira refuses a page token the export finds its place again
 * (relocate.ts) and continues as a fast phase.
 *
 * When the rows need changelogs, pages are gathered into steps of up to 1,000 issues, so one
 * `changelog/bulkfetch` reads the histories of ten pages (docs/jira-cloud.md §10) instead of one
 * request per page. The gate still admits each page, and each page is still made into its own units
 * (resuming at its token), so an answer that is full leaves at most a page for the next call.
 */
import { Effect, Option, Ref, Stream } from "effect"
import { CHANGELOG_BULK_MAX_ISSUES } from "../jira/changelogRequests.js"
import type { Phase } from "./cursor.js"
import { afterRefusal } from "./fast.js"
import { plannedParts } from "./parallel/index.js"
import type { ExportIssue } from "./ports.js"
import {
  decodeRecent,
  isExpiredToken,
  placeLost,
  type RelocatePhase,
  recentField,
  recentIds,
  relocation,
} from "./relocate.js"
import type { ExportContext, ExportFailure, Unit } from "./types.js"
import { type Source, toUnits } from "./units.js"

/** A thrifty phase: the page to read (null: the first) and how many of its issues were emitted. */
export type ThriftyPhase = Extract<Phase, { readonly _tag: "thrifty" }>

interface Next {
  readonly token: string | null
  readonly skip: number
  /** The last ids emitted before the page's issue at `skip`. */
  readonly before: ReadonlyArray<string>
  /** Pages this stream read before this one. */
  readonly index: number
}

/** A search page as read: where it was asked from, its issues and the token of the page after it. */
interface PageRead {
  readonly token: string | null
  readonly skip: number
  readonly before: ReadonlyArray<string>
  readonly issues: ReadonlyArray<ExportIssue>
  readonly following: string | null
}

/**
 * A page, and whether it is the last of its step (the pages whose changelogs one request reads); or
 * the end of what this stream may read.
 */
type Read =
  | { readonly _tag: "page"; readonly page: PageRead; readonly closes: boolean }
  | { readonly _tag: "end" }

const idsOf = (issues: ReadonlyArray<ExportIssue>) => issues.map((issue) => issue.id)

/**
 * Pages per step after the first: one without changelogs, else as many as one changelog request
 * reads. The first step of a stream is always one page: the preview shows one page, and a call's gate
 * admits little more before it has measured the first output (gate.ts).
 */
const pagesPerStep = (ctx: ExportContext): number =>
  ctx.changelogs === undefined
    ? 1
    : Math.max(1, Math.floor(CHANGELOG_BULK_MAX_ISSUES / ctx.settings.searchPageSize))

/** One page as a source of units; `upcoming`: the ids of the rest of its step. */
const sourceOf = (page: PageRead, upcoming: ReadonlyArray<string>): Source => {
  const { token, skip, before, issues, following } = page
  // A cursor inside a page (a page cut into several units) skips what was emitted.
  const fresh = issues.slice(skip)
  const emitted = (position: number) => recentIds(before, idsOf(issues.slice(skip, position)))
  return {
    issues: fresh,
    positions: fresh.map((_, i) => skip + i),
    missing: [],
    upcoming,
    after:
      following === null
        ? null
        : { _tag: "thrifty", token: following, ...recentField(emitted(issues.length)) },
    resumeAt: (position) => ({ _tag: "thrifty", token, skip: position, ...recentField(emitted(position)) }),
  }
}

/** The pages of a step as sources: the first page's changelog request reads the whole step's. */
const sourcesOf = (step: ReadonlyArray<PageRead>): ReadonlyArray<Source> =>
  step.map((page, j) =>
    sourceOf(
      page,
      step.slice(j + 1).flatMap((later) => idsOf(later.issues.slice(later.skip))),
    ),
  )

/**
 * A thrifty phase: at its first page, when the start allowed it, cut into parts read in parallel
 * (parallel/); else, or when the order or the size does not allow it, one chain of pages.
 */
export const thrifty = (ctx: ExportContext, phase: ThriftyPhase): Stream.Stream<Unit, ExportFailure> =>
  phase.parallel === true && phase.token === null && (phase.skip ?? 0) === 0
    ? plannedParts(ctx, sequential(ctx, { _tag: "thrifty", token: null }))
    : sequential(ctx, phase)

const sequential = (ctx: ExportContext, phase: ThriftyPhase): Stream.Stream<Unit, ExportFailure> =>
  Stream.unwrap(
    Effect.gen(function* () {
      const refused = yield* Ref.make<RelocatePhase | null>(null)
      const perStep = pagesPerStep(ctx)
      const first: Next = {
        token: phase.token,
        skip: phase.skip ?? 0,
        before: yield* decodeRecent(phase.recent),
        index: 0,
      }
      const end = Option.some([{ _tag: "end" }, Option.none()] as const)
      const pages = Stream.unfoldEffect(
        Option.some(first),
        (next): Effect.Effect<Option.Option<readonly [Read, Option.Option<Next>]>, ExportFailure> =>
          Option.isNone(next)
            ? Effect.succeed(Option.none())
            : Effect.gen(function* () {
                if (!(yield* ctx.gate.admit(ctx.settings.searchPageSize))) return end
                const { token, skip, before, index } = next.value
                const page = yield* ctx
                  .call(
                    ctx.jira.searchPage({
                      jql: ctx.jql,
                      fields: ctx.format.fields,
                      maxResults: ctx.settings.searchPageSize,
                      ...(token === null ? {} : { nextPageToken: token }),
                    }),
                  )
                  .pipe(Effect.either)
                if (page._tag === "Left") {
                  if (token === null || !isExpiredToken(page.left)) return yield* page.left
                  if (before.length === 0) return yield* placeLost()
                  // Everything before this page is (or is about to be) emitted: find the place after it.
                  yield* Ref.set(refused, relocation(before))
                  return end
                }
                const { issues, isLast, nextPageToken } = page.right
                const following = isLast || !nextPageToken ? null : nextPageToken
                const closes = following === null || index === 0 || index % perStep === 0
                const read: Read = { _tag: "page", page: { token, skip, before, issues, following }, closes }
                const after: Option.Option<Next> =
                  following === null
                    ? Option.none()
                    : Option.some({
                        token: following,
                        skip: 0,
                        before: recentIds(before, idsOf(issues.slice(skip))),
                        index: index + 1,
                      })
                return Option.some([read, after] as const)
              }),
      )
      const held: ReadonlyArray<PageRead> = []
      return pages.pipe(
        // The next page is read while this one (or this step) is formatted.
        Stream.buffer({ capacity: 1 }),
        // Pages are held until their step closes; at the end, what is held is a step of its own.
        Stream.mapAccum(held, (step, read): readonly [ReadonlyArray<PageRead>, ReadonlyArray<Source>] => {
          if (read._tag === "end") return [held, sourcesOf(step)]
          const grown = [...step, read.page]
          return read.closes ? [held, sourcesOf(grown)] : [grown, []]
        }),
        Stream.flattenIterables,
        Stream.mapEffect((source) => toUnits(ctx, source)),
        Stream.flattenIterables,
        Stream.concat(afterRefusal(ctx, refused)),
      )
    }),
  )
