/**
 * The planner: what the user asked for (columns, options, history) made into the engine's row format
 * (ports.ts `RowFormat`), from the site's fields (`/field`) and statuses, the column model and
 * formatters of src/fields, the encoder of src/csv and the options of options.ts.
 */
import { Effect, Either } from "effect"
import { type CsvOptions, cellText, encodeHeader, encodeRows } from "../csv/encoder.js"
import type { Column } from "../fields/column.js"
import { type ColumnProblem, fieldsToRequest, needsStatusHistory, resolveColumns } from "../fields/columns.js"
import { namedTimeZone } from "../fields/dates.js"
import { formatRow } from "../fields/format.js"
import { expandStatusColumns, hasUnlistedStatusColumn, unlistedStatusesOf } from "../fields/historyColumns.js"
import { resolveHistoryFields } from "../fields/historyFields.js"
import { HISTORY_COLUMNS, historyRows } from "../fields/historyRows.js"
import {
  cellColumns,
  importerRow,
  tooManyValues,
  tooManyValuesMessage,
  withImporterColumns,
} from "../fields/importer.js"
import { collectAccountIds, collectKnownUsers } from "../fields/users.js"
import { JiraClient } from "../jira/JiraClient.js"
import type { JiraError } from "../jira/JiraError.js"
import type { FieldDetails } from "../jira/schemas.js"
import { MAX_STATUSES } from "./cursor.js"
import { PlanError } from "./errors.js"
import { cellKindOf, resolveOptions } from "./options.js"
import type { ExportIssue, ExportUser, PlanFormat, PlanInput, RowFormat } from "./ports.js"
import { IMPORTER_WORKBOOK, isoDates, isWorkbook, workbookEncoding, workbookRow } from "./xlsx.js"

/**
 * Reads ahead what the start of an export needs, side by side: the user's profile (unless `zone`
 * names the zone, the profile's only use then) and the fields the plan resolves columns against. The
 * client keeps both, so the start waits one round trip for them, not two. Only the profile's failure
 * speaks (it is the command line's credential check); a failed `/field` is read again by the plan.
 */
export const readProfileAndFields = (zone: string | undefined): Effect.Effect<void, JiraError, JiraClient> =>
  Effect.all(
    [
      namedTimeZone(zone) === undefined ? JiraClient.myself() : Effect.void,
      Effect.ignore(JiraClient.fields()),
    ],
    { concurrency: 2, discard: true },
  )

/**
 * The zone dates are written in: the option when it names one, else the zone of the user's Jira
 * profile (`/myself`, read only then; "UTC" when the profile has none). Decided here once, by every
 * runner at the start of an export and by the preview, and kept in the cursor (`timeZone`).
 */
export const timeZoneFor = (requested: string | undefined): Effect.Effect<string, JiraError, JiraClient> => {
  const named = namedTimeZone(requested)
  return named !== undefined
    ? Effect.succeed(named)
    : JiraClient.myself().pipe(Effect.map((me) => me.timeZone ?? "UTC"))
}

/** `/statuses/search` names categories by their own keys; the columns use `/status`'s. */
const CATEGORY_KEYS: Readonly<Record<string, string>> = {
  TODO: "new",
  IN_PROGRESS: "indeterminate",
  DONE: "done",
}

/**
 * Every status of the site, or none when the user may not read them: Jira asks the Administer projects
 * or Administer Jira permission (and an app the `manage:jira-configuration` scope) and answers 401 or
 * 403 without it. Any other failure is the export's, as every read's.
 */
const readSiteStatuses = JiraClient.siteStatuses().pipe(
  Effect.catchIf(
    (error) => error.reason === "Unauthorized" || error.reason === "Forbidden",
    () => Effect.succeed([]),
  ),
)

/**
 * The statuses with their categories, as the history columns keep them: `/status` (the statuses of
 * active workflows) in its order, then the site's other statuses (those that left every workflow),
 * so that every status a history can name has its column unless it was deleted from the site.
 */
