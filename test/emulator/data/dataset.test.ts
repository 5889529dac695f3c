import { describe, expect, it } from "vitest"
import {
  ADMIN_ACCOUNT_ID,
  CUSTOM,
  createDataset,
  HOSTILE_TEXTS,
  RESTRICTED_ACCOUNT_ID,
} from "../../../dev/emulator/data/index.js"
import { DEPARTED } from "../../../dev/emulator/data/text.js"
import type { IssueRecord } from "../../../dev/emulator/model.js"

const ds = createDataset({ issues: 3000, seed: 11 })
const issues: ReadonlyArray<IssueRecord> = Array.from({ length: ds.issueCount }, (_, i) => ds.issueAt(i)!)

type Json = Readonly<Record<string, unknown>>
const isJson = (v: unknown): v is Json => typeof v === "object" && v !== null && !Array.isArray(v)

/** Every string anywhere inside a JSON value. */
const strings = (v: unknown, out: Array<string> = []): Array<string> => {
  if (typeof v === "string") out.push(v)
  else if (Array.isArray(v)) for (const x of v) strings(x, out)
  else if (isJson(v)) for (const x of Object.values(v)) strings(x, out)
  return out
}
/** Every ADF node (object with a string `type`) inside a JSON value. */
const nodes = (v: unknown, out: Array<Json> = []): Array<Json> => {
  if (Array.isArray(v)) for (const x of v) nodes(x, out)
  else if (isJson(v)) {
    if (typeof v.type === "string") out.push(v)
    for (const x of Object.values(v)) nodes(x, out)
  }
  return out
}
const allStrings = issues.flatMap((i) => strings(i.fields))
const allNodes = issues.flatMap((i) =>
  nodes([i.fields.description, i.fields.comment, i.fields[CUSTOM.acceptance]]),
)

describe("data set: determinism and scale", () => {
  it("the same seed gives the same issues, another seed different ones", () => {
    const again = createDataset({ issues: 3000, seed: 11 })
    const other = createDataset({ issues: 3000, seed: 12 })
    for (const i of [0, 1, 7, 500, 2999]) {
      expect(JSON.stringify(again.issueAt(i))).toBe(JSON.stringify(issues[i]))
    }
    expect(JSON.stringify(other.issueAt(500)?.fields)).not.toBe(JSON.stringify(issues[500]?.fields))
    expect(again.users.map((u) => u.json)).toEqual(ds.users.map((u) => u.json))
  })

  it("an issue does not depend on the order issues are generated in", () => {
    const fresh = createDataset({ issues: 3000, seed: 11 })
    expect(JSON.stringify(fresh.issueAt(2500))).toBe(JSON.stringify(issues[2500]))
  })

  it("200,000 issues are generated lazily and the cache stays bounded", () => {
    const big = createDataset({ issues: 200_000, seed: 3, cacheSize: 16 })
    expect(big.issueCount).toBe(200_000)
    expect(big.cachedIssues()).toBe(0)
    const last = big.issueAt(199_999)!
    expect(last.id).toBe("209999")
    expect(big.issueByIdOrKey(last.key)?.id).toBe(last.id)
    for (let i = 0; i < 500; i++) big.issueAt(i * 397)
    expect(big.cachedIssues()).toBe(16)
    expect(ds.cachedIssues()).toBe(0)
    expect(big.issueAt(200_000)).toBeUndefined()
  })

  it("ids ascend with the index and keys are PROJ-N per project", () => {
    const numbers = new Map<string, number>()
    issues.forEach((issue, i) => {
      expect(issue.numericId).toBe(10_000 + i)
      expect(issue.id).toBe(String(issue.numericId))
      const [project, n] = issue.key.split("-")
      expect(project).toBe(issue.projectKey)
      numbers.set(project!, (numbers.get(project!) ?? 0) + 1)
      expect(Number(n)).toBe(numbers.get(project!))
      expect(ds.issueByIdOrKey(issue.key)?.id).toBe(issue.id)
      expect(ds.issueByIdOrKey(issue.id)?.key).toBe(issue.key)
      expect(ds.issueByIdOrKey(issue.key.toLowerCase())?.id).toBe(issue.id)
    })
    expect(new Set(issues.map((i) => i.projectKey)).size).toBeGreaterThanOrEqual(5)
  })
})

