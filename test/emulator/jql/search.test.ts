import fc from "fast-check"
import { describe, expect, it } from "vitest"
import { CUSTOM, createDataset } from "../../../dev/emulator/data/index.js"
import { createJqlEngine } from "../../../dev/emulator/jql/index.js"
import type { Dataset, IssueRecord, UserRecord } from "../../../dev/emulator/model.js"

const ds = createDataset({ issues: 600, seed: 99 })
const engine = createJqlEngine(ds)
const admin = ds.userByEmail("admin@example.test")!
const rita = ds.userByEmail("restricted@example.test")!
const now = new Date(Date.UTC(2026, 10, 29, 12))
const issues: ReadonlyArray<IssueRecord> = Array.from({ length: ds.issueCount }, (_, i) => ds.issueAt(i)!)

type Json = Readonly<Record<string, unknown>>
const isJson = (v: unknown): v is Json => typeof v === "object" && v !== null && !Array.isArray(v)

const run = (jql: string, viewer: UserRecord | null = admin): ReadonlyArray<string> => {
  const r = engine.search(jql, viewer, { requireBounded: true, now })
  if (!r.ok) throw new Error(`${jql}: ${r.errors.join(" | ")}`)
  return r.ids
}

// ---- the test's own reading of the REST JSON (independent of the engine) ----

const name = (v: unknown): string | undefined =>
  isJson(v) ? String(v.name ?? v.key ?? v.value ?? v.accountId) : undefined
const time = (v: unknown): number | undefined => {
  if (typeof v !== "string") return undefined
  // "2026-03-14T09:26:53.589+0530" -> ISO with a colon in the offset.
  return Date.parse(v.length > 10 ? `${v.slice(0, -2)}:${v.slice(-2)}` : v)
}
const PRIORITY_RANK: Record<string, number> = { Highest: 5, High: 4, Medium: 3, Low: 2, Lowest: 1 }
const STATUS_ORDER = ds.catalogue.statuses.map((s) => s.name)

interface Leaf {
  readonly jql: string
  readonly test: (issue: IssueRecord) => boolean
}

const single = (get: (i: IssueRecord) => string | undefined) => ({
  eq:
    (v: string): ((i: IssueRecord) => boolean) =>
    (i) =>
      get(i)?.toLowerCase() === v.toLowerCase(),
  ne:
    (v: string): ((i: IssueRecord) => boolean) =>
    (i) =>
      get(i) !== undefined && get(i)?.toLowerCase() !== v.toLowerCase(),
  in:
    (vs: ReadonlyArray<string>): ((i: IssueRecord) => boolean) =>
    (i) =>
      vs.some((v) => get(i)?.toLowerCase() === v.toLowerCase()),
  notIn:
    (vs: ReadonlyArray<string>): ((i: IssueRecord) => boolean) =>
    (i) =>
      get(i) !== undefined && !vs.some((v) => get(i)?.toLowerCase() === v.toLowerCase()),
  empty: (i: IssueRecord) => get(i) === undefined,
})

const q = (s: string) => (/^[A-Za-z0-9_]+$/.test(s) ? s : `"${s}"`)
const list = (vs: ReadonlyArray<string>) => `(${vs.map(q).join(", ")})`

const enumLeaf = (
  field: string,
  values: ReadonlyArray<string>,
  get: (i: IssueRecord) => string | undefined,
  emptiable: boolean,
) => {
  const s = single(get)
  const one = fc.constantFrom(...values)
  const many = fc.uniqueArray(one, { minLength: 1, maxLength: 3 })
  const leaves: Array<fc.Arbitrary<Leaf>> = [
    one.map((v) => ({ jql: `${field} = ${q(v)}`, test: s.eq(v) })),
    one.map((v) => ({ jql: `${field} != ${q(v)}`, test: s.ne(v) })),
    many.map((vs) => ({ jql: `${field} in ${list(vs)}`, test: s.in(vs) })),
    many.map((vs) => ({ jql: `${field} not in ${list(vs)}`, test: s.notIn(vs) })),
  ]
  if (emptiable)
    leaves.push(
      fc.constant({ jql: `${field} is EMPTY`, test: s.empty }),
      fc.constant({ jql: `${field} is not EMPTY`, test: (i: IssueRecord) => !s.empty(i) }),
    )
  return leaves
}

const labelsOf = (i: IssueRecord): ReadonlyArray<string> =>
  Array.isArray(i.fields.labels) ? i.fields.labels.map(String) : []
