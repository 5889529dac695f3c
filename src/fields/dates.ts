/**
 * Jira dates and datetimes as cell text, in the user's chosen zone and format.
 *
 * Jira writes datetimes as `2015-12-02T07:39:15.000-0800` (offset not necessarily +0000,
 * docs/jira-cloud.md §2.3) and sprint dates as `…Z`; dates as `2026-07-17` (a calendar day, no zone).
 */
import { Either } from "effect"
import { applyPattern, offsetText, pad, type WallTime } from "./datePattern.js"
import type { FormatOptions } from "./options.js"

/**
 * The zone a time-zone option names: `UTC` (in any case) as "UTC", any other name as given; undefined
 * for `user` (in any case) or no option, which both mean the zone of the user's Jira profile. The one
 * place that reads the option, so the preview, the export and the options agree on what it means.
 */
export const namedTimeZone = (requested: string | undefined): string | undefined => {
  if (requested === undefined || requested.toLowerCase() === "user") return undefined
  return requested.toUpperCase() === "UTC" ? "UTC" : requested
}

/**
 * Whether the runtime knows `zone` as a time zone. `Intl.DateTimeFormat` is the only portable check
 * (it also accepts aliases such as `Asia/Calcutta`, which `Intl.supportedValuesOf` does not list).
 */
export const isValidTimeZone = (zone: string): boolean =>
  zone.length > 0 && Either.isRight(Either.try(() => new Intl.DateTimeFormat("en-US", { timeZone: zone })))

const DATETIME =
  /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?(Z|[+-]\d{2}(?::?\d{2})?)?$/
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/

/** Epoch milliseconds of a Jira datetime; null when it is not one (no zone means UTC). */
export const parseJiraDateTime = (text: string): number | null => {
  const m = DATETIME.exec(text.trim())
  if (m === null) return null
  const fraction = (m[7] ?? "0").padEnd(3, "0").slice(0, 3)
  const utc = Date.UTC(
    Number(m[1]),
    Number(m[2]) - 1,
    Number(m[3]),
    Number(m[4]),
    Number(m[5]),
    Number(m[6] ?? "0"),
    Number(fraction),
  )
  const zone = m[8]
  let offset = 0
  if (zone !== undefined && zone !== "Z") {
    const digits = zone.replace(":", "")
    const sign = digits.startsWith("-") ? -1 : 1
    offset = sign * (Number(digits.slice(1, 3)) * 60 + Number(digits.slice(3, 5) || "0"))
  }
  const ms = utc - offset * 60_000
  return Number.isFinite(ms) ? ms : null
}

// Intl formatters are costly to build and cheap to reuse; one per zone for the life of the process.
const formatters = new Map<string, Intl.DateTimeFormat>()
const formatterFor = (zone: string): Intl.DateTimeFormat => {
  let f = formatters.get(zone)
  if (f === undefined) {
    f = new Intl.DateTimeFormat("en-US", {
      timeZone: zone,
      hourCycle: "h23",
      year: "numeric",
      month: "numeric",
      day: "numeric",
      hour: "numeric",
      minute: "numeric",
      second: "numeric",
      era: "short",
    })
    formatters.set(zone, f)
  }
  return f
}

/**
 * The wall time in `zone` at `ms` from the zone's rules (`formatToParts`, a few microseconds a call),
 * and the zone's offset then in milliseconds.
 */
const byRules = (ms: number, zone: string): { readonly wall: WallTime; readonly offsetMs: number } => {
  const millisecond = ((ms % 1000) + 1000) % 1000
  let year = 0
  let month = 1
  let day = 1
  let hour = 0
  let minute = 0
  let second = 0
  let bc = false
  for (const part of formatterFor(zone).formatToParts(ms)) {
    const n = Number(part.value)
    if (part.type === "year") year = n
    else if (part.type === "month") month = n
    else if (part.type === "day") day = n
    else if (part.type === "hour") hour = n
    else if (part.type === "minute") minute = n
    else if (part.type === "second") second = n
    else if (part.type === "era") bc = part.value.startsWith("B")
  }
  if (bc) year = 1 - year
  const wallAsUtc = Date.UTC(year, month - 1, day, hour, minute, second, millisecond)
  const offsetMs = wallAsUtc - ms
  return {
    wall: {
      year,
      month,
      day,
      hour,
      minute,
      second,
      millisecond,
      offsetMinutes: Math.round(offsetMs / 60_000),
    },
    offsetMs,
  }
}

