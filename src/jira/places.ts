/**
 * Reads of the places exports start from: saved filters (platform REST v3) and boards and sprints
 * (Jira Software's Agile REST 1.0), docs/jira-cloud.md §11. Part of `JiraClient`, through its one
 * pipeline (`getJson`). A filter, board or sprint the user may not see fails as `NotFound` with Jira's
 * own sentence ("The selected filter is not available to you, …"), which the page shows as it is.
 */
import { Effect, Schema } from "effect"
import { asSentenceEnd, JiraError, JiraErrors } from "./JiraError.js"
import type { JiraRequest } from "./JiraTransport.js"
import { lastByTotal, offsetPages } from "./paging.js"
import type { RequestKind } from "./responseError.js"

/** Filters one `filter/search` page asks for (Jira's default is 50; it allows more). */
const FILTER_PAGE_SIZE = 100

const User = Schema.Struct({ accountId: Schema.String, displayName: Schema.optional(Schema.String) })

/** `GET /rest/api/3/filter/{id}` (`Filter`), and the entries of `filter/search` (`FilterDetails`). */
export const SavedFilter = Schema.Struct({
  id: Schema.String,
  name: Schema.String,
  jql: Schema.optional(Schema.String),
  owner: Schema.optional(User),
  favourite: Schema.optional(Schema.Boolean),
})
export type SavedFilter = typeof SavedFilter.Type

const FilterPage = Schema.Struct({
  total: Schema.optional(Schema.Number),
  isLast: Schema.optional(Schema.Boolean),
  values: Schema.optionalWith(Schema.Array(SavedFilter), { default: () => [] }),
})

/** `GET /rest/api/3/filter/{id}/columns` (`ColumnItem[]`): `value` is the field id. */
export const FilterColumn = Schema.Struct({ label: Schema.optional(Schema.String), value: Schema.String })

/** `GET /rest/agile/1.0/board/{id}/configuration`: what the export needs of it. */
export const BoardConfiguration = Schema.Struct({
  id: Schema.Number,
  name: Schema.String,
  type: Schema.optional(Schema.String),
  filter: Schema.Struct({ id: Schema.String }),
  subQuery: Schema.optional(Schema.Struct({ query: Schema.optional(Schema.String) })),
})
export type BoardConfiguration = typeof BoardConfiguration.Type

/** `GET /rest/agile/1.0/sprint/{id}`. */
export const Sprint = Schema.Struct({
  id: Schema.Number,
  name: Schema.String,
  state: Schema.optional(Schema.String),
  originBoardId: Schema.optional(Schema.Number),
})
export type Sprint = typeof Sprint.Type

type GetJson = <A, I>(
  schema: Schema.Schema<A, I>,
  request: JiraRequest,
  kind?: RequestKind,
) => Effect.Effect<A, JiraError>

/** Jira's own sentence for a place the user may not see (or that is gone), as a `NotFound`. */
const hiddenAsNotFound = (error: JiraError): JiraError => {
  const said = error.details?.[0]
  if ((error.reason !== "BadRequest" && error.reason !== "NotFound") || said === undefined) return error
  return new JiraError({
    reason: "NotFound",
    message: asSentenceEnd(said),
    details: error.details ?? [],
    ...(error.status === undefined ? {} : { status: error.status }),
    ...(error.path === undefined ? {} : { path: error.path }),
  })
}

/** A numeric id as a path segment, or a typed error before anything is sent. */
const numericId = (what: string, id: string, path: string) =>
  /^[1-9][0-9]{0,17}$/.test(id)
    ? Effect.succeed(id)
    : Effect.fail(JiraErrors.badRequest(path, [`"${id.slice(0, 30)}" is not a ${what} id.`]))

const api = (...segments: ReadonlyArray<string>) => ["rest", "api", "3", ...segments]
const agile = (...segments: ReadonlyArray<string>) => ["rest", "agile", "1.0", ...segments]

export const placeReads = (getJson: GetJson) => {
  /** A saved filter the user may see: its JQL, name and owner. */
  const filter = Effect.fn("JiraClient.filter")(function* (filterId: string) {
    const id = yield* numericId("filter", filterId, "/rest/api/3/filter/{id}")
    return yield* getJson(SavedFilter, { method: "GET", path: api("filter", id) }).pipe(
      Effect.mapError(hiddenAsNotFound),
    )
  })

  /** The filter's own column layout, or `undefined` when it has none (Jira's 404). */
  const filterColumns = Effect.fn("JiraClient.filterColumns")(function* (filterId: string) {
    const id = yield* numericId("filter", filterId, "/rest/api/3/filter/{id}/columns")
    return yield* getJson(Schema.Array(FilterColumn), {
      method: "GET",
      path: api("filter", id, "columns"),
    }).pipe(
      Effect.map((columns): ReadonlyArray<typeof FilterColumn.Type> | undefined => columns),
      Effect.catchIf(
        (error) => error.reason === "NotFound",
        () => Effect.succeed(undefined),
      ),
      Effect.mapError(hiddenAsNotFound),
    )
  })

  /** Every filter the user may see (`filter/search`, offset paged), with its JQL and whether starred. */
  const filterSearch = Effect.fn("JiraClient.filterSearch")(function* (limit: number) {
    const found = yield* offsetPages((startAt) =>
      getJson(FilterPage, {
        method: "GET",
        path: api("filter", "search"),
        query: [
          ["expand", "jql,favourite,owner"],
          ["orderBy", "name"],
          ["startAt", String(startAt)],
          ["maxResults", String(FILTER_PAGE_SIZE)],
        ],
      }).pipe(
        Effect.map((page) => ({
          items: page.values,
          last:
            page.isLast === true ||
            lastByTotal(startAt, page.values.length, page.total) ||
            startAt + page.values.length >= limit,
        })),
      ),
    )
    return found.slice(0, limit)
  })

  /** A board's configuration: its filter (and a kanban board's subquery). */
  const boardConfiguration = Effect.fn("JiraClient.boardConfiguration")(function* (boardId: string) {
    const id = yield* numericId("board", boardId, "/rest/agile/1.0/board/{boardId}/configuration")
    return yield* getJson(BoardConfiguration, {
      method: "GET",
      path: agile("board", id, "configuration"),
    }).pipe(Effect.mapError(hiddenAsNotFound))
  })

  /** One sprint (for its name). */
  const sprint = Effect.fn("JiraClient.sprint")(function* (sprintId: string) {
    const id = yield* numericId("sprint", sprintId, "/rest/agile/1.0/sprint/{sprintId}")
    return yield* getJson(Sprint, { method: "GET", path: agile("sprint", id) }).pipe(
      Effect.mapError(hiddenAsNotFound),
    )
  })

  return { filter, filterColumns, filterSearch, boardConfiguration, sprint } as const
}