const LABELS = [...new Set(issues.flatMap(labelsOf))].filter((l) => /^[A-Za-z0-9_-]+$/.test(l))
const createdTimes = issues.map((i) => time(i.fields.created) ?? 0)
const first = Math.min(...createdTimes)
const span = Math.max(...createdTimes) + 60 * 86_400_000 - first
/** Days spread over the data set's created and due dates. */
const DAYS = [0, 0.1, 0.3, 0.5, 0.8, 1].map((f) => new Date(first + f * span).toISOString().slice(0, 10))
const cmp = {
  ">": (a: number, b: number) => a > b,
  ">=": (a: number, b: number) => a >= b,
  "<": (a: number, b: number) => a < b,
  "<=": (a: number, b: number) => a <= b,
}
const cmpOp = fc.constantFrom<keyof typeof cmp>(">", ">=", "<", "<=")
const accountIds = ds.users.map((u) => u.accountId)

const leaf: fc.Arbitrary<Leaf> = fc.oneof(
  ...enumLeaf("project", ["ALPHA", "BETA", "GAMMA", "DELTA", "OPS"], (i) => i.projectKey, false),
  ...enumLeaf("status", STATUS_ORDER, (i) => name(i.fields.status), false),
  ...enumLeaf("priority", Object.keys(PRIORITY_RANK), (i) => name(i.fields.priority), true),
  ...enumLeaf(
    "issuetype",
    ["Epic", "Story", "Task", "Bug", "Sub-task"],
    (i) => name(i.fields.issuetype),
    false,
  ),
  ...enumLeaf(
    "assignee",
    accountIds.slice(0, 12),
    (i) => (isJson(i.fields.assignee) ? String(i.fields.assignee.accountId) : undefined),
    true,
  ),
  ...enumLeaf("resolution", ["Done", "Duplicate"], (i) => name(i.fields.resolution), true),
  fc.tuple(cmpOp, fc.constantFrom<keyof typeof PRIORITY_RANK>("High", "Medium", "Low")).map(([op, p]) => ({
    jql: `priority ${op} ${p}`,
    test: (i: IssueRecord) => {
      const n = name(i.fields.priority)
      return n !== undefined && cmp[op](PRIORITY_RANK[n] ?? 0, PRIORITY_RANK[p] ?? 0)
    },
  })),
  fc
    .constantFrom(...LABELS)
    .map((l) => ({ jql: `labels = ${q(l)}`, test: (i: IssueRecord) => labelsOf(i).includes(l) })),
  fc.constantFrom(...LABELS).map((l) => ({
    jql: `labels != ${q(l)}`,
    test: (i: IssueRecord) => labelsOf(i).length > 0 && !labelsOf(i).includes(l),
  })),
  fc.constant({ jql: "labels is EMPTY", test: (i: IssueRecord) => labelsOf(i).length === 0 }),
  fc.tuple(cmpOp, fc.constantFrom(...DAYS)).map(([op, d]) => ({
    jql: `created ${op} "${d}"`,
    test: (i: IssueRecord) => cmp[op](time(i.fields.created) ?? Number.NaN, Date.parse(d)),
  })),
  fc.tuple(cmpOp, fc.constantFrom(...DAYS)).map(([op, d]) => ({
    jql: `duedate ${op} ${d.replace(/-/g, "/")}`,
    test: (i: IssueRecord) => {
      const t = time(i.fields.duedate)
      return t !== undefined && cmp[op](t, Date.parse(d))
    },
  })),
  fc.constant({ jql: "duedate is EMPTY", test: (i: IssueRecord) => i.fields.duedate === null }),
  fc.tuple(cmpOp, fc.constantFrom(1, 2, 3, 5, 8)).map(([op, n]) => ({
    jql: `"Story Points" ${op} ${n}`,
    test: (i: IssueRecord) => {
      const v = i.fields[CUSTOM.storyPoints]
      return typeof v === "number" && cmp[op](v, n)
    },
  })),
  fc.constant({
    jql: "cf[10011] is EMPTY",
    test: (i: IssueRecord) => i.fields[CUSTOM.storyPoints] === null,
  }),
  fc.constantFrom("login", "export", "cache", "fix", "alpha", "mobile").map((w) => ({
    jql: `summary ~ ${w}`,
    test: (i: IssueRecord) => String(i.fields.summary).toLowerCase().includes(w),
  })),
  fc.constantFrom("Software", "Hardware", "Internal").map((v) => ({
    // Two custom fields are called Category: the clause holds for either.
    jql: `Category = ${v}`,
    test: (i: IssueRecord) => [CUSTOM.categoryA, CUSTOM.categoryB].some((id) => name(i.fields[id]) === v),
  })),
)

