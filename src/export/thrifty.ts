/**
 * The thrifty strategy: sequential `/search/jql` pages with the needed fields, about 1 point per issue
 * under Jira's points quota; the next page is read while the current one is formatted.
 */
import { Effect, Option, Stream } from "effect"
import type { Phase } from "./cursor.js"
import type { ExportContext, ExportFailure, Unit } from "./pipeline.js"
import { toUnits } from "./units.js"

/** A thrifty phase: the page to read (null: the first) and how many of its issues were emitted. */
export type ThriftyPhase = Extract<Phase, { readonly _tag: "thrifty" }>

export const thrifty = (ctx: ExportContext, phase: ThriftyPhase): Stream.Stream<Unit, ExportFailure> =>
  Stream.unfoldEffect(Option.some({ token: phase.token, skip: phase.skip ?? 0 }), (next) =>
    Option.isNone(next)
      ? Effect.succeed(Option.none())
      : Effect.gen(function* () {
          if (!(yield* ctx.gate.admit(ctx.settings.searchPageSize))) return Option.none()
          const { token, skip } = next.value
          const page = yield* ctx.call(
            ctx.jira.searchPage({
              jql: ctx.jql,
              fields: ctx.format.fields,
              maxResults: ctx.settings.searchPageSize,
              ...(token === null ? {} : { nextPageToken: token }),
            }),
          )
          const following = page.isLast || !page.nextPageToken ? null : page.nextPageToken
          return Option.some([
            { token, skip, issues: page.issues, following },
            following === null ? Option.none() : Option.some({ token: following, skip: 0 }),
          ] as const)
        }),
  ).pipe(
    // The next page is read while this one is formatted.
    Stream.buffer({ capacity: 1 }),
    Stream.mapEffect(({ token, skip, issues, following }) =>
      toUnits(ctx, {
        // A cursor inside a page (a page cut into several units) skips what was emitted.
        issues: issues.slice(skip),
        positions: issues.slice(skip).map((_, i) => skip + i),
        missing: [],
        after: following === null ? null : { _tag: "thrifty", token: following },
        resumeAt: (position) => ({ _tag: "thrifty", token, skip: position }),
      }),
    ),
    Stream.flattenIterables,
  )
