/**
 * What every field generator shares: the site's catalogue as REST v3 JSON (statuses, priorities,
 * projects, issue types...), its people, each field's own random stream, and small caches of issue
 * cores and of the short issue references that parents, sub-tasks and links show.
 */
import type { UserRecord } from "../model.js"
import {
  COMPONENTS,
  type GROUPS,
  ISSUE_TYPES,
  PRIORITIES,
  PROJECTS,
  RESOLUTIONS,
  STATUS_CATEGORIES,
  STATUSES,
  VERSIONS,
} from "./catalogue.js"
import { ISSUE_FIELD_IDS } from "./fields.js"
import { type Core, type CoreSource, FIRST_ISSUE_ID, makeCore, timeline } from "./issue-core.js"
import { Rng } from "./prng.js"
import { formatDateTime } from "./text.js"

export interface GeneratorContext {
  readonly seed: number
  readonly count: number
  readonly baseUrl: string
  readonly users: ReadonlyArray<UserRecord>
  /** Whether the site has Jira Premium (default false). */
  readonly premium?: boolean
}

export type Json = Record<string, unknown>

/** What the fields of one issue share while they are generated together (worklogs feed time tracking). */
export interface Memo {
  worklogs?: ReadonlyArray<Json>
  tracking?: { original: number | null; remaining: number | null; spent: number | null }
}

/** One field's REST v3 value for an issue (null where empty). */
export type FieldValue = (site: Site, core: Core, id: string, memo: Memo) => unknown

/** A field value drawn from the field's own random stream. */
export const seeded =
  (value: (site: Site, core: Core, rng: Rng, memo: Memo) => unknown): FieldValue =>
  (site, core, id, memo) =>
    value(site, core, site.rng(core, id), memo)

/** Field salts: each field draws from its own stream so fields can be generated independently. */
const SALT: Record<string, number> = Object.fromEntries(ISSUE_FIELD_IDS.map((id, i) => [id, 100 + i]))

export class Site implements CoreSource {
  readonly seed: number
  readonly count: number
  readonly baseUrl: string
  readonly people: ReadonlyArray<UserRecord>
  readonly userCount: number
  readonly premium: boolean
  readonly spacing: number
  readonly start: number
  readonly assignable: ReadonlyArray<number>
  readonly statusJson: ReadonlyArray<Json & { readonly statusCategory: Json }>
  readonly priorityJson: ReadonlyArray<Json>
  readonly projectJson: ReadonlyArray<Json>
  readonly typeJson: ReadonlyMap<string, Json>
  readonly resolutionJson: ReadonlyArray<Json>
  readonly componentJson: ReadonlyArray<Json>
  readonly versionJson: ReadonlyArray<Json>

  constructor(ctx: GeneratorContext) {
    const base = ctx.baseUrl
    this.seed = ctx.seed
    this.count = ctx.count
    this.baseUrl = base
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
    this.premium = ctx.premium === true
    this.userCount = ctx.users.length
    const { spacing, start } = timeline(ctx.count)
    this.spacing = spacing
    this.start = start
    this.componentJson = COMPONENTS.map((c) => ({ self: `${base}/rest/api/3/component/${c.id}`, ...c }))
    this.versionJson = VERSIONS.map((v) => ({ self: `${base}/rest/api/3/version/${v.id}`, ...v }))
    // App accounts are not assignable; everyone else (inactive and deleted people too) may be.
    this.assignable = ctx.users.flatMap((u, i) => (u.json.accountType === "app" ? [] : [i]))
  }

  /** Direct-mapped caches: parents and link targets are near neighbours, so refs repeat. */
  private readonly coreSlots: Array<Core | undefined> = new Array(1024)
  private readonly refSlots: Array<Json | undefined> = new Array(1024)

  core(index: number): Core {
    const slot = index & 1023
    const hit = this.coreSlots[slot]
    if (hit !== undefined && hit.index === index) return hit
    const core = makeCore(this, index)
    this.coreSlots[slot] = core
    return core
  }

  /** The field's own stream for this issue. */
  rng(core: Core, field: string): Rng {
    return Rng.of(this.seed, core.index, SALT[field] ?? 7)
  }

  exists(index: number): boolean {
    return index >= 0 && index < this.count
  }

  user(i: number): Readonly<Json> | null {
    return i < 0 ? null : (this.people[i]?.json ?? null)
  }

  private readonly details = new Map<number, Readonly<Json>>()

  /** A comment or worklog author: Jira's `UserDetails`, which has no `locale` (unlike `User`). */
  author(i: number): Readonly<Json> | null {
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

  /** A date-time in the issue's own time-zone offset, as Jira writes them. */
  dt(core: Core, ms: number): string {
    return formatDateTime(ms, core.offset)
  }

  issueSelf(id: string): string {
    return `${this.baseUrl}/rest/api/3/issue/${id}`
  }

  status(core: Core): Json & { readonly statusCategory: Json } {
    return this.statusJson[STATUSES.indexOf(core.status)]!
  }

  priority(core: Core): Json | null | undefined {
    return core.priority < 0 ? null : this.priorityJson[core.priority]
  }

  /** `{id,key,self,fields{summary,status,priority,issuetype}}` as parent, sub-task and link targets show it. */
  ref(index: number): Json {
    const slot = index & 1023
    const hit = this.refSlots[slot]
    if (hit !== undefined && hit.id === String(FIRST_ISSUE_ID + index)) return hit
    const made = this.makeRef(index)
    this.refSlots[slot] = made
    return made
  }

  private makeRef(index: number): Json {
    const c = this.core(index)
    return {
      id: c.id,
      key: c.key,
      self: this.issueSelf(c.id),
      fields: {
        summary: c.summary,
        status: this.status(c),
        priority: this.priority(c),
        issuetype: this.typeJson.get(c.type.id),
      },
    }
  }

  option(o: { readonly id: string; readonly value: string }): Json {
    return { self: `${this.baseUrl}/rest/api/3/customFieldOption/${o.id}`, value: o.value, id: o.id }
  }

  version(v: (typeof VERSIONS)[number]): Json {
    return this.versionJson[VERSIONS.indexOf(v)] ?? {}
  }

  group(g: (typeof GROUPS)[number]): Json {
    return {
      name: g.name,
      groupId: g.groupId,
      self: `${this.baseUrl}/rest/api/3/group?groupId=${g.groupId}`,
    }
  }
}
