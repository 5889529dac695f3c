/**
 * Time in status, lead and cycle time, and the history rows, for any generated changelog: the times
 * add up to the issue's age at the as-of instant, lead time is never shorter than cycle time, and the
 * history export has one row per changed item, in order.
 */
import { fc, test } from "@fast-check/vitest"
import { describe, expect, it } from "vitest"
import { PRESETS } from "../../src/export/options.js"
import type { Column } from "../../src/fields/column.js"
import { formatRow } from "../../src/fields/format.js"
import {
  expandStatusColumns,
  TIME_IN_STATUS,
  unlistedStatusesNote,
  unlistedStatusesOf,
} from "../../src/fields/historyColumns.js"
import { historyRows } from "../../src/fields/historyRows.js"
import { hours, type StatusInfo, statusTimes } from "../../src/fields/statusTimes.js"
import type { Issue } from "../../src/jira/schemas.js"

const STATUSES: ReadonlyArray<StatusInfo> = [
  { id: "1", name: "To Do", category: "new" },
  { id: "2", name: "In Progress", category: "indeterminate" },
  { id: "3", name: "In Review", category: "indeterminate" },
  { id: "4", name: "Done", category: "done" },
  { id: "5", name: "Won't Do", category: "done" },
]
const categoryOf = (id: string) => {
  const key = STATUSES.find((s) => s.id === id)?.category
  return key === "new" || key === "indeterminate" || key === "done" ? key : undefined
}

const CREATED = Date.UTC(2025, 0, 1)
const HOUR = 3_600_000

/** A walk through the statuses: gaps in ms between changes, the statuses entered, the as-of gap. */
const walk = fc.record({
  initial: fc.constantFrom(...STATUSES.map((s) => s.id)),
  steps: fc.array(
    fc.record({
      gap: fc.integer({ min: 0, max: 400 * HOUR }),
      to: fc.constantFrom(...STATUSES.map((s) => s.id)),
    }),
    { maxLength: 30 },
  ),
  tail: fc.integer({ min: 0, max: 400 * HOUR }),
  // Some changes may fall after the as-of instant: they must not count.
  cutBack: fc.integer({ min: 0, max: 3 }),
})

type Walk = typeof walk extends fc.Arbitrary<infer W> ? W : never

const changesOf = (w: Walk) => {
  let at = CREATED
  let from = w.initial
  return w.steps.map((s) => {
    at += s.gap
    const change = { at, from, to: s.to, created: new Date(at).toISOString() }
    from = s.to
    return change
  })
}

const asOfOf = (w: Walk, changes: ReturnType<typeof changesOf>) => {
  const last = changes[changes.length - 1 - w.cutBack]?.at ?? CREATED
  return last + w.tail
}

describe("statusTimes", () => {
  test.prop([walk])("the time in each status adds up to as-of minus created, rounding aside", (w) => {
    const changes = changesOf(w)
    const asOfMs = asOfOf(w, changes)
    const times = statusTimes({ createdMs: CREATED, changes, currentStatus: w.initial, categoryOf, asOfMs })
    const total = [...times.msIn.values()].reduce((a, b) => a + b, 0)
    expect(total).toBe(asOfMs - CREATED)
    const roundedHours = [...times.msIn.values()].reduce((a, ms) => a + Number(hours(ms)), 0)
    expect(Math.abs(roundedHours - (asOfMs - CREATED) / HOUR)).toBeLessThanOrEqual(
      0.005 * times.msIn.size + 1e-9,
    )
    expect(times.changes).toBe(changes.filter((c) => c.at <= asOfMs).length)
  })

  test.prop([walk])("lead time is at least cycle time when both exist, and neither is negative", (w) => {
    const changes = changesOf(w)
    const times = statusTimes({
      createdMs: CREATED,
      changes,
      currentStatus: w.initial,
      categoryOf,
      asOfMs: asOfOf(w, changes),
    })
    if (times.leadMs !== undefined) expect(times.leadMs).toBeGreaterThanOrEqual(0)
    if (times.cycleMs !== undefined) {
      expect(times.leadMs).toBeDefined()
      expect(times.cycleMs).toBeGreaterThanOrEqual(0)
      expect(times.leadMs ?? 0).toBeGreaterThanOrEqual(times.cycleMs)
    }
  })

  it("counts every visit, the current status up to as-of, and the first done entry", () => {
    const t = (h: number) => CREATED + h * HOUR
    const times = statusTimes({
      createdMs: CREATED,
      changes: [
        { at: t(2), from: "1", to: "2" },
        { at: t(5), from: "2", to: "3" },
        { at: t(6), from: "3", to: "2" },
        { at: t(10), from: "2", to: "4" },
        { at: t(12), from: "4", to: "2" },
      ],
      currentStatus: "2",
      categoryOf,
      asOfMs: t(20),
    })
    expect(Object.fromEntries(times.msIn)).toEqual({
      "1": 2 * HOUR,
      "2": 15 * HOUR,
      "3": HOUR,
      "4": 2 * HOUR,
    })
    expect(times.leadMs).toBe(10 * HOUR)
    expect(times.cycleMs).toBe(8 * HOUR)
    expect(times.changes).toBe(5)
  })

  it("counts the status at creation as the first change's from when every change is after as-of (issue 19 item 5)", () => {
    // Created in To Do, moved to Done while the export ran: until as-of it was in To Do all along.
    const times = statusTimes({
      createdMs: CREATED,
      changes: [{ at: CREATED + 30 * HOUR, from: "1", to: "4" }],
      currentStatus: "4",
      categoryOf,
      asOfMs: CREATED + 20 * HOUR,
    })
    expect(Object.fromEntries(times.msIn)).toEqual({ "1": 20 * HOUR })
    expect(times.leadMs).toBeUndefined()
    expect(times.changes).toBe(0)
  })

  it("has no cycle time when work starts only after the issue was first done", () => {
    const times = statusTimes({
      createdMs: CREATED,
      changes: [
        { at: CREATED + HOUR, from: "1", to: "4" },
        { at: CREATED + 2 * HOUR, from: "4", to: "2" },
        { at: CREATED + 9 * HOUR, from: "2", to: "4" },
      ],
      currentStatus: "4",
      categoryOf,
      asOfMs: CREATED + 10 * HOUR,
    })
    expect(times.leadMs).toBe(HOUR)
    expect(times.cycleMs).toBeUndefined()
  })
})

