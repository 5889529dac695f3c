/** Pure text formatting for the page: sizes, durations, rates, clock times and the file name. */

// Sizes and durations in words, as the command line says them too.
export { formatBytes, formatDuration, formatElapsed } from "../../src/contract/words.js"

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