describe("data set: users and permissions", () => {
  it("has the fixed admin and restricted accounts and 50+ varied users", () => {
    const admin = ds.userByEmail("admin@example.test")!
    expect(admin.accountId).toBe(ADMIN_ACCOUNT_ID)
    expect(admin.displayName).toBe("Ada Admin")
    const rita = ds.userByAccountId(RESTRICTED_ACCOUNT_ID)!
    expect(rita.loginEmail).toBe("restricted@example.test")
    expect(rita.displayName).toBe("Rita Restricted")
    expect(ds.users.length).toBeGreaterThanOrEqual(50)
    expect(ds.users.some((u) => u.json.active === false)).toBe(true)
    const app = ds.users.find((u) => u.json.accountType === "app")!
    expect(app.loginEmail).toBeNull()
    expect("emailAddress" in app.json).toBe(false)
    expect(ds.users.some((u) => u.loginEmail !== null && !("emailAddress" in u.json))).toBe(true)
    const former = ds.users.find((u) => u.displayName === "Former user")!
    expect(former.loginEmail).toBeNull()
    expect(former.json.active).toBe(false)
    expect(new Set(ds.users.map((u) => u.json.timeZone)).size).toBeGreaterThan(4)
    expect(new Set(ds.users.map((u) => u.accountId)).size).toBe(ds.users.length)
  })

  it("the restricted user cannot browse one project; anonymous browses none", () => {
    const rita = ds.userByAccountId(RESTRICTED_ACCOUNT_ID)!
    const admin = ds.userByAccountId(ADMIN_ACCOUNT_ID)!
    const hidden = ds.projects.filter((p) => !ds.canBrowse(rita, p.key))
    expect(hidden.map((p) => p.key)).toEqual(["OPS"])
    expect(ds.projects.every((p) => ds.canBrowse(admin, p.key))).toBe(true)
    expect(ds.projects.some((p) => ds.canBrowse(null, p.key))).toBe(false)
    expect(issues.some((i) => i.projectKey === "OPS")).toBe(true)
  })
})

describe("data set: fields", () => {
  const SYSTEM =
    "summary description environment status statusCategory priority issuetype project assignee reporter creator labels components fixVersions versions duedate created updated resolution resolutiondate lastViewed statuscategorychangedate timetracking timeoriginalestimate timeestimate timespent aggregatetimeoriginalestimate aggregatetimeestimate aggregatetimespent progress aggregateprogress workratio votes watches parent subtasks issuelinks attachment comment worklog security".split(
      " ",
    )
  const CUSTOM_TYPES =
    "select multiselect cascadingselect userpicker multiuserpicker datepicker datetime float textfield textarea url labels version multiversion gh-sprint atlassian-team gh-epic-link gh-lexo-rank grouppicker multigrouppicker project".split(
      " ",
    )

  it("the catalogue has every system field and a custom field of every type", () => {
    const ids = new Set(ds.fields.map((f) => f.id))
    for (const id of SYSTEM) expect(ids, id).toContain(id)
    const types = new Set(ds.fields.map((f) => (f.schema?.custom ?? "").split(":").pop()))
    for (const t of CUSTOM_TYPES) expect(types, t).toContain(t)
    expect(ds.fields.some((f) => f.name === "Story Points" && f.schema?.type === "number")).toBe(true)
    for (const f of ds.fields.filter((x) => x.custom)) {
      expect(f.id).toMatch(/^customfield_100\d\d$/)
      expect(f.clauseNames[0]).toBe(`cf[${f.schema?.customId}]`)
      expect(f.clauseNames).toContain(f.name)
    }
  })

  it("two custom fields share the name Category", () => {
    const category = ds.fields.filter((f) => f.name === "Category")
    expect(category.length).toBe(2)
    expect(new Set(category.map((f) => f.id)).size).toBe(2)
  })

  it("every issue carries every field (null where empty)", () => {
    const expected = ds.fields.filter((f) => f.id !== "issuekey").map((f) => f.id)
    for (const issue of issues.slice(0, 200))
      expect(Object.keys(issue.fields).sort()).toEqual([...expected].sort())
    for (const id of expected)
      expect(
        issues.some((i) => i.fields[id] !== null),
        id,
      ).toBe(true)
    expect(issues.some((i) => i.fields.priority === null && i.fields.assignee === null)).toBe(true)
  })

  it("dates and datetimes use Jira's formats with non-UTC offsets", () => {
    const created = issues.map((i) => String(i.fields.created))
    for (const c of created) expect(c).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}[+-]\d{4}$/)
    expect(created.some((c) => c.endsWith("+0530"))).toBe(true)
    expect(created.some((c) => c.startsWith("20") && /-0[0-9]{3}$/.test(c))).toBe(true)
    const due = issues.map((i) => i.fields.duedate).filter((d) => d !== null)
    for (const d of due) expect(d).toMatch(/^\d{4}-\d{2}-\d{2}$/)
  })
})

