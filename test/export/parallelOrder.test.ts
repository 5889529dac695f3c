/**
 * The pure parts of the parallel thrifty strategy: where a query's `ORDER BY` starts, what its first
 * key allows, and the ranges the parts are made of. The ranges are checked by evaluating their JQL
 * back: for every value exactly one part's condition holds, and the parts come in the query's order.
 */
import { describe, expect, it } from "@effect/vitest"
import fc from "fast-check"
import { orderPlan, type RankField, splitQuery } from "../../src/export/parallel/order.js"
import {
  type Axis,
  axisOf,
  evenCuts,
  jqlMinute,
  keyAxis,
  partJql,
  quoted,
  rangeConditions,
} from "../../src/export/parallel/ranges.js"

const RANK: ReadonlyArray<RankField> = [{ id: "customfield_10014", names: ["rank", "cf[10014]"] }]

describe("splitQuery", () => {
  it("splits at the top-level ORDER BY, keeping the clause as written", () => {
    expect(splitQuery("project = A ORDER BY key ASC")).toEqual({
      where: "project = A",
      orderBy: "ORDER BY key ASC",
      keys: [{ field: "key", direction: "asc" }],
    })
    expect(splitQuery("  ORDER BY created  ")).toEqual({
      where: "",
      orderBy: "ORDER BY created",
      keys: [{ field: "created", direction: "asc" }],
    })
    expect(splitQuery("project = A order   by Key desc").keys).toEqual([{ field: "key", direction: "desc" }])
    expect(splitQuery("(project = A)ORDER BY id").where).toBe("(project = A)")
  })

  it("a query without ORDER BY is all condition", () => {
    expect(splitQuery("  project = A AND status != Done ")).toEqual({
      where: "project = A AND status != Done",
      orderBy: "",
      keys: [],
    })
    expect(splitQuery("")).toEqual({ where: "", orderBy: "", keys: [] })
  })

  it("ORDER BY inside a string, inside parentheses or inside a word is not the clause", () => {
    expect(splitQuery('summary ~ "sort ORDER BY rank" ORDER BY created DESC')).toEqual({
      where: 'summary ~ "sort ORDER BY rank"',
      orderBy: "ORDER BY created DESC",
      keys: [{ field: "created", direction: "desc" }],
    })
    expect(splitQuery("summary ~ 'it\\'s order by x'").keys).toEqual([])
    expect(splitQuery('text ~ "a \\" ORDER BY b"').keys).toEqual([])
    expect(splitQuery("labels in (order by) AND project = A").keys).toEqual([])
    expect(splitQuery("(text ~ x ORDER BY summary) ORDER BY id").keys).toEqual([
      { field: "id", direction: "asc" },
    ])
    expect(splitQuery("fixVersion = border by").keys).toEqual([])
  })

  it("reads several keys, quoted field names and custom field clauses", () => {
    expect(
      splitQuery('project = A ORDER BY "Story Points" DESC, \'due date\' asc, cf[10014], "a \\"b\\"" DESC')
        .keys,
    ).toEqual([
      { field: "story points", direction: "desc" },
      { field: "due date", direction: "asc" },
      { field: "cf[10014]", direction: "asc" },
      { field: 'a "b"', direction: "desc" },
    ])
    expect(splitQuery('ORDER BY "Sort, with comma" DESC, key').keys).toEqual([
      { field: "sort, with comma", direction: "desc" },
      { field: "key", direction: "asc" },
    ])
    expect(splitQuery("ORDER BY created DESC, key ASC").keys).toEqual([
      { field: "created", direction: "desc" },
      { field: "key", direction: "asc" },
    ])
  })
})

