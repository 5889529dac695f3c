/**
 * Lazy issue generation. Everything about issue `index` is a pure function of (seed, index): a cheap
 * "core" (project, key, type, parent, status, people, dates, summary, labels) and, per field, its
 * own random stream, so one field can be computed without the others (`fieldValue`) and the JQL
 * engine can index a 200,000-issue data set without building 200,000 full issues.
 */
import type { UserRecord } from "../model.js"
import {
  COMPONENTS,
  GROUPS,
  ISSUE_TYPES,
  type IssueTypeDef,
  OPTIONS,
  PRIORITIES,
  PROJECT_BLOCK,
  PROJECTS,
  type ProjectDef,
  RESOLUTIONS,
  RESTRICTED_PROJECT,
  SPRINTS,
  type SprintDef,
  STATUS_CATEGORIES,
  STATUSES,
  type StatusDef,
  TEAMS,
  VERSIONS,
} from "./catalogue.js"
import { CUSTOM, ISSUE_FIELD_IDS } from "./fields.js"
import { Rng } from "./prng.js"
import {
  adfDoc,
  adfText,
  durationText,
  formatDate,
  formatDateTime,
  HOSTILE_TEXTS,
  LONG_TEXT,
  richDoc,
  sentence,
  summaryText,
} from "./text.js"

export const FIRST_ISSUE_ID = 10_000
/** Jira's search and bulkfetch embed at most this many comments and worklogs per issue. */
export const EMBEDDED_PAGE = 20

const DAY = 86_400_000
/** The newest issue is created shortly before this instant, so "created >= -30d" finds recent work. */
const END = Date.UTC(2026, 10, 20, 8, 0, 0)
/** About two years of history, with at least 7 minutes and at most a day between issues. */
const HISTORY = 2 * 365 * DAY
const OFFSETS = [330, -480, 60, 0, -210, 345, 540, -420, 630, 120]
const LABELS = [
  "backend",
  "frontend",
  "ux",
  "tech-debt",
  "security",
  "perf",
  "customer",
  "regression",
  "=cmd",
  "+1",
  "@team",
  "ünïcödé",
  "日本語",
]
const STATUS_WEIGHTS = [3, 2, 1, 1, 4, 1]

/** Per project: indices of a block of ten that belong to it. */
const BLOCK_POSITIONS: ReadonlyArray<ReadonlyArray<number>> = PROJECTS.map((_, p) =>
  PROJECT_BLOCK.flatMap((q, k) => (q === p ? [k] : [])),
)
const RANK_IN_BLOCK: ReadonlyArray<number> = PROJECT_BLOCK.map(
  (p, k) => PROJECT_BLOCK.slice(0, k).filter((q) => q === p).length,
)

export const projectIndexOf = (index: number): number => PROJECT_BLOCK[index % 10] ?? 0
export const issueNumberOf = (index: number): number => {
  const p = projectIndexOf(index)
  return Math.floor(index / 10) * (BLOCK_POSITIONS[p]?.length ?? 1) + (RANK_IN_BLOCK[index % 10] ?? 0) + 1
}
/** Position of issue PROJ-n (n >= 1), inverse of the two functions above. */
export const indexOfNumber = (projectIndex: number, n: number): number => {
  const positions = BLOCK_POSITIONS[projectIndex] ?? []
  return Math.floor((n - 1) / positions.length) * 10 + (positions[(n - 1) % positions.length] ?? 0)
}

/**
 * The hierarchy repeats every twelve issues of a project: an epic, stories and tasks under it,
 * sub-tasks under some of those, and bugs without a parent.
 */
const CYCLE: ReadonlyArray<{ type: IssueTypeDef; parentOffset: number; children: ReadonlyArray<number> }> = [
  { type: ISSUE_TYPES.epic, parentOffset: 0, children: [] },
  { type: ISSUE_TYPES.story, parentOffset: 1, children: [1, 2] },
  { type: ISSUE_TYPES.subtask, parentOffset: 1, children: [] },
  { type: ISSUE_TYPES.subtask, parentOffset: 2, children: [] },
  { type: ISSUE_TYPES.story, parentOffset: 4, children: [1] },
  { type: ISSUE_TYPES.subtask, parentOffset: 1, children: [] },
  { type: ISSUE_TYPES.bug, parentOffset: 0, children: [] },
  { type: ISSUE_TYPES.task, parentOffset: 7, children: [1] },
  { type: ISSUE_TYPES.subtask, parentOffset: 1, children: [] },
  { type: ISSUE_TYPES.story, parentOffset: 9, children: [] },
  { type: ISSUE_TYPES.bug, parentOffset: 0, children: [] },
  { type: ISSUE_TYPES.task, parentOffset: 11, children: [] },
]