describe("data set: values that break exporters", () => {
  it("contains every hostile text, formula prefixes, control characters and empty values", () => {
    const joined = new Set(allStrings)
    for (const h of HOSTILE_TEXTS) expect(joined, JSON.stringify(h)).toContain(h)
    for (const prefix of ["=", "+", "-", "@"])
      expect(
        allStrings.some((s) => s.startsWith(prefix)),
        prefix,
      ).toBe(true)
    for (const c of ["\t", "\r\n", "\n", '"', ","])
      expect(
        allStrings.some((s) => s.includes(c)),
        JSON.stringify(c),
      ).toBe(true)
    expect(allStrings.some((s) => /\p{Extended_Pictographic}/u.test(s))).toBe(true)
    expect(allStrings.some((s) => /[\u0590-\u06ff]/.test(s))).toBe(true)
    expect(allStrings.some((s) => /[\uff01-\uff5e]/.test(s))).toBe(true)
    expect(issues.some((i) => i.fields[CUSTOM.externalRef] === "")).toBe(true)
    expect(allStrings.some((s) => s.length > 32_767)).toBe(true)
  })

  it("ADF has mentions of real users (some without text) and of a departed account, lists, tables, code, links, emoji, status and dates", () => {
    const types = new Set(allNodes.map((n) => n.type))
    for (const t of [
      "mention",
      "bulletList",
      "orderedList",
      "table",
      "codeBlock",
      "emoji",
      "status",
      "date",
      "hardBreak",
    ])
      expect(types, t).toContain(t)
    const mentions = allNodes.filter((n) => n.type === "mention")
    const attrs = mentions.map((m) => (isJson(m.attrs) ? m.attrs : {}))
    expect(attrs.some((a) => !("text" in a))).toBe(true)
    expect(attrs.some((a) => typeof a.text === "string")).toBe(true)
    // Every mention names a user of the site, except a departed account's: gone from the site, it
    // keeps the name the document stored (issue 19 item 6).
    const departed = attrs.filter((a) => a.id === DEPARTED.accountId)
    expect(departed.length).toBeGreaterThan(0)
    for (const a of departed) expect(a.text).toBe(`@${DEPARTED.displayName}`)
    expect(ds.userByAccountId(DEPARTED.accountId)).toBeUndefined()
    for (const a of attrs)
      if (a.id !== DEPARTED.accountId) expect(ds.userByAccountId(String(a.id))).toBeDefined()
    expect(allNodes.some((n) => Array.isArray(n.marks) && JSON.stringify(n.marks).includes('"link"'))).toBe(
      true,
    )
  })
})

