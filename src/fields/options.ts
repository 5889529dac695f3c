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
  readonly durationFormat: "jira" | "hours"
  /** Jira's working-day length, used to write `1d` in Jira durations. */
  readonly hoursPerDay: number
  readonly daysPerWeek: number
}
