/**
 * Jira's offset page (the OpenAPI document's `PageBean…` shapes: `self`, `nextPage`, `maxResults`,
 * `startAt`, `total`, `isLast`, `values`), shared by every offset-paged endpoint the emulator serves.
 */

/** The URL of the page of this request that starts at `at`: its own query, `startAt` and `maxResults` set. */
export const pageLink =
  (url: string, query: URLSearchParams, maxResults: number) =>
  (at: number): string => {
    const next = new URLSearchParams(query)
    next.set("startAt", String(at))
    next.set("maxResults", String(maxResults))
    return `${url}?${next.toString()}`
  }

/** The page of `values` (already cut from `startAt`) out of `total`, linked to itself and the next. */
export const pageBean = <T>(
  values: ReadonlyArray<T>,
  page: {
    readonly startAt: number
    readonly maxResults: number
    readonly total: number
    readonly link: (at: number) => string
  },
) => {
  const end = page.startAt + values.length
  const isLast = end >= page.total
  return {
    self: page.link(page.startAt),
    ...(isLast ? {} : { nextPage: page.link(end) }),
    maxResults: page.maxResults,
    startAt: page.startAt,
    total: page.total,
    isLast,
    values,
  }
}
