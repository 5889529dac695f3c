/**
 * The types every part of the engine shares: the unit it streams, its settings, why it stops, and the
 * `ExportContext` each strategy gets (engine.ts builds it once per stream). Kept apart from the
 * engine, which imports the strategies, so that the strategies import these without importing the
 * engine back.
 */
import type { Effect } from "effect"
import type { NamedStatus } from "../fields/historyColumns.js"
import type { JiraError } from "../jira/JiraError.js"
import type { ChangelogReader } from "./changelogs.js"
import type { Phase } from "./cursor.js"
import type { PlanError } from "./errors.js"
import type { Gate } from "./gate.js"
import type { Limiter } from "./limiter.js"
import type { ExportJiraShape, RowFormat } from "./ports.js"

/**
 * Why an export stops: a Jira read failed, or an issue does not fit the file's columns (a
 * `jira-import` file, see ports.ts `rowProblem`).
 */
export type ExportFailure = JiraError | PlanError

export interface PipelineSettings {
  /** Issues per `/search/jql` page with fields (Jira caps these at about 100). */
  readonly searchPageSize: number
  /** Ids per id page (Jira's cap for `fields=id`). */
  readonly idPageSize: number
  /** Ids per bulkfetch (Jira's cap). */
  readonly bulkSize: number
  /** Most Jira requests of one export in flight at once. */
  readonly requestConcurrency: number
  /** Most issues whose comments or worklogs are completed at once (each still takes a request permit). */
  readonly completionConcurrency: number
  /** How often a batch is retried for ids bulkfetch listed as retriable `issueErrors`. */
  readonly issueErrorRetries: number
  /**
   * Largest unit, in bytes of CSV text (default {@link MAX_UNIT_BYTES}). A page or batch whose rows
   * are larger is cut into several units, each with a phase to resume from, so one `export/next`
   * answer never has to hold a whole page of very long rows (Forge answers at most 5 MB).
   */
  readonly maxUnitBytes?: number
}

/** Default {@link PipelineSettings.maxUnitBytes}: a fifth of Forge's 5 MB response limit. */
export const MAX_UNIT_BYTES = 1_000_000

export const defaultSettings: PipelineSettings = {
  searchPageSize: 100,
  idPageSize: 5000,
  bulkSize: 100,
  requestConcurrency: 8,
  completionConcurrency: 4,
  issueErrorRetries: 2,
}

/**
 * How a client that reads Jira itself as one user reads: the command line (its API token) and the page
 * (`requestJira`, as the signed-in user). They keep the requests in flight one user may (the Jira
 * emulator's `cloud` profile caps a user at 10 in flight; its benchmark figures are measured at that);
 * the limiter gives a permit up on every 429, so a site that allows fewer is met where it stands
 * (limiter.ts). The resolvers keep the default 8: their calls share Forge's own per-invocation limits.
 */
export const directSettings: PipelineSettings = { ...defaultSettings, requestConcurrency: 10 }

/** Output of one step of the export. */
export interface Unit {
  readonly text: string
  readonly rows: number
  readonly truncatedCells: number
  /** Issues listed by the search but no longer readable (deleted or moved since): keys, else ids. */
  readonly missing: ReadonlyArray<string>
  /** Statuses its rows summed in the column of unlisted statuses (ports.ts `unlistedStatuses`), when any. */
  readonly unlistedStatuses?: ReadonlyArray<NamedStatus>
  /** Where the export stands after this unit; null when it is complete. */
  readonly after: Phase | null
  /** Jira refused a page token here and the export is finding its place again (relocate.ts). */
  readonly relocated?: boolean
  /** No rows were read for this unit; it only moves the position (so it says nothing of row sizes). */
  readonly positionOnly?: boolean
  /** The cells and issue keys of the rows, only when asked for (`keepCells`, for the preview). */
  readonly cells?: ReadonlyArray<ReadonlyArray<string>>
  readonly keys?: ReadonlyArray<string>
}

export interface PipelineInput {
  readonly jira: ExportJiraShape
  readonly format: RowFormat
  readonly jql: string
  readonly phase: Phase
  readonly gate: Gate
  readonly settings?: PipelineSettings
  /** Epoch ms by which every Jira read must be done (retry waits that do not fit fail fast). */
  readonly deadlineMs?: number
  /** Keep each unit's cells and issue keys (the preview shows them). */
  readonly keepCells?: boolean
}

/** What every step of one export shares, built once per stream. */
export interface ExportContext {
  readonly jira: ExportJiraShape
  readonly format: RowFormat
  readonly jql: string
  readonly settings: PipelineSettings
  readonly gate: Gate
  /** Epoch ms by which every Jira read must be done. */
  readonly deadlineMs: number | undefined
  readonly keepCells: boolean
  readonly maxUnitBytes: number
  /** Bounds the export's requests in flight; bulkfetch tunes it to Jira's push-back. */
  readonly limiter: Limiter
  /** Runs a Jira read under the limiter and, when there is one, the deadline. */
  readonly call: <A>(effect: Effect.Effect<A, JiraError>) => Effect.Effect<A, JiraError>
  /** Reads the changelogs the rows need (changelogs.ts); absent when no column needs them. */
  readonly changelogs: ChangelogReader | undefined
}
