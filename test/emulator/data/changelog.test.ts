/**
 * The generated issue histories agree with each issue's current fields (issue 14): replaying the
 * changes from the creation values ends at the current values, times run forward between `created`
 * and `updated`, and the move into done happens at `resolutiondate`. Categories are read from the
 * data set's status list (what `GET /rest/api/3/status` serves), never from status names.
 */
import { fc, test } from "@fast-check/vitest"
import { describe, expect, it } from "vitest"
import { DELETED_STATUS, RETIRED_STATUS } from "../../../dev/emulator/data/catalogue.js"
import { createDataset, type EmulatorDataset } from "../../../dev/emulator/data/index.js"
import { shortestPath, WORKFLOW } from "../../../dev/emulator/data/workflow.js"
import type { ChangeItem, IssueChangelog, IssueRecord } from "../../../dev/emulator/model.js"

const ISSUES = 3000
const datasets = new Map<number, EmulatorDataset>()
const datasetFor = (seed: number) => {
  const known = datasets.get(seed)
  if (known) return known
  const made = createDataset({ issues: ISSUES, seed })
  datasets.set(seed, made)
  return made
}

type Json = Readonly<Record<string, unknown>>
const json = (v: unknown): Json => (typeof v === "object" && v !== null ? (v as Json) : {})
/** Jira's "2026-03-14T09:26:53.589+0530" as epoch ms. */
const ms = (v: unknown): number => Date.parse(String(v).replace(/([+-]\d\d)(\d\d)$/, "$1:$2"))

const categoryOf = (ds: EmulatorDataset) => {
  const byId = new Map(ds.statuses.map((s) => [String(s.id), String(json(s.statusCategory).key)]))
  // Not listed any more, but still To Do in category: leaving it for To Do is no change of category.
  byId.set(RETIRED_STATUS.id, RETIRED_STATUS.category)
  byId.set(DELETED_STATUS.id, DELETED_STATUS.category)
  return (id: string | null) => byId.get(id ?? "") ?? "unknown"
}

const itemsOf = (log: IssueChangelog, fieldId: string) =>
  log.histories.flatMap((h) => h.items.filter((i) => i.fieldId === fieldId).map((item) => ({ h, item })))

/**
 * Replays one field's changes from `start`; every change must start where the one before ended. Checks
 * collect what breaks and assert once: busy issues have thousands of entries.
 */
const replay = (
  log: IssueChangelog,
  fieldId: string,
  start?: { raw: string | null; text: string | null },
) => {
  const changes = itemsOf(log, fieldId).map((c) => c.item)
  let value = start ?? { raw: changes[0]?.from ?? null, text: changes[0]?.fromString ?? null }
  const breaks: Array<string> = []
  for (const item of changes) {
    if (item.from !== value.raw || item.fromString !== value.text)
      breaks.push(`${item.from} after ${value.raw}`)
    value = { raw: item.to, text: item.toString }
  }
  expect(breaks, `${log.issueId} ${fieldId}`).toEqual([])
  return value
}

