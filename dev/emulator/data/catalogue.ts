/**
 * The fixed reference data of the emulated site: projects, workflow statuses, priorities, issue
 * types, resolutions, components, versions, sprints, teams, groups and select options, in the
 * REST v3 shapes of docs/jira-cloud.md §2.3.
 */

export interface ProjectDef {
  readonly id: string
  readonly key: string
  readonly name: string
  /** Scrum projects carry sprints. */
  readonly scrum: boolean
}

/** Five projects; OPS is the one the restricted user cannot browse. Names are deliberately awkward. */
export const PROJECTS: ReadonlyArray<ProjectDef> = [
  { id: "10000", key: "ALPHA", name: "Alpha Platform", scrum: true },
  { id: "10001", key: "BETA", name: "Beta Mobile 📱", scrum: true },
  { id: "10002", key: "GAMMA", name: 'Γάμμα Research, "Lab"', scrum: false },
  { id: "10003", key: "DELTA", name: "Delta; Legacy", scrum: false },
  { id: "10004", key: "OPS", name: "Operations (restricted)", scrum: false },
]
export const RESTRICTED_PROJECT = "OPS"

/** Which project each index of a block of ten belongs to (uneven on purpose). */
export const PROJECT_BLOCK: ReadonlyArray<number> = [0, 1, 0, 2, 3, 0, 4, 1, 2, 0]

export type CategoryKey = "new" | "indeterminate" | "done"
export interface StatusDef {
  readonly id: string
  readonly name: string
  readonly description: string
  readonly category: CategoryKey
}
export const STATUS_CATEGORIES: Record<CategoryKey, { id: number; name: string; colorName: string }> = {
  new: { id: 2, name: "To Do", colorName: "blue-gray" },
  indeterminate: { id: 4, name: "In Progress", colorName: "yellow" },
  done: { id: 3, name: "Done", colorName: "green" },
}
/**
 * A status that has left every workflow: `/status` no longer lists it (it lists only statuses of
 * active workflows), but issues created while it was the first status still name it in their history.
 */
export const RETIRED_STATUS: StatusDef = {
  id: "10099",
  name: "Awaiting Triage",
  description: "The old first status, before the workflow changed.",
  category: "new",
}

/**
 * A status deleted from the site after issues went through it: histories still name it (id and name),
 * but no endpoint lists it any more, not even `/statuses/search`.
 */
export const DELETED_STATUS: StatusDef = {
  id: "10098",
  name: "Needs Info",
  description: "Waiting for the reporter; deleted when the workflow was simplified.",
  category: "indeterminate",
}

export const STATUSES: ReadonlyArray<StatusDef> = [
  { id: "10000", name: "To Do", description: "Work that has not been started.", category: "new" },
  {
    id: "3",
    name: "In Progress",
    description: "This issue is being actively worked on.",
    category: "indeterminate",
  },
  { id: "10001", name: "In Review", description: "Waiting for a reviewer.", category: "indeterminate" },
  { id: "10002", name: "Blocked", description: "Cannot proceed.", category: "indeterminate" },
  { id: "10003", name: "Done", description: "Work has been completed.", category: "done" },
  { id: "10004", name: "Won't Do", description: "Closed without doing it.", category: "done" },
]

/** Highest first; JQL `priority > Low` and ORDER BY use this order. */
export const PRIORITIES: ReadonlyArray<{ readonly id: string; readonly name: string }> = [
  { id: "1", name: "Highest" },
  { id: "2", name: "High" },
  { id: "3", name: "Medium" },
  { id: "4", name: "Low" },
  { id: "5", name: "Lowest" },
]

export interface IssueTypeDef {
  readonly id: string
  readonly name: string
  readonly description: string
  readonly subtask: boolean
  readonly hierarchyLevel: number
  readonly avatarId: number
}
export const ISSUE_TYPES = {
  epic: {
    id: "10000",
    name: "Epic",
    description: "A big user story.",
    subtask: false,
    hierarchyLevel: 1,
    avatarId: 10307,
  },
  story: {
    id: "10001",
    name: "Story",
    description: "Functionality.",
    subtask: false,
    hierarchyLevel: 0,
    avatarId: 10315,
  },
  task: {
    id: "10002",
    name: "Task",
    description: "A small piece of work.",
    subtask: false,
    hierarchyLevel: 0,
    avatarId: 10318,
  },
  bug: {
    id: "10003",
    name: "Bug",
    description: "A problem.",
    subtask: false,
    hierarchyLevel: 0,
    avatarId: 10303,
  },
  subtask: {
    id: "10004",
    name: "Sub-task",
    description: "Part of a task.",
    subtask: true,
    hierarchyLevel: -1,
    avatarId: 10316,
  },
} satisfies Record<string, IssueTypeDef>
export const ISSUE_TYPE_LIST: ReadonlyArray<IssueTypeDef> = Object.values(ISSUE_TYPES)

