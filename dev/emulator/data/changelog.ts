/**
 * Issue histories (docs/jira-cloud.md §10), generated on demand from (seed, issue position) and the
 * issue's current fields, so that they agree with the issue: the status walks the workflow from the
 * status issues are created in to the current one, the last change of status category happens at
 * `statuscategorychangedate` (for a resolved issue, the move into done at `resolutiondate`), and
 * assignee, priority, labels, sprint and custom-field changes end at the current values. Every entry
 * lies between `created` and `updated`. Authors include app accounts and deleted ("Former user") ones;
 * about one issue in 2,000 has thousands of entries, as when an automation rule misfires.
 */
import type { ChangeHistory, ChangeItem, IssueChangelog, IssueRecord, UserRecord } from "../model.js"
import { DELETED_STATUS, RETIRED_STATUS, type StatusDef } from "./catalogue.js"
import {
  assigneePool,
  changeItem,
  type FieldRef,
  history,
  NONE,
  POOLS,
  parseDateTime,
  REFS,
  resolutionFor,
  type Shown,
  same,
  shownCheckboxes,
  shownLabels,
  shownNumber,
  shownOption,
  shownSprints,
  shownUser,
  sprintsOf,
} from "./changeValues.js"
import { CUSTOM } from "./fields.js"
import { Rng } from "./prng.js"

const isJson = (u: unknown): u is Readonly<Record<string, unknown>> =>
  typeof u === "object" && u !== null && !Array.isArray(u)

import { formatDateTime } from "./text.js"
import { predecessors, randomWalk, shortestPath, statusOf, type Workflow } from "./workflow.js"

/** The fields a history is derived from; nothing else of the issue needs generating. */
export const CHANGELOG_FIELD_IDS: ReadonlyArray<string> = [
  "status",
  "resolution",
  "resolutiondate",
  "statuscategorychangedate",
  "created",
  "updated",
  "assignee",
  "priority",
  "labels",
  CUSTOM.sprint,
  CUSTOM.storyPoints,
  CUSTOM.categoryA,
  CUSTOM.categoryB,
  CUSTOM.flagged,
  "parent",
  "worklog",
  "timespent",
]

/** About one issue in 2,000; position 777 puts one in every data set of 1,000 issues or more. */
export const isBusy = (index: number): boolean => index % 2000 === 777

/** Entry ids are `issue id × ID_STRIDE + n`: unique on the site and ascending within an issue. */
const ID_STRIDE = 8192
const SALT = 0xc4a1

interface Step {
  readonly from: StatusDef
  readonly to: StatusDef
  readonly at: number
  /** The last change of status category: it happens at the date the issue records for it. */
  readonly pivot: boolean
}

interface Event {
  readonly at: number
  readonly items: ReadonlyArray<ChangeItem>
  /** Whether an automation rule (an app account) is the likely author. */
  readonly bot: boolean
}

/** `n` instants in [lo, hi], ascending. */
const instants = (rng: Rng, n: number, lo: number, hi: number): Array<number> => {
  const out: Array<number> = []
  for (let k = 0; k < n; k++) out.push(lo + rng.int(Math.max(0, hi - lo) + 1))
  return out.sort((a, b) => a - b)
}

const clamp = (v: number, lo: number, hi: number): number => Math.min(hi, Math.max(lo, v))

export interface ChangelogContext {
  readonly seed: number
  readonly users: ReadonlyArray<UserRecord>
  readonly workflow: Workflow
}

export class ChangelogGenerator {
  private readonly authors: ReadonlyArray<Readonly<Record<string, unknown>>>
  private readonly apps: ReadonlyArray<number>
  private readonly assignees: ReadonlyArray<Shown>

  constructor(private readonly ctx: ChangelogContext) {
    // Authors are `UserDetails`, which has no `locale` (unlike `User`).
    this.authors = ctx.users.map((u) => {
      const { locale: _locale, ...details } = u.json
      return details
    })
    this.apps = ctx.users.flatMap((u, i) => (u.json.accountType === "app" ? [i] : []))
    this.assignees = assigneePool(ctx.users)
  }