const readStatuses = Effect.all([JiraClient.statuses(), readSiteStatuses], { concurrency: 2 }).pipe(
  Effect.map(([active, site]) => {
    const listed = active.map((s) => ({ id: s.id, name: s.name, category: s.statusCategory?.key ?? "" }))
    const ids = new Set(listed.map((s) => s.id))
    const departed = site
      .filter((s) => !ids.has(s.id))
      .map((s) => ({ id: s.id, name: s.name, category: CATEGORY_KEYS[s.statusCategory ?? ""] ?? "" }))
    return [...listed, ...departed].slice(0, MAX_STATUSES)
  }),
)

/** The history plan of an export that needs one: the statuses are read once, at the start. */
const historyPlanOf = (plan: PlanInput) =>
  Effect.gen(function* () {
    const asOf = plan.history?.asOf
    if (asOf === undefined) return undefined
    // Lead and cycle time need the categories as much as time in status needs the names.
    return { asOf, statuses: plan.history?.statuses ?? (yield* readStatuses) }
  })

/** Builds the row format of a plan (columns from `/field`, options for the user's time zone). */
export type Planner<R = never> = (plan: PlanInput) => Effect.Effect<PlanFormat, PlanError | JiraError, R>

/** Resolves a plan's columns (from `/field`) and options into its row format. */
export const livePlanner = (plan: PlanInput): Effect.Effect<PlanFormat, PlanError | JiraError, JiraClient> =>
  Effect.gen(function* () {
    const options = resolveOptions(plan.options, plan.timeZone)
    if (Either.isLeft(options)) return yield* new PlanError({ reason: "BadPayload", message: options.left })
    const siteUrl = plan.siteUrl
    const { csv, format, strategy } = options.right
    const workbook = isWorkbook(plan.options)
    if (workbook && format.importer !== undefined)
      return yield* new PlanError({ reason: "BadPayload", message: IMPORTER_WORKBOOK })
    // A workbook's About sheet shows the as-of instant, which the cursor keeps like the history's.
    const asOf = workbook && plan.history !== undefined ? { history: { asOf: plan.history.asOf } } : {}
    const mode = plan.options.history
    if (mode !== undefined) {
      // Names resolved as columns are (an unknown one would keep no change at all); ids go to Jira.
      // `/field` also names the Rank fields, so a query ordered by Rank is read in parallel here too.
      const siteFields = yield* JiraClient.fields()
      const resolved = resolveHistoryFields(siteFields, mode.fields ?? [])
      if (Either.isLeft(resolved)) return yield* planProblem(resolved.left)
      const fields = resolved.right
      const options = workbook ? isoDates(format) : format
      const rowFormat = formatOf(HISTORY_COLUMNS, csv, workbook, {
        rankFields: rankFieldsOf(siteFields),
        // A small field: with `fields: ["id"]` alone an answer may leave the key out.
        fields: ["status"],
        changelogFields: fields,
        formatRow: () => [],
        formatRows: (issue, users) => historyRows(issue, fields, { users, options, siteUrl }),
      })
      const history = plan.history === undefined ? {} : { history: { asOf: plan.history.asOf } }
      return { format: rowFormat, strategy, ...history }
    }
    const fields = yield* JiraClient.fields()
    const resolved = resolveColumns(fields, plan.columns)
    if (Either.isLeft(resolved)) return yield* planProblem(resolved.left)
    const history = needsStatusHistory(resolved.right) ? yield* historyPlanOf(plan) : undefined
    const expanded =
      history?.statuses === undefined ? resolved.right : expandStatusColumns(resolved.right, history.statuses)
    // A file for Jira's importer gets the columns it needs, and a cell per value of a multi-value field.
    const importer = format.importer
    const columns = importer === undefined ? expanded : withImporterColumns(fields, expanded)
    const requested = fieldsToRequest(columns)
    // One context for the whole export, so each issue's status times are computed once for its row.
    const historyCtx =
      history === undefined ? undefined : { asOfMs: history.asOf, statuses: history.statuses ?? [] }
    const ctx = (users: ReadonlyMap<string, ExportUser>) => ({
      users,
      options: format,
      siteUrl,
      ...(historyCtx === undefined ? {} : { history: historyCtx }),
    })
    const cells = importer === undefined ? columns : cellColumns(columns, importer)
    const rowFormat = formatOf(cells, csv, workbook, {
      // Jira answers `fields: []` with every navigable field, and `["id"]` with the id alone (no key,
      // so the key and URL columns would be blank); `["key"]` brings the id and the key, nothing more.
      fields: requested.length === 0 ? ["key"] : requested,
      ...(history === undefined ? {} : { changelogFields: ["status"] }),
      rankFields: rankFieldsOf(fields),
      ...(historyCtx === undefined || !hasUnlistedStatusColumn(columns)
        ? {}
        : { unlistedStatuses: (issue: ExportIssue) => unlistedStatusesOf(issue, historyCtx) }),
      accountIds: (issue) => collectAccountIds(issue, columns),
      knownUsers: (issue) => collectKnownUsers(issue, columns).map((user) => [user.accountId, user] as const),
      formatRow:
        importer !== undefined
          ? (issue, users) => importerRow(issue, columns, ctx(users), importer)
          : workbook
            ? (issue, users) => workbookRow(issue, columns, ctx(users))
            : (issue, users) => formatRow(issue, columns, ctx(users)),
      ...(importer === undefined
        ? {}
        : {
            rowProblem: (issue: ExportIssue) => {
              const problem = tooManyValues(issue, columns, importer)
              return problem === undefined ? undefined : tooManyValuesMessage(issue, problem, importer)
            },
          }),
    })
    return { format: rowFormat, strategy, ...(history === undefined ? asOf : { history }) }
  })