const clause: fc.Arbitrary<Leaf> = fc.letrec<{ c: Leaf }>((tie) => ({
  c: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    leaf,
    fc.tuple(tie("c"), tie("c")).map(([a, b]) => ({
      jql: `(${a.jql}) AND (${b.jql})`,
      test: (i: IssueRecord) => a.test(i) && b.test(i),
    })),
    fc
      .tuple(tie("c"), tie("c"))
      .map(([a, b]) => ({ jql: `(${a.jql}) or ${b.jql}`, test: (i: IssueRecord) => a.test(i) || b.test(i) })),
    tie("c").map((a) => ({ jql: `NOT (${a.jql})`, test: (i: IssueRecord) => !a.test(i) })),
  ),
})).c

describe("JQL search agrees with a brute-force scan of the REST JSON", () => {
  it("for random queries (admin sees everything, ids ascending without ORDER BY)", () => {
    fc.assert(
      fc.property(clause, (c) => {
        const expected = issues.filter(c.test).map((i) => i.id)
        expect(run(c.jql)).toEqual(expected)
      }),
      { numRuns: 300 },
    )
  })

  it("the restricted user gets the same minus the project it cannot browse", () => {
    fc.assert(
      fc.property(
        clause.filter((c) => !c.jql.includes("OPS")),
        (c) => {
          const expected = issues.filter((i) => i.projectKey !== "OPS" && c.test(i)).map((i) => i.id)
          expect(run(c.jql, rita)).toEqual(expected)
        },
      ),
      { numRuns: 100 },
    )
  })
})

type SortField = "key" | "id" | "created" | "updated" | "priority" | "duedate" | "rank" | "summary" | "status"
const sortValue = (i: IssueRecord, f: SortField): number | string | undefined => {
  switch (f) {
    case "key":
    case "id":
      return undefined
    case "created":
    case "updated":
    case "duedate":
      return time(i.fields[f])
    case "priority": {
      const n = name(i.fields.priority)
      return n === undefined ? undefined : PRIORITY_RANK[n]
    }
    case "rank":
      return String(i.fields[CUSTOM.rank]).toLowerCase()
    case "summary":
      return String(i.fields.summary).toLowerCase()
    case "status":
      return STATUS_ORDER.indexOf(name(i.fields.status) ?? "")
  }
}
const compareBy =
  (f: SortField, dir: "asc" | "desc" | "") =>
  (a: IssueRecord, b: IssueRecord): number => {
    const sign = dir === "desc" ? -1 : 1
    if (f === "id") return (a.numericId - b.numericId) * sign
    if (f === "key") {
      const [pa, na] = a.key.split("-")
      const [pb, nb] = b.key.split("-")
      return (pa === pb ? Number(na) - Number(nb) : pa! < pb! ? -1 : 1) * sign
    }
    const x = sortValue(a, f)
    const y = sortValue(b, f)
    // Empty sorts as the greatest value.
    if (x === undefined || y === undefined) return x === y ? 0 : (x === undefined ? 1 : -1) * sign
    return x === y ? 0 : (x < y ? -1 : 1) * sign
  }

describe("JQL ORDER BY", () => {
  const sortKey = fc.record({
    field: fc.constantFrom<SortField>(
      "key",
      "id",
      "created",
      "updated",
      "priority",
      "duedate",
      "rank",
      "summary",
      "status",
    ),
    dir: fc.constantFrom<"asc" | "desc" | "">("asc", "desc", ""),
  })
  it("results are sorted by the sort keys, ties broken by id ascending", () => {
    fc.assert(
      fc.property(fc.array(sortKey, { minLength: 1, maxLength: 3 }), clause, (keys, c) => {
        const jql = `${c.jql} ORDER BY ${keys.map((k) => `${k.field} ${k.dir}`.trim()).join(", ")}`
        const ids = run(jql)
        expect([...ids].sort()).toEqual(
          issues
            .filter(c.test)
            .map((i) => i.id)
            .sort(),
        )
        const comparators = keys.map((k) => compareBy(k.field, k.dir))
        for (let n = 1; n < ids.length; n++) {
          const a = ds.issueByIdOrKey(ids[n - 1]!)!
          const b = ds.issueByIdOrKey(ids[n]!)!
          let order = 0
          for (const compare of comparators) {
            order = compare(a, b)
            if (order !== 0) break
          }
          if (order === 0) order = a.numericId - b.numericId
          expect(order, `${a.key} before ${b.key} in ${jql}`).toBeLessThan(0)
        }
      }),
      { numRuns: 150 },
    )
  })
})

