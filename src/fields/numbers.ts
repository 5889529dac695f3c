/**
 * Numbers and durations as cell text. Numbers are written as plain decimals ("4", "2.5", never
 * "1e+21") so every spreadsheet and CSV reader takes them as numbers.
 */
import type { FormatOptions } from "./options.js"

/** A finite number as a plain decimal; "" for NaN and infinities (no spreadsheet reads them). */
export const plainDecimal = (n: number): string => {
  if (!Number.isFinite(n)) return ""
  if (Object.is(n, -0)) return "0"
  const s = String(n)
  if (!s.includes("e")) return s
  // Exponent notation only for |n| >= 1e21 or < 1e-6: spell those out in full.
  return n.toLocaleString("en-US", { useGrouping: false, maximumFractionDigits: 20 })
}

const round2 = (n: number): number => Math.round(n * 100) / 100

/**
 * Seconds as Jira writes durations (`1w 2d 3h 30m`, with the site's working day and week), as
 * decimal hours (`2.5`, two decimals at most), or as whole seconds (Jira's CSV importer reads time
 * tracking in seconds). Jira tracks time in minutes, so seconds are rounded.
 */
export const formatDuration = (seconds: number, options: FormatOptions): string => {
  if (!Number.isFinite(seconds)) return ""
  if (options.durationFormat === "hours") return plainDecimal(round2(seconds / 3600))
  if (options.durationFormat === "seconds") return plainDecimal(Math.round(seconds))
  const sign = seconds < 0 ? "-" : ""
  let minutes = Math.round(Math.abs(seconds) / 60)
  const perDay = options.hoursPerDay * 60
  const perWeek = perDay * options.daysPerWeek
  const weeks = perWeek > 0 ? Math.floor(minutes / perWeek) : 0
  minutes -= weeks * perWeek
  const days = perDay > 0 ? Math.floor(minutes / perDay) : 0
  minutes -= days * perDay
  let hours = Math.floor(minutes / 60)
  minutes = Math.round(minutes - hours * 60)
  // A fractional working day (7.33 h) can leave 59.6 minutes that round up to a whole hour.
  if (minutes === 60) {
    hours += 1
    minutes = 0
  }
  const parts: Array<string> = []
  if (weeks > 0) parts.push(`${weeks}w`)
  if (days > 0) parts.push(`${days}d`)
  if (hours > 0) parts.push(`${hours}h`)
  if (minutes > 0) parts.push(`${minutes}m`)
  return parts.length === 0 ? "0m" : sign + parts.join(" ")
}
