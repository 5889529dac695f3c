/**
 * Saved filters (platform REST v3) and boards and sprints (Jira Software's Agile REST 1.0), with
 * Jira's shapes and errors (docs/jira-cloud.md §11): a filter the user may not see is a 400 with
 * Jira's sentence, a board or sprint they may not see a 404, never an empty answer. Registered in
 * `routes.ts`, so points, burst limits, chaos and stats apply as to every route.
 */

import { type AccountRole, userInRole } from "../data/accounts.js"
import { SPRINTS, type SprintDef, STATUSES } from "../data/catalogue.js"
import { BOARDS, type BoardDef, FILTERS, type FilterDef } from "../data/places.js"
import type { Dataset, UserRecord } from "../model.js"
import { jiraError } from "./changelogRoutes.js"
import { pageBean, pageLink } from "./pageBean.js"
import { INVALID_PAYLOAD } from "./payload.js"
import type { Call, Reply, ServerState } from "./state.js"

export const FILTER_UNAVAILABLE =
  "The selected filter is not available to you, perhaps it has been deleted or had its permissions changed."
export const NO_FILTER_COLUMNS = "There is no column configuration for this filter."
export const BOARD_NOT_FOUND = "Board does not exist or you do not have permission to see it."
export const SPRINT_NOT_FOUND = "Sprint does not exist or you do not have permission to see it."

/** `expand` values `/filter/search` accepts; anything else is a 400. */
const FILTER_EXPANDS = [
  "description",
  "owner",
  "jql",
  "viewUrl",
  "searchUrl",
  "favourite",
  "favouritedCount",
  "sharePermissions",
  "editPermissions",
  "isWritable",
  "approximateLastUsed",
  "subscriptions",
]
const ORDER_KEYS = ["name", "id", "description", "owner", "favourite_count", "is_favourite"]

const roleOf = (dataset: Dataset, viewer: UserRecord | null, role: AccountRole): boolean =>
  viewer !== null && userInRole(dataset, role)?.accountId === viewer.accountId

const owns = (dataset: Dataset, viewer: UserRecord | null, filter: FilterDef) =>
  roleOf(dataset, viewer, filter.owner)

/** Jira's sharing rules: the owner, then the share (a project share needs Browse Projects there). */
export const canSeeFilter = (dataset: Dataset, viewer: UserRecord | null, filter: FilterDef): boolean => {
  if (viewer === null) return filter.share.type === "global"
  if (owns(dataset, viewer, filter)) return true
  switch (filter.share.type) {
    case "global":
      return true
    case "project":
      return dataset.canBrowse(viewer, filter.share.projectKey)
    case "private":
      return false
  }
}

const starred = (dataset: Dataset, viewer: UserRecord | null, filter: FilterDef) =>
  filter.starredBy.some((role) => roleOf(dataset, viewer, role))

const visibleFilter = (state: ServerState, viewer: UserRecord | null, id: string) => {
  const filter = FILTERS.find((f) => f.id === id)
  return filter && canSeeFilter(state.dataset, viewer, filter) ? filter : undefined
}

/** A filter as REST `Filter`/`FilterDetails`: always id, name, self; the rest when expanded. */
const filterJson = (
  state: ServerState,
  viewer: UserRecord | null,
  filter: FilterDef,
  expand: ReadonlyArray<string> | "all",
): Record<string, unknown> => {
  const site = state.site()
  const has = (name: string) => expand === "all" || expand.includes(name)
  const owner = userInRole(state.dataset, filter.owner)
  const shared = filter.share
  const project =
    shared.type === "project" ? state.dataset.projects.find((p) => p.key === shared.projectKey) : undefined
  const share =
    shared.type === "global"
      ? [{ type: "global" }]
      : project === undefined
        ? []
        : [{ type: "project", project: project.json }]
  return {
    self: `${site}/rest/api/3/filter/${filter.id}`,
    id: filter.id,
    name: filter.name,
    ...(has("description") && filter.description !== "" ? { description: filter.description } : {}),
    ...(has("owner") && owner !== undefined ? { owner: owner.json } : {}),
    ...(has("jql") ? { jql: filter.jql } : {}),
    ...(has("viewUrl") ? { viewUrl: `${site}/issues/?filter=${filter.id}` } : {}),
    ...(has("searchUrl")
      ? { searchUrl: `${site}/rest/api/3/search/jql?jql=${encodeURIComponent(filter.jql)}` }
      : {}),
    ...(has("favourite") ? { favourite: starred(state.dataset, viewer, filter) } : {}),
    ...(has("favouritedCount") ? { favouritedCount: filter.starredBy.length } : {}),
    ...(has("sharePermissions") ? { sharePermissions: share } : {}),
    ...(has("editPermissions") ? { editPermissions: [] } : {}),
  }
}