export interface Core {
  readonly index: number
  readonly id: string
  readonly key: string
  readonly projectIndex: number
  readonly project: ProjectDef
  readonly n: number
  readonly cycle: number
  readonly type: IssueTypeDef
  /** -1 when the issue has no parent. */
  readonly parentIndex: number
  readonly status: StatusDef
  readonly priority: number
  readonly resolution: number
  readonly assignee: number
  readonly reporter: number
  readonly creator: number
  readonly created: number
  readonly updated: number
  readonly resolved: number | null
  readonly statusChanged: number
  readonly offset: number
  readonly due: number | null
  readonly summary: string
  readonly labels: ReadonlyArray<string>
}

export interface GeneratorContext {
  readonly seed: number
  readonly count: number
  readonly baseUrl: string
  readonly users: ReadonlyArray<UserRecord>
}

const weighted = (rng: Rng, weights: ReadonlyArray<number>): number => {
  let total = 0
  for (const w of weights) total += w
  let r = rng.next() * total
  for (let i = 0; i < weights.length; i++) {
    r -= weights[i] ?? 0
    if (r < 0) return i
  }
  return weights.length - 1
}

const SPRINTS_BY_PROJECT: ReadonlyMap<string, ReadonlyArray<SprintDef>> = new Map(
  PROJECTS.map((p) => [p.key, SPRINTS.filter((s) => s.name.startsWith(`${p.key} `))]),
)

/** Field salts: each field draws from its own stream so fields can be generated independently. */
const SALT: Record<string, number> = Object.fromEntries(ISSUE_FIELD_IDS.map((id, i) => [id, 100 + i]))

export class IssueGenerator {
  private readonly statusJson: ReadonlyArray<Record<string, unknown>>
  private readonly priorityJson: ReadonlyArray<Record<string, unknown>>
  private readonly projectJson: ReadonlyArray<Record<string, unknown>>
  private readonly typeJson: ReadonlyMap<string, Record<string, unknown>>
  private readonly resolutionJson: ReadonlyArray<Record<string, unknown>>
  private readonly assignable: ReadonlyArray<number>
  private readonly people: ReadonlyArray<UserRecord>
  private readonly spacing: number
  private readonly start: number
  private readonly componentJson: ReadonlyArray<Record<string, unknown>>
  private readonly versionJson: ReadonlyArray<Record<string, unknown>>

