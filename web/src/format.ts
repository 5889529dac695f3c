/** Pure text formatting for the page: sizes, durations, rates, clock times and the file name. */

const units = ["bytes", "KB", "MB", "GB"] as const

/** `1234567` → `1.2 MB` (decimal units, as file managers show them). */
export const formatBytes = (bytes: number): string => {
  let value = bytes
  let unit = 0
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000
    unit++
  }
  if (unit === 0) return `${bytes} ${bytes === 1 ? "byte" : "bytes"}`
  return `${value < 10 ? value.toFixed(1) : Math.round(value)} ${units[unit]}`
}

/** `75_000` → `1 min 15 s`; under a second → `0 s`. */
export const formatDuration = (ms: number): string => {
  const total = Math.max(0, Math.round(ms / 1000))
  const h = Math.floor(total / 3600)
  const m = Math.floor((total % 3600) / 60)
  const s = total % 60
  if (h > 0) return m > 0 ? `${h} h ${m} min` : `${h} h`
  if (m > 0) return s > 0 ? `${m} min ${s} s` : `${m} min`
  return `${s} s`
}

/** How long a finished run took: `17 s`, `1 min 15 s`, or `under a second` (never `0 s`). */
export const formatElapsed = (ms: number): string => (ms < 1000 ? "under a second" : formatDuration(ms))

/** A count with thousands separators in the user's locale. */
export const formatCount = (n: number, locale?: string): string => new Intl.NumberFormat(locale).format(n)

/** `HH:MM` of an instant in a time zone (falls back to the browser's zone for an unknown one). */
export const formatClock = (at: Date, timeZone?: string): string => {
  const options: Intl.DateTimeFormatOptions = { hour: "2-digit", minute: "2-digit", hour12: false }
  try {
    return new Intl.DateTimeFormat("en-GB", { ...options, ...(timeZone ? { timeZone } : {}) }).format(at)
  } catch {
    return new Intl.DateTimeFormat("en-GB", options).format(at)
  }
}

/** `yyyy-mm-dd` of an instant in a time zone. */
const formatDay = (at: Date, timeZone?: string): string => {
  const options: Intl.DateTimeFormatOptions = { year: "numeric", month: "2-digit", day: "2-digit" }
  try {
    return new Intl.DateTimeFormat("en-CA", { ...options, ...(timeZone ? { timeZone } : {}) }).format(at)
  } catch {
    return new Intl.DateTimeFormat("en-CA", options).format(at)
  }
}

const MAX_NAME_FROM_JQL = 60

/**
 * The download's file name: the query in lower-case words and the date, e.g.
 * `project-abc-and-status-done-2026-11-29.csv`. Only letters, digits and dashes, so it is a valid name
 * on every operating system. A change history ends in `-history` so it never takes an issue export's name.
 */
export const fileNameFor = (
  jql: string,
  at: Date,
  timeZone?: string,
  history = false,
  extension: "csv" | "xlsx" = "csv",
): string => {
  const words = jql
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
  const cut =
    words.length > MAX_NAME_FROM_JQL ? words.slice(0, MAX_NAME_FROM_JQL).replace(/-[^-]*$/, "") : words
  const stem = cut === "" ? "jira-issues" : cut
  return `${stem}${history ? "-history" : ""}-${formatDay(at, timeZone)}.${extension}`
}
