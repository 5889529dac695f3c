/**
 * The emulator's data set: a deterministic, lazily generated Jira Cloud site of any size. Issue `i`
 * is a pure function of (seed, i), built on demand (an optional bounded LRU can keep some), so 200,000
 * issues cost no memory until asked for, plus the JQL engine's compact indexes.
 */
import type {
  ChangelogSource,
  Dataset,
  FieldRecord,
  IssueRecord,
  ProjectRecord,
  UserRecord,
} from "../model.js"
import {
  ISSUE_TYPE_LIST,
  PRIORITIES,
  PROJECTS,
  RESOLUTIONS,
  RESTRICTED_PROJECT,
  RETIRED_STATUS,
  STATUSES,
  type StatusDef,
} from "./catalogue.js"
import { CHANGELOG_FIELD_IDS, ChangelogGenerator } from "./changelog.js"
import { FIELDS, ISSUE_FIELD_IDS } from "./fields.js"
import { type Core, FIRST_ISSUE_ID, indexOfNumber, issueNumberOf, projectIndexOf } from "./issue-core.js"
import { IssueGenerator } from "./issues.js"
import { createUsers } from "./users.js"
import { siteStatuses, statusDetails, WORKFLOW } from "./workflow.js"

export { EMBEDDED_PAGE } from "./activity.js"
export { CUSTOM, FIELDS } from "./fields.js"
export { FIRST_ISSUE_ID } from "./issue-core.js"
export { HOSTILE_TEXTS, LONG_TEXT } from "./text.js"
export { ADMIN_ACCOUNT_ID, API_TOKEN, RESTRICTED_ACCOUNT_ID } from "./users.js"
export { RESTRICTED_PROJECT }

export const DEFAULT_BASE_URL = "https://liquitim-emulator.atlassian.net"

/** Names the JQL engine validates values against (Jira reports unknown ones as not existing). */
export interface DatasetCatalogue {
  readonly statuses: ReadonlyArray<StatusDef>
  readonly priorities: ReadonlyArray<{ readonly id: string; readonly name: string }>
  readonly issueTypes: ReadonlyArray<{ readonly id: string; readonly name: string }>
  readonly resolutions: ReadonlyArray<{ readonly id: string; readonly name: string }>
}

/** The model's `Dataset` plus what the emulator's HTTP layer and JQL engine need beyond it. */
export interface EmulatorDataset extends Dataset, ChangelogSource {
  /** Every comment of the issue (the `comment` field embeds only the first 20); undefined if unknown/deleted. */
  readonly commentsOf: (issueIdOrKey: string) => ReadonlyArray<Readonly<Record<string, unknown>>> | undefined
  /** Every worklog of the issue (the `worklog` field embeds only the first 20); undefined if unknown/deleted. */
  readonly worklogsOf: (issueIdOrKey: string) => ReadonlyArray<Readonly<Record<string, unknown>>> | undefined
  /**
   * The issue with only the given fields (unknown ids are left out), or undefined if deleted: a page
   * of 100 issues x 30 columns costs about a fifth of generating every field.
   */
  readonly issueWithFields: (index: number, fieldIds: ReadonlyArray<string>) => IssueRecord | undefined
  /** One field's REST value for issue `index`, without generating the others (deleted issues too). */
  readonly fieldValueAt: (index: number, fieldId: string) => unknown
  /** Key of issue `index` ("ALPHA-12"), deleted issues included; cheap. */
  readonly keyAt: (index: number) => string
  /** Whether issue `index` exists and is not deleted; cheap. */
  readonly isLive: (index: number) => boolean
  /** Position of an issue id or key, or -1; deleted issues included. */
  readonly indexOf: (idOrKey: string) => number
  readonly catalogue: DatasetCatalogue
  /** Issues currently held in the LRU (for memory tests). */
  readonly cachedIssues: () => number
}

export interface DatasetOptions {
  readonly issues: number
  readonly seed: number
  /** Origin used in `self` links; defaults to a fake atlassian.net site. */
  readonly baseUrl?: string
  /**
   * How many whole issues to keep (default 0). Regenerating costs microseconds, while keeping even a
   * few alive past a young-generation collection made generation about three times slower.
   */
  readonly cacheSize?: number
  /** Whether the site has Jira Premium (Parent Link's values instead of its licence placeholder). */
  readonly premium?: boolean
}

const KNOWN_FIELDS: ReadonlySet<string> = new Set(ISSUE_FIELD_IDS)
const KEY = /^([A-Za-z][A-Za-z0-9_]*)-(\d+)$/

