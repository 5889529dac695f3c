/**
 * What the export engine needs from its neighbours, as plain interfaces. The engine is written
 * against these so it can be tested with in-memory fakes: `ExportJira` (ExportJira.ts) provides the
 * Jira reads over the real `JiraClient`/`UserDirectory` (src/jira), and the planner (planner.ts) makes
 * the row format from the formatters/encoder (src/fields, src/csv).
 */
import type { Effect } from "effect"
import type { ColumnInfo, ExportOptionsInput } from "../contract.js"
import type { NamedStatus } from "../fields/historyColumns.js"
import type { StatusInfo } from "../fields/statusTimes.js"
import type { DirectoryUserLike } from "../fields/users.js"
import type { ChangelogBulkRequest } from "../jira/changelogRequests.js"
import type { ChangeHistory } from "../jira/changelogSchemas.js"
import type { SearchPageRequest } from "../jira/JiraClient.js"
import type { JiraError } from "../jira/JiraError.js"
import type { QuotaSnapshot } from "../jira/quotaHeaders.js"

/** A user as the export shows it; the directory's users (src/jira/UserDirectory.ts) are ones. */
export type ExportUser = DirectoryUserLike

/** An issue as search and bulkfetch return it (`src/jira/schemas.ts` `Issue`). */
export interface ExportIssue {
  readonly id: string
  readonly key?: string | undefined
  readonly fields?: { readonly [field: string]: unknown } | undefined
  /** The issue's history, oldest first, attached when a column or the history mode needs it. */
  readonly changelog?: { readonly histories: ReadonlyArray<ChangeHistory> } | undefined
}

export interface SearchPage {
  readonly issues: ReadonlyArray<ExportIssue>
  readonly nextPageToken: string | undefined
  readonly isLast: boolean
}

export interface IdsPage {
  readonly ids: ReadonlyArray<string>
  /** Each id's key, when the page was asked `withKeys`. */
  readonly keys?: ReadonlyArray<string | undefined>
  readonly nextPageToken: string | undefined
  readonly isLast: boolean
}

export interface BulkFetchResult {
  readonly issues: ReadonlyArray<ExportIssue>
  /** Ids Jira could not return this time but might on a retry (bulkfetch's `issueErrors`). */
  readonly issueErrors: ReadonlyArray<{ readonly id: string }>
}

/**
 * What the export reads of the shared quota state: the headers' verdict for choosing a strategy, and
 * `pausedUntil`, the epoch ms until which Jira asked every request to wait (the latest `Retry-After`).
 */
export type QuotaReading = Pick<QuotaSnapshot, "limit" | "remaining" | "nearLimit" | "pausedUntil">

/** The Jira reads of one export, all as the signed-in user (the `ExportJira` service, ExportJira.ts). */
export interface ExportJiraShape {
  readonly searchPage: (request: SearchPageRequest) => Effect.Effect<SearchPage, JiraError>
  readonly searchIds: (request: {
    readonly jql: string
    readonly maxResults: number
    readonly nextPageToken?: string
    /** List the keys too (a larger answer), to name issues gone before they are fetched. */
    readonly withKeys?: boolean
  }) => Effect.Effect<IdsPage, JiraError>
  readonly bulkFetch: (request: {
    readonly ids: ReadonlyArray<string>
    readonly fields: ReadonlyArray<string>
  }) => Effect.Effect<BulkFetchResult, JiraError>
  /** Histories of up to 1,000 issues, read to the last page; issues without any are absent. */
  readonly changelogBulk: (
    request: ChangelogBulkRequest,
  ) => Effect.Effect<ReadonlyMap<string, ReadonlyArray<ChangeHistory>>, JiraError>
  readonly issueComments: (idOrKey: string) => Effect.Effect<ReadonlyArray<unknown>, JiraError>
  readonly issueWorklogs: (idOrKey: string) => Effect.Effect<ReadonlyArray<unknown>, JiraError>
  readonly approximateCount: (jql: string) => Effect.Effect<number, JiraError>
  /** Batched and cached user lookup; the values are handed to the row formatter untouched. */
  readonly resolveUsers: (
    accountIds: ReadonlyArray<string>,
  ) => Effect.Effect<ReadonlyMap<string, ExportUser>, JiraError>
  /** Tells the user cache about users shown in full, so later mentions of them need no lookup. */
  readonly rememberUsers: (users: ReadonlyArray<readonly [string, ExportUser]>) => Effect.Effect<void>
  /** Runs a read with an absolute deadline (epoch ms): a retry wait that does not fit fails as RateLimited. */
  readonly withDeadline: <A>(
    effect: Effect.Effect<A, JiraError>,
    deadlineMs: number,
  ) => Effect.Effect<A, JiraError>
  readonly quota: Effect.Effect<QuotaReading>
}

