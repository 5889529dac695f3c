/**
 * A small, hand-written data set and JQL engine implementing `../model.ts`. It lets the HTTP layer run
 * and be tested on its own: a few users (one restricted, one app account), three projects, and a JQL
 * subset (`project = X`, `project in (X, Y)`, `key > X-N`, `ORDER BY key|id|created [ASC|DESC]`).
 * The full generator and engine live in `../data` and `../jql`.
 */
import type {
  Dataset,
  FieldRecord,
  IssueRecord,
  JqlEngine,
  JqlSearchOutcome,
  ProjectRecord,
  UserRecord,
} from "../model.js"

const SITE = "https://emulator.atlassian.net"

const user = (
  accountId: string,
  displayName: string,
  loginEmail: string | null,
  hidden: ReadonlyArray<string>,
  accountType = "atlassian",
): UserRecord => ({
  accountId,
  displayName,
  loginEmail,
  hiddenProjects: new Set(hidden),
  json: {
    self: `${SITE}/rest/api/3/user?accountId=${accountId}`,
    accountId,
    accountType,
    ...(loginEmail === null ? {} : { emailAddress: loginEmail }),
    displayName,
    active: true,
    timeZone: "Europe/Berlin",
    locale: "en_US",
    avatarUrls: {
      "16x16": `${SITE}/avatar/${accountId}/16`,
      "24x24": `${SITE}/avatar/${accountId}/24`,
      "32x32": `${SITE}/avatar/${accountId}/32`,
      "48x48": `${SITE}/avatar/${accountId}/48`,
    },
  },
})

const project = (id: string, key: string, name: string): ProjectRecord => ({
  id,
  key,
  name,
  json: {
    self: `${SITE}/rest/api/3/project/${id}`,
    id,
    key,
    name,
    projectTypeKey: "software",
    simplified: false,
    avatarUrls: { "48x48": `${SITE}/project/${id}/avatar` },
  },
})

const field = (
  id: string,
  name: string,
  schema: FieldRecord["schema"],
  navigable = true,
  clause: string = id,
): FieldRecord => ({
  id,
  key: id,
  name,
  custom: id.startsWith("customfield_"),
  orderable: true,
  navigable,
  searchable: true,
  clauseNames: id.startsWith("customfield_") ? [`cf[${id.slice(12)}]`, name] : [clause],
  ...(schema === undefined ? {} : { schema }),
})

const FIELDS: ReadonlyArray<FieldRecord> = [
  field("summary", "Summary", { type: "string", system: "summary" }),
  field("status", "Status", { type: "status", system: "status" }),
  field("issuetype", "Issue Type", { type: "issuetype", system: "issuetype" }, true, "type"),
  field("project", "Project", { type: "project", system: "project" }),
  field("priority", "Priority", { type: "priority", system: "priority" }),
  field("assignee", "Assignee", { type: "user", system: "assignee" }),
  field("reporter", "Reporter", { type: "user", system: "reporter" }),
  field("created", "Created", { type: "datetime", system: "created" }),
  field("updated", "Updated", { type: "datetime", system: "updated" }),
  field("labels", "Labels", { type: "array", items: "string", system: "labels" }),
  field("description", "Description", { type: "string", system: "description" }),
  field("comment", "Comment", { type: "comments-page", system: "comment" }),
  field("worklog", "Log Work", { type: "array", items: "worklog", system: "worklog" }, false),
  field("customfield_10016", "Story point estimate", {
    type: "number",
    custom: "com.atlassian.jira.plugin.system.customfieldtypes:float",
    customId: 10016,
  }),
  field("customfield_10020", "Sprint", {
    type: "array",
    items: "json",
    custom: "com.pyxis.greenhopper.jira:gh-sprint",
    customId: 10020,
  }),
]

const STATUSES = [
  { id: "10000", name: "To Do", category: { id: 2, key: "new", colorName: "blue-gray", name: "To Do" } },
  {
    id: "3",
    name: "In Progress",
    category: { id: 4, key: "indeterminate", colorName: "yellow", name: "In Progress" },
  },
  { id: "10001", name: "Done", category: { id: 3, key: "done", colorName: "green", name: "Done" } },
] as const
const PRIORITIES = ["Highest", "High", "Medium", "Low"] as const
const LABELS = ["backend", "frontend", "ux", "infra", "billing"] as const