describe("JQL search semantics", () => {
  it("keywords, functions and field names are case-insensitive", () => {
    expect(run("PROJECT = alpha AND STATUS In (done) Order By KEY Desc")).toEqual(
      run('project = "ALPHA" and status in ("Done") order by key DESC'),
    )
    expect(run("project = ALPHA and assignee = CURRENTUSER()")).toEqual(
      issues
        .filter(
          (i) =>
            i.projectKey === "ALPHA" &&
            isJson(i.fields.assignee) &&
            i.fields.assignee.accountId === admin.accountId,
        )
        .map((i) => i.id),
    )
  })

  it("key, id, issuekey and parent select issues", () => {
    const target = issues[37]!
    expect(run(`key = ${target.key}`)).toEqual([target.id])
    expect(run(`id = ${target.id}`)).toEqual([target.id])
    expect(run(`issuekey in (${target.key.toLowerCase()}, ${issues[3]!.id})`)).toEqual([
      issues[3]!.id,
      target.id,
    ])
    const alpha = issues.filter((i) => i.projectKey === "ALPHA")
    expect(run("key > ALPHA-10 AND key <= ALPHA-12 ORDER BY key")).toEqual(
      alpha.slice(10, 12).map((i) => i.id),
    )
    const epic = issues.find((i) => isJson(i.fields.issuetype) && i.fields.issuetype.name === "Epic")!
    const children = issues
      .filter((i) => isJson(i.fields.parent) && i.fields.parent.id === epic.id)
      .map((i) => i.id)
    expect(children.length).toBeGreaterThan(0)
    expect(run(`parent = ${epic.key}`)).toEqual(children)
  })

  it("relative dates and date functions are taken from the given now", () => {
    const recent = createDataset({ issues: 50, seed: 1 })
    const e = createJqlEngine(recent)
    const last = time(recent.issueAt(49)!.fields.created)!
    const search = (jql: string, at: number) => {
      const r = e.search(jql, admin, { requireBounded: true, now: new Date(at) })
      return r.ok ? r.ids : r.errors
    }
    expect(search("created >= -1h", last + 30 * 60_000)).toContain(recent.issueAt(49)!.id)
    expect(search("created >= -1h", last + 2 * 3_600_000)).toEqual([])
    expect(search("created <= now() AND created > -9w", last + 1)).toHaveLength(50)
    expect(search("created <= now() AND created > -2w", last + 1).length).toBeLessThan(50)
    expect(search("created >= startOfDay(1)", last)).toEqual([])
  })

  it("text ~ matches words in summary, description, environment and comments", () => {
    const ids = run("text ~ ping")
    const expected = issues.filter((i) =>
      JSON.stringify([
        i.fields.summary,
        i.fields.description,
        i.fields.environment,
        i.fields.comment,
        i.fields[CUSTOM.acceptance],
        i.fields[CUSTOM.externalRef],
      ])
        .toLowerCase()
        .includes("ping"),
    )
    expect(ids).toEqual(expected.map((i) => i.id))
    expect(run('summary ~ "\\"fix login\\""')).toEqual(
      issues.filter((i) => String(i.fields.summary).toLowerCase().includes("fix login")).map((i) => i.id),
    )
  })

  it("sprint functions and names", () => {
    const open = run("sprint in openSprints()")
    expect(open.length).toBeGreaterThan(0)
    for (const id of open) {
      const sprints = ds.issueByIdOrKey(id)!.fields[CUSTOM.sprint]
      expect(Array.isArray(sprints) && sprints.some((s) => isJson(s) && s.state === "active")).toBe(true)
    }
    expect(run('sprint = "ALPHA Sprint 5"')).toEqual(
      open.filter((id) => ds.issueByIdOrKey(id)!.projectKey === "ALPHA"),
    )
  })

  it("statusCategory, !~, user names and e-mails, and same-named fields", () => {
    const doneCategory = issues.filter((i) => {
      const s = i.fields.status
      return isJson(s) && isJson(s.statusCategory) && s.statusCategory.key === "done"
    })
    expect(run("statusCategory = Done")).toEqual(doneCategory.map((i) => i.id))
    expect(run("statusCategory in (done)")).toEqual(doneCategory.map((i) => i.id))
    expect(run("summary !~ login")).toEqual(
      issues.filter((i) => !String(i.fields.summary).toLowerCase().includes("login")).map((i) => i.id),
    )
    const byAda = run("assignee = currentUser()")
    expect(run('assignee = "Ada Admin"')).toEqual(byAda)
    expect(run("assignee = admin@example.test")).toEqual(byAda)
    const bothEmpty = issues.filter(
      (i) => i.fields[CUSTOM.categoryA] === null || i.fields[CUSTOM.categoryB] === null,
    )
    expect(run("Category is EMPTY")).toEqual(bothEmpty.map((i) => i.id))
    expect(run("cf[10016] = Software")).toEqual(
      issues.filter((i) => name(i.fields[CUSTOM.categoryB]) === "Software").map((i) => i.id),
    )
  })

  it("EMPTY and NULL in every position", () => {
    const none = issues.filter((i) => i.fields.assignee === null).map((i) => i.id)
    expect(run("assignee is null")).toEqual(none)
    expect(run("assignee = EMPTY")).toEqual(none)
    expect(run("assignee IS NOT NULL")).toEqual(
      issues.filter((i) => i.fields.assignee !== null).map((i) => i.id),
    )
    expect(run("assignee != empty")).toEqual(run("assignee is not empty"))
    expect(run(`assignee in (EMPTY, ${admin.accountId})`)).toEqual(
      issues
        .filter(
          (i) =>
            i.fields.assignee === null ||
            (isJson(i.fields.assignee) && i.fields.assignee.accountId === admin.accountId),
        )
        .map((i) => i.id),
    )
  })

  it("resolution = Unresolved and issue type functions", () => {
    expect(run("resolution = Unresolved")).toEqual(run("resolution is EMPTY"))
    expect(run("resolution in (Unresolved, Duplicate)")).toEqual(
      issues
        .filter((i) => i.fields.resolution === null || name(i.fields.resolution) === "Duplicate")
        .map((i) => i.id),
    )
    expect(run("issuetype in subTaskIssueTypes()")).toEqual(run('issuetype = "Sub-task"'))
    const count = (i: IssueRecord, f: string, k: string) =>
      isJson(i.fields[f]) ? Number((i.fields[f] as Json)[k]) : 0
    expect(run("votes >= 2 AND watchers < 3")).toEqual(
      issues
        .filter((i) => count(i, "votes", "votes") >= 2 && count(i, "watches", "watchCount") < 3)
        .map((i) => i.id),
    )
    expect(run("issuetype in standardIssueTypes()")).toEqual(run('issuetype != "Sub-task"'))
  })

  it("works on any Dataset through the model interface alone", () => {
    const local = createDataset({ issues: 120, seed: 8 })
    const plain: Dataset = {
      seed: local.seed,
      issueCount: local.issueCount,
      users: local.users,
      projects: local.projects,
      fields: local.fields,
      issueAt: local.issueAt,
      issueByIdOrKey: local.issueByIdOrKey,
      deleteIssue: local.deleteIssue,
      userByAccountId: local.userByAccountId,
      userByEmail: local.userByEmail,
      canBrowse: local.canBrowse,
    }
    const fast = createJqlEngine(local)
    const generic = createJqlEngine(plain)
    local.deleteIssue(local.keyAt(3))
    for (const jql of [
      "project in (ALPHA, BETA) AND status != Done ORDER BY priority DESC, key",
      "parent = ALPHA-1 OR key > BETA-5 ORDER BY created",
      "text ~ ping AND labels is not EMPTY ORDER BY id DESC",
      "project = VULN",
    ])
      for (const viewer of [admin, rita])
        expect(generic.search(jql, viewer, { requireBounded: true, now })).toEqual(
          fast.search(jql, viewer, { requireBounded: true, now }),
        )
  })

  it("deleted issues disappear from results", () => {
    const local = createDataset({ issues: 60, seed: 4 })
    const e = createJqlEngine(local)
    const before = e.search("project = ALPHA", admin, { requireBounded: true, now })
    const victim = local.issueAt(0)!
    local.deleteIssue(victim.key)
    const after = e.search("project = ALPHA", admin, { requireBounded: true, now })
    expect(before.ok && before.ids.includes(victim.id)).toBe(true)
    expect(after.ok && after.ids.includes(victim.id)).toBe(false)
    expect(after.ok && before.ok && after.ids.length).toBe(before.ok ? before.ids.length - 1 : -1)
  })

  it("never returns issues of a project the viewer cannot browse", () => {
    const ids = run(
      "project in (ALPHA, BETA, GAMMA, DELTA) OR priority is not EMPTY OR priority is EMPTY",
      rita,
    )
    expect(ids.length).toBe(issues.filter((i) => i.projectKey !== "OPS").length)
    expect(run("priority is EMPTY OR priority is not EMPTY").length).toBe(600)
  })
})