  constructor(private readonly ctx: GeneratorContext) {
    const base = ctx.baseUrl
    this.statusJson = STATUSES.map((s) => {
      const cat = STATUS_CATEGORIES[s.category]
      return {
        self: `${base}/rest/api/3/status/${s.id}`,
        description: s.description,
        iconUrl: `${base}/images/icons/statuses/generic.png`,
        name: s.name,
        id: s.id,
        statusCategory: {
          self: `${base}/rest/api/3/statuscategory/${cat.id}`,
          id: cat.id,
          key: s.category,
          colorName: cat.colorName,
          name: cat.name,
        },
      }
    })
    this.priorityJson = PRIORITIES.map((p) => ({
      self: `${base}/rest/api/3/priority/${p.id}`,
      iconUrl: `${base}/images/icons/priorities/${p.name.toLowerCase()}.svg`,
      name: p.name,
      id: p.id,
    }))
    this.projectJson = PROJECTS.map((p) => ({
      self: `${base}/rest/api/3/project/${p.id}`,
      id: p.id,
      key: p.key,
      name: p.name,
      projectTypeKey: "software",
      simplified: p.scrum,
      avatarUrls: {
        "48x48": `${base}/rest/api/3/universal_avatar/view/type/project/avatar/10400`,
        "24x24": `${base}/rest/api/3/universal_avatar/view/type/project/avatar/10400?size=small`,
        "16x16": `${base}/rest/api/3/universal_avatar/view/type/project/avatar/10400?size=xsmall`,
        "32x32": `${base}/rest/api/3/universal_avatar/view/type/project/avatar/10400?size=medium`,
      },
    }))
    this.typeJson = new Map(
      Object.values(ISSUE_TYPES).map((t) => [
        t.id,
        {
          self: `${base}/rest/api/3/issuetype/${t.id}`,
          id: t.id,
          description: t.description,
          iconUrl: `${base}/rest/api/2/universal_avatar/view/type/issuetype/avatar/${t.avatarId}?size=medium`,
          name: t.name,
          subtask: t.subtask,
          avatarId: t.avatarId,
          hierarchyLevel: t.hierarchyLevel,
        },
      ]),
    )
    this.resolutionJson = RESOLUTIONS.map((r) => ({
      self: `${base}/rest/api/3/resolution/${r.id}`,
      id: r.id,
      description: r.description,
      name: r.name,
    }))
    this.people = ctx.users
    this.spacing = Math.min(DAY, Math.max(420_000, Math.floor(HISTORY / Math.max(1, ctx.count))))
    this.start = END - ctx.count * this.spacing
    this.componentJson = COMPONENTS.map((c) => ({ self: `${base}/rest/api/3/component/${c.id}`, ...c }))
    this.versionJson = VERSIONS.map((v) => ({ self: `${base}/rest/api/3/version/${v.id}`, ...v }))
    // App accounts are not assignable; everyone else (inactive and deleted people too) may be.
    this.assignable = ctx.users.flatMap((u, i) => (u.json.accountType === "app" ? [] : [i]))
  }

  get projectsJson(): ReadonlyArray<Record<string, unknown>> {
    return this.projectJson
  }

  /** Direct-mapped caches: parents and link targets are near neighbours, so refs repeat. */
  private readonly coreSlots: Array<Core | undefined> = new Array(1024)
  private readonly refSlots: Array<Record<string, unknown> | undefined> = new Array(1024)

  core(index: number): Core {
    const slot = index & 1023
    const hit = this.coreSlots[slot]
    if (hit !== undefined && hit.index === index) return hit
    const core = this.makeCore(index)
    this.coreSlots[slot] = core
    return core
  }

  private makeCore(index: number): Core {
    const { seed } = this.ctx
    const rng = Rng.of(seed, index, 1)
    const projectIndex = projectIndexOf(index)
    const project = PROJECTS[projectIndex] ?? PROJECTS[0]!
    const n = issueNumberOf(index)
    const cycle = (n - 1) % CYCLE.length
    const shape = CYCLE[cycle]!
    const parentIndex = shape.parentOffset === 0 ? -1 : indexOfNumber(projectIndex, n - shape.parentOffset)
    const status = STATUSES[weighted(rng, STATUS_WEIGHTS)]!
    const priority = rng.chance(0.08) ? -1 : weighted(rng, [1, 2, 5, 2, 1])
    const done = status.category === "done"
    const resolution = !done ? -1 : status.name === "Won't Do" ? 1 : rng.chance(0.8) ? 0 : rng.range(2, 3)
    const assignee = rng.chance(0.15) ? -1 : rng.pick(this.assignable)
    const reporter = rng.int(this.people.length)
    const creator = rng.chance(0.8) ? reporter : rng.int(this.people.length)
    // Created times drift forward with the index but jitter, so `ORDER BY created` differs from id order.
    const created = this.start + index * this.spacing + rng.int(this.spacing * 3)
    const updated = created + rng.int(90 * DAY)
    const resolved = done ? created + rng.int(updated - created + 1) : null
    const statusChanged = resolved ?? created + rng.int(updated - created + 1)
    const offset = OFFSETS[rng.int(OFFSETS.length)] ?? 0
    const due = rng.chance(0.45) ? null : Math.floor(created / DAY) * DAY + rng.int(120) * DAY
    const summary =
      index % 23 === 7
        ? (HOSTILE_TEXTS[Math.floor(index / 23) % HOSTILE_TEXTS.length] ?? "")
        : summaryText(rng)
    const labels = rng.some(LABELS, 3)
    return {
      index,
      id: String(FIRST_ISSUE_ID + index),
      key: `${project.key}-${n}`,
      projectIndex,
      project,
      n,
      cycle,
      type: shape.type,
      parentIndex,
      status,
      priority,
      resolution,
      assignee,
      reporter,
      creator,
      created,
      updated,
      resolved,
      statusChanged,
      offset,
      due,
      summary,
      labels,
    }
  }

