/**
 * Dates in a zone: the wall time an export writes is the one the zone's rules give, also next to
 * offset changes (the formatter reuses a quarter hour's offset, dates.ts).
 */
import fc from "fast-check"
import { describe, expect, it } from "vitest"
import { formatDateTime } from "../../src/fields/dates.js"
import type { FormatOptions } from "../../src/fields/options.js"

const ZONES = [
  "Europe/Berlin",
  "America/New_York",
  "America/St_Johns",
  "Australia/Lord_Howe",
  "Asia/Kathmandu",
  "Pacific/Chatham",
  "Africa/Casablanca",
  "Europe/Dublin",
]

const options = (timeZone: string): FormatOptions => ({
  dateFormat: "iso",
  timeZone,
  userDisplay: "displayName",
  multiValueSeparator: ";",
  durationFormat: "jira",
  hoursPerDay: 8,
  daysPerWeek: 5,
})

/** The zone's wall time at `ms`, straight from Intl, as ISO with the offset. */
const reference = (ms: number, zone: string): string => {
  const parts = new Intl.DateTimeFormat("en-US", {
    timeZone: zone,
    hourCycle: "h23",
    year: "numeric",
    month: "numeric",
    day: "numeric",
    hour: "numeric",
    minute: "numeric",
    second: "numeric",
  }).formatToParts(ms)
  const get = (type: string) => Number(parts.find((p) => p.type === type)?.value)
  const p = (n: number, w: number) => String(n).padStart(w, "0")
  const millisecond = ((ms % 1000) + 1000) % 1000
  const wall = Date.UTC(
    get("year"),
    get("month") - 1,
    get("day"),
    get("hour"),
    get("minute"),
    get("second"),
    millisecond,
  )
  const offset = Math.round((wall - ms) / 60_000)
  const sign = offset < 0 ? "-" : "+"
  const abs = Math.abs(offset)
  return (
    `${p(get("year"), 4)}-${p(get("month"), 2)}-${p(get("day"), 2)}T${p(get("hour"), 2)}:${p(get("minute"), 2)}:${p(get("second"), 2)}` +
    `${millisecond === 0 ? "" : `.${p(millisecond, 3)}`}${sign}${p(Math.floor(abs / 60), 2)}:${p(abs % 60, 2)}`
  )
}

/** Instants from 1970 to 2100, many of them within minutes of an offset change. */
const instants = fc.oneof(
  fc.integer({ min: 0, max: 4_102_444_800_000 }),
  // Around 01:00-03:00 UTC on the last Sundays of March and October, and the first of April/November.
  fc
    .record({
      year: fc.integer({ min: 1975, max: 2090 }),
      month: fc.constantFrom(2, 3, 9, 10),
      day: fc.integer({ min: 1, max: 31 }),
      minute: fc.integer({ min: -24 * 60, max: 24 * 60 }),
      ms: fc.integer({ min: 0, max: 59_999 }),
    })
    .map(({ year, month, day, minute, ms }) => Date.UTC(year, month, day) + minute * 60_000 + ms),
)

describe("formatDateTime in a zone", () => {
  it("writes the zone's wall time and offset at every instant", () => {
    fc.assert(
      fc.property(instants, fc.constantFrom(...ZONES), (ms, zone) => {
        const text = new Date(ms).toISOString()
        expect(formatDateTime(text, options(zone))).toBe(reference(ms, zone))
      }),
      { numRuns: 3000 },
    )
  })

  it("every minute of a day with two offset changes, in order", () => {
    for (const zone of ["Europe/Berlin", "Australia/Lord_Howe"])
      for (const day of [
        Date.UTC(2026, 2, 29),
        Date.UTC(2026, 9, 25),
        Date.UTC(2026, 3, 5),
        Date.UTC(2026, 9, 4),
      ])
        for (let minute = -12 * 60; minute < 36 * 60; minute += 7) {
          const ms = day + minute * 60_000 + 123
          expect(formatDateTime(new Date(ms).toISOString(), options(zone))).toBe(reference(ms, zone))
        }
  })
})
