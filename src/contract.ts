/**
 * The resolver contract shared by the backend (`src/`) and the Custom UI (`web/`).
 *
 * The backend decodes every payload with these schemas (with size bounds, so a hostile or buggy
 * caller gets a typed `BadPayload` error, never a crash). The UI imports only the *types* from this
 * file (`import type`), so Effect stays out of the browser bundle; the plain values both sides use
 * (resolver keys, default columns, bounds, Forge's limits) live in the Effect-free
 * `src/contract/constants.ts`, which this file re-exports, as it re-exports the export options and the
 * bounded strings payloads share (`src/contract/options.ts`) and the shape of an answer and its errors
 * (`src/contract/errors.ts`).
 *
 * Every resolver answers a {@link Result}: `{ ok: true, value }` or `{ ok: false, error }`, where the
 * error carries a `tag` the UI can branch on and a `message` that is one sentence a user understands.
 */
import { Schema } from "effect"
import { MAX_CURSOR_LENGTH, MAX_LISTED_FILTERS, ResolverKey } from "./contract/constants.js"
import { EmptyPayload } from "./contract/errors.js"
import { Columns, ExportOptionsInput, IssueKeys, Jql, SiteUrl } from "./contract/options.js"

export {
  DEFAULT_COLUMNS,
  DEFAULT_VALUE_COLUMNS,
  FORGE_LIMITS,
  MAX_COLUMN_REF_LENGTH,
  MAX_COLUMNS,
  MAX_CURSOR_LENGTH,
  MAX_HISTORY_FIELDS,
  MAX_JQL_LENGTH,
  MAX_LISTED_FILTERS,
  MAX_PAYLOAD_DEPTH,
  MAX_SELECTED_ISSUES,
  MAX_VALUE_COLUMNS,
  ResolverKey,
} from "./contract/constants.js"

export * from "./contract/errors.js"
export * from "./contract/options.js"
// ---------------------------------------------------------------------------------------------
// session/whoami

export const WhoamiPayload = EmptyPayload
export const Whoami = Schema.Struct({
  accountId: Schema.String,
  displayName: Schema.String,
  timeZone: Schema.String,
  locale: Schema.optional(Schema.String),
  emailAddress: Schema.optional(Schema.String),
})
export type Whoami = typeof Whoami.Type

// ---------------------------------------------------------------------------------------------
// fields/list

export const FieldsPayload = EmptyPayload
export const FieldInfo = Schema.Struct({
  /** The column reference to send back: a field id (`summary`, `customfield_10010`) or a pseudo-column id. */
  id: Schema.String,
  name: Schema.String,
  /** The header this column gets (the name, disambiguated with the id when two fields share it). */
  header: Schema.String,
  custom: Schema.Boolean,
  /** A short type label for the picker: `string`, `user`, `array<option>`, `datetime`, … */
  type: Schema.String,
  /** What a computed column means (the history columns' definitions), shown in the picker. */
  help: Schema.optional(Schema.String),
})
export type FieldInfo = typeof FieldInfo.Type
export const FieldList = Schema.Struct({
  fields: Schema.Array(FieldInfo),
  /** The default column ids, in order. */
  defaults: Schema.Array(Schema.String),
})
export type FieldList = typeof FieldList.Type

// ---------------------------------------------------------------------------------------------
// jql/parse, jql/autocomplete, jql/suggestions

export const JqlParsePayload = Schema.Struct({ jql: Jql })
export const JqlProblem = Schema.Struct({
  message: Schema.String,
  /** 1-based line and character when Jira's message names them. */
  line: Schema.optional(Schema.Number),
  character: Schema.optional(Schema.Number),
})
export type JqlProblem = typeof JqlProblem.Type
export const JqlParseResult = Schema.Struct({
  valid: Schema.Boolean,
  errors: Schema.Array(JqlProblem),
  warnings: Schema.Array(JqlProblem),
})
export type JqlParseResult = typeof JqlParseResult.Type

export const JqlAutocompletePayload = EmptyPayload
export const JqlAutocomplete = Schema.Struct({
  fields: Schema.Array(
    Schema.Struct({
      value: Schema.String,
      displayName: Schema.String,
      operators: Schema.Array(Schema.String),
      types: Schema.Array(Schema.String),
    }),
  ),
  functions: Schema.Array(Schema.Struct({ value: Schema.String, displayName: Schema.String })),
  reservedWords: Schema.Array(Schema.String),
})
export type JqlAutocomplete = typeof JqlAutocomplete.Type

