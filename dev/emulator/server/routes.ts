/**
 * The Jira REST endpoints the emulator serves, with Jira's shapes and error bodies (docs/jira-cloud.md §1, §3,
 * §4, §5). Handlers are synchronous functions from a parsed call to a reply; the pipeline in
 * `server.ts` adds identity, rate limits, chaos, latency and stats around them.
 */

import type { IssueRecord, UserRecord } from "../model.js"
import { autocompleteData, suggestions } from "./autocomplete.js"
import { bulkChangelogs } from "./changelogBulk.js"
import { issueChangelog, statusList, statusSearch } from "./changelogRoutes.js"
import { pageBean, pageLink } from "./pageBean.js"
import { type BeanShape, checkBean, INVALID_PAYLOAD, stringOf, stringsOf } from "./payload.js"
import {
  boardConfiguration,
  boardSprints,
  favouriteFilters,
  filterColumns,
  getFilter,
  getSprint,
  searchFilters,
} from "./places.js"
import { listItems, renderIssue, selectFields } from "./selection.js"
import {
  type Call,
  type EmulatorDataset,
  errorReply,
  type Reply,
  SearchCache,
  type ServerState,
} from "./state.js"

export const PAGE_CAP_ID_ONLY = 5000
const DEFAULT_SEARCH_PAGE = 50
const ISSUE_NOT_FOUND = "Issue does not exist or you do not have permission to see it."
const BAD_TOKEN = "The nextPageToken is invalid or has expired; start the search again without one."
const MAX_RESULTS_RANGE = `The maxResults parameter must be between 1 and ${PAGE_CAP_ID_ONLY}.`
const BULK_RANGE = "The number of issues to fetch must be between 1 and 100."

/** Runs (or reuses) a bounded search: the ordered ids, or Jira's error messages. */
export const runSearch = (
  state: ServerState,
  jql: string,
  viewer: UserRecord | null,
  now: number,
):
  | { readonly key: string; readonly ids: ReadonlyArray<string> }
  | { readonly errors: ReadonlyArray<string> } => {
  const key = SearchCache.keyOf(jql, viewer)
  const cached = state.searches.get(key)
  if (cached) return { key, ids: cached }
  const outcome = state.jql.search(jql, viewer, { requireBounded: true, now: new Date(now) })
  if (!outcome.ok) return { errors: outcome.errors }
  state.searches.set(key, outcome.ids)
  return { key, ids: outcome.ids }
}

/** Whether an issue still exists (not deleted), without generating it when the data set can say so cheaply. */
export const stillExists = (dataset: EmulatorDataset, id: string): boolean =>
  dataset.indexOf !== undefined && dataset.isLive !== undefined
    ? dataset.isLive(dataset.indexOf(id))
    : dataset.issueByIdOrKey(id) !== undefined

/**
 * The issue if the viewer may browse it. With `fieldIds`, only those fields need to be there, which a
 * data set that can generate single fields does about five times cheaper than a whole issue.
 */
const visible = (
  state: ServerState,
  viewer: UserRecord | null,
  idOrKey: string,
  fieldIds?: ReadonlyArray<string>,
): IssueRecord | undefined => {
  const { dataset } = state
  const issue =
    fieldIds !== undefined && dataset.issueWithFields !== undefined && dataset.indexOf !== undefined
      ? dataset.issueWithFields(dataset.indexOf(idOrKey), fieldIds)
      : dataset.issueByIdOrKey(idOrKey)
  return issue && dataset.canBrowse(viewer, issue.projectKey) ? issue : undefined
}

/** The viewer's "browse project" permission. */
const browsableBy =
  (state: ServerState, viewer: UserRecord | null) =>
  (projectKey: string): boolean =>
    state.dataset.canBrowse(viewer, projectKey)

const intParam = (value: string | null, fallback: number): number | null => {
  if (value === null || value === "") return fallback
  return /^-?\d+$/.test(value) ? Number(value) : null
}

// ---- search ---------------------------------------------------------------------------------------

interface SearchInput {
  readonly jql: string | undefined
  readonly nextPageToken: string | null | undefined
  readonly maxResults: number | null
  readonly fields: ReadonlyArray<string>
  readonly expand: ReadonlyArray<string>
}

const SEARCH_BEAN: BeanShape = {
  jql: "string",
  nextPageToken: "string",
  maxResults: "integer",
  fields: "strings",
  expand: "string",
  properties: "strings",
  fieldsByKeys: "boolean",
  reconcileIssues: "integers",
}

