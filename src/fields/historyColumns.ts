/**
 * The columns computed from an issue's status history (docs/architecture.md "History columns"):
 * `timeInStatus` (one column per status, hours), `leadTime` and `cycleTime` (hours), `statusChanges`
 * and `lastStatusChange`. Their cells need the issue's `created`, its `status` and its status changes,
 * which the export attaches as `issue.changelog.histories` (changelog bulkfetch filtered to `status`).
 */
import type { Issue } from "../jira/schemas.js"
import type { Column } from "./column.js"
import { parseJiraDateTime } from "./dates.js"
import { dateTime, type FormatContext } from "./formatters.js"
import { isObject } from "./json.js"
import {
  type CategoryKey,
  type HistoryContext,
  hours,
  type StatusChange,
  type StatusInfo,
  type StatusTimes,
  statusTimes,
} from "./statusTimes.js"

export type { HistoryContext, StatusInfo }

export const TIME_IN_STATUS = "timeInStatus"
const TIME_IN_PREFIX = `${TIME_IN_STATUS}:`

/** The pseudo-columns of this file, as the column model lists them (help text for the picker included). */
export const HISTORY_PSEUDO_COLUMNS = [
  {
    id: TIME_IN_STATUS,
    name: "Time in status (h)",
    kind: "number",
    type: "history",
    help: 'One column per status, "Time in <status> (h)": hours the issue spent in it over every visit; the current status counts up to the moment the export started.',
  },
  {
    id: "leadTime",
    name: "Lead time (h)",
    kind: "number",
    type: "history",
    help: "Hours from creation to the first move into a Done-category status; empty while it never got there.",
  },
  {
    id: "cycleTime",
    name: "Cycle time (h)",
    kind: "number",
    type: "history",
    help: "Hours from the first move into an In-progress-category status to the first move into a Done-category status after it; empty when either is missing.",
  },
  {
    id: "statusChanges",
    name: "Status changes",
    kind: "number",
    type: "history",
    help: "How many times the status changed.",
  },
  {
    id: "lastStatusChange",
    name: "Last status change",
    kind: "datetime",
    type: "history",
    help: "When the status last changed, in the export's date format; empty when it never changed.",
  },
] as const

const historyIds: ReadonlySet<string> = new Set(HISTORY_PSEUDO_COLUMNS.map((c) => c.id))

/** Whether a column's cells come from the status history. */
export const isHistoryColumn = (column: Pick<Column, "id">): boolean =>
  historyIds.has(column.id) || column.id.startsWith(TIME_IN_PREFIX)

/** The fields the history cells read besides the changelog. */
export const HISTORY_FIELDS: ReadonlyArray<string> = ["created", "status"]

/**
 * The column of time in statuses the export's status list does not hold. The list is `/status` (the
 * statuses of active workflows) and, where the user may read it, `/statuses/search` (every status of
 * the site, those no workflow uses any more included), so each status a history names gets a column of
 * its own; what is left is a status deleted from the site since (or, without the permission to read
 * every status, one that left every workflow). Its name comes only with the histories, after the
 * header is written, so its time is summed here rather than lost, and the export names it in its notes
 * ({@link unlistedStatusesNote}).
 */
export const OTHER_STATUSES_HEADER = "Time in statuses no longer in a workflow (h)"
const OTHER_STATUSES = `${TIME_IN_PREFIX}other`

/**
 * `timeInStatus` replaced by one column per status, in the order of the export's status list, then
 * one for the statuses it does not hold (empty for issues that never were in one).
 */
export const expandStatusColumns = (
  columns: ReadonlyArray<Column>,
  statuses: ReadonlyArray<StatusInfo>,
): ReadonlyArray<Column> => {
  const names = new Map<string, number>()
  for (const s of statuses) names.set(s.name.toLowerCase(), (names.get(s.name.toLowerCase()) ?? 0) + 1)
  const perStatus = statuses.map((s): Column => {
    const name = (names.get(s.name.toLowerCase()) ?? 0) > 1 ? `${s.name} (${s.id})` : s.name
    return { id: `${TIME_IN_PREFIX}${s.id}`, fieldId: null, header: `Time in ${name} (h)`, kind: "number" }
  })
  const other: Column = { id: OTHER_STATUSES, fieldId: null, header: OTHER_STATUSES_HEADER, kind: "number" }
  return columns.flatMap((c) => (c.id === TIME_IN_STATUS ? [...perStatus, other] : [c]))
}

/** Whether the columns hold the column of unlisted statuses (so the export has something to say of them). */
export const hasUnlistedStatusColumn = (columns: ReadonlyArray<Pick<Column, "id">>): boolean =>
  columns.some((c) => c.id === OTHER_STATUSES)

const listedIds = new WeakMap<HistoryContext, ReadonlySet<string>>()

const listedOf = (history: HistoryContext): ReadonlySet<string> => {
  let ids = listedIds.get(history)
  if (ids === undefined) {
    ids = new Set(history.statuses.map((s) => s.id))
    listedIds.set(history, ids)
  }
  return ids
}