/** A column or history field that cannot be resolved, as the plan's error. */
const planProblem = (problem: ColumnProblem) =>
  new PlanError({
    reason: problem.reason,
    message: problem.message,
    ...(problem.reason === "AmbiguousColumn"
      ? { details: problem.candidates.map((c) => `${c.name} (${c.id})`) }
      : {}),
  })

/** The Rank fields of the site (Jira Software's lexorank), by every name a query may sort by. */
const rankFieldsOf = (fields: ReadonlyArray<FieldDetails>): NonNullable<RowFormat["rankFields"]> =>
  fields
    .filter((f) => f.schema?.custom === "com.pyxis.greenhopper.jira:gh-lexo-rank")
    .map((f) => ({
      id: f.id,
      names: [f.name, ...(f.clauseNames ?? [])].map((n) => n.toLowerCase()),
    }))

/** A row format over these columns: the header, the encoder and what every format shares. */
const formatOf = (
  columns: ReadonlyArray<Column>,
  csv: CsvOptions,
  workbook: boolean,
  rows: Pick<RowFormat, "fields" | "formatRow"> & Partial<RowFormat>,
): RowFormat => {
  const kinds = columns.map((c) => cellKindOf(c.kind))
  return {
    columns: columns.map((c) => ({ id: c.id, header: c.header, kind: c.kind })),
    needsComments: rows.fields.includes("comment"),
    needsWorklogs: rows.fields.includes("worklog"),
    accountIds: () => [],
    knownUsers: () => [],
    header: encodeHeader(
      columns.map((c) => c.header),
      csv,
    ),
    cellTexts: (row) => row.map((cell, i) => cellText(cell, kinds[i] ?? "text", csv)),
    encodeRows: (encoded) => encodeRows(encoded, kinds, csv),
    ...(workbook ? workbookEncoding(columns) : {}),
    ...rows,
  }
}