const search = (state: ServerState, call: Call, input: SearchInput): Reply => {
  const faults: Array<string> = []
  // Check order measured on Jira: token decode, then maxResults range, then unbounded JQL (docs/jira-cloud.md §1.1).
  let offset = 0
  let tokenKey: string | null = null
  if (input.nextPageToken !== undefined && input.nextPageToken !== null && input.nextPageToken !== "") {
    const reading = state.tokens.read(input.nextPageToken, call.now)
    if (!reading.ok) return errorReply(400, BAD_TOKEN)
    const { searchKey, generation } = reading.position
    if ((state.searchGenerations.get(searchKey) ?? 0) !== generation) return errorReply(400, BAD_TOKEN)
    if (call.draw.expireToken) {
      state.searchGenerations.set(searchKey, generation + 1)
      return { ...errorReply(400, BAD_TOKEN), faults: ["token-expiry"] }
    }
    offset = reading.position.offset
    tokenKey = reading.position.searchKey
  }
  if (input.maxResults === null || input.maxResults < 1 || input.maxResults > PAGE_CAP_ID_ONLY)
    return errorReply(400, MAX_RESULTS_RANGE)
  let key: string
  let ids: ReadonlyArray<string>
  if (input.jql === undefined && tokenKey !== null) {
    const cached = state.searches.get(tokenKey)
    if (cached === undefined) return errorReply(400, BAD_TOKEN)
    key = tokenKey
    ids = cached
  } else {
    const result = runSearch(state, input.jql ?? "", call.viewer, call.now)
    if ("errors" in result) return errorReply(400, ...result.errors)
    if (tokenKey !== null && tokenKey !== result.key) return errorReply(400, BAD_TOKEN)
    key = result.key
    ids = result.ids
  }
  const selection = selectFields(state.dataset, input.fields, "id")
  const cap = selection.idOrKeyOnly ? PAGE_CAP_ID_ONLY : state.fieldPageCap
  let size = Math.min(input.maxResults, cap)
  if (call.draw.shortPage && size > 1 && offset + size < ids.length) {
    size = 1 + Math.floor(call.draw.pick * (size - 1))
    faults.push("short-pages")
  }
  const end = Math.min(ids.length, offset + size)
  const issues: Array<Record<string, unknown>> = []
  for (let i = offset; i < end; i++) {
    // Issues deleted since the search ran are left out, as Jira's eventually consistent index would.
    // The list was filtered by the viewer's permissions when the search ran, so id-only pages only
    // need to know the issue still exists (at 5000 per page, generating each issue would dominate).
    const id = ids[i]!
    if (selection.idOnly) {
      if (stillExists(state.dataset, id)) issues.push({ id })
      continue
    }
    const issue = visible(state, call.viewer, id, selection.ids)
    if (issue) issues.push(renderIssue(issue, selection, state.site(), browsableBy(state, call.viewer)))
  }
  const served = Math.max(end, state.servedUpTo.get(key) ?? 0)
  state.servedUpTo.set(key, served)
  if (call.draw.deleteIssue && served < ids.length) {
    const victim = ids[served + Math.floor(call.draw.pick * (ids.length - served))]
    if (victim !== undefined && state.dataset.deleteIssue(victim)) faults.push("delete")
  }
  const isLast = end >= ids.length
  const expandNames = input.expand.includes("names")
  const expandSchema = input.expand.includes("schema")
  return {
    status: 200,
    json: {
      issues,
      ...(isLast
        ? {}
        : { nextPageToken: state.tokens.issue(key, end, state.searchGenerations.get(key) ?? 0, call.now) }),
      isLast,
      ...(expandNames ? { names: selection.names } : {}),
      ...(expandSchema ? { schema: selection.schema } : {}),
    },
    objects: issues.length,
    issueCall: true,
    issuesWithFields: selection.idOrKeyOnly ? 0 : issues.length,
    idOnlyIssues: selection.idOrKeyOnly ? issues.length : 0,
    faults,
  }
}

const searchGet = (state: ServerState, call: Call): Reply => {
  const q = call.url.searchParams
  return search(state, call, {
    jql: q.get("jql") ?? undefined,
    nextPageToken: q.get("nextPageToken"),
    maxResults: intParam(q.get("maxResults"), DEFAULT_SEARCH_PAGE),
    fields: q.getAll("fields"),
    expand: listItems(q.getAll("expand")),
  })
}

