/**
 * The issues of one step (a search page or a bulkfetch batch) made into units: comment and worklog
 * lists that search truncated are completed, account ids are resolved in one batch, rows are
 * formatted, and the rows are cut into units of at most `maxUnitBytes` (split.ts).
 */
import { Effect, Either } from "effect"
import type { NamedStatus } from "../fields/historyColumns.js"
import type { Attached } from "./changelogs.js"
import { decodeIds, type Phase } from "./cursor.js"
import { PlanError } from "./errors.js"
import type { ExportIssue, ExportUser, RowFormat } from "./ports.js"
import { type Cut, type Listed, splitRows } from "./split.js"
import type { ExportContext, ExportFailure, Unit } from "./types.js"

/** Issues read in one step, with where they stand in it. */
export interface Source {
  readonly issues: ReadonlyArray<ExportIssue>
  /** Position of each issue in the page or batch, in order. */
  readonly positions: ReadonlyArray<number>
  /** Listed but unreadable issues, with their positions. */
  readonly missing: ReadonlyArray<Listed>
  /** Where the export stands after the whole step. */
  readonly after: Phase | null
  /**
   * Ids the export reads next, in order, when the step knows them; else those of the fast strategy's
   * pending ids in `after`. Their changelogs are read in the same request as this step's.
   */
  readonly upcoming?: ReadonlyArray<string>
  /** Where it stands when everything before `position` has been emitted. */
  readonly resumeAt: (position: number) => Phase
}

/** Whether search returned only part of an issue's `field.list` (its `total` says there are more). */
const truncatedList = (
  fields: { readonly [k: string]: unknown } | undefined,
  field: string,
  list: string,
) => {
  const page = fields?.[field]
  if (typeof page !== "object" || page === null) return false
  const items: unknown = Reflect.get(page, list)
  const total: unknown = Reflect.get(page, "total")
  return typeof total === "number" && Array.isArray(items) && total > items.length
}

const withList = (
  issue: ExportIssue,
  field: string,
  list: string,
  items: ReadonlyArray<unknown>,
): ExportIssue => {
  const page = issue.fields?.[field]
  const base = typeof page === "object" && page !== null ? page : {}
  return {
    ...issue,
    fields: { ...issue.fields, [field]: { ...base, [list]: items, total: items.length } },
  }
}

/** Comments/worklogs that search truncated, completed from their own endpoints. */
const complete = (ctx: ExportContext, issue: ExportIssue) =>
  Effect.gen(function* () {
    let current = issue
    if (ctx.format.needsComments && truncatedList(issue.fields, "comment", "comments")) {
      const comments = yield* ctx.call(ctx.jira.issueComments(issue.id))
      current = withList(current, "comment", "comments", comments)
    }
    if (ctx.format.needsWorklogs && truncatedList(issue.fields, "worklog", "worklogs")) {
      const worklogs = yield* ctx.call(ctx.jira.issueWorklogs(issue.id))
      current = withList(current, "worklog", "worklogs", worklogs)
    }
    return current
  })

/** Ids the export reads after this source, when its phase lists them (the fast strategy's pending ids). */
const upcomingIds = (after: Phase | null): ReadonlyArray<string> => {
  if (after?._tag !== "fast") return []
  const ids = decodeIds(after.pending)
  return Either.isRight(ids) ? ids.right : []
}

/** The source's issues with their histories, those found gone since moved to its missing ones. */
const withoutGone = (
  source: Source,
  attached: Attached,
): Pick<Source, "issues" | "positions" | "missing"> => {
  if (attached.gone.length === 0) return { ...source, issues: attached.issues }
  const gone = new Set(attached.gone.map((issue) => issue.id))
  const missing: Array<Listed> = [...source.missing]
  const positions: Array<number> = []
  source.issues.forEach((issue, i) => {
    const position = source.positions[i] ?? i
    if (!gone.has(issue.id)) positions.push(position)
    else
      missing.push(
        issue.key === undefined ? { id: issue.id, position } : { id: issue.id, key: issue.key, position },
      )
  })
  return { issues: attached.issues, positions, missing: missing.sort((a, b) => a.position - b.position) }
}

