/**
 * Fields whose value depends on what the site has (issue 19 items 2 and 6), from the emulator through
 * export/start and export/next in the spreadsheet preset: Parent Link on a site without Jira Premium
 * (the licence placeholder: empty cells) and with it (the linked issue's key), and a Jira Service
 * Management SLA in both its shapes (real cycles: time left, breached, met; the error placeholder:
 * empty). No cell is JSON.
 */
import { parse } from "csv-parse/sync"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { CUSTOM } from "../../dev/emulator/data/fields.js"
import { exportNext, exportStart } from "../../src/resolvers/export.js"
import { exportThrough, type Harness, jqlAll, startHarness } from "../resolvers/emulated.js"

const COLUMNS = ["issuekey", "parent", CUSTOM.parentLink, CUSTOM.timeToResolution]

type Json = Readonly<Record<string, unknown>>
const obj = (v: unknown): Json => (typeof v === "object" && v !== null && !Array.isArray(v) ? Object(v) : {})

/** `90` minutes as Jira shows an SLA time: `1h 30m`. */
const clock = (millis: number) => {
  const minutes = Math.round(Math.abs(millis) / 60_000)
  const h = Math.floor(minutes / 60)
  const m = minutes % 60
  return [h > 0 ? `${h}h` : "", m > 0 ? `${m}m` : ""].filter((p) => p !== "").join(" ") || "0m"
}

/** The cell the SLA value should give, worked out from the emulator's own value. */
const expectedSla = (value: unknown): string => {
  const sla = obj(value)
  if ("errorMessage" in sla) return ""
  const ongoing = obj(sla.ongoingCycle)
  if (Object.keys(ongoing).length > 0) {
    const remaining = Number(obj(ongoing.remainingTime).millis)
    const text = remaining < 0 ? `Breached by ${clock(remaining)}` : `${clock(remaining)} left`
    return ongoing.paused === true ? `${text} (paused)` : text
  }
  const last = obj((Array.isArray(sla.completedCycles) ? sla.completedCycles : []).at(-1))
  const elapsed = clock(Number(obj(last.elapsedTime).millis))
  const goal = clock(Number(obj(last.goalDuration).millis))
  return last.breached === true ? `Breached: ${elapsed} (goal ${goal})` : `Met in ${elapsed} (goal ${goal})`
}

describe.each([
  { premium: false, site: "a site without Jira Premium" },
  { premium: true, site: "a Jira Premium site" },
])("Parent Link and a JSM SLA from the emulator, spreadsheet preset: $site", ({ premium }) => {
  let harness: Harness
  beforeAll(async () => {
    harness = await startHarness({ issues: 400, seed: 19, premium })
  })
  afterAll(async () => {
    await harness.emulator.close()
  })

  it("writes the linked key or nothing for Parent Link, and the SLA as text, never JSON", async () => {
    const { csv } = await exportThrough(
      harness,
      () =>
        exportStart({ jql: jqlAll(harness.emulator), columns: COLUMNS, options: { preset: "spreadsheet" } }),
      (cursor) => exportNext({ cursor }),
    )
    const [header, ...rows] = parse(csv, { bom: true }) as Array<Array<string>>
    expect(header).toEqual(["Issue key", "Parent", "Parent Link", "Time to resolution"])
    expect(rows.length).toBeGreaterThan(300)
    for (const row of rows) for (const cell of row) expect(cell).not.toMatch(/^\s*[[{]/)

    const dataset = harness.emulator.dataset
    const seen = { link: 0, ongoing: 0, breached: 0, paused: 0, completed: 0, placeholder: 0 }
    for (const [key = "", parent = "", link = "", sla = ""] of rows) {
      const fields = obj(dataset.issueByIdOrKey(key)?.fields)
      const parentLink = obj(fields[CUSTOM.parentLink])
      if (!premium) {
        // Every issue answers the licence placeholder; it is no value.
        expect(obj(parentLink.nonEditableReason).reason).toBe("PLUGIN_LICENSE_ERROR")
        expect(link).toBe("")
      } else if (Object.keys(parentLink).length > 0) {
        expect(link).toBe(String(obj(parentLink.data).key))
        // The link is the issue's epic, as the Parent column says.
        expect(link).toBe(parent)
        seen.link++
      } else expect(link).toBe("")

      const value = fields[CUSTOM.timeToResolution]
      expect(sla).toBe(expectedSla(value))
      if ("errorMessage" in obj(value)) seen.placeholder++
      else if (sla.includes("(goal")) seen.completed++
      else {
        seen.ongoing++
        if (sla.startsWith("Breached")) seen.breached++
        if (sla.endsWith("(paused)")) seen.paused++
      }
    }
    // Both shapes and every kind of SLA cell occur.
    expect(seen.placeholder).toBeGreaterThan(100)
    expect(seen.ongoing).toBeGreaterThan(5)
    expect(seen.completed).toBeGreaterThan(5)
    expect(seen.breached).toBeGreaterThan(0)
    expect(seen.paused).toBeGreaterThan(0)
    if (premium) expect(seen.link).toBeGreaterThan(20)
  }, 120_000)
})