/** Extras beyond the model: complete comment and worklog lists (search results truncate them). */
export interface DatasetExtras {
  readonly commentsOf: (issueIdOrKey: string) => ReadonlyArray<Readonly<Record<string, unknown>>> | undefined
  readonly worklogsOf: (issueIdOrKey: string) => ReadonlyArray<Readonly<Record<string, unknown>>> | undefined
}

/** Deterministic integer mix (splitmix-like) so issue values depend only on seed and position. */
const mix = (seed: number, n: number): number => {
  let x = (seed * 0x9e3779b1 + n * 0x85ebca6b) >>> 0
  x = Math.imul(x ^ (x >>> 16), 0x7feb352d) >>> 0
  x = Math.imul(x ^ (x >>> 15), 0x846ca68b) >>> 0
  return (x ^ (x >>> 16)) >>> 0
}

/** Comment and worklog authors are `UserDetails`, which has no `locale` (it would fail the schema). */
const details = (u: UserRecord) => {
  const { locale: _locale, ...rest } = u.json
  return rest
}

const pick = <A>(xs: ReadonlyArray<A>, n: number): A => xs[n % xs.length]!

const adf = (text: string) => ({
  type: "doc",
  version: 1,
  content: [{ type: "paragraph", content: [{ type: "text", text }] }],
})

