/**
 * Planning a parallel thrifty export: cheap probes size the parts (docs/jira-cloud.md §13). A probe
 * is a one-issue search (2 points: the request and the issue) for the first or last value of the
 * order, or an approximate count (1 point). The parts are ranges of equal width over what the probes
 * found; a part whose count says it is large is cut again, so no part holds much more than the target
 * (its pages are held in memory while the parts before it are written).
 */
import { Effect, Option, Stream } from "effect"
import type { JiraError } from "../../jira/JiraError.js"
import { MAX_PARTS } from "../cursor.js"
import type { ExportIssue } from "../ports.js"
import type { ExportContext } from "../types.js"
import type { Direction, OrderPlan, SplitQuery } from "./order.js"
import {
  type Axis,
  axisOf,
  evenCuts,
  keyAxis,
  type PartPosition,
  partJql,
  quoted,
  rangeConditions,
} from "./ranges.js"

/**
 * The parts of an export, as they are planned. `parts` gives them in the query's order; while it is
 * still planning, `planned()` holds those given so far and `unplanned()` one part that stands for
 * everything after them (read as one chain should a cursor resume there), so the position after any
 * unit is whole at every moment.
 */
export interface PartsPlan {
  /** `concat`: the parts follow one another in the query's order; `merge`: their issues interleave. */
  readonly mode: "concat" | "merge"
  readonly parts: Stream.Stream<PartPosition, JiraError>
  readonly planned: () => ReadonlyArray<PartPosition>
  readonly unplanned: () => PartPosition | null
}

/** A plan whose parts are all known. */
export const knownParts = (mode: PartsPlan["mode"], parts: ReadonlyArray<PartPosition>): PartsPlan => ({
  mode,
  parts: Stream.fromIterable(parts),
  planned: () => parts,
  unplanned: () => null,
})

/** Most issues a part of a `concat` plan is meant to hold: parts read ahead are held in memory. */
export const MAX_PART_ISSUES = 1000

/** Projects found one by one for a `key` order; the rest are one last part, read in one chain. */
export const MAX_KEY_PROJECTS = 30

/** Issues per part: enough parts to keep every request slot busy, none larger than the maximum. */
export const targetPartSize = (total: number, slots: number, pageSize: number): number =>
  Math.max(
    2 * pageSize,
    Math.min(MAX_PART_ISSUES, Math.ceil(total / (2 * slots))),
    // Every part's position travels in the cursor: far fewer parts than it may hold.
    Math.ceil(total / (MAX_PARTS / 4)),
  )

const flip = (d: Direction): Direction => (d === "asc" ? "desc" : "asc")

