/**
 * Jira dates and datetimes as cell text, in the user's chosen zone and format.
 *
 * Jira writes datetimes as `2015-12-02T07:39:15.000-0800` (offset not necessarily +0000, reference
 * §2.3) and sprint dates as `…Z`; dates as `2026-07-17` (a calendar day, no zone).
 */
import type { FormatOptions } from "../export/options.js"

/** Wall-clock parts in some zone, plus that zone's offset from UTC in minutes. */
interface WallTime {
  readonly year: number
  readonly month: number
  readonly day: number
  readonly hour: number
  readonly minute: number
  readonly second: number
  readonly millisecond: number
  readonly offsetMinutes: number
}

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

const wallTimeIn = (ms: number, zone: string): WallTime => {
  const millisecond = ((ms % 1000) + 1000) % 1000
  if (zone === "UTC") {
    const d = new Date(ms)
    return {
      year: d.getUTCFullYear(),
      month: d.getUTCMonth() + 1,
      day: d.getUTCDate(),
      hour: d.getUTCHours(),
      minute: d.getUTCMinutes(),
      second: d.getUTCSeconds(),
      millisecond,
      offsetMinutes: 0,
    }
  }
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
  return {
    year,
    month,
    day,
    hour,
    minute,
    second,
    millisecond,
    offsetMinutes: Math.round((wallAsUtc - ms) / 60_000),
  }
}

const pad = (n: number, width: number): string => {
  const s = String(Math.abs(n)).padStart(width, "0")
  return n < 0 ? `-${s}` : s
}

const offsetText = (minutes: number, colon: boolean): string => {
  const sign = minutes < 0 ? "-" : "+"
  const abs = Math.abs(minutes)
  return `${sign}${pad(Math.floor(abs / 60), 2)}${colon ? ":" : ""}${pad(abs % 60, 2)}`
}

const MONTHS = [
  "January",
  "February",
  "March",
  "April",
  "May",
  "June",
  "July",
  "August",
  "September",
  "October",
  "November",
  "December",
]

type Token = { readonly literal: string } | { readonly field: string }

/**
 * Pattern letters (a subset of Unicode LDML / java.time): yyyy yy MMMM MMM MM M dd d HH H hh h mm m ss s
 * SSS a XXX XX X. Text in single quotes is literal (`''` is a quote); other characters are literal.
 */
const PATTERN_FIELDS = new Set([
  "yyyy",
  "yy",
  "MMMM",
  "MMM",
  "MM",
  "M",
  "dd",
  "d",
  "HH",
  "H",
  "hh",
  "h",
  "mm",
  "m",
  "ss",
  "s",
  "SSS",
  "a",
  "XXX",
  "XX",
  "X",
])

const compiled = new Map<string, ReadonlyArray<Token>>()
const compile = (pattern: string): ReadonlyArray<Token> => {
  const cached = compiled.get(pattern)
  if (cached !== undefined) return cached
  const tokens: Array<Token> = []
  let i = 0
  while (i < pattern.length) {
    const c = pattern.charAt(i)
    if (c === "'") {
      if (pattern.charAt(i + 1) === "'") {
        tokens.push({ literal: "'" })
        i += 2
        continue
      }
      // Quoted text up to the closing quote; a doubled quote inside it is one quote.
      let literal = ""
      i += 1
      while (i < pattern.length) {
        if (pattern.charAt(i) === "'") {
          if (pattern.charAt(i + 1) !== "'") break
          i += 1
        }
        literal += pattern.charAt(i)
        i += 1
      }
      tokens.push({ literal })
      i += 1
      continue
    }
    let j = i
    while (j < pattern.length && pattern.charAt(j) === c) j++
    const run = pattern.slice(i, j)
    if (/[A-Za-z]/.test(c)) {
      // A run longer than any known field (e.g. "yyyyy") is read as the longest known prefix repeated.
      let rest = run
      while (rest.length > 0) {
        let k = rest.length
        while (k > 0 && !PATTERN_FIELDS.has(rest.slice(0, k))) k--
        if (k === 0) {
          tokens.push({ literal: rest })
          break
        }
        tokens.push({ field: rest.slice(0, k) })
        rest = rest.slice(k)
      }
    } else tokens.push({ literal: run })
    i = j
  }
  if (compiled.size > 100) compiled.clear()
  compiled.set(pattern, tokens)
  return tokens
}

const fieldText = (field: string, t: WallTime): string => {
  const h12 = t.hour % 12 === 0 ? 12 : t.hour % 12
  switch (field) {
    case "yyyy":
      return pad(t.year, 4)
    case "yy":
      return pad(((t.year % 100) + 100) % 100, 2)
    case "MMMM":
      return MONTHS[t.month - 1] ?? ""
    case "MMM":
      return (MONTHS[t.month - 1] ?? "").slice(0, 3)
    case "MM":
      return pad(t.month, 2)
    case "M":
      return String(t.month)
    case "dd":
      return pad(t.day, 2)
    case "d":
      return String(t.day)
    case "HH":
      return pad(t.hour, 2)
    case "H":
      return String(t.hour)
    case "hh":
      return pad(h12, 2)
    case "h":
      return String(h12)
    case "mm":
      return pad(t.minute, 2)
    case "m":
      return String(t.minute)
    case "ss":
      return pad(t.second, 2)
    case "s":
      return String(t.second)
    case "SSS":
      return pad(t.millisecond, 3)
    case "a":
      return t.hour < 12 ? "AM" : "PM"
    case "XXX":
      return t.offsetMinutes === 0 ? "Z" : offsetText(t.offsetMinutes, true)
    case "XX":
      return t.offsetMinutes === 0 ? "Z" : offsetText(t.offsetMinutes, false)
    default:
      return t.offsetMinutes === 0 ? "Z" : offsetText(t.offsetMinutes, false).slice(0, 3)
  }
}

const applyPattern = (pattern: string, t: WallTime): string => {
  let out = ""
  for (const token of compile(pattern)) out += "literal" in token ? token.literal : fieldText(token.field, t)
  return out
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