/** Builds a small deterministic data set: issues spread round-robin over the projects ALP, BET, SEC. */
export const createMiniatureDataset = (options: {
  issues: number
  seed: number
}): Dataset & DatasetExtras => {
  const users: ReadonlyArray<UserRecord> = [
    user("5b10a2844c20165700ede21g", "Ada Admin", "admin@example.test", []),
    user("5b10ac8d82e05b22cc7d4ef5", "Rita Restricted", "restricted@example.test", ["SEC"]),
    user("5c1234abcd00000000000003", "Bob Builder", "bob@example.test", []),
    user("5c1234abcd00000000000004", "Carla Coder", "carla@example.test", ["BET"]),
    user("557058:automation-app", "Automation for Jira", null, [], "app"),
  ]
  const projects: ReadonlyArray<ProjectRecord> = [
    project("10000", "ALP", "Alpha"),
    project("10001", "BET", "Beta"),
    project("10002", "SEC", "Secret"),
  ]
  const deleted = new Set<number>()
  const base = 10_000
  const perProject = (index: number) => Math.floor(index / projects.length) + 1
  const commentsCount = (index: number) => mix(options.seed, index * 7 + 3) % 25

  const commentJson = (index: number, c: number) => {
    const author = pick(users, mix(options.seed, index * 31 + c))
    return {
      self: `${SITE}/rest/api/3/issue/${base + index}/comment/${(base + index) * 100 + c}`,
      id: String((base + index) * 100 + c),
      author: details(author),
      body: adf(`Comment ${c + 1} on issue ${base + index}`),
      updateAuthor: details(author),
      created: "2026-03-01T10:00:00.000+0100",
      updated: "2026-03-01T10:00:00.000+0100",
      jsdPublic: true,
    }
  }
  const worklogJson = (index: number, w: number) => {
    const author = pick(users, mix(options.seed, index * 17 + w))
    return {
      self: `${SITE}/rest/api/3/issue/${base + index}/worklog/${(base + index) * 10 + w}`,
      id: String((base + index) * 10 + w),
      issueId: String(base + index),
      author: details(author),
      updateAuthor: details(author),
      comment: adf(`Work ${w + 1}`),
      created: "2026-03-02T09:00:00.000+0100",
      updated: "2026-03-02T09:00:00.000+0100",
      started: "2026-03-02T08:00:00.000+0100",
      timeSpent: "1h",
      timeSpentSeconds: 3600,
    }
  }
  const worklogCount = (index: number) => mix(options.seed, index * 5 + 1) % 4

  const build = (index: number): IssueRecord => {
    const p = pick(projects, index)
    const r = mix(options.seed, index)
    const status = pick(STATUSES, r)
    const assignee = r % 5 === 0 ? null : pick(users, r >>> 3)
    const reporter = pick(users, r >>> 7)
    const id = String(base + index)
    const key = `${p.key}-${perProject(index)}`
    const created = new Date(Date.UTC(2026, 0, 1) + index * 3_600_000).toISOString().replace("Z", "+0000")
    const total = commentsCount(index)
    return {
      id,
      numericId: base + index,
      key,
      projectKey: p.key,
      fields: {
        summary: `Issue ${key}: ${pick(["fix", "add", "remove", "rework"], r >>> 5)} the ${pick(LABELS, r >>> 9)} part`,
        status: {
          self: `${SITE}/rest/api/3/status/${status.id}`,
          description: "",
          iconUrl: `${SITE}/images/icons/statuses/generic.png`,
          name: status.name,
          id: status.id,
          statusCategory: {
            self: `${SITE}/rest/api/3/statuscategory/${status.category.id}`,
            ...status.category,
          },
        },
        issuetype: {
          self: `${SITE}/rest/api/3/issuetype/10001`,
          id: "10001",
          description: "A task.",
          iconUrl: `${SITE}/issuetype/task.svg`,
          name: "Task",
          subtask: false,
          avatarId: 10318,
          hierarchyLevel: 0,
        },
        project: p.json,
        priority: {
          self: `${SITE}/rest/api/3/priority/${(r % 4) + 1}`,
          iconUrl: "",
          name: pick(PRIORITIES, r),
          id: String((r % 4) + 1),
        },
        assignee: assignee === null ? null : assignee.json,
        reporter: reporter.json,
        created,
        updated: created,
        labels:
          r % 3 === 0
            ? []
            : [pick(LABELS, r >>> 11), pick(LABELS, r >>> 13)].filter((l, i, a) => a.indexOf(l) === i),
        description: r % 4 === 0 ? null : adf(`Description of ${key}, "quoted", with a comma.`),
        comment: {
          comments: Array.from({ length: Math.min(total, 20) }, (_, c) => commentJson(index, c)),
          self: `${SITE}/rest/api/3/issue/${id}/comment`,
          maxResults: 20,
          total,
          startAt: 0,
        },
        worklog: {
          startAt: 0,
          maxResults: 20,
          total: worklogCount(index),
          worklogs: Array.from({ length: worklogCount(index) }, (_, w) => worklogJson(index, w)),
        },
        customfield_10016: r % 2 === 0 ? null : (r % 13) + 0.5,
        customfield_10020: null,
      },
    }
  }

  const indexOf = (idOrKey: string): number | undefined => {
    if (/^\d+$/.test(idOrKey)) {
      const index = Number(idOrKey) - base
      return index >= 0 && index < options.issues ? index : undefined
    }
    const match = /^([A-Za-z]+)-(\d+)$/.exec(idOrKey)
    if (!match) return undefined
    const p = projects.findIndex((x) => x.key === match[1]!.toUpperCase())
    if (p < 0) return undefined
    const index = (Number(match[2]) - 1) * projects.length + p
    return index >= 0 && index < options.issues ? index : undefined
  }

  const issueAt = (index: number) =>
    index < 0 || index >= options.issues || deleted.has(index) ? undefined : build(index)

  return {
    seed: options.seed,
    issueCount: options.issues,
    users,
    projects,
    fields: FIELDS,
    issueAt,
    issueByIdOrKey: (idOrKey) => {
      const index = indexOf(idOrKey)
      return index === undefined ? undefined : issueAt(index)
    },
    deleteIssue: (idOrKey) => {
      const index = indexOf(idOrKey)
      if (index === undefined || deleted.has(index)) return false
      deleted.add(index)
      return true
    },
    userByAccountId: (accountId) => users.find((u) => u.accountId === accountId),
    userByEmail: (email) =>
      users.find((u) => u.loginEmail !== null && u.loginEmail.toLowerCase() === email.toLowerCase()),
    canBrowse: (viewer, projectKey) =>
      viewer === null ? projectKey === "ALP" : !viewer.hiddenProjects.has(projectKey),
    commentsOf: (issueId) => {
      const index = indexOf(issueId)
      return index === undefined
        ? []
        : Array.from({ length: commentsCount(index) }, (_, c) => commentJson(index, c))
    },
    worklogsOf: (issueId) => {
      const index = indexOf(issueId)
      return index === undefined
        ? []
        : Array.from({ length: worklogCount(index) }, (_, w) => worklogJson(index, w))
    },
  }
}

