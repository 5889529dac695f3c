/**
 * Time in status, lead time and cycle time of one issue, from its status changes (docs/jira-cloud.md
 * §10; definitions in docs/architecture.md "History columns"). Pure: the caller gives the instants.
 *
 * Categories come from Jira (`statusCategory.key`: `new`, `indeterminate`, `done`), never from names.
 * The issue is in a status from the moment it enters it (creation counts as entering the first status)
 * until it leaves it, or until the as-of instant; changes after the as-of instant are not counted, so an
 * export resumed later gives the same numbers.
 */

/** A status as `GET /rest/api/3/status` lists it, reduced to what the columns need. */
export interface StatusInfo {
  readonly id: string
  readonly name: string
  /** `statusCategory.key`: `new`, `indeterminate` or `done` (others are kept but count as neither). */
  readonly category: string
}

/** What history cells share across an export: the as-of instant and the categories of the statuses. */
export interface HistoryContext {
  readonly asOfMs: number
  readonly statuses: ReadonlyArray<StatusInfo>
}

/** A status change: when, and the status ids it went from and to. */
export interface StatusChange {
  readonly at: number
  readonly from: string | null
  readonly to: string | null
  /** The entry's own date text, kept to write `lastStatusChange` in the export's date format. */
  readonly created?: string
}

export type CategoryKey = "new" | "indeterminate" | "done"

export interface StatusTimesInput {
  readonly createdMs: number
  /** Status changes, oldest first. */
  readonly changes: ReadonlyArray<StatusChange>
  /** The current status id: its status when it has no changes. */
  readonly currentStatus: string | null
  readonly categoryOf: (statusId: string) => CategoryKey | undefined
  readonly asOfMs: number
}

export interface StatusTimes {
  /** Milliseconds spent in each status id, over every visit. */
  readonly msIn: ReadonlyMap<string, number>
  /** Created -> first entry into a done-category status. */
  readonly leadMs: number | undefined
  /**
   * First entry into an in-progress-category status -> the first entry into a done-category status
   * after it. Work that starts only after the issue was first done (reopened) has no cycle time, so a
   * cycle never ends after the lead time's end and never exceeds it.
   */
  readonly cycleMs: number | undefined
  /** Status changes up to the as-of instant. */
  readonly changes: number
  /** The last of them, as Jira wrote its date. */
  readonly lastChange: StatusChange | undefined
}

/** Statuses the issue went through, with the instant it entered each (clamped into [created, as-of]). */
const visits = (input: StatusTimesInput) => {
  const { createdMs, asOfMs } = input
  const counted = input.changes.filter((c) => c.at <= asOfMs)
  // The status at creation is the first change's `from`, even when every change lies after the
  // as-of instant (the issue moved while the export ran): only without changes is it the current one.
  const first = input.changes[0]
  const initial = first === undefined ? input.currentStatus : first.from
  const entered: Array<{ readonly status: string | null; readonly at: number }> = [
    { status: initial, at: Math.min(createdMs, asOfMs) },
  ]
  for (const change of counted) {
    const previous = entered[entered.length - 1]?.at ?? createdMs
    // A change dated before the previous one (clock skew) is taken as happening at that instant.
    entered.push({ status: change.to, at: Math.min(asOfMs, Math.max(previous, change.at)) })
  }
  return { entered, counted }
}

export const statusTimes = (input: StatusTimesInput): StatusTimes => {
  const { entered, counted } = visits(input)
  const msIn = new Map<string, number>()
  entered.forEach((visit, i) => {
    const end = entered[i + 1]?.at ?? Math.max(visit.at, input.asOfMs)
    if (visit.status !== null) msIn.set(visit.status, (msIn.get(visit.status) ?? 0) + (end - visit.at))
  })
  const category = (status: string | null) => (status === null ? undefined : input.categoryOf(status))
  const firstDone = entered.findIndex((v) => category(v.status) === "done")
  const doneAt = firstDone < 0 ? undefined : entered[firstDone]?.at
  const started = entered.findIndex((v, i) => category(v.status) === "indeterminate" && i < firstDone)
  const startedAt = started < 0 ? undefined : entered[started]?.at
  const startMs = Math.min(input.createdMs, input.asOfMs)
  return {
    msIn,
    leadMs: doneAt === undefined ? undefined : doneAt - startMs,
    cycleMs: doneAt === undefined || startedAt === undefined ? undefined : doneAt - startedAt,
    changes: counted.length,
    lastChange: counted[counted.length - 1],
  }
}

/** Hours with two decimals, as a spreadsheet sums them ("12.50"). */
export const hours = (ms: number): string => (Math.round(ms / 36_000) / 100).toFixed(2)