  /** The history of `issue` (with at least CHANGELOG_FIELD_IDS), the issue at position `index`. */
  of(issue: IssueRecord, index: number): IssueChangelog {
    const rng = Rng.of(this.ctx.seed, index, SALT)
    const f = issue.fields
    const created = parseDateTime(f.created)
    const createdMs = created?.ms ?? 0
    const updatedMs = Math.max(createdMs, parseDateTime(f.updated)?.ms ?? createdMs)
    const busy = isBusy(index)
    const events: Array<Event> = []
    const field = (ref: FieldRef, values: ReadonlyArray<Shown>, bot: boolean) => {
      const times = instants(rng, values.length - 1, createdMs, updatedMs)
      for (let k = 1; k < values.length; k++)
        events.push({
          at: times[k - 1] ?? createdMs,
          items: [changeItem(ref, values[k - 1]!, values[k]!)],
          bot,
        })
    }
    const count = (quiet: number, lo: number, hi: number) => (busy ? rng.range(lo, hi) : quiet)

    this.statusEvents(rng, issue, createdMs, updatedMs, count(rng.int(3), 300, 800), events)
    field(
      REFS.assignee,
      history(rng, shownUser(f.assignee), count(rng.int(3), 20, 60), this.assignees),
      false,
    )
    // An issue without a priority never had one (the field is not on its screens).
    if (f.priority !== null && f.priority !== undefined)
      field(
        REFS.priority,
        history(rng, shownOption(f.priority), count(rng.chance(0.3) ? 1 : 0, 5, 15), POOLS.priority),
        false,
      )
    field(
      REFS.labels,
      history(rng, shownLabels(f.labels), count(rng.chance(0.25) ? 1 : 0, 100, 300), POOLS.labels),
      busy,
    )
    // Issues carried over from sprint to sprint collect them; the board records each addition.
    const sprints = [...sprintsOf(f[CUSTOM.sprint])].sort((a, b) => Number(a.id) - Number(b.id))
    field(
      REFS.sprint,
      sprints.map((_, k) => shownSprints(sprints.slice(0, k))).concat(shownSprints(sprints)),
      false,
    )
    const points = shownNumber(f[CUSTOM.storyPoints])
    if (!same(points, NONE))
      field(REFS.storyPoints, history(rng, points, rng.int(3), POOLS.storyPoints), false)
    field(
      REFS.categoryA,
      history(rng, shownOption(f[CUSTOM.categoryA]), rng.chance(0.15) ? 1 : 0, POOLS.categoryA),
      false,
    )
    field(
      REFS.categoryB,
      history(rng, shownOption(f[CUSTOM.categoryB]), rng.chance(0.15) ? 1 : 0, POOLS.categoryB),
      false,
    )
    const flagged = shownCheckboxes(f[CUSTOM.flagged])
    field(
      REFS.flagged,
      history(rng, flagged, count(rng.chance(0.1) ? rng.range(1, 3) : 0, 200, 600), POOLS.flagged),
      busy,
    )
    // Rank changes carry no value ("Ranked higher"), so they never contradict the issue.
    for (const at of instants(
      rng,
      count(rng.chance(0.4) ? rng.range(1, 3) : 0, 1000, 2500),
      createdMs,
      updatedMs,
    )) {
      const moved: Shown = { raw: "", text: rng.chance(0.5) ? "Ranked higher" : "Ranked lower" }
      events.push({ at, items: [changeItem(REFS.rank, { raw: "", text: "" }, moved)], bot: busy })
    }

    // From a stream of their own, so the entries above stay as they were.
    this.parentAndWorkEvents(Rng.of(this.ctx.seed, index, SALT + 1), issue, createdMs, updatedMs, events)
    this.retiredStart(Rng.of(this.ctx.seed, index, SALT + 2), createdMs, updatedMs, events)

    if (events.length >= ID_STRIDE) throw new Error(`Issue ${issue.key} has more history than ids allow.`)
    // Stable: changes of one field keep their order when they happen at the same instant.
    events.sort((a, b) => a.at - b.at)
    const offset = created?.offset ?? 0
    const histories: Array<ChangeHistory> = events.map((e, k) => ({
      id: String(issue.numericId * ID_STRIDE + k),
      author: this.authors[this.author(rng, e.bot)] ?? {},
      created: formatDateTime(e.at, offset),
      items: e.items,
    }))
    return {
      issueId: issue.id,
      numericId: issue.numericId,
      projectKey: issue.projectKey,
      histories,
      at: events.map((e) => e.at),
    }
  }

