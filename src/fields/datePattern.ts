/**
 * Date patterns (a subset of Unicode LDML / java.time letters) applied to a wall-clock time: the
 * user's own date format, compiled once per pattern.
 */

/** Wall-clock parts in some zone, plus that zone's offset from UTC in minutes. */
export interface WallTime {
  readonly year: number
  readonly month: number
  readonly day: number
  readonly hour: number
  readonly minute: number
  readonly second: number
  readonly millisecond: number
  readonly offsetMinutes: number
}

export const pad = (n: number, width: number): string => {
  const s = String(Math.abs(n)).padStart(width, "0")
  return n < 0 ? `-${s}` : s
}

export const offsetText = (minutes: number, colon: boolean): string => {
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

export const applyPattern = (pattern: string, t: WallTime): string => {
  let out = ""
  for (const token of compile(pattern)) out += "literal" in token ? token.literal : fieldText(token.field, t)
  return out
}