export const RESOLUTIONS: ReadonlyArray<{
  readonly id: string
  readonly name: string
  readonly description: string
}> = [
  { id: "10000", name: "Done", description: "Work has been completed on this issue." },
  { id: "10001", name: "Won't Do", description: "This issue won't be actioned." },
  { id: "10002", name: "Duplicate", description: "The problem is a duplicate of an existing issue." },
  { id: "10003", name: "Cannot Reproduce", description: "All attempts at reproducing this issue failed." },
]

export const COMPONENTS: ReadonlyArray<{
  readonly id: string
  readonly name: string
  readonly description?: string
}> = [
  { id: "10100", name: "Backend", description: "Services and APIs" },
  { id: "10101", name: "Frontend" },
  { id: "10102", name: "Billing, Invoices", description: "Comma in the name" },
  { id: "10103", name: "=Formula", description: "Leading equals sign" },
  { id: "10104", name: 'Infra "Core"' },
]

export const VERSIONS: ReadonlyArray<{
  readonly id: string
  readonly name: string
  readonly released: boolean
  readonly archived: boolean
  readonly releaseDate?: string
  readonly description?: string
}> = [
  { id: "10200", name: "1.0", released: true, archived: true, releaseDate: "2024-03-01" },
  {
    id: "10201",
    name: "1.1",
    released: true,
    archived: false,
    releaseDate: "2024-09-15",
    description: "Patch",
  },
  { id: "10202", name: "2.0", released: true, archived: false, releaseDate: "2025-06-30" },
  { id: "10203", name: '2.1 "Orion"', released: false, archived: false, releaseDate: "2026-12-01" },
  { id: "10204", name: "3.0-beta, next", released: false, archived: false },
]

export interface SprintDef {
  readonly id: number
  readonly name: string
  readonly state: "closed" | "active" | "future"
  readonly boardId: number
  readonly goal: string
  readonly startDate?: string
  readonly endDate?: string
  readonly completeDate?: string
}
/** Six sprints per scrum project: four closed, one active, one future. */
export const SPRINTS: ReadonlyArray<SprintDef> = PROJECTS.filter((p) => p.scrum).flatMap((p, board) =>
  [0, 1, 2, 3, 4, 5].map((k): SprintDef => {
    const id = 1 + board * 6 + k
    const start = Date.UTC(2026, 5, 1 + k * 14)
    const iso = (ms: number) => new Date(ms).toISOString()
    const base = {
      id,
      name: `${p.key} Sprint ${k + 1}`,
      boardId: board + 1,
      goal: k === 2 ? "" : `Goal ${k + 1}, "ship it"`,
    }
    if (k < 4)
      return {
        ...base,
        state: "closed",
        startDate: iso(start),
        endDate: iso(start + 14 * 86_400_000),
        completeDate: iso(start + 14 * 86_400_000 + 3_600_000),
      }
    if (k === 4)
      return { ...base, state: "active", startDate: iso(start), endDate: iso(start + 14 * 86_400_000) }
    return { ...base, state: "future" }
  }),
)

export const TEAMS: ReadonlyArray<{ readonly id: string; readonly name: string }> = [
  { id: "36885b3c-1bf0-4f85-a357-c5b858c31de4", name: "Platform Team" },
  { id: "9c1b2d6e-5f3a-4e8b-b1a2-7d4c3e2f1a0b", name: "Équipe Mobile" },
  { id: "e2f0c3a1-8b7d-4c6e-9f5a-1b2c3d4e5f60", name: '=Team, "Ops"' },
]

export const GROUPS: ReadonlyArray<{ readonly groupId: string; readonly name: string }> = [
  { groupId: "276f955c-63d7-42c8-9520-92d01dca0625", name: "jira-software-users" },
  { groupId: "6e87dc72-4f1f-421f-9382-2fee8b652487", name: "site-admins" },
  { groupId: "a1b2c3d4-0000-4000-8000-000000000001", name: "support, tier 2" },
  { groupId: "a1b2c3d4-0000-4000-8000-000000000002", name: "@oncall" },
]

/** Select options per custom field kind. Option ids are globally unique, as in Jira. */
export const OPTIONS = {
  categoryA: [
    { id: "10300", value: "Hardware" },
    { id: "10301", value: "Software" },
    { id: "10302", value: "=Services" },
  ],
  categoryB: [
    { id: "10310", value: "Internal" },
    { id: "10311", value: "External, partner" },
    { id: "10312", value: "Software" },
  ],
  platforms: [
    { id: "10320", value: "iOS" },
    { id: "10321", value: "Android" },
    { id: "10322", value: "Web" },
    { id: "10323", value: 'Desktop "classic"' },
  ],
  location: [
    {
      id: "10330",
      value: "Europe",
      children: [
        { id: "10331", value: "Berlin" },
        { id: "10332", value: "Zürich" },
      ],
    },
    {
      id: "10333",
      value: "Asia",
      children: [
        { id: "10334", value: "Kolkata" },
        { id: "10335", value: "東京" },
      ],
    },
  ],
  flagged: [{ id: "10340", value: "Impediment" }],
  severity: [
    { id: "10350", value: "S1 - Critical" },
    { id: "10351", value: "S2 - Major" },
    { id: "10352", value: "S3 - Minor" },
  ],
} as const