  /**
   * Entries real histories hold besides field changes: a parent set after creation is logged as
   * `IssueParentAssociation` (with no `fieldId`) beside a `Parent` item; each worklog adds a
   * `timespent` change (seconds, running total, ending at the issue's time spent) and a `WorklogId`
   * item without a `fieldId` either. Only for issues whose worklogs the issue lists in full.
   */
  private parentAndWorkEvents(
    rng: Rng,
    issue: IssueRecord,
    createdMs: number,
    updatedMs: number,
    events: Array<Event>,
  ): void {
    const f = issue.fields
    const parent = f.parent
    if (isJson(parent) && typeof parent.key === "string" && rng.chance(0.5)) {
      const to: Shown = { raw: String(parent.id), text: parent.key }
      events.push({
        at: instants(rng, 1, createdMs, updatedMs)[0] ?? createdMs,
        items: [
          {
            field: "IssueParentAssociation",
            fieldtype: "jira",
            from: null,
            fromString: null,
            to: to.raw,
            toString: to.text,
          },
          changeItem(REFS.parent, NONE, to),
        ],
        bot: false,
      })
    }
    const page = f.worklog
    const worklogs = isJson(page) && Array.isArray(page.worklogs) ? page.worklogs.filter(isJson) : []
    if (!isJson(page) || page.total !== worklogs.length || worklogs.length === 0) return
    let spent = 0
    for (const w of worklogs) {
      const seconds = typeof w.timeSpentSeconds === "number" ? w.timeSpentSeconds : 0
      const at = clamp(parseDateTime(w.created)?.ms ?? createdMs, createdMs, updatedMs)
      const before = spent
      spent += seconds
      events.push({
        at,
        items: [
          changeItem(REFS.timespent, before === 0 ? NONE : { raw: String(before), text: String(before) }, {
            raw: String(spent),
            text: String(spent),
          }),
          {
            field: "WorklogId",
            fieldtype: "jira",
            from: null,
            fromString: null,
            to: String(w.id),
            toString: String(w.id),
          },
        ],
        bot: false,
      })
    }
  }

  /**
   * About one issue in ten was created in a status that has since left every workflow: its history
   * starts with a move from that status to the workflow's first one, before any other status change.
   * For about a quarter of them that status was deleted from the site since (no endpoint lists it).
   */
  private retiredStart(rng: Rng, createdMs: number, updatedMs: number, events: Array<Event>): void {
    if (!rng.chance(0.1)) return
    const statusTimes = events.filter((e) => e.items.some((i) => i.fieldId === "status")).map((e) => e.at)
    const first = statusTimes.length === 0 ? updatedMs : Math.min(...statusTimes)
    // Strictly before the first status change, so the history reads in order; none when there is no room.
    if (first - createdMs < 2) return
    const at = createdMs + 1 + rng.int(first - createdMs - 1)
    const initial = this.ctx.workflow.initial
    // Chosen from the instant already drawn, so the other issues' histories stay as they were.
    const gone = at % 4 === 0 ? DELETED_STATUS : RETIRED_STATUS
    events.push({
      at,
      items: [
        changeItem(REFS.status, { raw: gone.id, text: gone.name }, { raw: initial.id, text: initial.name }),
      ],
      bot: false,
    })
  }

