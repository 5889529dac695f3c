/**
 * Finding the export's place again after Jira refused a page token. Tokens expire (after 7 days, or
 * when Jira drops the search: docs/jira-cloud.md §1.2), and a token never outlives the search it
 * came from, so an export that kept only its token could not go on. Each phase therefore remembers
 * the ids just before it (`recent`, cursor.ts); the export lists the query's ids again from the
 * start (id pages, 1 point per id, docs/jira-cloud.md §1.5) and continues with the ids after the latest
 * of them still listed. Nothing is doubled or lost as long as the query's order is stable
 * (docs/jira-cloud.md §1.4); when none of them is listed any more the export stops with a sentence
 * rather than guess.
 */
import { Effect, Either } from "effect"
import { JiraError } from "../jira/JiraError.js"
import { decodeIds, encodeIds, keysField, keysOf, MAX_RECENT_IDS, type Phase } from "./cursor.js"
import type { ExportContext } from "./types.js"

export type RelocatePhase = Extract<Phase, { readonly _tag: "relocate" }>
export type FastPhase = Extract<Phase, { readonly _tag: "fast" }>

/**
 * Listings started again at most this often when a token of the listing itself expires (a Jira that
 * refused every token would otherwise keep an export listing for ever).
 */
const MAX_TRIES = 20

/** The last {@link MAX_RECENT_IDS} of `before` followed by `ids`. */
export const recentIds = (
  before: ReadonlyArray<string>,
  ids: ReadonlyArray<string>,
): ReadonlyArray<string> =>
  ids.length >= MAX_RECENT_IDS ? ids.slice(-MAX_RECENT_IDS) : [...before, ...ids].slice(-MAX_RECENT_IDS)

/** `recent` for a phase: left out when empty, so phases without a past stay as they were. */
export const recentField = (
  ids: ReadonlyArray<string>,
): { readonly recent?: string | ReadonlyArray<string> } =>
  ids.length === 0 ? {} : { recent: encodeIds(ids) }

const damaged = () => new JiraError({ reason: "Decode", message: "The export position is damaged." })

/** The ids of an optional `recent` field. */
export const decodeRecent = (
  recent: string | ReadonlyArray<string> | undefined,
): Effect.Effect<ReadonlyArray<string>, JiraError> => {
  if (recent === undefined) return Effect.succeed([])
  const ids = decodeIds(recent)
  return Either.isLeft(ids) ? Effect.fail(damaged()) : Effect.succeed(ids.right)
}

/**
 * Whether Jira refused a request that carried a page token because of the token. Jira answers 400
 * ("The nextPageToken is invalid or has expired…"), which the client keeps as `BadRequest`; a 400
 * about the rest of the request (page size, content type, body) is ours and is not retried this way.
 */
export const isExpiredToken = (error: JiraError): boolean =>
  error.reason === "BadRequest" &&
  !(error.details ?? []).some((d) => /maxResults|Content-Type|Unrecognized field/i.test(d))

/** The relocation that starts when a token after `recent` is refused. */
export const relocation = (recent: ReadonlyArray<string>, tries = 0): RelocatePhase => ({
  _tag: "relocate",
  recent: encodeIds(recent),
  token: null,
  ...(tries === 0 ? {} : { tries }),
})

/** The place cannot be found again: none of the remembered ids is listed any more. */
export const placeLost = () =>
  new JiraError({
    reason: "BadRequest",
    message:
      "Jira's page token for this export expired, and none of the last issues exported is among the query's results any more, so the export cannot continue exactly where it stopped; start it again.",
  })

/** The outcome of one id page of a relocation. */
export type Located =
  /** The place is not known yet: list the next page. */
  | { readonly _tag: "searching"; readonly phase: RelocatePhase }
  /** Continue with these listed ids; null: the place is the end of the results. */
  | { readonly _tag: "found"; readonly phase: FastPhase | null }

/** Lists one id page of a relocation and looks for the place in it. */
export const locate = (ctx: ExportContext, phase: RelocatePhase): Effect.Effect<Located, JiraError> =>
  Effect.gen(function* () {
    const recent = yield* decodeRecent(phase.recent)
    if (recent.length === 0) return yield* placeLost()
    const { token } = phase
    const listing = yield* ctx
      .call(
        ctx.jira.searchIds({
          jql: ctx.jql,
          maxResults: ctx.settings.idPageSize,
          ...(token === null ? {} : { nextPageToken: token }),
          // The keys go on with the ids still to fetch, to name one deleted before its fetch.
          withKeys: true,
        }),
      )
      .pipe(Effect.either)
    if (Either.isLeft(listing)) {
      const error = listing.left
      const tries = phase.tries ?? 0
      // A token of this listing expired too: list again from the start.
      if (token === null || !isExpiredToken(error) || tries >= MAX_TRIES) return yield* error
      return {
        _tag: "searching",
        phase: { _tag: "relocate", recent: phase.recent, token: null, tries: tries + 1 },
      }
    }
    const listed = listing.right
    const following = listed.isLast || !listed.nextPageToken ? null : listed.nextPageToken
    const order = new Map(recent.map((id, index) => [id, index]))
    // Ids are looked for in this page after the one that ended the previous page (`at` -1: before it).
    let best = phase.found ?? -1
    let at = -1
    listed.ids.forEach((id, position) => {
      const index = order.get(id)
      if (index !== undefined && index > best) {
        best = index
        at = position
      }
    })
    if (best < 0) {
      if (following === null) return yield* placeLost()
      return { _tag: "searching", phase: { ...phase, token: following } }
    }
    // The latest id, or one followed by ids not emitted yet: the place is right after it.
    if (best === recent.length - 1 || at < listed.ids.length - 1 || following === null) {
      const from = at + 1
      const rest = listed.ids.slice(from)
      if (rest.length === 0 && following === null) return { _tag: "found", phase: null }
      return {
        _tag: "found",
        phase: {
          _tag: "fast",
          pending: encodeIds(rest),
          ...keysField(rest, keysOf(listed.ids, listed.keys)),
          token: following,
          more: following !== null,
          ...(rest.length === 0 ? recentField(recentIds(recent, listed.ids.slice(0, from))) : {}),
        },
      }
    }
    // It ended this page, and a later one of `recent` may open the next page.
    return { _tag: "searching", phase: { ...phase, token: following, found: best } }
  })