const searchPost = (state: ServerState, call: Call): Reply => {
  // POST reads its parameters only from the body; query parameters are ignored (docs/jira-cloud.md §1.1).
  const bean = checkBean(
    call.body,
    SEARCH_BEAN,
    "com.atlassian.jira.rest.v2.search.SearchAndReconcileRequestBean",
  )
  if (!bean.ok) return errorReply(400, bean.message)
  const b = bean.value
  const maxResults = b.maxResults
  return search(state, call, {
    jql: stringOf(b, "jql"),
    nextPageToken: typeof b.nextPageToken === "string" ? b.nextPageToken : null,
    maxResults: typeof maxResults === "number" ? maxResults : DEFAULT_SEARCH_PAGE,
    fields: stringsOf(b, "fields"),
    expand: listItems([stringOf(b, "expand") ?? ""]),
  })
}

const approximateCount = (state: ServerState, call: Call): Reply => {
  const bean = checkBean(
    call.body,
    { jql: "string" },
    "com.atlassian.jira.rest.v2.search.JQLCountRequestBean",
  )
  if (!bean.ok) return errorReply(400, bean.message)
  const result = runSearch(state, stringOf(bean.value, "jql") ?? "", call.viewer, call.now)
  if ("errors" in result) return errorReply(400, ...result.errors)
  // An estimate, as Jira says: issues deleted since the search ran are still counted.
  return { status: 200, json: { count: result.ids.length } }
}

// ---- issues ---------------------------------------------------------------------------------------

const BULK_BEAN: BeanShape = {
  issueIdsOrKeys: "strings",
  fields: "strings",
  expand: "strings",
  properties: "strings",
  fieldsByKeys: "boolean",
}

/** What bulkfetch returns for these ids: browsable issues in ascending id order, others silently left out. */
export const bulkIssues = (
  state: ServerState,
  viewer: UserRecord | null,
  idsOrKeys: ReadonlyArray<string>,
  fields: ReadonlyArray<string>,
  expand: ReadonlyArray<string>,
): ReadonlyArray<Record<string, unknown>> => {
  const selection = selectFields(state.dataset, fields, "*navigable")
  const byId = new Map<string, IssueRecord>()
  for (const idOrKey of idsOrKeys) {
    const issue = visible(state, viewer, idOrKey, selection.ids)
    if (issue) byId.set(issue.id, issue)
  }
  const perIssue = { names: expand.includes("names"), schema: expand.includes("schema") }
  return [...byId.values()]
    .sort((a, b) => a.numericId - b.numericId)
    .map((issue) => renderIssue(issue, selection, state.site(), browsableBy(state, viewer), perIssue))
}

const bulkFetch = (state: ServerState, call: Call): Reply => {
  const bean = checkBean(call.body, BULK_BEAN, "com.atlassian.jira.rest.v2.issue.BulkFetchIssueRequestBean")
  if (!bean.ok) return errorReply(400, bean.message)
  const ids = stringsOf(bean.value, "issueIdsOrKeys")
  if (!Array.isArray(bean.value.issueIdsOrKeys)) return errorReply(400, INVALID_PAYLOAD)
  if (ids.length < 1 || ids.length > 100) return errorReply(400, BULK_RANGE)
  const faults: Array<string> = []
  if (call.draw.deleteIssue) {
    const victim = ids[Math.floor(call.draw.pick * ids.length)]
    if (victim !== undefined && state.dataset.deleteIssue(victim)) faults.push("delete")
  }
  const fields = stringsOf(bean.value, "fields")
  const issues = bulkIssues(state, call.viewer, ids, fields, listItems(stringsOf(bean.value, "expand")))
  const idOnly = selectFields(state.dataset, fields, "*navigable").idOrKeyOnly
  return {
    status: 200,
    json: { issues, issueErrors: [] },
    objects: issues.length,
    issueCall: true,
    issuesWithFields: idOnly ? 0 : issues.length,
    idOnlyIssues: idOnly ? issues.length : 0,
    faults,
  }
}

const getIssue = (state: ServerState, call: Call): Reply => {
  const issue = visible(state, call.viewer, call.params.issueIdOrKey ?? "")
  if (!issue) return errorReply(404, ISSUE_NOT_FOUND)
  const q = call.url.searchParams
  const expand = listItems(q.getAll("expand"))
  const selection = selectFields(state.dataset, q.getAll("fields"), "*all")
  const json = renderIssue(issue, selection, state.site(), browsableBy(state, call.viewer), {
    names: expand.includes("names"),
    schema: expand.includes("schema"),
  })
  return { status: 200, json, objects: 1, issueCall: true, issuesWithFields: 1, idOnlyIssues: 0 }
}

