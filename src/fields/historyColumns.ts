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
 * The column of time in statuses `/status` does not list: it lists only statuses of active workflows,
 * while histories name statuses that have left every workflow since. Their names come only with the
 * histories, after the header is written, so their time is summed here rather than lost.
 */
const OTHER_STATUSES = `${TIME_IN_PREFIX}other`

/**
 * `timeInStatus` replaced by one column per status, in the order Jira lists them, then one for the
 * statuses it does not list (empty for issues that never were in one).
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
  const other: Column = {
    id: OTHER_STATUSES,
    fieldId: null,
    header: "Time in statuses no longer in a workflow (h)",
    kind: "number",
  }
  return columns.flatMap((c) => (c.id === TIME_IN_STATUS ? [...perStatus, other] : [c]))
}

/** Milliseconds spent in statuses the export's status list does not hold. */
const msInOthers = (times: StatusTimes, history: HistoryContext): number | undefined => {
  let total: number | undefined
  for (const [id, ms] of times.msIn) if (!history.statuses.some((s) => s.id === id)) total = (total ?? 0) + ms
  return total
}

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
