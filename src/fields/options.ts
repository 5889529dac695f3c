/**
 * How field values become cell text. The export engine completes the user's choices into these
 * (src/export/options.ts); the formatters only read them.
 */

export interface FormatOptions {
  readonly dateFormat: "iso" | "spreadsheet" | { readonly pattern: string }
  /** An IANA zone name or "UTC", already resolved (never "user": see `namedTimeZone` in dates.ts). */
  readonly timeZone: string
  readonly userDisplay: "displayName" | "email" | "accountId"
  readonly multiValueSeparator: string
  /** `jira` (`1w 2d`), decimal `hours`, or whole `seconds` (what Jira's CSV importer reads). */
  readonly durationFormat: "jira" | "hours" | "seconds"
  /** Jira's working-day length, used to write `1d` in Jira durations. */
  readonly hoursPerDay: number
  readonly daysPerWeek: number
  /**
   * A value whose shape no formatter knows: compact JSON when true (the `data` preset, for programs),
   * otherwise the best human text found in it (a name, value, message, …), never a JSON object.
   */
  readonly jsonForUnknown?: boolean
  /**
   * Present when the file is for Jira's CSV importer (docs/jira-cloud.md §12): every multi-value field
   * takes `valueColumns` columns of one value each, and comments, attachments and the parent are
   * written the way the importer reads them (importer.ts). Absent for files people or programs read.
   */
  readonly importer?: ImporterLayout
}

export interface ImporterLayout {
  /** Columns per multi-value field, all with the field's header; an issue with more values is refused. */
  readonly valueColumns: number
}
