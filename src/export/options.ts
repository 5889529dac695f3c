/**
 * Export options: what the user chose (`ExportOptionsInput`, every field optional) completed from a
 * preset into the options the CSV encoder and the field formatters run with. Pure; no Effect runtime.
 */
import { Either } from "effect"
import type { ExportOptionsInput } from "../contract.js"

/** How the CSV encoder writes cells and rows (RFC 4180, https://www.rfc-editor.org/rfc/rfc4180). */
export interface CsvOptions {
  readonly delimiter: "," | ";" | "\t" | "|"
  readonly lineEnding: "\r\n" | "\n"
  /** A UTF-8 byte order mark, so Excel reads the file as UTF-8 rather than the ANSI code page. */
  readonly bom: boolean
  /** OWASP CSV injection rule: https://owasp.org/www-community/attacks/CSV_Injection */
  readonly formulaGuard: boolean
  /** Cut cells at Excel's 32,767-character cell limit, with a visible marker. */
  readonly truncateLongCells: boolean
}

/** How field values become cell text. */
export interface FormatOptions {
  readonly dateFormat: "iso" | "spreadsheet" | { readonly pattern: string }
  /** An IANA zone name or "UTC", already resolved (never "user"). */
  readonly timeZone: string
  readonly userDisplay: "displayName" | "email" | "accountId"
  readonly multiValueSeparator: string
  readonly durationFormat: "jira" | "hours"
  /** Jira's working-day length, used to write `1d` in Jira durations. */
  readonly hoursPerDay: number
  readonly daysPerWeek: number
}

export interface ResolvedOptions {
  readonly preset: "spreadsheet" | "data"
  readonly csv: CsvOptions
  readonly format: FormatOptions
  readonly strategy: "auto" | "thrifty" | "fast"
}

/** Jira's defaults for time tracking (Settings > Time tracking): 8-hour days, 5-day weeks. */
export const DEFAULT_HOURS_PER_DAY = 8
export const DEFAULT_DAYS_PER_WEEK = 5
export const DEFAULT_MULTI_VALUE_SEPARATOR = "; "

/** The two presets: a file for Excel/LibreOffice users, and a file for programs. */
export const PRESETS: Readonly<Record<ResolvedOptions["preset"], ResolvedOptions>> = {
  spreadsheet: {
    preset: "spreadsheet",
    csv: { delimiter: ",", lineEnding: "\r\n", bom: true, formulaGuard: true, truncateLongCells: true },
    format: {
      dateFormat: "spreadsheet",
      timeZone: "UTC",
      userDisplay: "displayName",
      multiValueSeparator: DEFAULT_MULTI_VALUE_SEPARATOR,
      durationFormat: "jira",
      hoursPerDay: DEFAULT_HOURS_PER_DAY,
      daysPerWeek: DEFAULT_DAYS_PER_WEEK,
    },
    strategy: "auto",
  },
  data: {
    preset: "data",
    csv: { delimiter: ",", lineEnding: "\n", bom: false, formulaGuard: false, truncateLongCells: false },
    format: {
      dateFormat: "iso",
      timeZone: "UTC",
      userDisplay: "displayName",
      multiValueSeparator: DEFAULT_MULTI_VALUE_SEPARATOR,
      durationFormat: "jira",
      hoursPerDay: DEFAULT_HOURS_PER_DAY,
      daysPerWeek: DEFAULT_DAYS_PER_WEEK,
    },
    strategy: "auto",
  },
}

/**
 * Whether the runtime knows `zone` as a time zone. `Intl.DateTimeFormat` is the only portable check
 * (it also accepts aliases such as `Asia/Calcutta`, which `Intl.supportedValuesOf` does not list).
 */
export const isValidTimeZone = (zone: string): boolean =>
  zone.length > 0 && Either.isRight(Either.try(() => new Intl.DateTimeFormat("en-US", { timeZone: zone })))

/**
 * Completes the user's choices from the preset (`spreadsheet` unless said otherwise). The time zone
 * `user` (or none) becomes `userTimeZone`, the zone of the user's Jira profile; a zone the runtime does
 * not know is refused with a sentence for the user.
 */
export const resolveOptions = (
  input: ExportOptionsInput | undefined,
  userTimeZone: string,
): Either.Either<ResolvedOptions, string> => {
  const base = PRESETS[input?.preset ?? "spreadsheet"]
  const requested = input?.timeZone
  const zone =
    requested === undefined || requested.toLowerCase() === "user"
      ? userTimeZone
      : requested.toUpperCase() === "UTC"
        ? "UTC"
        : requested
  if (!isValidTimeZone(zone)) {
    return Either.left(
      requested === undefined || requested.toLowerCase() === "user"
        ? `Your Jira profile's time zone "${zone}" is not one this app knows; choose UTC or a time zone such as Europe/Berlin.`
        : `"${zone}" is not a time zone this app knows; use UTC or a name such as Europe/Berlin.`,
    )
  }
  const lineEnding =
    input?.lineEnding === undefined ? base.csv.lineEnding : input.lineEnding === "crlf" ? "\r\n" : "\n"
  return Either.right({
    preset: base.preset,
    csv: {
      delimiter: input?.delimiter ?? base.csv.delimiter,
      lineEnding,
      bom: input?.bom ?? base.csv.bom,
      formulaGuard: input?.formulaGuard ?? base.csv.formulaGuard,
      truncateLongCells: input?.truncateLongCells ?? base.csv.truncateLongCells,
    },
    format: {
      dateFormat: input?.dateFormat ?? base.format.dateFormat,
      timeZone: zone,
      userDisplay: input?.userDisplay ?? base.format.userDisplay,
      multiValueSeparator: input?.multiValueSeparator ?? base.format.multiValueSeparator,
      durationFormat: input?.durationFormat ?? base.format.durationFormat,
      hoursPerDay: input?.hoursPerDay ?? base.format.hoursPerDay,
      daysPerWeek: input?.daysPerWeek ?? base.format.daysPerWeek,
    },
    strategy: input?.strategy ?? base.strategy,
  })
}