const issueOf = (w: Walk): Issue => {
  const changes = changesOf(w)
  const current = changes[changes.length - 1]?.to ?? w.initial
  return {
    id: "10001",
    key: "P-1",
    fields: {
      created: new Date(CREATED).toISOString(),
      status: { id: current, name: STATUSES.find((s) => s.id === current)?.name },
    },
    changelog: {
      histories: changes.map((c, i) => ({
        id: String(i),
        author: { accountId: "a", displayName: "Ann" },
        created: c.created,
        items: [
          {
            field: "status",
            fieldId: "status",
            from: c.from,
            fromString: `S${c.from}`,
            to: c.to,
            toString: `S${c.to}`,
          },
          ...(i % 3 === 0
            ? [{ field: "assignee", fieldId: "assignee", from: null, to: "b", toString: "Bo" }]
            : []),
        ],
      })),
    },
  }
}

describe("history columns and rows", () => {
  const format = { ...PRESETS.data.format, timeZone: "UTC" }

  test.prop([walk])(
    "the row's time columns sum to the issue's age, with a status /status no longer lists (issue 19 item 4); status changes are counted",
    (w) => {
      const issue = issueOf(w)
      const changes = changesOf(w)
      const asOfMs = asOfOf(w, changes)
      const base: ReadonlyArray<Column> = [
        { id: TIME_IN_STATUS, fieldId: null, header: "t", kind: "number" },
        { id: "statusChanges", fieldId: null, header: "n", kind: "number" },
      ]
      // "In Review" left every workflow: /status no longer lists it, the histories still name it.
      const listed = STATUSES.filter((s) => s.id !== "3")
      const columns = expandStatusColumns(base, listed)
      expect(columns.map((c) => c.header).slice(0, 2)).toEqual([
        "Time in To Do (h)",
        "Time in In Progress (h)",
      ])
      expect(columns[listed.length]?.header).toBe("Time in statuses no longer in a workflow (h)")
      const row = formatRow(issue, columns, {
        users: new Map(),
        options: format,
        siteUrl: "",
        history: { asOfMs, statuses: listed },
      })
      const timeCells = row.slice(0, listed.length + 1)
      const sum = timeCells.reduce((a, cell) => a + (cell === "" ? 0 : Number(cell)), 0)
      expect(Math.abs(sum - (asOfMs - CREATED) / HOUR)).toBeLessThanOrEqual(0.005 * STATUSES.length + 1e-9)
      expect(row[listed.length + 1]).toBe(String(changes.filter((c) => c.at <= asOfMs).length))
      // The export names what it summed in that column, as the history items name it.
      const ctx = { asOfMs, statuses: listed }
      const other = row[listed.length] ?? ""
      // An issue that never moved has it only as its status field names it.
      const name = changes.length === 0 ? "In Review" : "S3"
      expect(unlistedStatusesOf(issue, ctx)).toEqual(other === "" ? [] : [{ id: "3", name }])
      // With the site's every status listed (an administrator's export), nothing is left to sum there.
      const everyColumn = expandStatusColumns(base, STATUSES)
      const full = formatRow(issue, everyColumn, {
        users: new Map(),
        options: format,
        siteUrl: "",
        history: { asOfMs, statuses: STATUSES },
      })
      expect(full[STATUSES.length]).toBe("")
      expect(unlistedStatusesOf(issue, { asOfMs, statuses: STATUSES })).toEqual([])
    },
  )

  it("names the statuses summed in the column of unlisted statuses in one sentence (issue 19 item 4)", () => {
    expect(unlistedStatusesNote([])).toBeUndefined()
    expect(
      unlistedStatusesNote([
        { id: "10098", name: "Needs Info" },
        { id: "77", name: "77" },
      ]),
    ).toBe(
      '"Time in statuses no longer in a workflow (h)" sums the time in statuses Jira no longer lists (deleted from the site, or not readable with your permissions): Needs Info (id 10098), 77 (id 77).',
    )
  })

  test.prop([walk])("the history export has exactly one row per changed item, oldest first", (w) => {
    const issue = issueOf(w)
    const rows = historyRows(issue, [], { users: new Map(), options: format, siteUrl: "" })
    const items = (issue.changelog?.histories ?? []).flatMap((h) => h.items.map((item) => ({ h, item })))
    expect(rows).toHaveLength(items.length)
    rows.forEach((row, i) => {
      const { h, item } = items[i]!
      expect(row).toEqual([
        "P-1",
        expect.any(String),
        "Ann",
        item.field,
        item.fromString ?? "",
        item.toString ?? "",
      ])
      expect(Date.parse(row[1]!)).toBe(Date.parse(h.created))
    })
    const statusOnly = historyRows(issue, ["status"], { users: new Map(), options: format, siteUrl: "" })
    expect(statusOnly).toHaveLength(issue.changelog?.histories.length ?? 0)
  })
})