  private rng(core: Core, field: string): Rng {
    return Rng.of(this.ctx.seed, core.index, SALT[field] ?? 7)
  }

  private user(i: number): Readonly<Record<string, unknown>> | null {
    return i < 0 ? null : (this.people[i]?.json ?? null)
  }

  private readonly details = new Map<number, Readonly<Record<string, unknown>>>()

  /** A comment or worklog author: Jira's `UserDetails`, which has no `locale` (unlike `User`). */
  private author(i: number): Readonly<Record<string, unknown>> | null {
    const user = this.user(i)
    if (user === null) return null
    let details = this.details.get(i)
    if (details === undefined) {
      const { locale: _locale, ...rest } = user
      details = rest
      this.details.set(i, details)
    }
    return details
  }

  private dt(core: Core, ms: number): string {
    return formatDateTime(ms, core.offset)
  }

  private issueSelf(id: string): string {
    return `${this.ctx.baseUrl}/rest/api/3/issue/${id}`
  }

  /** `{id,key,self,fields{summary,status,priority,issuetype}}` as parent, sub-task and link targets show it. */
  private ref(index: number): Record<string, unknown> {
    const slot = index & 1023
    const hit = this.refSlots[slot]
    if (hit !== undefined && hit.id === String(FIRST_ISSUE_ID + index)) return hit
    const made = this.makeRef(index)
    this.refSlots[slot] = made
    return made
  }

  private makeRef(index: number): Record<string, unknown> {
    const c = this.core(index)
    return {
      id: c.id,
      key: c.key,
      self: this.issueSelf(c.id),
      fields: {
        summary: c.summary,
        status: this.statusJson[STATUSES.indexOf(c.status)],
        priority: c.priority < 0 ? null : this.priorityJson[c.priority],
        issuetype: this.typeJson.get(c.type.id),
      },
    }
  }

  private exists(index: number): boolean {
    return index >= 0 && index < this.ctx.count
  }

  commentsOf(core: Core): ReadonlyArray<Record<string, unknown>> {
    const rng = Rng.of(this.ctx.seed, core.index, 2)
    const count = core.index % 41 === 5 ? 21 + rng.int(25) : rng.chance(0.5) ? 0 : rng.range(1, 4)
    const out: Array<Record<string, unknown>> = []
    for (let k = 0; k < count; k++) {
      const id = String(100_000 + core.index * 64 + k)
      const author = this.author(rng.int(this.people.length))
      const created = core.created + (k + 1) * 3_600_000 + rng.int(3_600_000)
      const body =
        k === 0 && core.index % 29 === 3
          ? adfText(HOSTILE_TEXTS[core.index % HOSTILE_TEXTS.length] ?? "")
          : rng.chance(0.2)
            ? richDoc(rng, this.people, undefined)
            : adfText(sentence(rng, rng.range(3, 9)))
      out.push({
        self: `${this.issueSelf(core.id)}/comment/${id}`,
        id,
        author,
        body,
        updateAuthor: author,
        created: this.dt(core, created),
        updated: this.dt(core, created + (rng.chance(0.1) ? 600_000 : 0)),
        jsdPublic: true,
      })
    }
    return out
  }

  worklogsOf(core: Core): ReadonlyArray<Record<string, unknown>> {
    const rng = Rng.of(this.ctx.seed, core.index, 3)
    const count = core.index % 53 === 9 ? 21 + rng.int(10) : rng.chance(0.6) ? 0 : rng.range(1, 3)
    const out: Array<Record<string, unknown>> = []
    for (let k = 0; k < count; k++) {
      const id = String(200_000 + core.index * 64 + k)
      const author = this.author(rng.pick(this.assignable))
      const started = core.created + (k + 1) * 7_200_000
      const seconds = rng.range(1, 16) * 900
      out.push({
        self: `${this.issueSelf(core.id)}/worklog/${id}`,
        author,
        updateAuthor: author,
        comment: adfText(k % 5 === 4 ? 'Paired; see "notes", item 3' : sentence(rng, 3)),
        created: this.dt(core, started + 60_000),
        updated: this.dt(core, started + 60_000),
        started: this.dt(core, started),
        timeSpent: durationText(seconds),
        timeSpentSeconds: seconds,
        id,
        issueId: core.id,
      })
    }
    return out
  }

