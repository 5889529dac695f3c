/**
 * Binds the pipeline's ports (ports.ts) to the real services: `JiraClient`, `UserDirectory` and
 * `RateLimitState` from src/jira, the column model and formatters from src/fields, the encoder from
 * src/csv and the options from options.ts.
 */
import { Effect, Either } from "effect"
import { cellText, encodeHeader, encodeRows } from "../csv/encoder.js"
import { fieldsToRequest, resolveColumns } from "../fields/columns.js"
import { formatRow } from "../fields/format.js"
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
import { RateLimitState } from "../jira/RateLimitState.js"
import { JiraDeadline } from "../jira/RetryPolicy.js"
import { UserDirectory } from "../jira/UserDirectory.js"
import { cellKindOf, resolveOptions } from "./options.js"
import type { ExportJira, PlanFormat, PlanInput, RowFormat } from "./ports.js"
import { PlanError } from "./start.js"

/** The Jira port of the pipeline over the runtime's Jira services. */
export const liveExportJira: Effect.Effect<ExportJira, never, JiraClient | UserDirectory | RateLimitState> =
  Effect.gen(function* () {
    const client = yield* JiraClient
    const users = yield* UserDirectory
    const rateLimits = yield* RateLimitState
    return {
      searchPage: (request) => client.searchPage(request),
      searchIds: (request) => client.searchIds(request),
      bulkFetch: (request) => client.bulkFetch(request),
      issueComments: (idOrKey) => client.issueComments(idOrKey),
      issueWorklogs: (idOrKey) => client.issueWorklogs(idOrKey),
      approximateCount: (jql) => client.approximateCount(jql),
      resolveUsers: (accountIds) => users.resolve(accountIds),
      rememberUsers: (known) =>
        users.remember(
          known.map(([, user]) => ({
            accountId: user.accountId,
            displayName: user.displayName,
            ...(user.emailAddress === undefined ? {} : { emailAddress: user.emailAddress }),
            active: true,
            known: true,
          })),
        ),
      withDeadline: (effect, deadlineMs) => JiraDeadline.within(deadlineMs)(effect),
      quota: rateLimits.get,
    }
  })

/** Resolves a plan's columns (from `/field`) and options into its row format. */
export const livePlanner = (plan: PlanInput): Effect.Effect<PlanFormat, PlanError | JiraError, JiraClient> =>
  Effect.gen(function* () {
    const options = resolveOptions(plan.options, plan.timeZone)
    if (Either.isLeft(options)) return yield* new PlanError({ reason: "BadPayload", message: options.left })
    const fields = yield* JiraClient.fields()
    const resolved = resolveColumns(fields, plan.columns)
    if (Either.isLeft(resolved)) {
      const problem = resolved.left
      return yield* new PlanError({
        reason: problem.reason,
        message: problem.message,
        ...(problem.reason === "AmbiguousColumn"
          ? { details: problem.candidates.map((c) => `${c.name} (${c.id})`) }
          : {}),
      })
    }
    const { csv, format } = options.right
    // A file for Jira's importer gets the columns it needs, and a cell per value of a multi-value field.
    const importer = format.importer
    const columns = importer === undefined ? resolved.right : withImporterColumns(fields, resolved.right)
    const cells = importer === undefined ? columns : cellColumns(columns, importer)
    const kinds = cells.map((c) => cellKindOf(c.kind))
    const requested = fieldsToRequest(columns)
    const siteUrl = plan.siteUrl.replace(/\/+$/, "")
    const rowFormat: RowFormat = {
      columns: cells.map((c) => ({ id: c.id, header: c.header, kind: c.kind })),
      // Jira answers `fields: []` with every navigable field; ask for the id only instead.
      fields: requested.length === 0 ? ["id"] : requested,
      needsComments: requested.includes("comment"),
      needsWorklogs: requested.includes("worklog"),
      accountIds: (issue) => collectAccountIds(issue, columns),
      knownUsers: (issue) => collectKnownUsers(issue, columns).map((user) => [user.accountId, user] as const),
      formatRow:
        importer === undefined
          ? (issue, users) => formatRow(issue, columns, { users, options: format, siteUrl })
          : (issue, users) => importerRow(issue, columns, { users, options: format, siteUrl }, importer),
      ...(importer === undefined
        ? {}
        : {
            rowProblem: (issue) => {
              const problem = tooManyValues(issue, columns, importer)
              return problem === undefined ? undefined : tooManyValuesMessage(issue, problem, importer)
            },
          }),
      header: encodeHeader(
        cells.map((c) => c.header),
        csv,
      ),
      cellTexts: (row) => row.map((cell, i) => cellText(cell, kinds[i] ?? "text", csv)),
      encodeRows: (rows) => encodeRows(rows, kinds, csv),
    }
    return { format: rowFormat, strategy: options.right.strategy }
  })