export const createDataset = (options: DatasetOptions): EmulatorDataset => {
  const count = Math.max(0, Math.floor(options.issues))
  const seed = options.seed | 0
  const baseUrl = options.baseUrl ?? DEFAULT_BASE_URL
  const cacheSize = options.cacheSize ?? 0
  const users = createUsers(seed, baseUrl)
  const gen = new IssueGenerator({ seed, count, baseUrl, users, premium: options.premium === true })
  const projects: ReadonlyArray<ProjectRecord> = PROJECTS.map((p, i) => ({
    json: gen.projectsJson[i] ?? {},
    id: p.id,
    key: p.key,
    name: p.name,
  }))
  const projectIndexByKey = new Map(PROJECTS.map((p, i) => [p.key, i]))
  const byAccountId = new Map(users.map((u) => [u.accountId, u]))
  const byEmail = new Map(
    users.flatMap((u) => (u.loginEmail === null ? [] : [[u.loginEmail.toLowerCase(), u] as const])),
  )
  const changelogs = new ChangelogGenerator({ seed, users, workflow: WORKFLOW })
  const deleted = new Set<number>()
  const cache = new Map<number, IssueRecord>()

  const indexOf = (idOrKey: string): number => {
    const trimmed = idOrKey.trim()
    if (/^\d+$/.test(trimmed)) {
      const index = Number(trimmed) - FIRST_ISSUE_ID
      return index >= 0 && index < count ? index : -1
    }
    const m = KEY.exec(trimmed)
    if (m === null) return -1
    const p = projectIndexByKey.get((m[1] ?? "").toUpperCase())
    const n = Number(m[2])
    if (p === undefined || n < 1) return -1
    const index = indexOfNumber(p, n)
    return index < count ? index : -1
  }

  const isLive = (index: number): boolean =>
    Number.isInteger(index) && index >= 0 && index < count && !deleted.has(index)

  const build = (core: Core): IssueRecord => ({
    id: core.id,
    numericId: FIRST_ISSUE_ID + core.index,
    key: core.key,
    projectKey: core.project.key,
    fields: gen.fields(core),
  })

  const issueAt = (index: number): IssueRecord | undefined => {
    if (!isLive(index)) return undefined
    const hit = cache.get(index)
    if (hit !== undefined) {
      // Map keeps insertion order: re-inserting marks the entry most recently used.
      cache.delete(index)
      cache.set(index, hit)
      return hit
    }
    const issue = build(gen.core(index))
    cache.set(index, issue)
    if (cache.size > cacheSize) {
      const oldest = cache.keys().next()
      if (oldest.done !== true) cache.delete(oldest.value)
    }
    return issue
  }

  const liveCore = (idOrKey: string): Core | undefined => {
    const index = indexOf(idOrKey)
    return isLive(index) ? gen.core(index) : undefined
  }

  const canBrowse = (viewer: UserRecord | null, projectKey: string): boolean =>
    // The site is not public: anonymous callers browse nothing.
    viewer !== null && projectIndexByKey.has(projectKey) && !viewer.hiddenProjects.has(projectKey)

  const fields: ReadonlyArray<FieldRecord> = FIELDS

  return {
    seed,
    issueCount: count,
    users,
    projects,
    fields,
    issueAt,
    issueByIdOrKey: (idOrKey) => issueAt(indexOf(idOrKey)),
    deleteIssue: (idOrKey) => {
      const index = indexOf(idOrKey)
      if (!isLive(index)) return false
      deleted.add(index)
      cache.delete(index)
      return true
    },
    userByAccountId: (accountId) => byAccountId.get(accountId),
    userByEmail: (email) => byEmail.get(email.toLowerCase()),
    canBrowse,
    commentsOf: (idOrKey) => {
      const core = liveCore(idOrKey)
      return core === undefined ? undefined : gen.commentsOf(core)
    },
    worklogsOf: (idOrKey) => {
      const core = liveCore(idOrKey)
      return core === undefined ? undefined : gen.worklogsOf(core)
    },
    issueWithFields: (index, fieldIds) => {
      if (!isLive(index)) return undefined
      const cached = cache.get(index)
      const core = gen.core(index)
      const memo = {}
      const fields: Record<string, unknown> = {}
      for (const id of fieldIds) {
        if (!KNOWN_FIELDS.has(id)) continue
        fields[id] = cached !== undefined ? (cached.fields[id] ?? null) : (gen.field(core, id, memo) ?? null)
      }
      return {
        id: core.id,
        numericId: FIRST_ISSUE_ID + index,
        key: core.key,
        projectKey: core.project.key,
        fields,
      }
    },
    fieldValueAt: (index, fieldId) => {
      const cached = cache.get(index)
      if (cached !== undefined) return cached.fields[fieldId] ?? null
      return index >= 0 && index < count ? (gen.field(gen.core(index), fieldId) ?? null) : undefined
    },
    isLive,
    keyAt: (index) => `${PROJECTS[projectIndexOf(index)]?.key ?? "ALPHA"}-${issueNumberOf(index)}`,
    indexOf,
    catalogue: {
      statuses: STATUSES,
      priorities: PRIORITIES,
      issueTypes: ISSUE_TYPE_LIST,
      resolutions: RESOLUTIONS,
    },
    cachedIssues: () => cache.size,
    changelogOf: (idOrKey) => {
      const index = indexOf(idOrKey)
      if (!isLive(index)) return undefined
      const core = gen.core(index)
      const fields = Object.fromEntries(CHANGELOG_FIELD_IDS.map((id) => [id, gen.field(core, id) ?? null]))
      const issue = {
        id: core.id,
        numericId: FIRST_ISSUE_ID + index,
        key: core.key,
        projectKey: core.project.key,
      }
      return changelogs.of({ ...issue, fields }, index)
    },
    statuses: statusDetails(WORKFLOW, baseUrl),
    // The retired status left the workflow but still exists; the deleted one is in histories only.
    siteStatuses: siteStatuses([...STATUSES, RETIRED_STATUS]),
  }
}