  /** Seconds of original estimate (or null), derived from its own stream. */
  private estimate(core: Core): number | null {
    const rng = Rng.of(this.ctx.seed, core.index, 4)
    return rng.chance(0.6) ? rng.range(1, 40) * 3600 : null
  }

  private tracking(
    core: Core,
    memo: Memo,
  ): { original: number | null; remaining: number | null; spent: number | null } {
    if (memo.tracking !== undefined) return memo.tracking
    const original = this.estimate(core)
    let spentTotal = 0
    for (const w of this.worklogs(core, memo)) spentTotal += Number(w.timeSpentSeconds)
    const spent = spentTotal > 0 ? spentTotal : null
    const remaining = original !== null ? Math.max(0, original - (spent ?? 0)) : spent !== null ? 0 : null
    memo.tracking = { original, remaining, spent }
    return memo.tracking
  }

  private worklogs(core: Core, memo: Memo): ReadonlyArray<Record<string, unknown>> {
    memo.worklogs ??= this.worklogsOf(core)
    return memo.worklogs
  }

  private links(core: Core): Array<Record<string, unknown>> {
    const out: Array<Record<string, unknown>> = []
    const base = this.ctx.baseUrl
    const type = (id: string, name: string, inward: string, outward: string) => ({
      id,
      name,
      inward,
      outward,
      self: `${base}/rest/api/3/issueLinkType/${id}`,
    })
    const blocks = type("10000", "Blocks", "is blocked by", "blocks")
    const clones = type("10001", "Cloners", "is cloned by", "clones")
    const relates = type("10003", "Relates", "relates to", "relates to")
    const link = (source: number, kind: number, t: Record<string, unknown>, side: string, other: number) => {
      const id = String(300_000 + source * 4 + kind)
      out.push({ id, self: `${base}/rest/api/3/issueLink/${id}`, type: t, [side]: this.ref(other) })
    }
    const { n, projectIndex: p, index } = core
    // Each rule has an outward side and its mirror, so both issues of a link agree on it.
    if (n % 7 === 3) link(index, 0, blocks, "outwardIssue", indexOfNumber(p, n - 1))
    const blocker = indexOfNumber(p, n + 1)
    if ((n + 1) % 7 === 3 && this.exists(blocker)) link(blocker, 0, blocks, "inwardIssue", blocker)
    if (n % 11 === 5) link(index, 1, clones, "outwardIssue", indexOfNumber(p, n - 2))
    const cloner = indexOfNumber(p, n + 2)
    if ((n + 2) % 11 === 5 && this.exists(cloner)) link(cloner, 1, clones, "inwardIssue", cloner)
    if (index > 0 && n % 13 === 6) link(index, 2, relates, "outwardIssue", index - 1)
    if (this.exists(index + 1) && issueNumberOf(index + 1) % 13 === 6)
      link(index + 1, 2, relates, "inwardIssue", index + 1)
    return out
  }

  private option(o: { readonly id: string; readonly value: string }): Record<string, unknown> {
    return { self: `${this.ctx.baseUrl}/rest/api/3/customFieldOption/${o.id}`, value: o.value, id: o.id }
  }

  private version(v: (typeof VERSIONS)[number]): Record<string, unknown> {
    return this.versionJson[VERSIONS.indexOf(v)] ?? {}
  }

  private group(g: (typeof GROUPS)[number]): Record<string, unknown> {
    return {
      name: g.name,
      groupId: g.groupId,
      self: `${this.ctx.baseUrl}/rest/api/3/group?groupId=${g.groupId}`,
    }
  }

  private nullIfEmpty<A>(items: Array<A>): Array<A> | null {
    return items.length === 0 ? null : items
  }