export const JqlSuggestionsPayload = Schema.Struct({
  fieldName: Schema.String.pipe(Schema.minLength(1), Schema.maxLength(255)),
  fieldValue: Schema.String.pipe(Schema.maxLength(255)),
})
export const JqlSuggestions = Schema.Struct({
  /** `displayName` may contain `<b>` around the matched text, as Jira sends it. */
  results: Schema.Array(Schema.Struct({ value: Schema.String, displayName: Schema.String })),
})
export type JqlSuggestions = typeof JqlSuggestions.Type

// ---------------------------------------------------------------------------------------------
// preview/page

export const PreviewPayload = Schema.Struct({
  jql: Jql,
  columns: Columns,
  options: Schema.optional(ExportOptionsInput),
  /** Jira's token for the next preview page; absent for the first page. */
  nextPageToken: Schema.optional(Schema.String.pipe(Schema.maxLength(4096))),
  pageSize: Schema.optional(Schema.Int.pipe(Schema.between(1, 100))),
  siteUrl: Schema.optional(SiteUrl),
  issueKeys: Schema.optional(IssueKeys),
})
export const ColumnInfo = Schema.Struct({
  id: Schema.String,
  header: Schema.String,
  /** `number` cells are written unquoted and never formula-guarded. */
  kind: Schema.Literal("text", "number", "date", "datetime"),
})
export type ColumnInfo = typeof ColumnInfo.Type
export const PreviewPage = Schema.Struct({
  columns: Schema.Array(ColumnInfo),
  /** One row per issue: exactly the cell text the CSV will hold (before CSV quoting). */
  rows: Schema.Array(Schema.Array(Schema.String)),
  issueKeys: Schema.Array(Schema.String),
  nextPageToken: Schema.NullOr(Schema.String),
  approximateTotal: Schema.NullOr(Schema.Number),
})
export type PreviewPage = typeof PreviewPage.Type

// ---------------------------------------------------------------------------------------------
// export/start, export/next

export const ExportStartPayload = Schema.Struct({
  jql: Jql,
  columns: Columns,
  options: Schema.optional(ExportOptionsInput),
  siteUrl: Schema.optional(SiteUrl),
  issueKeys: Schema.optional(IssueKeys),
})
export type ExportStartPayload = typeof ExportStartPayload.Type

export const ExportProgress = Schema.Struct({
  /** Issues written so far. */
  done: Schema.Number,
  /** Jira's approximate count at the start; null when unknown. */
  total: Schema.NullOr(Schema.Number),
  /** Keys (or ids) of issues that matched but could not be read any more (deleted or moved mid-export). */
  missing: Schema.Array(Schema.String),
  /** Cells cut at Excel's 32,767-character limit. */
  truncatedCells: Schema.Number,
  /** Times Jira refused an expired page token and the export found its place again (when any). */
  relocations: Schema.optional(Schema.Number),
  /**
   * What the export has to say of its data so far, one sentence each (the statuses it summed in "Time
   * in statuses no longer in a workflow (h)"); the page shows them and puts them on the About sheet.
   */
  notes: Schema.optional(Schema.Array(Schema.String)),
})
export type ExportProgress = typeof ExportProgress.Type

/**
 * What the page needs, besides the columns and the count, to zip an Excel workbook's fragments
 * (src/xlsx/workbook.ts `workbookBytes`): the sheet's name, the issue links' site, and the "About this
 * export" sheet's query, zone and as-of instant (epoch ms).
 */
export const WorkbookInfo = Schema.Struct({
  sheetName: Schema.String,
  siteUrl: Schema.String,
  query: Schema.String,
  timeZone: Schema.String,
  asOf: Schema.Number,
})
export type WorkbookInfo = typeof WorkbookInfo.Type

export const ExportStarted = Schema.Struct({
  /** The first CSV text of the file: the optional BOM and the header row (empty for a workbook). */
  csv: Schema.String,
  columns: Schema.Array(ColumnInfo),
  approximateTotal: Schema.NullOr(Schema.Number),
  /** The strategy chosen (`auto` resolved). */
  strategy: Schema.Literal("thrifty", "fast"),
  /** Why thrifty reads this query one page after another (its order cannot be cut into parts), when it does. */
  sequentialReason: Schema.optional(Schema.String),
  /**
   * The app's steward of Jira's shared points allowance will pause this export (it needs more than
   * one window's share): a sentence for the page to show before it runs.
   */
  allowanceNote: Schema.optional(Schema.String),
  cursor: Schema.String,
  /** With `format: "xlsx"`: the chunks' text is sheet fragments, zipped by the page with this. */
  workbook: Schema.optional(WorkbookInfo),
  /**
   * The app's points left this hour as Jira's latest answer said (absent when it did not): the page
   * runs a large spend in the browser instead (web/src/models/runners.ts).
   */
  pointsLeft: Schema.optional(Schema.Number),
})
export type ExportStarted = typeof ExportStarted.Type