describe("data set: structure", () => {
  it("sub-tasks, stories and epics link up through parent and subtasks", () => {
    let checked = 0
    for (const issue of issues) {
      const parent = issue.fields.parent
      if (!isJson(parent)) continue
      expect(Object.keys(parent).sort()).toEqual(["fields", "id", "key", "self"])
      expect(Object.keys(isJson(parent.fields) ? parent.fields : {}).sort()).toEqual([
        "issuetype",
        "priority",
        "status",
        "summary",
      ])
      const p = ds.issueByIdOrKey(String(parent.id))!
      expect(p.key).toBe(parent.key)
      const type = issue.fields.issuetype
      if (isJson(type) && type.subtask === true) {
        const subtasks = p.fields.subtasks
        expect(Array.isArray(subtasks) && subtasks.some((s) => isJson(s) && s.id === issue.id)).toBe(true)
        checked++
      }
    }
    expect(checked).toBeGreaterThan(100)
    expect(issues.some((i) => isJson(i.fields.issuetype) && i.fields.issuetype.name === "Epic")).toBe(true)
  })

  it("issue links appear on both issues with the same id", () => {
    let checked = 0
    for (const issue of issues) {
      const links = issue.fields.issuelinks
      if (!Array.isArray(links)) continue
      for (const link of links) {
        if (!isJson(link) || !isJson(link.outwardIssue)) continue
        const other = ds.issueByIdOrKey(String(link.outwardIssue.id))!
        const back = Array.isArray(other.fields.issuelinks) ? other.fields.issuelinks : []
        expect(
          back.some(
            (b) => isJson(b) && b.id === link.id && isJson(b.inwardIssue) && b.inwardIssue.id === issue.id,
          ),
        ).toBe(true)
        checked++
      }
    }
    expect(checked).toBeGreaterThan(100)
  })

  it("comments and worklogs embed at most 20 while the full lists say more", () => {
    const many = issues.find((i) => isJson(i.fields.comment) && Number(i.fields.comment.total) > 20)!
    const page = many.fields.comment
    if (!isJson(page) || !Array.isArray(page.comments)) throw new Error("comment page expected")
    expect(page.comments.length).toBe(20)
    expect(page).toMatchObject({ startAt: 0, maxResults: 20 })
    expect(ds.commentsOf(many.key)?.length).toBe(page.total)
    expect(ds.commentsOf(many.id)?.slice(0, 20)).toEqual(page.comments)
    const busy = issues.find((i) => isJson(i.fields.worklog) && Number(i.fields.worklog.total) > 20)!
    const wl = busy.fields.worklog
    if (!isJson(wl) || !Array.isArray(wl.worklogs)) throw new Error("worklog page expected")
    expect(wl.worklogs.length).toBe(20)
    const all = ds.worklogsOf(busy.id)!
    expect(all.length).toBe(wl.total)
    const spent = all.reduce((s, w) => s + Number(w.timeSpentSeconds), 0)
    expect(busy.fields.timespent).toBe(spent)
    expect(isJson(busy.fields.timetracking) && busy.fields.timetracking.timeSpentSeconds).toBe(spent)
  })

  it("issueWithFields and fieldValueAt give the same values as the whole issue", () => {
    const wanted = ["summary", "comment", "timespent", "worklog", CUSTOM.sprint, "parent", "nonsense"]
    for (const i of [0, 5, 9, 62, 1234]) {
      const whole = issues[i]!
      const partial = ds.issueWithFields(i, wanted)!
      expect(partial.key).toBe(whole.key)
      expect(Object.keys(partial.fields)).toEqual(wanted.slice(0, -1))
      for (const id of wanted.slice(0, -1)) {
        expect(partial.fields[id]).toEqual(whole.fields[id])
        expect(ds.fieldValueAt(i, id)).toEqual(whole.fields[id])
      }
      expect(ds.keyAt(i)).toBe(whole.key)
      expect(ds.indexOf(whole.key)).toBe(i)
    }
  })

  it("deleting an issue hides it everywhere", () => {
    const local = createDataset({ issues: 100, seed: 5 })
    const victim = local.issueAt(42)!
    expect(local.deleteIssue(victim.key)).toBe(true)
    expect(local.issueAt(42)).toBeUndefined()
    expect(local.issueByIdOrKey(victim.id)).toBeUndefined()
    expect(local.commentsOf(victim.id)).toBeUndefined()
    expect(local.deleteIssue(victim.id)).toBe(false)
    expect(local.deleteIssue("NOPE-1")).toBe(false)
    expect(local.issueWithFields(42, ["summary"])).toBeUndefined()
    expect(local.isLive(42)).toBe(false)
    expect(local.issueAt(41)).toBeDefined()
  })
})