  /** One field's REST v3 value for the issue (null where empty). */
  field(core: Core, id: string, memo: Memo = {}): unknown {
    const base = this.ctx.baseUrl
    switch (id) {
      case "summary":
        return core.summary
      case "description": {
        const rng = this.rng(core, id)
        if (core.index % 97 === 13)
          return adfDoc([{ type: "paragraph", content: [{ type: "text", text: LONG_TEXT }] }])
        if (!rng.chance(0.7)) return null
        const hostile =
          core.index % 31 === 11
            ? HOSTILE_TEXTS[Math.floor(core.index / 31) % HOSTILE_TEXTS.length]
            : undefined
        return richDoc(rng, this.people, hostile)
      }
      case "environment": {
        const rng = this.rng(core, id)
        return rng.chance(0.15)
          ? adfText(
              `${rng.pick(["Chrome 131", "Safari 18", "Firefox"])} on ${rng.pick(["macOS", "Windows 11", "Ubuntu"])}`,
            )
          : null
      }
      case "status":
        return this.statusJson[STATUSES.indexOf(core.status)]
      case "statusCategory":
        return (this.statusJson[STATUSES.indexOf(core.status)] as { statusCategory: unknown }).statusCategory
      case "priority":
        return core.priority < 0 ? null : this.priorityJson[core.priority]
      case "issuetype":
        return this.typeJson.get(core.type.id)
      case "project":
        return this.projectJson[core.projectIndex]
      case "assignee":
        return this.user(core.assignee)
      case "reporter":
        return this.user(core.reporter)
      case "creator":
        return this.user(core.creator)
      case "labels":
        return core.labels
      case "components": {
        const rng = this.rng(core, id)
        return rng.some(this.componentJson, 2)
      }
      case "fixVersions":
      case "versions":
        return this.rng(core, id)
          .some(VERSIONS, 2)
          .map((v) => this.version(v))
      case "duedate":
        return core.due === null ? null : formatDate(core.due)
      case "created":
        return this.dt(core, core.created)
      case "updated":
        return this.dt(core, core.updated)
      case "resolution":
        return core.resolution < 0 ? null : this.resolutionJson[core.resolution]
      case "resolutiondate":
        return core.resolved === null ? null : this.dt(core, core.resolved)
      case "lastViewed": {
        const rng = this.rng(core, id)
        return rng.chance(0.3) ? this.dt(core, core.updated + rng.int(DAY)) : null
      }
      case "statuscategorychangedate":
        return this.dt(core, core.statusChanged)
      case "timetracking": {
        const t = this.tracking(core, memo)
        const out: Record<string, unknown> = {}
        if (t.original !== null) out.originalEstimate = durationText(t.original)
        if (t.remaining !== null) out.remainingEstimate = durationText(t.remaining)
        if (t.spent !== null) out.timeSpent = durationText(t.spent)
        if (t.original !== null) out.originalEstimateSeconds = t.original
        if (t.remaining !== null) out.remainingEstimateSeconds = t.remaining
        if (t.spent !== null) out.timeSpentSeconds = t.spent
        return out
      }
      case "timeoriginalestimate":
      case "aggregatetimeoriginalestimate":
        return this.tracking(core, memo).original
      case "timeestimate":
      case "aggregatetimeestimate":
        return this.tracking(core, memo).remaining
      case "timespent":
      case "aggregatetimespent":
        return this.tracking(core, memo).spent
      case "progress":
      case "aggregateprogress": {
        const t = this.tracking(core, memo)
        const progress = t.spent ?? 0
        const total = progress + (t.remaining ?? 0)
        return total > 0
          ? { progress, total, percent: Math.floor((progress * 100) / total) }
          : { progress, total }
      }
      case "workratio": {
        const t = this.tracking(core, memo)
        return t.original !== null && t.original > 0 ? Math.floor(((t.spent ?? 0) * 100) / t.original) : -1
      }
      case "votes":
        return {
          self: `${this.issueSelf(core.key)}/votes`,
          votes: this.rng(core, id).int(4),
          hasVoted: false,
        }
      case "watches":
        return {
          self: `${this.issueSelf(core.key)}/watchers`,
          watchCount: this.rng(core, id).int(6),
          isWatching: false,
        }
      case "parent":
        return core.parentIndex < 0 ? null : this.ref(core.parentIndex)
      case "subtasks": {
        const children = CYCLE[core.cycle]?.children ?? []
        return children
          .map((k) => indexOfNumber(core.projectIndex, core.n + k))
          .filter((i) => this.exists(i))
          .map((i) => this.ref(i))
      }
      case "issuelinks":
        return this.links(core)
      case "attachment": {
        const rng = this.rng(core, id)
        const count = rng.chance(0.3) ? rng.range(1, 3) : 0
        const out: Array<Record<string, unknown>> = []
        for (let k = 0; k < count; k++) {
          const aid = String(400_000 + core.index * 4 + k)
          const image = rng.chance(0.5)
          const filename = image
            ? `screenshot ${k + 1}.png`
            : rng.pick(['report, final "v2".pdf', "=data.csv", "notes.txt"])
          out.push({
            self: `${base}/rest/api/3/attachment/${aid}`,
            id: aid,
            filename,
            author: this.user(core.reporter),
            created: this.dt(core, core.created + 60_000 * (k + 1)),
            size: rng.range(100, 5_000_000),
            mimeType: image ? "image/png" : filename.endsWith(".pdf") ? "application/pdf" : "text/plain",
            content: `${base}/rest/api/3/attachment/content/${aid}`,
            ...(image ? { thumbnail: `${base}/rest/api/3/attachment/thumbnail/${aid}` } : {}),
          })
        }
        return out
      }
      case "comment": {
        const all = this.commentsOf(core)
        return {
          comments: all.slice(0, EMBEDDED_PAGE),
          self: `${this.issueSelf(core.id)}/comment`,
          maxResults: Math.min(all.length, EMBEDDED_PAGE),
          total: all.length,
          startAt: 0,
        }
      }
      case "worklog": {
        const all = this.worklogs(core, memo)
        return {
          startAt: 0,
          maxResults: Math.min(all.length, EMBEDDED_PAGE),
          total: all.length,
          worklogs: all.slice(0, EMBEDDED_PAGE),
        }
      }
      case "security":
        return core.project.key === RESTRICTED_PROJECT && this.rng(core, id).chance(0.5)
          ? {
              self: `${base}/rest/api/3/securitylevel/10100`,
              id: "10100",
              description: "Staff only",
              name: "Internal",
            }
          : null
      default:
        return this.custom(core, id)
    }
  }

