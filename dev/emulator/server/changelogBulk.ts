/**
 * `POST /rest/api/3/changelog/bulkfetch` (docs/jira-cloud.md §10): the histories of up to 1,000 issues,
 * optionally only of up to 10 fields, oldest entry first and then by issue id, in token-paged answers
 * grouped per issue. Issues that do not exist or that the viewer cannot browse are left out silently,
 * as Jira does. Registered in `routes.ts`, so points, burst limits, chaos and stats apply as to every route.
 */
import { createHash } from "node:crypto"
import type { ChangeHistory, UserRecord } from "../model.js"
import { jiraError, visibleChangelog } from "./changelogRoutes.js"
import { type BeanShape, checkBean, stringsOf } from "./payload.js"
import type { Call, EmulatorDataset, Reply, ServerState } from "./state.js"

const MAX_ISSUES = 1000
const MAX_FIELD_IDS = 10
const DEFAULT_PAGE = 1000
const MAX_PAGE = 10_000
/** Entry lists kept per server, so paging through one request generates its histories once. */
const LISTS_KEPT = 4

const ISSUES_RANGE = `issueIdsOrKeys must hold between 1 and ${MAX_ISSUES} issue IDs or keys.`
const FIELD_IDS_RANGE = `fieldIds can hold at most ${MAX_FIELD_IDS} field IDs.`
const MAX_RESULTS_RANGE = `The maxResults parameter must be between 1 and ${MAX_PAGE}.`
const BAD_TOKEN = "The nextPageToken is invalid or has expired; request the changelogs again without one."

const BEAN: BeanShape = {
  issueIdsOrKeys: "strings",
  fieldIds: "strings",
  maxResults: "integer",
  nextPageToken: "string",
}

/** Where an entry stands in the answer's order: oldest first, then by issue id, then as the issue lists it. */
interface Position {
  readonly at: number
  readonly issue: number
  readonly seq: number
}

interface Entry extends Position {
  readonly history: ChangeHistory
}

const compare = (a: Position, b: Position): number => a.at - b.at || a.issue - b.issue || a.seq - b.seq

/** Which request (viewer, issues, fields) a token continues. */
const requestKey = (viewer: UserRecord | null, ids: ReadonlyArray<string>, fieldIds: ReadonlyArray<string>) =>
  createHash("sha256")
    .update(`changelog\n${viewer?.accountId ?? ""}\n${ids.join(",")}\n${fieldIds.join(",")}`)
    .digest("base64url")
    .slice(0, 22)

/**
 * Tokens carry the last entry served rather than a count, so an issue deleted between pages takes only
 * its own entries with it: nothing of the other issues is skipped or repeated.
 */
const tokenKey = (key: string, p: Position) => `${key}~${p.at}~${p.issue}~${p.seq}`

const readTokenKey = (text: string): { readonly key: string; readonly position: Position } | undefined => {
  const [key, at, issue, seq, extra] = text.split("~")
  const numbers = [at, issue, seq].map(Number)
  if (key === undefined || extra !== undefined || numbers.some((n) => !Number.isInteger(n))) return undefined
  return { key, position: { at: numbers[0] ?? 0, issue: numbers[1] ?? 0, seq: numbers[2] ?? 0 } }
}

/** The entry with only the items of the asked fields, or undefined when it changed none of them. */
const onlyFields = (history: ChangeHistory, fields: ReadonlySet<string>): ChangeHistory | undefined => {
  if (fields.size === 0) return history
  // Items without a field id (IssueParentAssociation, WorklogId) belong to no asked field.
  const items = history.items.filter((i) => i.fieldId !== undefined && fields.has(i.fieldId))
  return items.length === 0 ? undefined : { ...history, items }
}

const kept = new WeakMap<ServerState, Map<string, ReadonlyArray<Entry>>>()

/** Every entry the request answers with, in the answer's order (issues deleted since are filtered later). */
const entriesOf = (
  state: ServerState,
  call: Call,
  key: string,
  ids: ReadonlyArray<string>,
  fieldIds: ReadonlyArray<string>,
): ReadonlyArray<Entry> => {
  const lists = kept.get(state) ?? new Map<string, ReadonlyArray<Entry>>()
  kept.set(state, lists)
  const hit = lists.get(key)
  if (hit) {
    lists.delete(key)
    lists.set(key, hit)
    return hit
  }
  const fields = new Set(fieldIds)
  const seen = new Set<string>()
  const list: Array<Entry> = []
  for (const idOrKey of ids) {
    const log = visibleChangelog(state.dataset, call.viewer, idOrKey)
    if (!log || seen.has(log.issueId)) continue
    seen.add(log.issueId)
    log.histories.forEach((h, seq) => {
      const history = onlyFields(h, fields)
      if (history) list.push({ at: log.at[seq] ?? 0, issue: log.numericId, seq, history })
    })
  }
  list.sort(compare)
  lists.set(key, list)
  for (const oldest of lists.keys()) if (lists.size > LISTS_KEPT) lists.delete(oldest)
  return list
}