  /** Anyone on the site may have made a change, inactive and deleted people too; automation often does. */
  private author(rng: Rng, bot: boolean): number {
    const app = this.apps.length > 0 && rng.chance(bot ? 0.85 : 0.07)
    return app ? rng.pick(this.apps) : rng.int(this.ctx.users.length)
  }

  private statusEvents(
    rng: Rng,
    issue: IssueRecord,
    created: number,
    updated: number,
    detours: number,
    events: Array<Event>,
  ): void {
    const f = issue.fields
    const current = statusOf(this.ctx.workflow, shownOption(f.status).raw ?? "")
    // A status outside the workflow has no path to replay: such an issue shows no status changes.
    if (current === undefined) return
    const resolved = parseDateTime(f.resolutiondate)
    const pivot = clamp(
      current.category === "done" && resolved !== undefined
        ? resolved.ms
        : (parseDateTime(f.statuscategorychangedate)?.ms ?? created),
      created,
      updated,
    )
    const finalResolution = shownOption(f.resolution)
    let resolution: Shown = NONE
    for (const step of this.statusSteps(rng, current, created, updated, pivot, detours)) {
      const items: Array<ChangeItem> = []
      const intoDone = step.to.category === "done" && step.from.category !== "done"
      const outOfDone = step.from.category === "done" && step.to.category !== "done"
      const next = intoDone
        ? step.pivot
          ? finalResolution
          : resolutionFor(rng, step.to.name)
        : outOfDone
          ? NONE
          : resolution
      // Jira lists the resolution before the status in the entry of a transition that sets or clears it.
      if (!same(next, resolution)) items.push(changeItem(REFS.resolution, resolution, next))
      resolution = next
      items.push(
        changeItem(
          REFS.status,
          { raw: step.from.id, text: step.from.name },
          { raw: step.to.id, text: step.to.name },
        ),
      )
      events.push({ at: step.at, items, bot: false })
    }
  }

  /**
   * Transitions from the initial status to `current`: a random wander, a shortest way to a status of
   * another category, the category change at `pivot`, then moves within the category up to `current`.
   */
  private statusSteps(
    rng: Rng,
    current: StatusDef,
    created: number,
    updated: number,
    pivot: number,
    detours: number,
  ): ReadonlyArray<Step> {
    const wf = this.ctx.workflow
    const inCategory = (s: StatusDef) => s.category === current.category
    const steps: Array<Step> = []
    const walk = (from: StatusDef, path: ReadonlyArray<StatusDef>, times: ReadonlyArray<number>) => {
      let at = from
      path.forEach((to, k) => {
        steps.push({ from: at, to, at: times[k] ?? pivot, pivot: false })
        at = to
      })
    }
    if (current.category === wf.initial.category && pivot <= created) {
      // Never left the category it was created in.
      const path = shortestPath(wf, wf.initial, current, inCategory) ?? []
      walk(wf.initial, path, instants(rng, path.length, created, updated))
      return steps
    }
    const entries = wf.statuses.filter(
      (s) =>
        inCategory(s) &&
        predecessors(wf, s).some((p) => !inCategory(p)) &&
        shortestPath(wf, s, current, inCategory) !== undefined,
    )
    if (entries.length === 0) return steps
    const entry = rng.pick(entries)
    const before = rng.pick(predecessors(wf, entry).filter((p) => !inCategory(p)))
    const wander = randomWalk(wf, rng, wf.initial, detours)
    const last = wander[wander.length - 1] ?? wf.initial
    const prefix = [...wander, ...(shortestPath(wf, last, before) ?? [before])]
    walk(wf.initial, prefix, instants(rng, prefix.length, created, pivot))
    steps.push({ from: before, to: entry, at: pivot, pivot: true })
    const suffix = shortestPath(wf, entry, current, inCategory) ?? []
    walk(entry, suffix, instants(rng, suffix.length, pivot, updated))
    return steps
  }
}