/** The checks of the done-when property for one issue. */
const agrees = (ds: EmulatorDataset, issue: IssueRecord) => {
  const log = ds.changelogOf(issue.id)!
  const f = issue.fields
  const category = categoryOf(ds)
  // An issue may start in a status that has left the workflow since (issue 19 item 6).
  const firstStatus = itemsOf(log, "status")[0]?.item
  const gone = [RETIRED_STATUS, DELETED_STATUS].find((s) => s.id === firstStatus?.from)
  const retired = gone !== undefined
  const initial = retired
    ? { raw: gone.id, text: gone.name }
    : { raw: WORKFLOW.initial.id, text: WORKFLOW.initial.name }
  if (retired) expect(firstStatus?.to).toBe(WORKFLOW.initial.id)
  expect(replay(log, "status", initial)).toEqual({ raw: json(f.status).id, text: json(f.status).name })
  const resolution = f.resolution === null ? null : json(f.resolution)
  expect(replay(log, "resolution", { raw: null, text: null })).toEqual({
    raw: resolution?.id ?? null,
    text: resolution?.name ?? null,
  })
  const assignee = f.assignee === null ? null : json(f.assignee)
  expect(replay(log, "assignee")).toEqual(
    itemsOf(log, "assignee").length === 0
      ? { raw: null, text: null }
      : { raw: assignee?.accountId ?? null, text: assignee?.displayName ?? null },
  )
  if (f.priority === null) expect(itemsOf(log, "priority")).toEqual([])
  else if (itemsOf(log, "priority").length > 0)
    expect(replay(log, "priority")).toEqual({ raw: json(f.priority).id, text: json(f.priority).name })
  if (itemsOf(log, "labels").length > 0)
    expect(replay(log, "labels").text).toBe((f.labels as ReadonlyArray<string>).join(" "))
  const sprints = (f.customfield_10010 ?? []) as ReadonlyArray<Json>
  if (sprints.length > 0)
    expect(replay(log, "customfield_10010", { raw: "", text: "" }).text).toBe(
      [...sprints]
        .sort((a, b) => Number(a.id) - Number(b.id))
        .map((s) => s.name)
        .join(", "),
    )
  // Each worklog's entry adds its time: the running total ends at the issue's time spent.
  const spent = itemsOf(log, "timespent")
  if (spent.length > 0) expect(spent[spent.length - 1]?.item.to).toBe(String(f.timespent))
  const parents = log.histories.flatMap((h) => h.items.filter((i) => i.field === "IssueParentAssociation"))
  for (const p of parents) expect(p.toString).toBe(json(f.parent).key)
  const offWorkflow = itemsOf(log, "status").filter(
    ({ item }, k) =>
      !(k === 0 && retired) && !(WORKFLOW.transitions.get(item.from ?? "") ?? []).includes(item.to ?? ""),
  )
  expect(offWorkflow).toEqual([])

  const created = ms(f.created)
  const updated = ms(f.updated)
  const times = log.histories.map((h) => ms(h.created))
  expect(times.filter((t, k) => t < (k === 0 ? created : times[k - 1]!) || t > updated)).toEqual([])
  expect(times).toEqual(log.at)
  const categoryChanges = itemsOf(log, "status").filter(
    ({ item }) => category(item.from) !== category(item.to),
  )
  const lastChange = categoryChanges[categoryChanges.length - 1]
  if (lastChange === undefined) {
    expect(category(String(json(f.status).id))).toBe(WORKFLOW.initial.category)
    expect(ms(f.statuscategorychangedate)).toBe(created)
  } else expect(ms(lastChange.h.created)).toBe(ms(f.statuscategorychangedate))
  if (f.resolutiondate !== null) {
    const intoDone = categoryChanges.filter(({ item }) => category(item.to) === "done")
    expect(ms(intoDone[intoDone.length - 1]?.h.created)).toBe(ms(f.resolutiondate))
  }
  const ids = log.histories.map((h) => Number(h.id))
  expect(ids).toEqual([...ids].sort((a, b) => a - b))
  expect(new Set(ids).size).toBe(ids.length)
}

describe("changelogs agree with each issue's current fields", () => {
  test.prop(
    [
      fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }),
      // Now and then one of the issues with thousands of entries.
      fc.oneof(
        { arbitrary: fc.integer({ min: 0, max: ISSUES - 1 }), weight: 19 },
        { arbitrary: fc.constantFrom(777, 2777), weight: 1 },
      ),
    ],
    { numRuns: 200 },
  )("replaying the changes ends at the current values, in time order", (seed, index) => {
    const ds = datasetFor(seed)
    agrees(ds, ds.issueAt(index)!)
  })

  it("holds for every issue of one data set", () => {
    const ds = datasetFor(5)
    for (let i = 0; i < 1000; i++) agrees(ds, ds.issueAt(i)!)
  })
})