/** How rows of one export are made: bound to the resolved columns and options. */
export interface RowFormat {
  readonly columns: ReadonlyArray<ColumnInfo>
  /** `fields` for search/bulkfetch. */
  readonly fields: ReadonlyArray<string>
  /** Whether a comment / worklog column needs the complete lists (search truncates them). */
  readonly needsComments: boolean
  readonly needsWorklogs: boolean
  /**
   * Field ids whose changelogs the rows need (`status` for the history columns, the chosen fields of
   * the history mode; `[]` there means every field). Absent: no changelogs are read.
   */
  readonly changelogFields?: ReadonlyArray<string>
  /**
   * The site's Rank fields (id, and the names a query may sort by, lower-cased), so a thrifty export
   * ordered by Rank can merge parts read in parallel (parallel/order.ts).
   */
  readonly rankFields?: ReadonlyArray<{ readonly id: string; readonly names: ReadonlyArray<string> }>
  /**
   * The statuses whose time the issue's row sums in the column of statuses the export's list does not
   * hold (historyColumns.ts), for the export's notes; absent when the columns have no such column.
   */
  readonly unlistedStatuses?: (issue: ExportIssue) => ReadonlyArray<NamedStatus>
  readonly accountIds: (issue: ExportIssue) => ReadonlyArray<string>
  /** Users the issue already shows in full (current name, visible email): no lookup needed for them. */
  readonly knownUsers: (issue: ExportIssue) => ReadonlyArray<readonly [string, ExportUser]>
  readonly formatRow: (issue: ExportIssue, users: ReadonlyMap<string, ExportUser>) => ReadonlyArray<string>
  /** Several rows per issue (the history mode: one per changed item); when absent, one `formatRow` each. */
  readonly formatRows?: (
    issue: ExportIssue,
    users: ReadonlyMap<string, ExportUser>,
  ) => ReadonlyArray<ReadonlyArray<string>>
  /** The optional BOM and the header row. */
  readonly header: string
  /** A row's cells as a reader parses them back from the file (guard and truncation applied). */
  readonly cellTexts: (row: ReadonlyArray<string>) => ReadonlyArray<string>
  /**
   * Why an issue cannot be a row of this format (it has more values than a `jira-import` file has
   * columns for them), as a sentence; undefined when it can. The export stops before writing it.
   */
  readonly rowProblem?: (issue: ExportIssue) => string | undefined
  /** Encodes rows; chunks concatenate exactly. */
  readonly encodeRows: (rows: ReadonlyArray<ReadonlyArray<string>>) => {
    readonly text: string
    readonly truncatedCells: number
  }
}

/** What an export was asked for; everything the cursor must carry to rebuild the plan. */
export interface PlanInput {
  readonly jql: string
  readonly columns: ReadonlyArray<string>
  readonly options: ExportOptionsInput
  /** The user's time zone, fixed at export/start so every chunk formats dates the same way. */
  readonly timeZone: string
  readonly siteUrl: string
  /** For history columns and the history mode: fixed at export/start and kept in the cursor. */
  readonly history?: HistoryPlan
}

/** What a history export keeps from start to end, so every chunk computes the same numbers. */
export interface HistoryPlan {
  /** The as-of instant (epoch ms): the current status counts up to it; later changes are not counted. */
  readonly asOf: number
  /**
   * The statuses and their categories (`/rest/api/3/status` and `/rest/api/3/statuses/search` at the
   * start; planner.ts); read when absent.
   */
  readonly statuses?: ReadonlyArray<StatusInfo> | undefined
}

export interface PlanFormat {
  readonly format: RowFormat
  /** The strategy asked for in the options (`auto` when not given). */
  readonly strategy: "auto" | "thrifty" | "fast"
  /** The history plan to keep in the cursor, when the columns need one. */
  readonly history?: HistoryPlan
}