const offsetPage = (
  call: Call,
  defaultMax: number,
  all: ReadonlyArray<unknown>,
  listName: "comments" | "worklogs",
): Reply => {
  const q = call.url.searchParams
  const startAt = intParam(q.get("startAt"), 0)
  const maxResults = intParam(q.get("maxResults"), defaultMax)
  if (startAt === null || startAt < 0 || maxResults === null || maxResults < 0)
    return errorReply(400, INVALID_PAYLOAD)
  const values = all.slice(startAt, startAt + maxResults)
  return { status: 200, json: { startAt, maxResults, total: all.length, [listName]: values }, objects: 1 }
}

const embedded = (issue: IssueRecord, field: string, list: string): ReadonlyArray<unknown> => {
  const value = issue.fields[field]
  if (typeof value !== "object" || value === null) return []
  const items = (value as Record<string, unknown>)[list]
  return Array.isArray(items) ? items : []
}

const comments = (state: ServerState, call: Call): Reply => {
  const issue = visible(state, call.viewer, call.params.issueIdOrKey ?? "")
  if (!issue) return errorReply(404, ISSUE_NOT_FOUND)
  const all = state.dataset.commentsOf?.(issue.id) ?? embedded(issue, "comment", "comments")
  return offsetPage(call, 100, all, "comments")
}

const worklogs = (state: ServerState, call: Call): Reply => {
  const issue = visible(state, call.viewer, call.params.issueIdOrKey ?? "")
  if (!issue) return errorReply(404, ISSUE_NOT_FOUND)
  const all = state.dataset.worklogsOf?.(issue.id) ?? embedded(issue, "worklog", "worklogs")
  return offsetPage(call, 5000, all, "worklogs")
}

// ---- users and fields -----------------------------------------------------------------------------

const USER_POINTS = 2

const myself = (_state: ServerState, call: Call): Reply => {
  if (call.viewer === null)
    return {
      status: 401,
      contentType: "text/html;charset=UTF-8",
      headers: { "www-authenticate": 'OAuth realm="https%3A%2F%2Femulator.atlassian.net"' },
      text: "Client must be authenticated to access this resource.",
    }
  return { status: 200, json: call.viewer.json, objects: USER_POINTS }
}

const getUser = (state: ServerState, call: Call): Reply => {
  const accountId = call.url.searchParams.get("accountId")
  if (accountId === null || accountId === "")
    return errorReply(400, "The accountId query parameter needs to be provided.")
  const user = state.dataset.userByAccountId(accountId)
  if (!user) return errorReply(404, "Specified user does not exist or you do not have required permissions")
  return { status: 200, json: user.json, objects: USER_POINTS }
}

const bulkUsers = (state: ServerState, call: Call): Reply => {
  const q = call.url.searchParams
  // Repeated parameters only: Jira does not split account ids on commas.
  const ids = q.getAll("accountId").filter((id) => id !== "")
  if (ids.length === 0) return errorReply(400, "The accountId query parameter needs to be provided.")
  const startAt = intParam(q.get("startAt"), 0)
  const maxResults = intParam(q.get("maxResults"), 10)
  if (startAt === null || startAt < 0 || maxResults === null || maxResults < 1)
    return errorReply(400, INVALID_PAYLOAD)
  const found = [...new Set(ids)].flatMap((id) => {
    const user = state.dataset.userByAccountId(id)
    return user ? [user.json] : []
  })
  const values = found.slice(startAt, startAt + maxResults)
  const link = pageLink(`${state.site()}/rest/api/3/user/bulk`, q, maxResults)
  return {
    status: 200,
    json: pageBean(values, { startAt, maxResults, total: found.length, link }),
    objects: USER_POINTS * values.length,
  }
}

const fieldList = (state: ServerState): Reply => ({
  status: 200,
  json: state.dataset.fields.map((f) => ({
    id: f.id,
    key: f.key,
    name: f.name,
    custom: f.custom,
    orderable: f.orderable,
    navigable: f.navigable,
    searchable: f.searchable,
    clauseNames: [...f.clauseNames],
    ...(f.schema ? { schema: f.schema } : {}),
  })),
})

// ---- JQL helpers ----------------------------------------------------------------------------------

const parseJql = (state: ServerState, call: Call): Reply => {
  const validation = call.url.searchParams.get("validation") ?? "strict"
  if (!["strict", "warn", "none"].includes(validation))
    return errorReply(400, `The value '${validation}' is not valid for the parameter 'validation'.`)
  const bean = checkBean(
    call.body,
    { queries: "strings" },
    "com.atlassian.jira.rest.v2.search.JqlQueriesToParse",
  )
  if (!bean.ok) return errorReply(400, bean.message)
  const queries = stringsOf(bean.value, "queries")
  if (queries.length === 0 || queries.some((q) => q.trim() === ""))
    return {
      status: 400,
      json: { errorMessages: [], errors: { queries: "At least one non-empty query is required." } },
    }
  return { status: 200, json: { queries: queries.map((q) => state.jql.parse(q, call.viewer)) } }
}