/** Whether an issue still exists, without generating it when the data set can say so cheaply. */
const liveness = (dataset: EmulatorDataset) => {
  const known = new Map<number, boolean>()
  return (issue: number): boolean => {
    const hit = known.get(issue)
    if (hit !== undefined) return hit
    const id = String(issue)
    const live =
      dataset.indexOf !== undefined && dataset.isLive !== undefined
        ? dataset.isLive(dataset.indexOf(id))
        : dataset.issueByIdOrKey(id) !== undefined
    known.set(issue, live)
    return live
  }
}

/** Index of the first entry after `after` (binary search). */
const firstAfter = (list: ReadonlyArray<Entry>, after: Position | null): number => {
  if (after === null) return 0
  let lo = 0
  let hi = list.length
  while (lo < hi) {
    const mid = (lo + hi) >>> 1
    if (compare(list[mid]!, after) <= 0) lo = mid + 1
    else hi = mid
  }
  return lo
}

export const bulkChangelogs = (state: ServerState, call: Call): Reply => {
  const bean = checkBean(
    call.body,
    BEAN,
    "com.atlassian.jira.rest.v2.issue.changelog.BulkChangelogRequestBean",
  )
  if (!bean.ok) return jiraError(400, bean.message)
  const body = bean.value
  const ids = stringsOf(body, "issueIdsOrKeys")
  if (ids.length < 1 || ids.length > MAX_ISSUES) return jiraError(400, ISSUES_RANGE)
  const fieldIds = stringsOf(body, "fieldIds")
  if (fieldIds.length > MAX_FIELD_IDS) return jiraError(400, FIELD_IDS_RANGE)
  const maxResults = typeof body.maxResults === "number" ? body.maxResults : DEFAULT_PAGE
  if (maxResults < 1 || maxResults > MAX_PAGE) return jiraError(400, MAX_RESULTS_RANGE)
  const key = requestKey(call.viewer, ids, fieldIds)
  const generation = state.searchGenerations.get(key) ?? 0
  const faults: Array<string> = []
  let after: Position | null = null
  let served = 0
  const token = body.nextPageToken
  if (typeof token === "string" && token !== "") {
    const reading = state.tokens.read(token, call.now)
    const continued = reading.ok ? readTokenKey(reading.position.searchKey) : undefined
    if (!reading.ok || continued?.key !== key || reading.position.generation !== generation)
      return jiraError(400, BAD_TOKEN)
    if (call.draw.expireToken) {
      state.searchGenerations.set(key, generation + 1)
      return { ...jiraError(400, BAD_TOKEN), faults: ["token-expiry"] }
    }
    after = continued.position
    served = reading.position.offset
  }
  if (call.draw.deleteIssue) {
    const victim = ids[Math.floor(call.draw.pick * ids.length)]
    if (victim !== undefined && state.dataset.deleteIssue(victim)) faults.push("delete")
  }

  const list = entriesOf(state, call, key, ids, fieldIds)
  const live = liveness(state.dataset)
  const start = firstAfter(list, after)
  let size = maxResults
  if (call.draw.shortPage && size > 1 && list.length - start > size) {
    size = 1 + Math.floor(call.draw.pick * (size - 1))
    faults.push("short-pages")
  }
  const page: Array<Entry> = []
  let next = start
  for (; next < list.length && page.length < size; next++) if (live(list[next]!.issue)) page.push(list[next]!)
  while (next < list.length && !live(list[next]!.issue)) next++
  // One group per issue on the page, in ascending issue id; an issue's entries may continue on the next page.
  const groups = new Map<number, Array<ChangeHistory>>()
  for (const e of page) {
    const group = groups.get(e.issue)
    if (group) group.push(e.history)
    else groups.set(e.issue, [e.history])
  }
  const issueChangeLogs = [...groups.entries()]
    .sort(([a], [b]) => a - b)
    .map(([issue, changeHistories]) => ({ issueId: String(issue), changeHistories }))
  const last = page[page.length - 1]
  const nextPageToken =
    last !== undefined && next < list.length
      ? state.tokens.issue(tokenKey(key, last), served + page.length, generation, call.now)
      : undefined
  return {
    status: 200,
    json: { issueChangeLogs, ...(nextPageToken === undefined ? {} : { nextPageToken }) },
    // Points: one per issue in the answer, as for other core objects (docs/jira-cloud.md §6).
    objects: issueChangeLogs.length,
    faults,
  }
}
