/**
 * Binds the pipeline's ports (ports.ts) to the real services: `JiraClient`, `UserDirectory` and
 * `RateLimitState` from src/jira, the column model and formatters from src/fields, the encoder from
 * src/csv and the options from options.ts.
 */
import { Effect, Either } from "effect"
import { cellText, encodeHeader, encodeRows } from "../csv/encoder.js"
import { fieldsToRequest, resolveColumns } from "../fields/columns.js"
import { collectAccountIds, collectKnownUsers, type DirectoryUserLike, formatRow } from "../fields/format.js"
import { JiraClient } from "../jira/JiraClient.js"
import type { JiraError } from "../jira/JiraError.js"
import { RateLimitState } from "../jira/RateLimitState.js"
import { JiraDeadline } from "../jira/RetryPolicy.js"
import { UserDirectory } from "../jira/UserDirectory.js"
import { resolveOptions } from "./options.js"
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
          known.flatMap(([, user]) =>
            isUser(user)
              ? [
                  {
                    accountId: user.accountId,
                    displayName: user.displayName,
                    ...(user.emailAddress === undefined ? {} : { emailAddress: user.emailAddress }),
                    active: true,
                    known: true,
                  },
                ]
              : [],
          ),
        ),
      withDeadline: (effect, deadlineMs) => JiraDeadline.within(deadlineMs)(effect),
      quota: rateLimits.get,
    }
  })

const isUser = (value: unknown): value is DirectoryUserLike =>
  typeof value === "object" &&
  value !== null &&
  typeof Reflect.get(value, "accountId") === "string" &&
  typeof Reflect.get(value, "displayName") === "string"

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
    const columns = resolved.right
    const { csv, format } = options.right
    const kinds = columns.map((c) => c.kind)
    const requested = fieldsToRequest(columns)
    const siteUrl = plan.siteUrl.replace(/\/+$/, "")
    let lastUsers: ReadonlyMap<string, unknown> | undefined
    let known = new Map<string, DirectoryUserLike>()
    const rowFormat: RowFormat = {
      columns: columns.map((c) => ({ id: c.id, header: c.header, kind: c.kind })),
      // Jira answers `fields: []` with every navigable field, and `["id"]` with the id alone (no key,
      // so the key and URL columns would be blank); `["key"]` brings the id and the key, nothing more.
      fields: requested.length === 0 ? ["key"] : requested,
      needsComments: requested.includes("comment"),
      needsWorklogs: requested.includes("worklog"),
      accountIds: (issue) => collectAccountIds(issue, columns),
      knownUsers: (issue) => collectKnownUsers(issue, columns).map((user) => [user.accountId, user] as const),
      formatRow: (issue, users) => {
        // The pipeline passes one map per unit; narrow it once, not once per row.
        if (users !== lastUsers) {
          lastUsers = users
          known = new Map()
          for (const [id, user] of users) if (isUser(user)) known.set(id, user)
        }
        return formatRow(issue, columns, { users: known, options: format, siteUrl })
      },
      header: encodeHeader(
        columns.map((c) => c.header),
        csv,
      ),
      cellTexts: (row) => row.map((cell, i) => cellText(cell, kinds[i] ?? "text", csv)),
      encodeRows: (rows) => encodeRows(rows, kinds, csv),
    }
    return { format: rowFormat, strategy: options.right.strategy }
  })
