import { fc, test } from "@fast-check/vitest"
import { describe, expect } from "vitest"
import { PRESETS } from "../../src/export/options.js"
import { formatDate, formatDateTime, parseJiraDateTime } from "../../src/fields/dates.js"
import { formatDuration, plainDecimal } from "../../src/fields/numbers.js"

const format = PRESETS.spreadsheet.format
const ZONES = [
  "UTC",
  "Europe/Berlin",
  "America/New_York",
  "Asia/Kolkata",
  "Australia/Lord_Howe",
  "Pacific/Chatham",
]

/** A datetime as Jira writes it: milliseconds and a ±hhmm offset that need not be +0000. */
const jiraDateTime = fc
  .record({
    ms: fc.integer({ min: Date.UTC(1970, 0, 1), max: Date.UTC(2100, 0, 1) }),
    offset: fc.integer({ min: -12 * 60, max: 14 * 60 }),
  })
  .map(({ ms, offset }) => {
    const local = new Date(ms + offset * 60_000).toISOString().slice(0, 23)
    const sign = offset < 0 ? "-" : "+"
    const abs = Math.abs(offset)
    const hhmm = `${String(Math.floor(abs / 60)).padStart(2, "0")}${String(abs % 60).padStart(2, "0")}`
    return { ms, text: `${local}${sign}${hhmm}` }
  })

describe("dates", () => {
  test.prop([jiraDateTime])("Jira's datetimes parse to the instant they name", ({ ms, text }) => {
    expect(parseJiraDateTime(text)).toBe(ms)
  })

  test.prop([jiraDateTime, fc.constantFrom(...ZONES)])(
    "ISO output names the same instant in any zone; spreadsheet output is yyyy-mm-dd hh:mm",
    ({ ms, text }, timeZone) => {
      const iso = formatDateTime(text, { ...format, dateFormat: "iso", timeZone })
      expect(iso).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{3})?[+-]\d{2}:\d{2}$/)
      expect(Date.parse(iso)).toBe(ms)
      const sheet = formatDateTime(text, { ...format, timeZone })
      expect(sheet).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}$/)
      expect(iso.slice(0, 16).replace("T", " ")).toBe(sheet)
    },
  )

  test.prop([fc.string()])("text that is not a date is kept as it is", (text) => {
    const out = formatDateTime(text, format)
    if (parseJiraDateTime(text) === null) expect(out).toBe(text)
    expect(typeof formatDate(text, { ...format, dateFormat: { pattern: "yyyy MMM d" } })).toBe("string")
  })
})

describe("numbers and durations", () => {
  test.prop([fc.double({ noNaN: true, noDefaultInfinity: true })])(
    "numbers are plain decimals that read back as the same number",
    (n) => {
      const s = plainDecimal(n)
      expect(s).toMatch(/^-?\d+(\.\d+)?$/)
      if (Math.abs(n) >= 1e-6 || n === 0) expect(Number(s)).toBe(Object.is(n, -0) ? 0 : n)
    },
  )

  test.prop([
    fc.integer({ min: 0, max: 10_000_000 }),
    fc.integer({ min: 1, max: 24 }),
    fc.integer({ min: 1, max: 7 }),
  ])("Jira durations add back up to the minutes", (seconds, hoursPerDay, daysPerWeek) => {
    const text = formatDuration(seconds, { ...format, hoursPerDay, daysPerWeek })
    expect(text).toMatch(/^(\d+w)?( ?\d+d)?( ?\d+h)?( ?\d+m)?$/)
    const unit: Record<string, number> = {
      w: hoursPerDay * 60 * daysPerWeek,
      d: hoursPerDay * 60,
      h: 60,
      m: 1,
    }
    const minutes = [...text.matchAll(/(\d+)([wdhm])/g)].reduce(
      (sum, m) => sum + Number(m[1]) * (unit[m[2] ?? "m"] ?? 0),
      0,
    )
    expect(minutes).toBe(Math.round(seconds / 60))
  })

  test.prop([fc.integer({ min: 0, max: 10_000_000 }), fc.double({ min: 0.5, max: 24, noNaN: true })])(
    "fractional working days never write 60m",
    (seconds, hoursPerDay) => {
      expect(formatDuration(seconds, { ...format, hoursPerDay })).not.toMatch(/\b60m/)
    },
  )
})