  private readonly customBuilders: ReadonlyMap<string, (core: Core, rng: Rng) => unknown> = new Map<
    string,
    (core: Core, rng: Rng) => unknown
  >([
    [
      CUSTOM.sprint,
      (core, rng) => {
        if (!core.project.scrum || core.type === ISSUE_TYPES.epic) return null
        return this.nullIfEmpty(rng.some(SPRINTS_BY_PROJECT.get(core.project.key) ?? [], 2))
      },
    ],
    [
      CUSTOM.storyPoints,
      (core, rng) => {
        return core.type !== ISSUE_TYPES.epic && core.type !== ISSUE_TYPES.subtask && rng.chance(0.6)
          ? rng.pick([0.5, 1, 2, 3, 5, 8, 13])
          : null
      },
    ],
    [
      CUSTOM.team,
      (_core, rng) => {
        if (!rng.chance(0.5)) return null
        const t = rng.pick(TEAMS)
        return { id: t.id, name: t.name, title: t.name, isVisible: true, isVerified: false, isShared: true }
      },
    ],
    [
      CUSTOM.epicLink,
      (core, _rng) => {
        if (core.parentIndex < 0) return null
        const parent = this.core(core.parentIndex)
        return parent.type === ISSUE_TYPES.epic ? parent.key : null
      },
    ],
    [
      CUSTOM.rank,
      (core, rng) => {
        // Lexorank-like and unique: a fixed-width random prefix, then the index.
        return `0|i${rng
          .int(36 ** 5)
          .toString(36)
          .padStart(5, "0")}${core.index.toString(36)}:`
      },
    ],
    [
      CUSTOM.categoryA,
      (_core, rng) => {
        return rng.chance(0.6) ? this.option(rng.pick(OPTIONS.categoryA)) : null
      },
    ],
    [
      CUSTOM.categoryB,
      (_core, rng) => {
        return rng.chance(0.5) ? this.option(rng.pick(OPTIONS.categoryB)) : null
      },
    ],
    [
      CUSTOM.platforms,
      (_core, rng) => {
        return this.nullIfEmpty(rng.some(OPTIONS.platforms, 3).map((o) => this.option(o)))
      },
    ],
    [
      CUSTOM.location,
      (_core, rng) => {
        if (!rng.chance(0.4)) return null
        const parent = rng.pick(OPTIONS.location)
        const children: ReadonlyArray<{ readonly id: string; readonly value: string }> = parent.children
        return rng.chance(0.8)
          ? { ...this.option(parent), child: this.option(rng.pick(children)) }
          : this.option(parent)
      },
    ],
    [
      CUSTOM.reviewer,
      (_core, rng) => {
        return rng.chance(0.4) ? this.user(rng.pick(this.assignable)) : null
      },
    ],
    [
      CUSTOM.approvers,
      (_core, rng) => {
        return this.nullIfEmpty(rng.some(this.assignable, 3).map((i) => this.user(i)))
      },
    ],
    [
      CUSTOM.targetDate,
      (core, rng) => {
        return rng.chance(0.4) ? formatDate(Math.floor(core.created / DAY) * DAY + rng.int(200) * DAY) : null
      },
    ],
    [
      CUSTOM.goLive,
      (core, rng) => {
        return rng.chance(0.3) ? this.dt(core, core.created + rng.int(300) * DAY) : null
      },
    ],
    [
      CUSTOM.cost,
      (_core, rng) => {
        return rng.chance(0.4) ? rng.pick([0, 1234.5, -12.75, 1e9, 0.1 + 0.2, 42]) : null
      },
    ],
    [
      CUSTOM.externalRef,
      (core, rng) => {
        if (!rng.chance(0.4)) return null
        // Some are hostile, including the empty string (not null).
        return core.index % 17 === 3 ? rng.pick([...HOSTILE_TEXTS, ""]) : `EXT-${rng.range(1000, 9999)}`
      },
    ],
    [
      CUSTOM.acceptance,
      (core, rng) => {
        if (core.index % 97 === 40) return adfText(LONG_TEXT)
        return rng.chance(0.3) ? richDoc(rng, this.people, undefined) : null
      },
    ],
    [
      CUSTOM.specLink,
      (core, rng) => {
        return rng.chance(0.3) ? `https://example.test/spec/${core.key}?q=a,b&x="y"` : null
      },
    ],
    [
      CUSTOM.tags,
      (_core, rng) => {
        return this.nullIfEmpty(rng.some(["alpha", "beta,gamma", "=x", "ops"], 2))
      },
    ],
    [
      CUSTOM.affectedBuild,
      (_core, rng) => {
        return rng.chance(0.3) ? this.version(rng.pick(VERSIONS)) : null
      },
    ],
    [
      CUSTOM.shippedIn,
      (_core, rng) => {
        return this.nullIfEmpty(rng.some(VERSIONS, 2).map((v) => this.version(v)))
      },
    ],
    [
      CUSTOM.owningGroup,
      (_core, rng) => {
        return rng.chance(0.3) ? this.group(rng.pick(GROUPS)) : null
      },
    ],
    [
      CUSTOM.notifiedGroups,
      (_core, rng) => {
        return this.nullIfEmpty(rng.some(GROUPS, 2).map((g) => this.group(g)))
      },
    ],
    [
      CUSTOM.relatedProject,
      (_core, rng) => {
        return rng.chance(0.2) ? this.projectJson[rng.int(this.projectJson.length)] : null
      },
    ],
    [
      CUSTOM.flagged,
      (_core, rng) => {
        return rng.chance(0.1) ? [this.option(OPTIONS.flagged[0])] : null
      },
    ],
    [
      CUSTOM.severity,
      (core, rng) => {
        return core.type === ISSUE_TYPES.bug ? this.option(rng.pick(OPTIONS.severity)) : null
      },
    ],
  ])

  private custom(core: Core, id: string): unknown {
    const build = this.customBuilders.get(id)
    return build === undefined ? null : build(core, this.rng(core, id))
  }

  /** Every field of the issue, in catalogue order. */
  fields(core: Core): Record<string, unknown> {
    const memo: Memo = {}
    const out: Record<string, unknown> = {}
    for (const id of ISSUE_FIELD_IDS) out[id] = this.field(core, id, memo)
    return out
  }
}

interface Memo {
  worklogs?: ReadonlyArray<Record<string, unknown>>
  tracking?: { original: number | null; remaining: number | null; spent: number | null }
}