const intParam = (value: string | null, fallback: number): number | null => {
  if (value === null || value === "") return fallback
  return /^-?\d+$/.test(value) ? Number(value) : null
}

const expandOf = (call: Call) =>
  call.url.searchParams
    .getAll("expand")
    .flatMap((e) => e.split(","))
    .map((e) => e.trim())
    .filter((e) => e !== "")

/** `GET /rest/api/3/filter/{id}`. */
export const getFilter = (state: ServerState, call: Call): Reply => {
  const filter = visibleFilter(state, call.viewer, call.params.id ?? "")
  if (!filter) return jiraError(400, FILTER_UNAVAILABLE)
  return { status: 200, json: filterJson(state, call.viewer, filter, "all"), objects: 1 }
}

/** `GET /rest/api/3/filter/{id}/columns`: `[{ label, value }]`, or 404 when the filter has none of its own. */
export const filterColumns = (state: ServerState, call: Call): Reply => {
  const filter = visibleFilter(state, call.viewer, call.params.id ?? "")
  if (!filter) return jiraError(400, FILTER_UNAVAILABLE)
  if (filter.columns === undefined) return jiraError(404, NO_FILTER_COLUMNS)
  const names = new Map(state.dataset.fields.map((f) => [f.id, f.name]))
  const columns = filter.columns.map((id) => ({
    label: names.get(id) ?? (id === "issuekey" ? "Key" : id),
    value: id,
  }))
  return { status: 200, json: columns, objects: 1 }
}

/** `GET /rest/api/3/filter/favourite`: the starred filters the user may still see. */
export const favouriteFilters = (state: ServerState, call: Call): Reply => {
  const expand = expandOf(call)
  const json = FILTERS.filter(
    (f) => starred(state.dataset, call.viewer, f) && canSeeFilter(state.dataset, call.viewer, f),
  ).map((f) =>
    filterJson(state, call.viewer, f, [
      "description",
      "owner",
      "jql",
      "viewUrl",
      "searchUrl",
      "favourite",
      "favouritedCount",
      "sharePermissions",
      ...expand,
    ]),
  )
  return { status: 200, json, objects: json.length }
}

/** `GET /rest/api/3/filter/search`: an offset page of the filters the user may see. */
export const searchFilters = (state: ServerState, call: Call): Reply => {
  const q = call.url.searchParams
  const expand = expandOf(call)
  const unknown = expand.find((e) => !FILTER_EXPANDS.includes(e))
  if (unknown !== undefined) return jiraError(400, `The expand parameter '${unknown}' is not valid.`)
  const ids = q.getAll("id")
  if (ids.length > 200) return jiraError(400, "You can only provide up to 200 filter IDs.")
  const orderBy = q.get("orderBy") ?? "name"
  const descending = orderBy.startsWith("-")
  const orderKey = orderBy.replace(/^[-+]/, "")
  if (!ORDER_KEYS.includes(orderKey))
    return jiraError(400, `The orderBy parameter '${orderBy}' is not valid.`)
  const startAt = intParam(q.get("startAt"), 0)
  const maxResults = intParam(q.get("maxResults"), 50)
  if (startAt === null || startAt < 0 || maxResults === null || maxResults < 0)
    return jiraError(400, INVALID_PAYLOAD)
  const name = (q.get("filterName") ?? "").toLowerCase()
  const sortKey = (f: FilterDef): string | number =>
    orderKey === "id"
      ? Number(f.id)
      : orderKey === "description"
        ? f.description
        : orderKey === "owner"
          ? (userInRole(state.dataset, f.owner)?.displayName ?? "")
          : orderKey === "favourite_count"
            ? f.starredBy.length
            : orderKey === "is_favourite"
              ? Number(starred(state.dataset, call.viewer, f))
              : f.name.toLowerCase()
  const matching = FILTERS.filter(
    (f) =>
      canSeeFilter(state.dataset, call.viewer, f) &&
      (name === "" || f.name.toLowerCase().includes(name)) &&
      (ids.length === 0 || ids.includes(f.id)),
  ).sort((a, b) => {
    const x = sortKey(a)
    const y = sortKey(b)
    const order = x < y ? -1 : x > y ? 1 : Number(a.id) - Number(b.id)
    return descending ? -order : order
  })
  const values = matching
    .slice(startAt, startAt + maxResults)
    .map((f) => filterJson(state, call.viewer, f, expand))
  const link = pageLink(`${state.site()}/rest/api/3/filter/search`, q, maxResults)
  return {
    status: 200,
    json: pageBean(values, { startAt, maxResults, total: matching.length, link }),
    objects: values.length,
  }
}