describe("orderPlan", () => {
  const plan = (jql: string, rank = RANK) => orderPlan(splitQuery(jql), rank)

  it("fields JQL can bound give ranges of the first key, a second key or not", () => {
    expect(plan("project = A ORDER BY key DESC")).toEqual({ _tag: "ranges", field: "key", direction: "desc" })
    expect(plan("ORDER BY issuekey")).toEqual({ _tag: "ranges", field: "key", direction: "asc" })
    expect(plan("ORDER BY createdDate DESC, key ASC")).toEqual({
      _tag: "ranges",
      field: "created",
      direction: "desc",
    })
    expect(plan("ORDER BY updated, summary")).toEqual({ _tag: "ranges", field: "updated", direction: "asc" })
    expect(plan("ORDER BY id DESC")).toEqual({ _tag: "ranges", field: "id", direction: "desc" })
  })

  it("Rank alone, by name or by its cf[NNNNN] clause, is merged by the Rank field", () => {
    expect(plan("project = A ORDER BY Rank ASC")).toEqual({
      _tag: "merge",
      rankFieldId: "customfield_10014",
      direction: "asc",
    })
    expect(plan("ORDER BY cf[10014] DESC")).toEqual({
      _tag: "merge",
      rankFieldId: "customfield_10014",
      direction: "desc",
    })
    expect(plan('ORDER BY "RANK"')).toMatchObject({ _tag: "merge", direction: "asc" })
  })

  it("Rank with a second key, a site without Rank, and other fields read one chain and say why", () => {
    const second = plan("ORDER BY Rank ASC, key DESC")
    expect(second._tag).toBe("sequential")
    if (second._tag === "sequential") expect(second.reason).toMatch(/rank/)
    expect(plan("ORDER BY Rank", [])._tag).toBe("sequential")
    const summary = plan("project = A ORDER BY summary ASC, key")
    expect(summary).toEqual({
      _tag: "sequential",
      reason: 'the export cannot reproduce Jira\'s order by "summary" from the issues it reads',
    })
    const none = plan("project = A")
    expect(none._tag).toBe("sequential")
    if (none._tag === "sequential") expect(none.reason).toMatch(/no ORDER BY/)
  })
})

describe("evenCuts", () => {
  it("property: k ranges of lo..hi, strictly increasing cuts inside it, widths within one of each other", () =>
    fc.assert(
      fc.property(
        fc.integer({ min: -1_000_000, max: 1_000_000 }),
        fc.integer({ min: 0, max: 5000 }),
        fc.integer({ min: 0, max: 60 }),
        (lo, span, k) => {
          const hi = lo + span
          const cuts = evenCuts(lo, hi, k)
          expect(cuts).toHaveLength(Math.max(1, Math.min(k, span + 1)) - 1)
          const bounds = [lo, ...cuts, hi + 1]
          const widths = bounds.slice(1).map((b, i) => b - (bounds[i] ?? 0))
          for (const w of widths) expect(w).toBeGreaterThan(0)
          expect(Math.max(...widths) - Math.min(...widths)).toBeLessThanOrEqual(1)
        },
      ),
    ))

  it("an empty or reversed span has no cut", () => {
    expect(evenCuts(5, 4, 3)).toEqual([])
    expect(evenCuts(5, 5, 3)).toEqual([])
    expect(evenCuts(1, 10, 1)).toEqual([])
    expect(evenCuts(1, 10, 2)).toEqual([6])
  })
})

/** A JQL literal of a range condition read back: an id, a `yyyy/MM/dd HH:mm` minute or a `P-n` key. */
const literalValue = (text: string): number => {
  const minute = /^"(\d{4})\/(\d\d)\/(\d\d) (\d\d):(\d\d)"$/.exec(text)
  if (minute !== null) {
    const [, y, mo, d, h, mi] = minute.map(Number)
    return Date.UTC(y ?? 0, (mo ?? 1) - 1, d, h, mi) / 60_000
  }
  const key = /^"[A-Z][A-Z0-9_]*-(\d+)"$/.exec(text)
  return key === null ? Number(text) : Number(key[1])
}

/** Whether a condition of rangeConditions holds for an issue of `project` whose axis value is `value`. */
const holds = (condition: string, clause: string, project: string, value: number): boolean =>
  condition === "" ||
  condition.split(" AND ").every((term) => {
    if (term.startsWith("project = ")) return term === `project = ${quoted(project)}`
    const m = /^(\S+) (>=|<) (.+)$/.exec(term)
    if (m === null || m[1] !== clause) throw new Error(`unexpected term ${term}`)
    const bound = literalValue(m[3] ?? "")
    return m[2] === ">=" ? value >= bound : value < bound
  })