const UNBOUNDED = "Unbounded JQL queries are not allowed here. Please add a search restriction to your query."

/** The JQL subset described at the top of this file, with Jira's wording for the errors it can raise. */
export const createMiniatureJql = (dataset: Dataset): JqlEngine => {
  const parseQuery = (jql: string) => {
    const [, where = "", orderBy] = /^\s*(.*?)\s*(?:\border\s+by\s+(.*))?$/is.exec(jql) ?? []
    const clauses = where.trim() === "" ? [] : where.split(/\s+and\s+/i).map((c) => c.trim())
    const filters: Array<(issue: IssueRecord) => boolean> = []
    const errors: Array<string> = []
    for (const clause of clauses) {
      const eq = /^project\s*=\s*"?(\w+)"?$/i.exec(clause)
      const inList = /^project\s+in\s*\(([^)]*)\)$/i.exec(clause)
      const keyGt = /^key\s*>\s*"?([A-Za-z]+-\d+)"?$/i.exec(clause)
      if (eq) {
        const key = eq[1]!.toUpperCase()
        if (!dataset.projects.some((p) => p.key === key))
          errors.push(`The value '${eq[1]}' does not exist for the field 'project'.`)
        filters.push((i) => i.projectKey === key)
      } else if (inList) {
        const keys = new Set(inList[1]!.split(",").map((k) => k.trim().replace(/"/g, "").toUpperCase()))
        filters.push((i) => keys.has(i.projectKey))
      } else if (keyGt) {
        const [pk, n] = keyGt[1]!.toUpperCase().split("-")
        filters.push((i) => i.projectKey === pk && Number(i.key.split("-")[1]) > Number(n))
      } else {
        errors.push(
          `Error in the JQL Query: Expecting a supported clause but got '${clause}'. (line 1, character 1)`,
        )
      }
    }
    const order = (orderBy ?? "").trim()
    const orderMatch = order === "" ? null : /^(key|id|created)(?:\s+(asc|desc))?$/i.exec(order)
    if (order !== "" && !orderMatch) errors.push(`Not able to sort using field '${order.split(/\s/)[0]}'.`)
    const descending = orderMatch?.[2]?.toLowerCase() === "desc"
    const byKey = orderMatch?.[1]?.toLowerCase() === "key"
    return { clauses, filters, errors, descending, byKey, orderBy: orderMatch }
  }

  const search: JqlEngine["search"] = (jql, viewer, options): JqlSearchOutcome => {
    const q = parseQuery(jql)
    if (q.errors.length > 0) return { ok: false, errors: q.errors }
    if (options.requireBounded && q.clauses.length === 0) return { ok: false, errors: [UNBOUNDED] }
    const hits: Array<IssueRecord> = []
    for (let i = 0; i < dataset.issueCount; i++) {
      const issue = dataset.issueAt(i)
      if (issue && dataset.canBrowse(viewer, issue.projectKey) && q.filters.every((f) => f(issue)))
        hits.push(issue)
    }
    if (q.byKey)
      hits.sort((a, b) =>
        a.projectKey === b.projectKey
          ? Number(a.key.split("-")[1]) - Number(b.key.split("-")[1])
          : a.projectKey < b.projectKey
            ? -1
            : 1,
      )
    if (q.descending) hits.reverse()
    return { ok: true, ids: hits.map((i) => i.id), warnings: [] }
  }

  return {
    search,
    parse: (jql) => {
      const q = parseQuery(jql)
      if (q.errors.length > 0) return { query: jql, errors: q.errors }
      const where =
        q.clauses.length === 0
          ? undefined
          : {
              clauses: q.clauses.map((c) => ({
                field: { name: c.split(/\s/)[0]!, encodedName: c.split(/\s/)[0]! },
                operator: "=",
                operand: { value: c.split(/=|>|\bin\b/i)[1]?.trim() ?? "" },
              })),
              operator: "and",
            }
      return {
        query: jql,
        structure: {
          ...(where === undefined ? {} : { where }),
          ...(q.orderBy
            ? {
                orderBy: {
                  fields: [
                    {
                      field: { name: q.orderBy[1]!, encodedName: q.orderBy[1]! },
                      direction: q.descending ? "desc" : "asc",
                    },
                  ],
                },
              }
            : {}),
        },
      }
    },
  }
}
