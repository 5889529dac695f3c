/**
 * The thrifty strategy: sequential `/search/jql` pages with the needed fields, about 1 point per issue
 * under Jira's points quota; the next page is read while the current one is formatted. Each phase
 * remembers the last ids emitted, so when Jira refuses a page token the export finds its place again
 * (relocate.ts) and continues as a fast phase.
 */
import { Effect, Option, Ref, Stream } from "effect"
import type { Phase } from "./cursor.js"
import { afterRefusal } from "./fast.js"
import type { ExportContext, ExportFailure, Unit } from "./pipeline.js"
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
import { toUnits } from "./units.js"

/** A thrifty phase: the page to read (null: the first) and how many of its issues were emitted. */
export type ThriftyPhase = Extract<Phase, { readonly _tag: "thrifty" }>

interface Next {
  readonly token: string | null
  readonly skip: number
  /** The last ids emitted before the page's issue at `skip`. */
  readonly before: ReadonlyArray<string>
}

const idsOf = (issues: ReadonlyArray<ExportIssue>) => issues.map((issue) => issue.id)

export const thrifty = (ctx: ExportContext, phase: ThriftyPhase): Stream.Stream<Unit, ExportFailure> =>
  Stream.unwrap(
    Effect.gen(function* () {
      const refused = yield* Ref.make<RelocatePhase | null>(null)
      const first: Next = {
        token: phase.token,
        skip: phase.skip ?? 0,
        before: yield* decodeRecent(phase.recent),
      }
      const pages = Stream.unfoldEffect(Option.some(first), (next) =>
        Option.isNone(next)
          ? Effect.succeed(Option.none())
          : Effect.gen(function* () {
              if (!(yield* ctx.gate.admit(ctx.settings.searchPageSize))) return Option.none()
              const { token, skip, before } = next.value
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
                return Option.none()
              }
              const { issues, isLast, nextPageToken } = page.right
              const following = isLast || !nextPageToken ? null : nextPageToken
              const current = { token, skip, before, issues, following }
              const after: Option.Option<Next> =
                following === null
                  ? Option.none()
                  : Option.some({
                      token: following,
                      skip: 0,
                      before: recentIds(before, idsOf(issues.slice(skip))),
                    })
              return Option.some([current, after] as const)
            }),
      )
      return pages.pipe(
        // The next page is read while this one is formatted.
        Stream.buffer({ capacity: 1 }),
        Stream.mapEffect(({ token, skip, before, issues, following }) => {
          // A cursor inside a page (a page cut into several units) skips what was emitted.
          const fresh = issues.slice(skip)
          const emitted = (position: number) => recentIds(before, idsOf(issues.slice(skip, position)))
          return toUnits(ctx, {
            issues: fresh,
            positions: fresh.map((_, i) => skip + i),
            missing: [],
            after:
              following === null
                ? null
                : { _tag: "thrifty", token: following, ...recentField(emitted(issues.length)) },
            resumeAt: (position) => ({
              _tag: "thrifty",
              token,
              skip: position,
              ...recentField(emitted(position)),
            }),
          })
        }),
        Stream.flattenIterables,
        Stream.concat(afterRefusal(ctx, refused)),
      )
    }),
  )
