/**
 * What the export pipeline needs from its neighbours, as plain interfaces. The pipeline is written
 * against these so it can be tested with in-memory fakes; `src/export/wiring.ts` binds them to the
 * real `JiraClient`/`UserDirectory` (src/jira) and formatters/encoder (src/fields, src/csv).
 */
import type { Effect } from "effect"
import type { ColumnInfo, ExportOptionsInput } from "../contract.js"
import type { JiraError } from "../jira/JiraError.js"

/** An issue as search and bulkfetch return it (`src/jira/schemas.ts` `Issue`). */
export interface ExportIssue {
  readonly id: string
  readonly key?: string | undefined
  readonly fields?: { readonly [field: string]: unknown } | undefined
}

export interface SearchPageRequest {
  readonly jql: string
  readonly fields: ReadonlyArray<string>
  readonly maxResults: number
  readonly nextPageToken?: string
}

export interface SearchPage {
  readonly issues: ReadonlyArray<ExportIssue>
  readonly nextPageToken: string | undefined
  readonly isLast: boolean
}

export interface IdsPage {
  readonly ids: ReadonlyArray<string>
  readonly nextPageToken: string | undefined
  readonly isLast: boolean
}

export interface BulkFetchResult {
  readonly issues: ReadonlyArray<ExportIssue>
  /** Ids Jira could not return this time but might on a retry (bulkfetch's `issueErrors`). */
  readonly issueErrors: ReadonlyArray<{ readonly id: string }>
}

/** What the quota headers last said (src/jira/RateLimitState.ts). */
export interface QuotaSnapshot {
  readonly limit?: number | undefined
  readonly remaining?: number | undefined
  readonly nearLimit: boolean
  /** Epoch ms until which Jira asked every request to wait (the latest `Retry-After`). */
  readonly pausedUntil?: number | undefined
}

/** The Jira reads of one export, all as the signed-in user. */
export interface ExportJira {
  readonly searchPage: (request: SearchPageRequest) => Effect.Effect<SearchPage, JiraError>
  readonly searchIds: (request: {
    readonly jql: string
    readonly maxResults: number
    readonly nextPageToken?: string
  }) => Effect.Effect<IdsPage, JiraError>
  readonly bulkFetch: (request: {
    readonly ids: ReadonlyArray<string>
    readonly fields: ReadonlyArray<string>
  }) => Effect.Effect<BulkFetchResult, JiraError>
  readonly issueComments: (idOrKey: string) => Effect.Effect<ReadonlyArray<unknown>, JiraError>
  readonly issueWorklogs: (idOrKey: string) => Effect.Effect<ReadonlyArray<unknown>, JiraError>
  readonly approximateCount: (jql: string) => Effect.Effect<number, JiraError>
  /** Batched and cached user lookup; the values are handed to the row formatter untouched. */
  readonly resolveUsers: (
    accountIds: ReadonlyArray<string>,
  ) => Effect.Effect<ReadonlyMap<string, unknown>, JiraError>
  /** Tells the user cache about users shown in full, so later mentions of them need no lookup. */
  readonly rememberUsers: (users: ReadonlyArray<readonly [string, unknown]>) => Effect.Effect<void>
  /** Runs a read with an absolute deadline (epoch ms): a retry wait that does not fit fails as RateLimited. */
  readonly withDeadline: <A>(
    effect: Effect.Effect<A, JiraError>,
    deadlineMs: number,
  ) => Effect.Effect<A, JiraError>
  readonly quota: Effect.Effect<QuotaSnapshot>
}

/** How rows of one export are made: bound to the resolved columns and options. */
export interface RowFormat {
  readonly columns: ReadonlyArray<ColumnInfo>
  /** `fields` for search/bulkfetch. */
  readonly fields: ReadonlyArray<string>
  /** Whether a comment / worklog column needs the complete lists (search truncates them). */
  readonly needsComments: boolean
  readonly needsWorklogs: boolean
  readonly accountIds: (issue: ExportIssue) => ReadonlyArray<string>
  /** Users the issue already shows in full (current name, visible email): no lookup needed for them. */
  readonly knownUsers: (issue: ExportIssue) => ReadonlyArray<readonly [string, unknown]>
  readonly formatRow: (issue: ExportIssue, users: ReadonlyMap<string, unknown>) => ReadonlyArray<string>
  /** The optional BOM and the header row. */
  readonly header: string
  /** A row's cells as a reader parses them back from the file (guard and truncation applied). */
  readonly cellTexts: (row: ReadonlyArray<string>) => ReadonlyArray<string>
  /** Encodes rows; chunks concatenate exactly. */
  readonly encodeRows: (rows: ReadonlyArray<ReadonlyArray<string>>) => {
    readonly text: string
    readonly truncatedCells: number
  }
}

/** A problem with what the user asked for (columns or options), as the UI shows it. */
export interface PlanProblem {
  readonly tag: "UnknownColumn" | "AmbiguousColumn" | "BadPayload"
  readonly message: string
  readonly details?: ReadonlyArray<string>
}

/** What an export was asked for; everything the cursor must carry to rebuild the plan. */
export interface PlanInput {
  readonly jql: string
  readonly columns: ReadonlyArray<string>
  readonly options: ExportOptionsInput
  /** The user's time zone, fixed at export/start so every chunk formats dates the same way. */
  readonly timeZone: string
  readonly siteUrl: string
}

export interface PlanFormat {
  readonly format: RowFormat
  /** The strategy asked for in the options (`auto` when not given). */
  readonly strategy: "auto" | "thrifty" | "fast"
}
