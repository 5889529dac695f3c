/**
 * The building blocks of the resolver contract (src/contract.ts): the bounded strings every payload
 * uses, and the export options the page, the CLI and the cursor share.
 */
import { Schema } from "effect"
import {
  MAX_COLUMN_REF_LENGTH,
  MAX_COLUMNS,
  MAX_HISTORY_FIELDS,
  MAX_JQL_LENGTH,
  MAX_SELECTED_ISSUES,
  MAX_SITE_URL_LENGTH,
  MAX_VALUE_COLUMNS,
  SITE_URL_PATTERN,
} from "./constants.js"

export const Jql = Schema.String.pipe(Schema.maxLength(MAX_JQL_LENGTH))
export const ColumnRef = Schema.String.pipe(Schema.minLength(1), Schema.maxLength(MAX_COLUMN_REF_LENGTH))
export const Columns = Schema.Array(ColumnRef).pipe(Schema.maxItems(MAX_COLUMNS))
/** An issue key as Jira writes it (`ABC-123`). */
export const IssueKey = Schema.String.pipe(
  Schema.maxLength(64),
  Schema.pattern(/^[A-Za-z][A-Za-z0-9_]*-[1-9][0-9]{0,14}$/),
)
/**
 * Issues the user selected (the issue navigator's ticks), in the navigator's order: the preview and
 * the export then hold exactly these, in this order, instead of the query's issues.
 */
export const IssueKeys = Schema.Array(IssueKey).pipe(Schema.minItems(1), Schema.maxItems(MAX_SELECTED_ISSUES))
/**
 * The site's base URL as the page's `view.getContext()` gives it (`siteUrl`), for the Issue URL
 * column: a Forge resolver's context has only the cloud id. Optional; without it the resolver uses
 * the site part of the issues' `self` links when it can.
 */
export const SiteUrl = Schema.String.pipe(
  Schema.maxLength(MAX_SITE_URL_LENGTH),
  Schema.pattern(SITE_URL_PATTERN),
)

// ---------------------------------------------------------------------------------------------
// Export options

/**
 * `spreadsheet` (Excel, LibreOffice, Google Sheets), `data` (programs), `jira-import` (Jira's own CSV
 * importer, docs/jira-cloud.md §12).
 */
export const Preset = Schema.Literal("spreadsheet", "data", "jira-import")
export type Preset = typeof Preset.Type

export const Delimiter = Schema.Literal(",", ";", "\t", "|")
export type Delimiter = typeof Delimiter.Type

export const DateFormat = Schema.Union(
  Schema.Literal("iso", "spreadsheet"),
  Schema.Struct({ pattern: Schema.String.pipe(Schema.minLength(1), Schema.maxLength(64)) }),
)
export type DateFormat = typeof DateFormat.Type

export const UserDisplay = Schema.Literal("displayName", "email", "accountId")
export type UserDisplay = typeof UserDisplay.Type

export const DurationFormat = Schema.Literal("jira", "hours", "seconds")
export type DurationFormat = typeof DurationFormat.Type

export const Strategy = Schema.Literal("auto", "thrifty", "fast")

export const FileFormat = Schema.Literal("csv", "xlsx")
export type FileFormat = typeof FileFormat.Type

export const HistoryMode = Schema.Struct({
  fields: Schema.optional(
    Schema.Array(Schema.String.pipe(Schema.minLength(1), Schema.maxLength(255))).pipe(
      Schema.maxItems(MAX_HISTORY_FIELDS),
    ),
  ),
})
export type HistoryMode = typeof HistoryMode.Type
export type Strategy = typeof Strategy.Type

/**
 * What the user may choose. Every field is optional on the wire; the backend fills the rest from the
 * preset (`spreadsheet` unless said otherwise), see `src/export/options.ts`.
 */
export const ExportOptionsInput = Schema.Struct({
  preset: Schema.optional(Preset),
  delimiter: Schema.optional(Delimiter),
  lineEnding: Schema.optional(Schema.Literal("crlf", "lf")),
  bom: Schema.optional(Schema.Boolean),
  formulaGuard: Schema.optional(Schema.Boolean),
  truncateLongCells: Schema.optional(Schema.Boolean),
  dateFormat: Schema.optional(DateFormat),
  /** `user` (the user's Jira profile time zone), `UTC`, or an IANA zone name. */
  timeZone: Schema.optional(Schema.String.pipe(Schema.minLength(1), Schema.maxLength(64))),
  userDisplay: Schema.optional(UserDisplay),
  multiValueSeparator: Schema.optional(Schema.String.pipe(Schema.minLength(1), Schema.maxLength(8))),
  durationFormat: Schema.optional(DurationFormat),
  hoursPerDay: Schema.optional(Schema.Number.pipe(Schema.greaterThan(0), Schema.lessThanOrEqualTo(24))),
  daysPerWeek: Schema.optional(Schema.Number.pipe(Schema.greaterThan(0), Schema.lessThanOrEqualTo(7))),
  strategy: Schema.optional(Strategy),
  /**
   * The history export: one row per changed item (`Issue key, Date, Author, Field, From, To`) instead
   * of one row per issue; `fields` (up to 10 field ids, Jira's limit) keeps only their changes.
   */
  history: Schema.optional(HistoryMode),
  /**
   * `jira-import` only: the columns each multi-value field gets (one value per column, all with the
   * field's header). An issue with more values than this stops the export with a sentence.
   */
  valueColumns: Schema.optional(Schema.Int.pipe(Schema.between(1, MAX_VALUE_COLUMNS))),
  /**
   * The file: `csv` (the default), or `xlsx`, an Excel workbook with typed cells (src/xlsx); its
   * chunks' `csv` text is then sheet fragments, which the page zips with `workbookBytes`.
   */
  format: Schema.optional(FileFormat),
})
export type ExportOptionsInput = typeof ExportOptionsInput.Type
