/**
 * The terms of an export run as the page shows it (ExportModel.ts drives it): what was asked, what the
 * run is doing, how it ended, and the waits between calls.
 */
import type { ColumnInfo, ExportProgress, ResolverError, WorkbookInfo } from "../../../src/contract.js"
import type { PreviewRequest } from "./PreviewModel.js"
import type { Runner } from "./runners.js"
import type { SavedExport } from "./savedExports.js"

/** Backoff for network and server errors: 1 s, 2 s, 4 s, … capped at 30 s. */
export const BACKOFF_BASE_MS = 1_000
export const BACKOFF_CAP_MS = 30_000
/** Consecutive network/server failures before the run stops and offers "Try again". */
export const MAX_CONSECUTIVE_FAILURES = 6
/** When a quota error carries no reset time, look again after this long. */
export const QUOTA_RECHECK_MS = 60_000
/** How often the page refreshes countdowns while waiting, and the time a call has been out. */
export const TICK_MS = 1_000

/** What the screen asks for (as the preview shows it), and the zone the file's dates are written in. */
export interface ExportRequest extends PreviewRequest {
  readonly timeZone?: string
}

/** What the run is doing right now, in the terms the page words it. */
export type Activity =
  | { readonly kind: "starting" }
  /** `note`: the steward's word that this export will pause to leave Jira's shared allowance to others. */
  | { readonly kind: "fetching"; readonly note?: string }
  /** Jira asked to slow down (429), or a retry after a network/server error. */
  | {
      readonly kind: "waiting"
      readonly until: number
      readonly reason: "rateLimit" | "retry"
      readonly attempt: number
    }
  /**
   * The app's hourly quota is spent, or (`by: "steward"`) this export used what it may of the pool
   * Jira shares between every customer of the app; resumes by itself at `until`.
   */
  | { readonly kind: "paused"; readonly until: number; readonly by?: "steward" }

export interface ExportSummary {
  readonly issues: number
  readonly durationMs: number
  readonly missing: ReadonlyArray<string>
  readonly truncatedCells: number
  /** Times Jira's page token expired and the export found its place again. */
  readonly relocations: number
  /** The export's notes (the contract's `ExportProgress.notes`). */
  readonly notes: ReadonlyArray<string>
  /** Why the export read its pages one after another (its order cannot be cut into parts), when it did. */
  readonly sequentialReason?: string
}

export interface ExportFile {
  readonly name: string
  readonly blob: Blob
  readonly size: number
}

export type ExportState =
  | { readonly kind: "idle" }
  | { readonly kind: "running"; readonly activity: Activity }
  | { readonly kind: "cancelled" }
  | { readonly kind: "failed"; readonly error: ResolverError; readonly canResume: boolean }
  | { readonly kind: "done"; readonly file: ExportFile; readonly summary: ExportSummary }

export const emptyProgress: ExportProgress = { done: 0, total: null, missing: [], truncatedCells: 0 }

/** Where a stopped run can go on from. */
export interface Position {
  readonly request: ExportRequest
  readonly parts: Blob[]
  readonly runner: Runner
  readonly saved: SavedExport<ExportRequest> | undefined
  readonly cursor: string | null
  /** Said by export/start, which a resumed run does not call again. */
  readonly sequentialReason: string | undefined
  /** A workbook's columns and what zipping it needs (export/start's answer); absent for a CSV. */
  readonly workbook?: { readonly info: WorkbookInfo; readonly columns: ReadonlyArray<ColumnInfo> }
}

/** A call's outcome after its waits and retries: its value, or nothing more to do (stopped or failed). */
export type Step<A> = { readonly ok: true; readonly value: A } | { readonly ok: false }

/** Exponential backoff for the n-th consecutive failure (n ≥ 1). */
export const backoff = (n: number): number => Math.min(BACKOFF_CAP_MS, BACKOFF_BASE_MS * 2 ** (n - 1))
