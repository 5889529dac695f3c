/**
 * The two ways Jira pages a list, shared by every paged endpoint: a token chain (`/search/jql`,
 * one page per call, the caller keeps the token) and offset paging (`startAt`, read to the end here).
 * docs/jira-cloud.md §1–§4.
 */
import { Effect } from "effect"

/** Where a token chain stands: Jira may omit the token, send null or "" on the last page (JRACLOUD-92184). */
export const pageEnd = (
  token: string | null | undefined,
  isLast: boolean | undefined,
): { readonly nextPageToken: string | undefined; readonly isLast: boolean } => {
  const last = isLast === true || token === undefined || token === null || token === ""
  return { nextPageToken: last ? undefined : (token ?? undefined), isLast: last }
}

/** One offset page, with whether the list says it ends there (each endpoint says so differently). */
export interface OffsetPage<T> {
  readonly items: ReadonlyArray<T>
  readonly last: boolean
}

/**
 * Every item of an offset-paged list: the next page starts after the items received so far, since
 * Jira may answer with fewer than asked. An empty page ends the list whatever it says.
 */
export const offsetPages = <T, E, R>(
  page: (startAt: number) => Effect.Effect<OffsetPage<T>, E, R>,
): Effect.Effect<Array<T>, E, R> =>
  Effect.gen(function* () {
    const items: Array<T> = []
    while (true) {
      const next = yield* page(items.length)
      items.push(...next.items)
      if (next.items.length === 0 || next.last) return items
    }
  })

/** For lists that only carry `total` (comments, worklogs): without one, nothing follows. */
export const lastByTotal = (startAt: number, received: number, total: number | undefined): boolean =>
  total === undefined || startAt + received >= total