const autocomplete = (state: ServerState): Reply => ({ status: 200, json: autocompleteData(state.dataset) })

const autocompleteSuggestions = (state: ServerState, call: Call): Reply => {
  const q = call.url.searchParams
  return {
    status: 200,
    json: suggestions(
      state.dataset,
      browsableBy(state, call.viewer),
      q.get("fieldName") ?? "",
      q.get("fieldValue") ?? "",
    ),
  }
}

// ---- routing --------------------------------------------------------------------------------------

export const REMOVED_SEARCH = {
  errorMessages: [
    "The requested API has been removed. Please migrate to the /rest/api/3/search/jql API. A full migration guideline is available at https://developer.atlassian.com/changelog/#CHANGE-2046",
  ],
  errors: {},
}

export interface Route {
  readonly method: string
  readonly template: string
  readonly pattern: RegExp
  readonly handle: (state: ServerState, call: Call) => Reply
}

const route = (method: string, template: string, handle: Route["handle"]): Route => ({
  method,
  template,
  pattern: new RegExp(`^${template.replace(/\{(\w+)\}/g, "(?<$1>[^/]+)")}/?$`),
  handle,
})

export const ROUTES: ReadonlyArray<Route> = [
  route("GET", "/rest/api/3/myself", myself),
  route("GET", "/rest/api/3/field", fieldList),
  route("GET", "/rest/api/3/search/jql", searchGet),
  route("POST", "/rest/api/3/search/jql", searchPost),
  route("POST", "/rest/api/3/search/approximate-count", approximateCount),
  route("POST", "/rest/api/3/issue/bulkfetch", bulkFetch),
  route("GET", "/rest/api/3/issue/{issueIdOrKey}", getIssue),
  route("GET", "/rest/api/3/issue/{issueIdOrKey}/comment", comments),
  route("GET", "/rest/api/3/issue/{issueIdOrKey}/worklog", worklogs),
  route("GET", "/rest/api/3/issue/{issueIdOrKey}/changelog", issueChangelog),
  route("POST", "/rest/api/3/changelog/bulkfetch", bulkChangelogs),
  route("GET", "/rest/api/3/status", statusList),
  route("GET", "/rest/api/3/statuses/search", statusSearch),
  route("GET", "/rest/api/3/user", getUser),
  route("GET", "/rest/api/3/user/bulk", bulkUsers),
  route("POST", "/rest/api/3/jql/parse", parseJql),
  route("GET", "/rest/api/3/jql/autocompletedata", autocomplete),
  route("GET", "/rest/api/3/jql/autocompletedata/suggestions", autocompleteSuggestions),
  route("GET", "/rest/api/3/filter/search", searchFilters),
  route("GET", "/rest/api/3/filter/favourite", favouriteFilters),
  route("GET", "/rest/api/3/filter/{id}", getFilter),
  route("GET", "/rest/api/3/filter/{id}/columns", filterColumns),
]

/** Jira Software's Agile API: not in the platform OpenAPI document, so listed apart from ROUTES. */
export const AGILE_ROUTES: ReadonlyArray<Route> = [
  route("GET", "/rest/agile/1.0/board/{boardId}/configuration", boardConfiguration),
  route("GET", "/rest/agile/1.0/board/{boardId}/sprint", boardSprints),
  route("GET", "/rest/agile/1.0/sprint/{sprintId}", getSprint),
]

/** The removed offset search (docs/jira-cloud.md §1.6): 410 on every method. */
export const isRemovedSearch = (path: string): boolean => /^\/rest\/api\/[23]\/search\/?$/.test(path)

export const matchRoute = (
  method: string,
  path: string,
): { readonly route: Route; readonly params: Record<string, string> } | { readonly wrongMethod: boolean } => {
  let wrongMethod = false
  for (const r of [...ROUTES, ...AGILE_ROUTES]) {
    const m = r.pattern.exec(path)
    if (!m) continue
    if (r.method !== method) {
      wrongMethod = true
      continue
    }
    const params: Record<string, string> = {}
    for (const [k, v] of Object.entries(m.groups ?? {})) params[k] = decodeURIComponent(v)
    return { route: r, params }
  }
  return { wrongMethod }
}