/** Milliseconds spent in statuses the export's status list does not hold. */
const msInOthers = (times: StatusTimes, history: HistoryContext): number | undefined => {
  const listed = listedOf(history)
  let total: number | undefined
  for (const [id, ms] of times.msIn) if (!listed.has(id)) total = (total ?? 0) + ms
  return total
}

/** A status the export could not give a column of its own: its id, and its name as the history names it. */
export interface NamedStatus {
  readonly id: string
  readonly name: string
}

/**
 * The name the issue's history items give a status id; else its own `status` field's, when that is the
 * status (an issue never moved); else the id itself.
 */
const nameInHistory = (issue: Issue, id: string): string => {
  for (const entry of issue.changelog?.histories ?? [])
    for (const item of entry.items) {
      if ((item.fieldId ?? item.field) !== "status") continue
      if (item.to === id && typeof item.toString === "string" && item.toString !== "") return item.toString
      if (item.from === id && typeof item.fromString === "string" && item.fromString !== "")
        return item.fromString
    }
  const status = issue.fields?.status
  return isObject(status) && status.id === id && typeof status.name === "string" ? status.name : id
}

/** The statuses whose time this issue's row sums in the column of unlisted statuses. */
export const unlistedStatusesOf = (issue: Issue, history: HistoryContext): ReadonlyArray<NamedStatus> => {
  const listed = listedOf(history)
  const found: Array<NamedStatus> = []
  for (const id of timesOf(issue, history).msIn.keys())
    if (!listed.has(id)) found.push({ id, name: nameInHistory(issue, id) })
  return found
}

/** What the export says of the statuses it summed in the column of unlisted statuses; undefined for none. */
export const unlistedStatusesNote = (statuses: ReadonlyArray<NamedStatus>): string | undefined =>
  statuses.length === 0
    ? undefined
    : `"${OTHER_STATUSES_HEADER}" sums the time in ${statuses.length === 1 ? "a status" : "statuses"} Jira no longer lists (deleted from the site, or not readable with your permissions): ${statuses.map((s) => `${s.name} (id ${s.id})`).join(", ")}.`

const isCategory = (key: string): key is CategoryKey =>
  key === "new" || key === "indeterminate" || key === "done"

/** The status changes of an issue's attached history, oldest first. */
export const statusChangesOf = (issue: Issue): ReadonlyArray<StatusChange> => {
  const changes: Array<StatusChange> = []
  for (const entry of issue.changelog?.histories ?? []) {
    const at = parseJiraDateTime(entry.created)
    if (at === null) continue
    for (const item of entry.items)
      if ((item.fieldId ?? item.field) === "status")
        changes.push({ at, from: item.from ?? null, to: item.to ?? null, created: entry.created })
  }
  return changes
}

const categoryMaps = new WeakMap<HistoryContext, ReadonlyMap<string, string>>()

// Computed once per issue and context, however many history columns the row has.
const timesCache = new WeakMap<Issue, { readonly ctx: HistoryContext; readonly times: StatusTimes }>()

const timesOf = (issue: Issue, history: HistoryContext): StatusTimes => {
  const hit = timesCache.get(issue)
  if (hit !== undefined && hit.ctx === history) return hit.times
  let categories = categoryMaps.get(history)
  if (categories === undefined) {
    categories = new Map(history.statuses.map((s) => [s.id, s.category]))
    categoryMaps.set(history, categories)
  }
  const status = issue.fields?.status
  const current = isObject(status) && typeof status.id === "string" ? status.id : null
  // A status missing from /status (an inactive workflow's) can still be the current one: its category is on the issue.
  const currentCategory =
    isObject(status) && isObject(status.statusCategory) && typeof status.statusCategory.key === "string"
      ? status.statusCategory.key
      : undefined
  const created = issue.fields?.created
  const createdMs = typeof created === "string" ? parseJiraDateTime(created) : null
  const known = categories
  const times = statusTimes({
    createdMs: createdMs ?? history.asOfMs,
    changes: statusChangesOf(issue),
    currentStatus: current,
    categoryOf: (id) => {
      const key = known.get(id) ?? (id === current ? currentCategory : undefined)
      return key !== undefined && isCategory(key) ? key : undefined
    },
    asOfMs: history.asOfMs,
  })
  timesCache.set(issue, { ctx: history, times })
  return times
}

/** The cell of a history column; "" for a column that is not one or without a history context. */
export const historyCell = (issue: Issue, column: Column, ctx: FormatContext): string => {
  const history = ctx.history
  if (history === undefined) return ""
  const times = timesOf(issue, history)
  if (column.id === OTHER_STATUSES) {
    const ms = msInOthers(times, history)
    return ms === undefined ? "" : hours(ms)
  }
  if (column.id.startsWith(TIME_IN_PREFIX)) {
    const ms = times.msIn.get(column.id.slice(TIME_IN_PREFIX.length))
    return ms === undefined ? "" : hours(ms)
  }
  switch (column.id) {
    case "leadTime":
      return times.leadMs === undefined ? "" : hours(times.leadMs)
    case "cycleTime":
      return times.cycleMs === undefined ? "" : hours(times.cycleMs)
    case "statusChanges":
      return String(times.changes)
    case "lastStatusChange": {
      const created = times.lastChange?.created
      return created === undefined ? "" : dateTime(created, ctx)
    }
  }
  return ""
}