// ---- boards and sprints (Agile REST 1.0) ------------------------------------------------------------

/** A board is visible to whoever may see its filter, as in Jira Software. */
const visibleBoard = (
  state: ServerState,
  viewer: UserRecord | null,
  idText: string,
): BoardDef | undefined => {
  const board = BOARDS.find((b) => String(b.id) === idText)
  const filter = board && FILTERS.find((f) => f.id === board.filterId)
  return board && filter && canSeeFilter(state.dataset, viewer, filter) ? board : undefined
}

/** `GET /rest/agile/1.0/board/{boardId}/configuration`. */
export const boardConfiguration = (state: ServerState, call: Call): Reply => {
  const board = visibleBoard(state, call.viewer, call.params.boardId ?? "")
  if (!board) return jiraError(404, BOARD_NOT_FOUND)
  const site = state.site()
  const project = state.dataset.projects.find((p) => p.key === board.projectKey)
  const status = (ids: ReadonlyArray<string>) =>
    ids.map((id) => ({ id, self: `${site}/rest/api/2/status/${id}` }))
  const byCategory = (category: string) => STATUSES.filter((s) => s.category === category).map((s) => s.id)
  return {
    status: 200,
    json: {
      id: board.id,
      name: board.name,
      type: board.type,
      self: `${site}/rest/agile/1.0/board/${board.id}/configuration`,
      ...(project === undefined
        ? {}
        : { location: { type: "project", key: project.key, id: project.id, name: project.name } }),
      filter: { id: board.filterId, self: `${site}/rest/api/2/filter/${board.filterId}` },
      ...(board.type === "kanban" ? { subQuery: { query: "" } } : {}),
      columnConfig: {
        columns: [
          { name: "To Do", statuses: status(byCategory("new")) },
          { name: "In Progress", statuses: status(byCategory("indeterminate")) },
          { name: "Done", statuses: status(byCategory("done")) },
        ],
        constraintType: "none",
      },
      ...(board.type === "scrum" ? { estimation: { type: "issueCount" } } : {}),
      ranking: { rankCustomFieldId: 10014 },
    },
  }
}

const sprintJson = (site: string, sprint: SprintDef) => ({
  id: sprint.id,
  self: `${site}/rest/agile/1.0/sprint/${sprint.id}`,
  state: sprint.state,
  name: sprint.name,
  ...(sprint.startDate === undefined ? {} : { startDate: sprint.startDate }),
  ...(sprint.endDate === undefined ? {} : { endDate: sprint.endDate }),
  ...(sprint.completeDate === undefined ? {} : { completeDate: sprint.completeDate }),
  originBoardId: sprint.boardId,
  goal: sprint.goal,
})

/** `GET /rest/agile/1.0/board/{boardId}/sprint` (offset paged, optional `state` list). */
export const boardSprints = (state: ServerState, call: Call): Reply => {
  const board = visibleBoard(state, call.viewer, call.params.boardId ?? "")
  if (!board) return jiraError(404, BOARD_NOT_FOUND)
  const q = call.url.searchParams
  const startAt = intParam(q.get("startAt"), 0)
  const maxResults = intParam(q.get("maxResults"), 50)
  if (startAt === null || startAt < 0 || maxResults === null || maxResults < 1)
    return jiraError(400, INVALID_PAYLOAD)
  const states = expandState(q.getAll("state"))
  const all = SPRINTS.filter(
    (s) => s.boardId === board.id && (states.length === 0 || states.includes(s.state)),
  )
  const values = all
    .slice(startAt, startAt + Math.min(maxResults, 50))
    .map((s) => sprintJson(state.site(), s))
  return {
    status: 200,
    json: { maxResults, startAt, isLast: startAt + values.length >= all.length, values },
    objects: 1,
  }
}

const expandState = (values: ReadonlyArray<string>) =>
  values
    .flatMap((v) => v.split(","))
    .map((v) => v.trim())
    .filter((v) => v !== "")

/** `GET /rest/agile/1.0/sprint/{sprintId}`: visible to whoever may see its board. */
export const getSprint = (state: ServerState, call: Call): Reply => {
  const sprint = SPRINTS.find((s) => String(s.id) === (call.params.sprintId ?? ""))
  if (!sprint || !visibleBoard(state, call.viewer, String(sprint.boardId)))
    return jiraError(404, SPRINT_NOT_FOUND)
  return { status: 200, json: sprintJson(state.site(), sprint), objects: 1 }
}
