/**
 * An issue's cheap "core": where it sits (project, number, place in the epic/story/sub-task cycle) and
 * what every other field derives from (status, people, dates, summary, labels). It is a pure function
 * of (seed, index), so the JQL engine can index a large data set without building whole issues.
 */
import {
  ISSUE_TYPES,
  type IssueTypeDef,
  PROJECT_BLOCK,
  PROJECTS,
  type ProjectDef,
  STATUSES,
  type StatusDef,
} from "./catalogue.js"
import { Rng } from "./prng.js"
import { HOSTILE_TEXTS, summaryText } from "./text.js"

export const FIRST_ISSUE_ID = 10_000
export const DAY = 86_400_000
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
export const CYCLE: ReadonlyArray<{
  type: IssueTypeDef
  parentOffset: number
  children: ReadonlyArray<number>
}> = [
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

/** What a core needs of the site: the seed, the time line and who may be picked. */
export interface CoreSource {
  readonly seed: number
  readonly start: number
  readonly spacing: number
  /** Indices into the user list of the people an issue may be assigned to. */
  readonly assignable: ReadonlyArray<number>
  readonly userCount: number
}

/** Spacing between issues and the first creation time, so `count` issues end just before END. */
export const timeline = (count: number): { readonly spacing: number; readonly start: number } => {
  const spacing = Math.min(DAY, Math.max(420_000, Math.floor(HISTORY / Math.max(1, count))))
  // Two spacings more than the issues take: a creation time's jitter (up to three spacings) then
  // still ends by END.
  return { spacing, start: END - (count + 2) * spacing }
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

export const makeCore = (source: CoreSource, index: number): Core => {
  const { seed, start, spacing, userCount } = source
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
  const assignee = rng.chance(0.15) ? -1 : rng.pick(source.assignable)
  const reporter = rng.int(userCount)
  const creator = rng.chance(0.8) ? reporter : rng.int(userCount)
  // Created times drift forward with the index but jitter, so `ORDER BY created` differs from id order.
  const created = start + index * spacing + rng.int(spacing * 3)
  // Nothing happens after the data set's present (END): real Jira has no changes dated in the future.
  const updated = Math.min(created + rng.int(90 * DAY), Math.max(created, END))
  const resolved = done ? created + rng.int(updated - created + 1) : null
  const statusChanged = resolved ?? created + rng.int(updated - created + 1)
  const offset = OFFSETS[rng.int(OFFSETS.length)] ?? 0
  const due = rng.chance(0.45) ? null : Math.floor(created / DAY) * DAY + rng.int(120) * DAY
  const summary =
    index % 23 === 7 ? (HOSTILE_TEXTS[Math.floor(index / 23) % HOSTILE_TEXTS.length] ?? "") : summaryText(rng)
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
