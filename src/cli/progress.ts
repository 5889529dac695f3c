/**
 * The progress line on standard error (only when it is a terminal): issues done of Jira's approximate
 * total, issues per second, the time left at that rate, any wait Jira asked for (a spent points quota
 * with the time it resets), and whether an expired page token had to be recovered from. Also the
 * closing line about issues that could not be read, and the opening one when thrifty cannot read the
 * query in parallel.
 */
import { formatBytes, formatElapsed } from "../contract/words.js"

export interface Progress {
  readonly done: number
  readonly total: number | null
  readonly elapsedMs: number
  /** Issues exported by this run (a resumed run starts with some done). */
  readonly doneThisRun: number
  readonly waitingMs: number
  readonly missing: number
  /** Waiting for Jira's points quota until this time of day (HH:MM:SS). */
  readonly quotaUntil?: string
  /** Times an expired page token was recovered from. */
  readonly relocations?: number
}

const clock = (ms: number) => {
  const seconds = Math.max(0, Math.round(ms / 1000))
  const h = Math.floor(seconds / 3600)
  const m = Math.floor((seconds % 3600) / 60)
  const s = seconds % 60
  return h > 0
    ? `${h}:${String(m).padStart(2, "0")}:${String(s).padStart(2, "0")}`
    : `${m}:${String(s).padStart(2, "0")}`
}

/** One line, at most `width` characters. */
export const renderProgress = (p: Progress, width: number): string => {
  const rate = p.elapsedMs > 0 ? (p.doneThisRun * 1000) / p.elapsedMs : 0
  // Jira's count is approximate: never show more than 100% or a negative time left.
  const total = p.total === null ? null : Math.max(p.total, p.done)
  const fraction = total === null || total === 0 ? null : p.done / total
  const eta = total !== null && rate > 0 ? clock(((total - p.done) / rate) * 1000) : "?"
  const parts = [
    total === null ? `${p.done} issues` : `${p.done}/${total} issues`,
    `${Math.round(rate)}/s`,
    `ETA ${eta}`,
    ...(p.quotaUntil !== undefined
      ? [`waiting for Jira's hourly quota until ${p.quotaUntil}`]
      : p.waitingMs > 0
        ? [`waiting ${clock(p.waitingMs)} for Jira's rate limit`]
        : []),
    ...(p.missing > 0 ? [`${p.missing} gone`] : []),
    ...(p.relocations === undefined ? [] : [`page token expired, place found again`]),
  ]
  const text = parts.join("  ")
  const barWidth = Math.max(0, Math.min(30, width - text.length - 4))
  const bar =
    fraction === null || barWidth < 5
      ? ""
      : `[${"=".repeat(Math.round(fraction * barWidth)).padEnd(barWidth, " ")}] `
  return `${bar}${text}`.slice(0, Math.max(0, width - 1)).padEnd(Math.max(0, width - 1), " ")
}

/** "1 issue", "2 issues". */
export const issueCount = (n: number): string => `${n} ${n === 1 ? "issue" : "issues"}`

/**
 * The line about issues that matched but could no longer be read, listing at most `shown` of them.
 * They are named by key as the search listed them; by id only where no key was known (issues still
 * pending in a cursor, which keeps ids only).
 */
export const missingReport = (missingCount: number, missing: ReadonlyArray<string>, shown = 20): string => {
  const listed = missing.slice(0, shown)
  const more = missingCount > listed.length ? ", …" : ""
  const isId = (name: string) => /^\d+$/.test(name)
  const names = listed.every(isId)
    ? `${listed.length === 1 ? "issue id" : "issue ids"} ${listed.join(", ")}`
    : `${listed.length === 1 ? "issue" : "issues"} ${listed.map((name) => (isId(name) ? `id ${name}` : name)).join(", ")}`
  return `${issueCount(missingCount)} matched but could no longer be read (deleted, moved or hidden since): ${names}${more}`
}

/** Why a thrifty export reads one page after another, and what would read the query in parallel. */
export const sequentialNotice = (reason: string): string =>
  `thrifty reads this query one page after another: ${reason}. A query ordered first by key, created or updated, or by Rank alone, is read in parallel; --strategy fast (the default with an API token) reads the issues of any order in parallel.`

/** "the issues after the first 200", or "the first issues" before any was written. */
export const issuesAfter = (done: number): string =>
  done === 0 ? "send the first issues" : `send the issues after the first ${done.toLocaleString("en-US")}`

export interface Written {
  readonly issues: number
  /** Where the CSV went, as the user named it; undefined for standard output. */
  readonly out: string | undefined
  readonly bytes: number
  readonly ms: number
  readonly missing: number
  readonly relocations: number
  readonly history: boolean
}

/**
 * The line a complete export ends with on standard error, so a finished run never ends silent:
 * "Wrote 14,000 issues to alpha.csv (1.6 MB) in 17 s", with the issues that were gone and the page
 * tokens recovered from when there were any (the lines before it name them).
 */
export const successLine = (w: Written): string => {
  const count = `${w.issues.toLocaleString("en-US")} ${w.issues === 1 ? "issue" : "issues"}`
  const where = w.out === undefined ? "standard output" : w.out
  const notes = [
    ...(w.missing > 0 ? [`${w.missing.toLocaleString("en-US")} matched but were gone`] : []),
    ...(w.relocations > 0
      ? [
          `${w.relocations === 1 ? "an expired page token" : `${w.relocations} expired page tokens`} recovered from`,
        ]
      : []),
  ]
  return `Wrote ${w.history ? `the change history of ${count}` : count} to ${where} (${formatBytes(w.bytes)}) in ${formatElapsed(w.ms)}${notes.length > 0 ? `; ${notes.join(", ")}` : ""}`
}