describe("rangeConditions", () => {
  const axes: ReadonlyArray<readonly [string, Axis, number, number]> = [
    ["id", axisOf("id"), 10_000, 20_000],
    // Minutes of 2024..2026.
    ["created", axisOf("created"), 28_401_120, 29_979_360],
    ["updated", axisOf("updated"), 28_401_120, 29_979_360],
    ["key", keyAxis("PROJ"), 1, 2000],
  ]
  for (const [name, axis, lo, hi] of axes)
    it(`property (${name}): exactly one part holds every value, and the parts come in the query's order`, () =>
      fc.assert(
        fc.property(
          fc.uniqueArray(fc.integer({ min: lo, max: hi }), { maxLength: 12 }),
          fc.array(fc.integer({ min: lo - 50, max: hi + 50 }), { minLength: 1, maxLength: 30 }),
          fc.constantFrom("asc" as const, "desc" as const),
          (raw, values, direction) => {
            const cuts = [...raw].sort((a, b) => a - b)
            const conditions = rangeConditions(axis, cuts, direction)
            expect(conditions).toHaveLength(cuts.length + 1)
            const partOf = (v: number) => {
              const holding = conditions.flatMap((c, i) => (holds(c, axis.clause, "PROJ", v) ? [i] : []))
              expect(holding).toHaveLength(1)
              return holding[0] ?? -1
            }
            const sorted = [...values].sort((a, b) => a - b)
            const parts = sorted.map(partOf)
            for (let i = 1; i < parts.length; i++)
              if (direction === "asc") expect(parts[i]).toBeGreaterThanOrEqual(parts[i - 1] ?? 0)
              else expect(parts[i]).toBeLessThanOrEqual(parts[i - 1] ?? 0)
            // Every cut starts a part: the value at the cut and the one below it are in neighbouring parts.
            for (const cut of cuts) expect(Math.abs(partOf(cut) - partOf(cut - 1))).toBe(1)
          },
        ),
      ))

  it("no cut is one part: everything, or the whole project of a key range", () => {
    expect(rangeConditions(axisOf("id"), [], "asc")).toEqual([""])
    expect(rangeConditions(keyAxis("AB"), [], "desc")).toEqual(['project = "AB"'])
    expect(rangeConditions(keyAxis("AB"), [3, 7], "asc")).toEqual([
      'project = "AB" AND issuekey < "AB-3"',
      'project = "AB" AND issuekey >= "AB-3" AND issuekey < "AB-7"',
      'project = "AB" AND issuekey >= "AB-7"',
    ])
    expect(rangeConditions(axisOf("created"), [0], "desc")).toEqual([
      'created >= "1970/01/01 00:00"',
      'created < "1970/01/01 00:00"',
    ])
  })

  it("property: a minute survives its JQL literal", () =>
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 100_000_000 }), (minute) => {
        expect(literalValue(jqlMinute(minute))).toBe(minute)
      }),
    ))

  it("quoted escapes backslashes and quotes", () => {
    expect(quoted('A "b" \\ c')).toBe('"A \\"b\\" \\\\ c"')
  })
})

describe("partJql", () => {
  it("adds the part's condition to the query's, which keeps its own precedence, before the order", () => {
    const query = splitQuery("project = A OR project = B ORDER BY key ASC")
    expect(partJql(query, "id < 5")).toBe("(project = A OR project = B) AND id < 5 ORDER BY key ASC")
    expect(partJql(query, "")).toBe("project = A OR project = B ORDER BY key ASC")
    expect(partJql(splitQuery("ORDER BY id DESC"), "id >= 5")).toBe("id >= 5 ORDER BY id DESC")
    expect(partJql(splitQuery("ORDER BY id DESC"), "")).toBe("ORDER BY id DESC")
    expect(partJql(splitQuery("project = A"), "id >= 5")).toBe("(project = A) AND id >= 5")
  })

  it("property: a part's query splits back into its condition and the same order", () =>
    fc.assert(
      fc.property(
        fc.constantFrom("", "project = A", 'summary ~ "ORDER BY x" OR labels is EMPTY', "(a = 1) OR b = 2"),
        fc.constantFrom("", "ORDER BY key", 'ORDER BY "Story Points" DESC, created'),
        fc.constantFrom("", "id < 10", 'project = "P" AND issuekey >= "P-3"'),
        (where, orderBy, part) => {
          const query = splitQuery(`${where} ${orderBy}`)
          const again = splitQuery(partJql(query, part))
          expect(again.orderBy).toBe(query.orderBy)
          expect(again.keys).toEqual(query.keys)
          const conditions = [where, part].filter((c) => c !== "")
          expect(again.where).toBe(conditions.length === 2 ? `(${where}) AND ${part}` : (conditions[0] ?? ""))
        },
      ),
    ))
})