export const planParts = (
  ctx: ExportContext,
  query: SplitQuery,
  order: Exclude<OrderPlan, { readonly _tag: "sequential" }>,
): Effect.Effect<PartsPlan | null, JiraError> =>
  Effect.gen(function* () {
    const slots = ctx.settings.requestConcurrency
    const pageSize = ctx.settings.searchPageSize
    /** The first issue of `where` (within the query) in `direction` of `clause`, reading `fields`. */
    const edge = (where: string, clause: string, direction: Direction, fields: ReadonlyArray<string>) =>
      ctx
        .call(
          ctx.jira.searchPage({
            jql: partJql(
              { where: query.where, orderBy: `ORDER BY ${clause} ${direction.toUpperCase()}` },
              where,
            ),
            fields: [...fields],
            maxResults: 1,
          }),
        )
        .pipe(Effect.map((page): ExportIssue | undefined => page.issues[0]))
    /** The first project (and its first number) in the order, among the projects not in `found`. */
    const nextProject = (found: ReadonlyArray<string>) =>
      edge(notIn(found), "key", order.direction, ["key"]).pipe(
        Effect.map((head) => (head?.key === undefined ? undefined : splitKey(head.key))),
      )
    const count = (where: string) =>
      ctx.call(ctx.jira.approximateCount(partJql({ where: query.where, orderBy: "" }, where)))
    // The query's size, and the ends of the range field (for a key order, its first project), at once.
    const axis = order._tag === "merge" ? "id" : order.field
    const ends =
      axis === "key"
        ? Effect.succeed(undefined)
        : Effect.all([edge("", axis, "asc", [axis]), edge("", axis, "desc", [axis])], { concurrency: 2 })
    const [total, first, edges] = yield* Effect.all(
      [count(""), axis === "key" ? nextProject([]) : Effect.succeed(undefined), ends],
      { concurrency: 4 },
    )
    if (total <= 2 * pageSize) return null
    const target = targetPartSize(total, slots, pageSize)

    /** Ranges over `lo..hi` of about `target` issues each by width, large ones cut again by their counts. */
    const sized = (axis: Axis, lo: number, hi: number, size: number, direction: Direction) =>
      Effect.gen(function* () {
        const first = evenCuts(lo, hi, Math.ceil(size / target))
        const bounds = [lo, ...first, hi + 1]
        const counts =
          first.length === 0
            ? [size]
            : yield* Effect.forEach(rangeConditions(axis, first, "asc"), count, { concurrency: slots })
        const cuts: Array<number> = []
        const sizes: Array<number> = []
        counts.forEach((n, i) => {
          const from = bounds[i] ?? 0
          if (i > 0) cuts.push(from)
          const inner =
            n > 1.5 * target ? evenCuts(from, (bounds[i + 1] ?? 0) - 1, Math.ceil(n / target)) : []
          cuts.push(...inner)
          for (let k = 0; k <= inner.length; k++) sizes.push(Math.ceil(n / (inner.length + 1)))
        })
        const parts = rangeConditions(axis, cuts, "asc").map(
          (where, i): PartPosition => ({ where, token: null, size: sizes[i] ?? 0 }),
        )
        return direction === "asc" ? parts : parts.reverse()
      })

    if (order._tag === "merge") {
      const [low, high] = edges ?? []
      if (low === undefined || high === undefined) return null
      // Every part's current page is read again by the next call, so calls under a budget merge fewer.
      const cuts = evenCuts(Number(low.id), Number(high.id), ctx.gate.budgeted ? slots : 2 * slots)
      return knownParts("merge", rangeConditions(axisOf("id"), cuts, "asc").map(fresh))
    }
    const { field, direction } = order
    if (field !== "key") {
      const [low, high] = edges ?? []
      const lo = low === undefined ? undefined : probeValue(low, field)
      const hi = high === undefined ? undefined : probeValue(high, field)
      if (lo === undefined || hi === undefined || hi < lo) return null
      return knownParts("concat", yield* sized(axisOf(field), lo, hi, total, direction))
    }
    // `key`: projects in key order, found one at a time, each cut by issue number; its parts are read
    // while the next projects are looked for.
    if (first === undefined) return null
    const planned: Array<PartPosition> = []
    const done: Array<string> = []
    let complete = false
    const sizeProject = ({ project, number }: Project) =>
      Effect.gen(function* () {
        const within = `project = ${quoted(project)}`
        const [size, other] = yield* Effect.all(
          [count(within), edge(within, "key", flip(direction), ["key"])],
          {
            concurrency: 2,
          },
        )
        const end = other?.key === undefined ? undefined : splitKey(other.key)
        const whole: ReadonlyArray<PartPosition> = [{ where: within, token: null, size }]
        const parts: ReadonlyArray<PartPosition> =
          end === undefined || end.project !== project
            ? whole
            : yield* sized(
                keyAxis(project),
                Math.min(number, end.number),
                Math.max(number, end.number),
                size,
                direction,
              ).pipe(
                // Cut points are issue numbers that may not exist: should Jira refuse such a bound,
                // the project is read as one part (docs/jira-cloud.md §13.1).
                Effect.catchIf(refusedQuery, () => Effect.succeed(whole)),
              )
        return { project, parts }
      })
    const projects = Stream.unfoldEffect(
      { next: first as Project | undefined, found: [] as ReadonlyArray<string> },
      ({ next, found }) =>
        next === undefined || found.length >= MAX_KEY_PROJECTS
          ? Effect.succeed(Option.none())
          : nextProject([...found, next.project]).pipe(
              Effect.map((after) =>
                Option.some([next, { next: after, found: [...found, next.project] }] as const),
              ),
            ),
    )
    const parts = projects.pipe(
      Stream.mapEffect(sizeProject, { concurrency: SIZING_AHEAD }),
      // A project's parts and the end of the unplanned rest move together.
      Stream.mapEffect(({ project, parts }) =>
        Effect.sync(() => {
          planned.push(...parts)
          done.push(project)
          return parts
        }),
      ),
      Stream.flattenIterables,
      // Projects not looked for sort after those found: one last part holds them.
      Stream.concat(
        Stream.suspend(() => {
          const tail = fresh(notIn(done))
          planned.push(tail)
          complete = true
          return Stream.make(tail)
        }),
      ),
    )
    return {
      mode: "concat",
      parts,
      planned: () => planned,
      unplanned: () => (complete ? null : fresh(notIn(done))),
    } satisfies PartsPlan
  })

/** Projects sized while the next are looked for. */
const SIZING_AHEAD = 4

interface Project {
  readonly project: string
  readonly number: number
}

const fresh = (where: string): PartPosition => ({ where, token: null })

/** Jira refused a query the plan wrote (the user's own was checked at the start): plan less. */
export const refusedQuery = (error: JiraError): boolean =>
  error.reason === "InvalidJql" || error.reason === "BadRequest"

/** The condition of every project but these (none: every issue). */
const notIn = (projects: ReadonlyArray<string>) =>
  projects.length === 0 ? "" : `project not in (${projects.map(quoted).join(", ")})`

/** A probe's value of the range field: the numeric id, or the minute of a date. */
const probeValue = (issue: ExportIssue, field: "id" | "created" | "updated"): number | undefined => {
  if (field === "id") {
    const id = Number(issue.id)
    return Number.isSafeInteger(id) ? id : undefined
  }
  const raw = issue.fields?.[field]
  const ms = typeof raw === "string" ? Date.parse(raw.replace(/([+-]\d\d)(\d\d)$/, "$1:$2")) : Number.NaN
  return Number.isNaN(ms) ? undefined : Math.floor(ms / 60_000)
}

const splitKey = (key: string): Project | undefined => {
  const m = /^([A-Z][A-Z0-9_]*)-([1-9][0-9]*)$/i.exec(key)
  return m === null ? undefined : { project: (m[1] ?? "").toUpperCase(), number: Number(m[2]) }
}