/** The first issue the format cannot hold, as a sentence. */
const firstProblem = (issues: ReadonlyArray<ExportIssue>, format: RowFormat): string | undefined => {
  const check = format.rowProblem
  if (check === undefined) return undefined
  for (const issue of issues) {
    const problem = check(issue)
    if (problem !== undefined) return problem
  }
  return undefined
}

/** The statuses these issues' rows summed in the column of unlisted statuses, each once. */
const unlistedIn = (issues: ReadonlyArray<ExportIssue>, format: RowFormat): ReadonlyArray<NamedStatus> => {
  const of = format.unlistedStatuses
  if (of === undefined) return []
  const byId = new Map<string, NamedStatus>()
  for (const issue of issues)
    for (const status of of(issue)) if (!byId.has(status.id)) byId.set(status.id, status)
  return [...byId.values()]
}

/** The units of one page or batch: usually one; several when its text is larger than `maxUnitBytes`. */
export const toUnits = (
  ctx: ExportContext,
  source: Source,
): Effect.Effect<ReadonlyArray<Unit>, ExportFailure> =>
  Effect.gen(function* () {
    const { format } = ctx
    const attached =
      ctx.changelogs === undefined || source.issues.length === 0
        ? undefined
        : yield* ctx.changelogs.attach(source.issues, source.upcoming ?? upcomingIds(source.after))
    const {
      issues: withHistories,
      positions,
      missing,
    } = attached === undefined ? source : withoutGone(source, attached)
    const completed =
      format.needsComments || format.needsWorklogs
        ? yield* Effect.forEach(withHistories, (issue) => complete(ctx, issue), {
            concurrency: ctx.settings.completionConcurrency,
          })
        : withHistories
    // Checked on the completed lists, and before any row of the step is written: never a short row.
    const problem = firstProblem(completed, format)
    if (problem !== undefined) return yield* new PlanError({ reason: "TooManyValues", message: problem })
    // Users shown in full in these issues need no lookup; only the rest go to the directory.
    const known = new Map<string, ExportUser>()
    for (const issue of completed) for (const [id, user] of format.knownUsers(issue)) known.set(id, user)
    const ids = new Set<string>()
    for (const issue of completed) for (const id of format.accountIds(issue)) if (!known.has(id)) ids.add(id)
    if (known.size > 0) yield* ctx.jira.rememberUsers([...known])
    const looked =
      ids.size === 0 ? new Map<string, ExportUser>() : yield* ctx.call(ctx.jira.resolveUsers([...ids]))
    const users = looked.size === 0 ? known : new Map([...known, ...looked])
    // An issue's rows stay together: a unit boundary (a resume point) is always between issues.
    const groups = completed.map((issue) =>
      format.formatRows === undefined ? [format.formatRow(issue, users)] : format.formatRows(issue, users),
    )
    const cuts = splitRows({
      rows: groups,
      positions,
      missing,
      after: source.after,
      resumeAt: source.resumeAt,
      encode: (some) => format.encodeRows(some.flat()),
      maxBytes: ctx.maxUnitBytes,
    })
    return cuts.map((cut: Cut<Phase | null>): Unit => {
      const unlisted = unlistedIn(completed.slice(cut.from, cut.to), format)
      const unit: Unit = {
        text: cut.text,
        rows: cut.to - cut.from,
        truncatedCells: cut.truncatedCells,
        missing: cut.missing,
        after: cut.after,
        ...(unlisted.length === 0 ? {} : { unlistedStatuses: unlisted }),
      }
      // The preview shows the cells as the file holds them (formula guard included).
      return ctx.keepCells
        ? {
            ...unit,
            cells: groups.slice(cut.from, cut.to).flat().map(format.cellTexts),
            keys: completed
              .slice(cut.from, cut.to)
              .flatMap((issue, i) => (groups[cut.from + i] ?? []).map(() => issue.key ?? issue.id)),
          }
        : unit
    })
  })