export const ExportNextPayload = Schema.Struct({
  cursor: Schema.String.pipe(Schema.minLength(1), Schema.maxLength(MAX_CURSOR_LENGTH)),
})
export type ExportNextPayload = typeof ExportNextPayload.Type

export const ExportChunk = Schema.Struct({
  /** CSV text to append (possibly empty while waiting); a workbook's sheet fragments. */
  csv: Schema.String,
  /** The cursor for the next call; null when the export is complete. */
  cursor: Schema.NullOr(Schema.String),
  progress: ExportProgress,
  /** Jira asked us to slow down: call again with `cursor` after this many ms. */
  retryAfterMs: Schema.optional(Schema.Number),
  /** The app's hourly points quota is spent: call again with `cursor` at this time (ISO 8601). */
  pausedUntil: Schema.optional(Schema.String),
  /**
   * Set when the pause is the app's own: the export reached what it may spend of Jira's points pool
   * shared by every customer (the steward), while Jira would still answer.
   */
  pausedBy: Schema.optional(Schema.Literal("steward")),
})
export type ExportChunk = typeof ExportChunk.Type

// ---------------------------------------------------------------------------------------------
// context/start, filters/list

/**
 * The page's `view.getContext().extension`, passed on as it is: the resolver decodes it as untrusted
 * input (docs/forge.md §3), so it is only bounded here.
 */
export const ContextStartPayload = Schema.Struct({
  extension: Schema.Unknown,
})
export type ContextStartPayload = typeof ContextStartPayload.Type

export const StartingPoint = Schema.Struct({
  /** Which place opened the page. */
  origin: Schema.Literal("global", "navigator", "board", "sprint", "project"),
  /** Where the user came from, for the page's heading ("Sprint ALPHA Sprint 2", "Filter Open bugs"). */
  label: Schema.String,
  /** The query to start with; empty on the global page. */
  jql: Schema.String,
  /** The issues the user selected in the navigator, in its order; empty when none. */
  selectedKeys: Schema.Array(Schema.String),
  /** The saved filter's own columns (field ids, as the page's columns name them); null when none. */
  columns: Schema.NullOr(Schema.Array(Schema.String)),
  /** The saved filter on screen, when there is one. */
  filter: Schema.NullOr(Schema.Struct({ id: Schema.String, name: Schema.String })),
  /** What the place sent that the app cannot take as it is (too many selected issues, too long a query). */
  notice: Schema.optional(Schema.String),
})
export type StartingPoint = typeof StartingPoint.Type

export const FiltersListPayload = EmptyPayload
export const FilterSummary = Schema.Struct({
  id: Schema.String,
  name: Schema.String,
  jql: Schema.String,
  starred: Schema.Boolean,
  /** Owned by the signed-in user. */
  mine: Schema.Boolean,
  ownerName: Schema.NullOr(Schema.String),
})
export type FilterSummary = typeof FilterSummary.Type
export const FilterList = Schema.Struct({
  /** Starred first, then the user's own, then the rest; by name within each. */
  filters: Schema.Array(FilterSummary).pipe(Schema.maxItems(MAX_LISTED_FILTERS)),
})
export type FilterList = typeof FilterList.Type

// ---------------------------------------------------------------------------------------------
// Every resolver, by key

/** An empty payload, as the page sends it. */
type Empty = Record<string, never>

/**
 * What each resolver takes and answers. The page's bridge is typed by it, and the Forge handler
 * must define every key with an effect of the right answer.
 */
export interface ResolverCalls {
  [ResolverKey.whoami]: { payload: Empty; answer: Whoami }
  [ResolverKey.fields]: { payload: Empty; answer: FieldList }
  [ResolverKey.jqlParse]: { payload: typeof JqlParsePayload.Type; answer: JqlParseResult }
  [ResolverKey.jqlAutocomplete]: { payload: Empty; answer: JqlAutocomplete }
  [ResolverKey.jqlSuggestions]: { payload: typeof JqlSuggestionsPayload.Type; answer: JqlSuggestions }
  [ResolverKey.preview]: { payload: typeof PreviewPayload.Type; answer: PreviewPage }
  [ResolverKey.exportStart]: { payload: ExportStartPayload; answer: ExportStarted }
  [ResolverKey.exportNext]: { payload: ExportNextPayload; answer: ExportChunk }
  [ResolverKey.contextStart]: { payload: ContextStartPayload; answer: StartingPoint }
  [ResolverKey.filtersList]: { payload: Empty; answer: FilterList }
}
export type Payload<K extends ResolverKey> = ResolverCalls[K]["payload"]
export type Answer<K extends ResolverKey> = ResolverCalls[K]["answer"]
