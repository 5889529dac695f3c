/**
 * One issue's history and the status lists (docs/jira-cloud.md §10): `GET /issue/{issueIdOrKey}/changelog`,
 * `GET /status` and `GET /statuses/search`, with Jira's shapes and paging (the bulk fetch is in `changelogBulk.ts`). An issue
 * the viewer cannot browse is a 404, as Jira does. Registered in `routes.ts`, so points, burst limits,
 * chaos and stats apply as to every route.
 */

import { userInRole } from "../data/accounts.js"
import type { IssueChangelog, UserRecord } from "../model.js"
import { missingScope, STATUS_SEARCH_SCOPES } from "./forgeScopes.js"
import { pageBean, pageLink } from "./pageBean.js"
import { INVALID_PAYLOAD } from "./payload.js"
import type { Call, EmulatorDataset, Reply, ServerState } from "./state.js"

/** `GET /issue/{id}/changelog` pages: 100 by default, and no more however many are asked for. */
const ISSUE_PAGE = 100
const ISSUE_NOT_FOUND = "Issue does not exist or you do not have permission to see it."

export const jiraError = (status: number, message: string): Reply => ({
  status,
  json: { errorMessages: [message], errors: {} },
})

/** The issue's history if the viewer may browse it; a data set that keeps no histories shows none. */
export const visibleChangelog = (
  dataset: EmulatorDataset,
  viewer: UserRecord | null,
  idOrKey: string,
): IssueChangelog | undefined => {
  if (dataset.changelogOf !== undefined) {
    const log = dataset.changelogOf(idOrKey)
    return log && dataset.canBrowse(viewer, log.projectKey) ? log : undefined
  }
  const issue = dataset.issueByIdOrKey(idOrKey)
  if (!issue || !dataset.canBrowse(viewer, issue.projectKey)) return undefined
  const { id: issueId, numericId, projectKey } = issue
  return { issueId, numericId, projectKey, histories: [], at: [] }
}

const intParam = (value: string | null, fallback: number): number | null => {
  if (value === null || value === "") return fallback
  return /^-?\d+$/.test(value) ? Number(value) : null
}

export const issueChangelog = (state: ServerState, call: Call): Reply => {
  const idOrKey = call.params.issueIdOrKey ?? ""
  const log = visibleChangelog(state.dataset, call.viewer, idOrKey)
  if (!log) return jiraError(404, ISSUE_NOT_FOUND)
  const q = call.url.searchParams
  const startAt = intParam(q.get("startAt"), 0)
  const asked = intParam(q.get("maxResults"), ISSUE_PAGE)
  if (startAt === null || startAt < 0 || asked === null || asked < 0) return jiraError(400, INVALID_PAYLOAD)
  const maxResults = Math.min(asked, ISSUE_PAGE)
  const total = log.histories.length
  const faults: Array<string> = []
  let size = maxResults
  if (call.draw.shortPage && size > 1 && startAt + size < total) {
    size = 1 + Math.floor(call.draw.pick * (size - 1))
    faults.push("short-pages")
  }
  const values = log.histories.slice(startAt, startAt + size)
  const link = pageLink(
    `${state.site()}/rest/api/3/issue/${encodeURIComponent(idOrKey)}/changelog`,
    new URLSearchParams(),
    maxResults,
  )
  return {
    status: 200,
    json: pageBean(values, { startAt, maxResults, total, link }),
    objects: 1,
    faults,
  }
}

// ---- statuses -------------------------------------------------------------------------------------

const inUse = new WeakMap<EmulatorDataset, ReadonlyArray<unknown>>()

/** The distinct statuses the issues carry, for a small data set that does not list them itself. */
const statusesInUse = (dataset: EmulatorDataset): ReadonlyArray<unknown> => {
  const known = inUse.get(dataset)
  if (known) return known
  const byId = new Map<string, unknown>()
  for (let i = 0; i < dataset.issueCount; i++) {
    const status = dataset.issueAt(i)?.fields.status
    if (typeof status === "object" && status !== null && "id" in status) byId.set(String(status.id), status)
  }
  const found = [...byId.values()]
  inUse.set(dataset, found)
  return found
}

/** The statuses of the workflows of the projects the viewer can browse: none for a viewer who browses nothing. */
export const statusList = (state: ServerState, call: Call): Reply => {
  const { dataset } = state
  const browses = dataset.projects.some((p) => dataset.canBrowse(call.viewer, p.key))
  return { status: 200, json: browses ? (dataset.statuses ?? statusesInUse(dataset)) : [] }
}

/** `/statuses/search` pages: 200 by default, as Jira's; no more however many are asked for. */
const STATUS_PAGE = 200
const NOT_ADMIN = "You are not authorized to perform this action. Administrator privileges are required."
const CATEGORIES: ReadonlySet<string> = new Set(["TODO", "IN_PROGRESS", "DONE"])

const record = (value: unknown): Readonly<Record<string, unknown>> =>
  typeof value === "object" && value !== null ? Object.fromEntries(Object.entries(value)) : {}

/** `/status` entries in `/statuses/search`'s shape, for a data set that does not list the site's statuses. */
const asJiraStatus = (status: unknown): Readonly<Record<string, unknown>> => {
  const s = record(status)
  const key = record(s.statusCategory).key
  return {
    id: String(s.id),
    name: String(s.name),
    statusCategory: key === "done" ? "DONE" : key === "indeterminate" ? "IN_PROGRESS" : "TODO",
    scope: { type: "GLOBAL" },
  }
}

/**
 * `GET /statuses/search`: every status of the site, those no workflow uses included, offset paged.
 * Jira asks the Administer projects or Administer Jira permission; the emulator's administrator has
 * it, anyone else gets the 401 the OpenAPI document lists for a caller without permission. A Forge
 * app needs the `manage:jira-configuration` scope (or `read:workflow:jira`) too. All the emulator's
 * statuses are global (company-managed), so a `projectId` finds none.
 */
export const statusSearch = (state: ServerState, call: Call): Reply => {
  const { dataset } = state
  const refused = missingScope(state.forgeScopes, call, STATUS_SEARCH_SCOPES)
  if (refused !== undefined) return refused
  if (call.viewer === null || userInRole(dataset, "admin")?.accountId !== call.viewer.accountId)
    return jiraError(401, NOT_ADMIN)
  const q = call.url.searchParams
  const startAt = intParam(q.get("startAt"), 0)
  const asked = intParam(q.get("maxResults"), STATUS_PAGE)
  const category = q.get("statusCategory")
  if (startAt === null || startAt < 0 || asked === null || asked < 0) return jiraError(400, INVALID_PAYLOAD)
  if (category !== null && category !== "" && !CATEGORIES.has(category))
    return jiraError(400, INVALID_PAYLOAD)
  const search = (q.get("searchString") ?? "").toLowerCase()
  const projectId = q.get("projectId")
  const all = dataset.siteStatuses ?? (dataset.statuses ?? statusesInUse(dataset)).map(asJiraStatus)
  const matching =
    projectId !== null && projectId !== ""
      ? []
      : all.filter(
          (s) =>
            String(s.name).toLowerCase().includes(search) &&
            (category === null || category === "" || s.statusCategory === category),
        )
  const maxResults = Math.min(asked, STATUS_PAGE)
  const values = matching.slice(startAt, startAt + maxResults)
  const link = pageLink(`${state.site()}/rest/api/3/statuses/search`, q, maxResults)
  return {
    status: 200,
    json: pageBean(values, { startAt, maxResults, total: matching.length, link }),
    objects: 1,
  }
}