/**
 * A zone's offset changes a few times a year at most, never twice within hours, so an export's many
 * dates ask the zone's rules once per six hours they fall in: the offset at the span's first and last
 * millisecond, kept when they agree (NaN when a change falls inside, and the rules are asked each time).
 */
const OFFSET_SPAN_MS = 6 * 60 * 60_000
const MAX_OFFSETS_KEPT = 100_000
const offsets = new Map<string, number>()
const offsetMsAt = (ms: number, zone: string): number => {
  const span = Math.floor(ms / OFFSET_SPAN_MS)
  const key = `${zone} ${span}`
  const known = offsets.get(key)
  if (known !== undefined) return known
  const first = byRules(span * OFFSET_SPAN_MS, zone).offsetMs
  const last = byRules((span + 1) * OFFSET_SPAN_MS - 1, zone).offsetMs
  if (offsets.size >= MAX_OFFSETS_KEPT) offsets.clear()
  const offset = first === last ? first : Number.NaN
  offsets.set(key, offset)
  return offset
}

const wallTimeIn = (ms: number, zone: string): WallTime => {
  const offset = zone === "UTC" ? 0 : offsetMsAt(ms, zone)
  if (Number.isNaN(offset)) return byRules(ms, zone).wall
  const d = new Date(ms + offset)
  return {
    year: d.getUTCFullYear(),
    month: d.getUTCMonth() + 1,
    day: d.getUTCDate(),
    hour: d.getUTCHours(),
    minute: d.getUTCMinutes(),
    second: d.getUTCSeconds(),
    millisecond: ((ms % 1000) + 1000) % 1000,
    offsetMinutes: Math.round(offset / 60_000),
  }
}

/** ISO 8601 with the zone's offset; milliseconds only when there are some. */
const isoDateTime = (t: WallTime): string =>
  `${pad(t.year, 4)}-${pad(t.month, 2)}-${pad(t.day, 2)}T${pad(t.hour, 2)}:${pad(t.minute, 2)}:${pad(t.second, 2)}` +
  `${t.millisecond === 0 ? "" : `.${pad(t.millisecond, 3)}`}${offsetText(t.offsetMinutes, true)}`

/**
 * A Jira datetime in the options' zone and format. `spreadsheet` is `yyyy-mm-dd hh:mm`, which Excel
 * and LibreOffice read as a date and time in every locale. Text that is not a datetime is kept as is.
 */
export const formatDateTime = (text: string, options: FormatOptions): string => {
  const ms = parseJiraDateTime(text)
  if (ms === null) return text
  const t = wallTimeIn(ms, options.timeZone)
  const f = options.dateFormat
  if (f === "iso") return isoDateTime(t)
  if (f === "spreadsheet")
    return `${pad(t.year, 4)}-${pad(t.month, 2)}-${pad(t.day, 2)} ${pad(t.hour, 2)}:${pad(t.minute, 2)}`
  return applyPattern(f.pattern, t)
}

/** Epoch milliseconds as a datetime cell (ADF `date` nodes and the like). */
export const formatEpochMillis = (ms: number, options: FormatOptions): string =>
  Number.isFinite(ms) && Math.abs(ms) <= MAX_EPOCH_MS
    ? formatDateTime(new Date(ms).toISOString(), options)
    : String(ms)

/** The largest time a JavaScript Date holds (ECMA-262 §21.4.1.1). */
const MAX_EPOCH_MS = 8.64e15

/**
 * A Jira calendar date (`2026-07-17`): no zone applies. ISO and spreadsheet formats keep it as is;
 * a pattern is applied with a midnight time. A datetime given to a date field is read as one.
 */
export const formatDate = (text: string, options: FormatOptions): string => {
  const m = DATE.exec(text.trim())
  if (m === null) return parseJiraDateTime(text) === null ? text : formatDateTime(text, options)
  const f = options.dateFormat
  if (f === "iso" || f === "spreadsheet") return `${m[1]}-${m[2]}-${m[3]}`
  return applyPattern(f.pattern, {
    year: Number(m[1]),
    month: Number(m[2]),
    day: Number(m[3]),
    hour: 0,
    minute: 0,
    second: 0,
    millisecond: 0,
    offsetMinutes: 0,
  })
}