describe("changelog generation", () => {
  it("is deterministic, independent of what was generated before, and lazy at 200,000 issues", () => {
    const a = createDataset({ issues: ISSUES, seed: 9 })
    const b = createDataset({ issues: ISSUES, seed: 9, cacheSize: 64 })
    b.issueAt(1234)
    expect(JSON.stringify(b.changelogOf("11234"))).toBe(JSON.stringify(a.changelogOf("11234")))
    expect(JSON.stringify(a.changelogOf(a.keyAt(1234)))).toBe(JSON.stringify(a.changelogOf("11234")))
    expect(JSON.stringify(createDataset({ issues: ISSUES, seed: 10 }).changelogOf("11234"))).not.toBe(
      JSON.stringify(a.changelogOf("11234")),
    )
    const big = createDataset({ issues: 200_000, seed: 9, cacheSize: 16 })
    expect(big.changelogOf("209999")?.histories.length).toBeGreaterThanOrEqual(0)
    expect(big.cachedIssues()).toBe(0)
    expect(a.changelogOf("99999999")).toBeUndefined()
    a.deleteIssue("11234")
    expect(a.changelogOf("11234")).toBeUndefined()
  })

  it("gives about one issue in 2,000 thousands of entries, at least one in any data set of 1,000", () => {
    const ds = createDataset({ issues: 4000, seed: 2 })
    const lengths = Array.from(
      { length: 4000 },
      (_, i) => ds.changelogOf(String(10_000 + i))!.histories.length,
    )
    const busy = lengths.flatMap((n, i) => (n >= 1000 ? [i] : []))
    expect(busy).toEqual([777, 2777])
    expect(Math.max(...lengths.filter((n) => n < 1000))).toBeLessThan(100)
    expect(lengths.reduce((s, n) => s + n, 0) / lengths.length).toBeGreaterThan(3)
  })

  it("dates no entry after the data set's present, for any size (real Jira has no future changes)", () => {
    // The newest issue is created just before 2026-11-20 08:00 UTC (issue-core.ts END); nothing of it
    // may be dated later, which also keeps every entry before the emulator's clock on this machine.
    const present = Date.UTC(2026, 10, 20, 8, 0, 0)
    for (const issues of [40, 300, 3000]) {
      const ds = createDataset({ issues, seed: 11 })
      const late: Array<string> = []
      for (let i = 0; i < issues; i++)
        for (const h of ds.changelogOf(String(10_000 + i))?.histories ?? [])
          if (Date.parse(String(h.created).replace(/([+-]\d{2})(\d{2})$/, "$1:$2")) > present)
            late.push(`${i}: ${h.created}`)
      expect(late.slice(0, 5)).toEqual([])
    }
  })

  it("has authors of every kind, app and deleted accounts included, as UserDetails", () => {
    const ds = datasetFor(5)
    const authors = new Map<string, Json>()
    for (let i = 0; i < 1000; i++)
      for (const h of ds.changelogOf(String(10_000 + i))!.histories)
        authors.set(String(h.author.accountId), h.author)
    const kinds = [...authors.values()]
    expect(kinds.some((a) => a.accountType === "app")).toBe(true)
    expect(kinds.some((a) => a.displayName === "Former user")).toBe(true)
    expect(kinds.some((a) => a.active === false && a.displayName !== "Former user")).toBe(true)
    expect(kinds.every((a) => !("locale" in a))).toBe(true)
    for (const id of authors.keys()) expect(ds.userByAccountId(id)).toBeDefined()
  })

  it("writes items as Jira does: system fields by id, custom fields by name, Category twice", () => {
    const ds = datasetFor(5)
    const items: Array<ChangeItem> = []
    for (let i = 0; i < 1000; i++)
      for (const h of ds.changelogOf(String(10_000 + i))!.histories) items.push(...h.items)
    const names = new Map(ds.fields.map((f) => [f.id, f.name]))
    const byField = items.flatMap((item) =>
      item.fieldId === undefined ? [] : [{ ...item, fieldId: item.fieldId }],
    )
    for (const item of byField) {
      expect(item.fieldtype).toBe(item.fieldId.startsWith("customfield_") ? "custom" : "jira")
      if (item.fieldId === "parent") expect(item.field).toBe("Parent")
      else expect(item.field).toBe(item.fieldtype === "custom" ? names.get(item.fieldId) : item.fieldId)
    }
    // Items that are not a field's change carry no field id, as in Jira (issue 19 item 6).
    expect(new Set(items.filter((i) => i.fieldId === undefined).map((i) => i.field))).toEqual(
      new Set(["IssueParentAssociation", "WorklogId"]),
    )
    const fieldIds = new Set(items.map((i) => i.fieldId))
    for (const id of [
      "status",
      "resolution",
      "assignee",
      "priority",
      "labels",
      "customfield_10010",
      "parent",
      "timespent",
    ])
      expect(fieldIds).toContain(id)
    expect(new Set(items.filter((i) => i.field === "Category").map((i) => i.fieldId))).toEqual(
      new Set(["customfield_10015", "customfield_10016"]),
    )
    expect(items.some((i) => i.from === null && i.to !== null)).toBe(true)
    // Some issues were created in a status that has left every workflow since; /status omits it.
    expect(items.some((i) => i.fieldId === "status" && i.from === RETIRED_STATUS.id)).toBe(true)
    expect(ds.statuses.map((st) => st.id)).not.toContain(RETIRED_STATUS.id)
    // …and some in one deleted from the site since: not even /statuses/search lists that one.
    expect(items.some((i) => i.fieldId === "status" && i.from === DELETED_STATUS.id)).toBe(true)
    const site = (ds.siteStatuses ?? []).map((st) => st.id)
    expect(site).toContain(RETIRED_STATUS.id)
    expect(site).not.toContain(DELETED_STATUS.id)
  })
})

describe("statuses and the workflow", () => {
  it("the status list holds exactly the statuses issues carry, each with its category", () => {
    const ds = datasetFor(5)
    const seen = new Set<string>()
    for (let i = 0; i < ISSUES; i++) {
      const status = ds.issueAt(i)!.fields.status
      expect(ds.statuses).toContainEqual(status)
      seen.add(String(json(status).id))
    }
    expect(seen.size).toBe(ds.statuses.length)
    for (const s of ds.statuses)
      expect(["new", "indeterminate", "done"]).toContain(json(s.statusCategory).key)
  })

  it("every status can be reached from every other", () => {
    for (const from of WORKFLOW.statuses)
      for (const to of WORKFLOW.statuses) expect(shortestPath(WORKFLOW, from, to)).toBeDefined()
  })
})
