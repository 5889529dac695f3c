/**
 * The workflow every project of the generated site uses: which status an issue is created in and which
 * transitions lead from one status to another. Changelogs walk it, so a status history only ever takes
 * transitions a Jira user could have taken. Categories come from the statuses themselves, as Jira
 * serves them on `GET /rest/api/3/status` (docs/jira-cloud.md §10), never from status names.
 */
import { STATUS_CATEGORIES, STATUSES, type StatusDef } from "./catalogue.js"
import type { Rng } from "./prng.js"

export interface Workflow {
  /** The status a new issue starts in. */
  readonly initial: StatusDef
  readonly statuses: ReadonlyArray<StatusDef>
  /** Status id to the ids its transitions lead to. */
  readonly transitions: ReadonlyMap<string, ReadonlyArray<string>>
}

const byName = (name: string): StatusDef => {
  const status = STATUSES.find((s) => s.name === name)
  if (status === undefined) throw new Error(`The catalogue has no status ${name}.`)
  return status
}

/** A company-managed software workflow: work can be reopened, blocked work can be dropped. */
const EDGES: ReadonlyArray<readonly [string, ReadonlyArray<string>]> = [
  ["To Do", ["In Progress", "Won't Do"]],
  ["In Progress", ["In Review", "Blocked", "To Do"]],
  ["In Review", ["Done", "In Progress"]],
  ["Blocked", ["In Progress", "Won't Do"]],
  ["Done", ["In Progress"]],
  ["Won't Do", ["To Do"]],
]

export const WORKFLOW: Workflow = {
  initial: byName("To Do"),
  statuses: STATUSES,
  transitions: new Map(EDGES.map(([from, to]) => [byName(from).id, to.map((name) => byName(name).id)])),
}

export const statusOf = (workflow: Workflow, id: string): StatusDef | undefined =>
  workflow.statuses.find((s) => s.id === id)

/** Statuses with a transition into `to`. */
export const predecessors = (workflow: Workflow, to: StatusDef): ReadonlyArray<StatusDef> =>
  workflow.statuses.filter((s) => (workflow.transitions.get(s.id) ?? []).includes(to.id))

/**
 * The statuses after `from` up to and including `to` on a shortest path that stays within `allowed`
 * (breadth-first); empty when `from` is `to`, undefined when `to` cannot be reached.
 */
export const shortestPath = (
  workflow: Workflow,
  from: StatusDef,
  to: StatusDef,
  allowed: (status: StatusDef) => boolean = () => true,
): ReadonlyArray<StatusDef> | undefined => {
  const cameFrom = new Map<string, string>([[from.id, from.id]])
  const queue: Array<string> = [from.id]
  for (let head = 0; head < queue.length && !cameFrom.has(to.id); head++) {
    const at = queue[head] ?? ""
    for (const next of workflow.transitions.get(at) ?? []) {
      const status = statusOf(workflow, next)
      if (cameFrom.has(next) || status === undefined || !allowed(status)) continue
      cameFrom.set(next, at)
      queue.push(next)
    }
  }
  if (!cameFrom.has(to.id)) return undefined
  const path: Array<StatusDef> = []
  for (let id = to.id; id !== from.id; id = cameFrom.get(id) ?? from.id) {
    const status = statusOf(workflow, id)
    if (status !== undefined) path.unshift(status)
  }
  return path
}

/** `steps` transitions picked at random from `from` (fewer if a status had no way out). */
export const randomWalk = (
  workflow: Workflow,
  rng: Rng,
  from: StatusDef,
  steps: number,
): ReadonlyArray<StatusDef> => {
  const path: Array<StatusDef> = []
  let at = from
  for (let k = 0; k < steps; k++) {
    const next = statusOf(workflow, rng.pick(workflow.transitions.get(at.id) ?? [at.id]))
    if (next === undefined || next.id === at.id) break
    path.push(next)
    at = next
  }
  return path
}

/** `/statuses/search`'s names of the categories (`JiraStatus.statusCategory`). */
const SEARCH_CATEGORY: Readonly<Record<StatusDef["category"], string>> = {
  new: "TODO",
  indeterminate: "IN_PROGRESS",
  done: "DONE",
}

/**
 * `GET /rest/api/3/statuses/search` values (REST `JiraStatus`): every status of the site, the
 * workflow's and those that left it; company-managed statuses, so their scope is `GLOBAL`.
 */
export const siteStatuses = (
  statuses: ReadonlyArray<StatusDef>,
): ReadonlyArray<Readonly<Record<string, unknown>>> =>
  statuses.map((s) => ({
    id: s.id,
    name: s.name,
    description: s.description,
    statusCategory: SEARCH_CATEGORY[s.category],
    scope: { type: "GLOBAL" },
  }))

/** `GET /rest/api/3/status` (REST `StatusDetails`): the same JSON an issue's `status` field carries. */
export const statusDetails = (
  workflow: Workflow,
  baseUrl: string,
): ReadonlyArray<Readonly<Record<string, unknown>>> =>
  workflow.statuses.map((s) => {
    const category = STATUS_CATEGORIES[s.category]
    return {
      self: `${baseUrl}/rest/api/3/status/${s.id}`,
      description: s.description,
      iconUrl: `${baseUrl}/images/icons/statuses/generic.png`,
      name: s.name,
      id: s.id,
      statusCategory: {
        self: `${baseUrl}/rest/api/3/statuscategory/${category.id}`,
        id: category.id,
        key: s.category,
        colorName: category.colorName,
        name: category.name,
      },
    }
  })
