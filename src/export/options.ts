/**
 * Export options: what the user chose (`ExportOptionsInput`, every field optional) completed from a
 * preset into the options the CSV encoder (src/csv) and the field formatters (src/fields) run with.
 * Those layers define their own option types; this is where the contract's choices are mapped onto
 * them. Pure; no Effect runtime.
 */
import { Either } from "effect"
import { DEFAULT_VALUE_COLUMNS } from "../contract/constants.js"
import type { ExportOptionsInput, Preset, Strategy } from "../contract.js"
import type { CellKind, CsvOptions } from "../csv/encoder.js"
import type { Column } from "../fields/columns.js"
import { isValidTimeZone, namedTimeZone } from "../fields/dates.js"
import type { FormatOptions } from "../fields/options.js"

export interface ResolvedOptions {
  readonly preset: Preset
  readonly csv: CsvOptions
  readonly format: FormatOptions
  readonly strategy: Strategy
}

/** Jira's defaults for time tracking (Settings > Time tracking): 8-hour days, 5-day weeks. */
export const DEFAULT_HOURS_PER_DAY = 8
export const DEFAULT_DAYS_PER_WEEK = 5
export const DEFAULT_MULTI_VALUE_SEPARATOR = "; "

/**
 * The date pattern of `jira-import` files, to be typed into the importer's date format step: digits
 * only, so the month and AM/PM names of the importing user's language do not matter, and the same in
 * every date column (docs/jira-cloud.md §12).
 */
export const JIRA_IMPORT_DATE_PATTERN = "yyyy-MM-dd HH:mm"

/**
 * The presets: a file for Excel/LibreOffice users, a file for programs, and a file for Jira's own CSV
 * importer (docs/jira-cloud.md §12).
 */
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
      jsonForUnknown: true,
    },
    strategy: "auto",
  },
  // The importer reads cells as text: a formula guard's apostrophe would become part of the value,
  // and a cut cell would lose data, so neither is on; users are account ids, which it maps.
  "jira-import": {
    preset: "jira-import",
    csv: { delimiter: ",", lineEnding: "\r\n", bom: false, formulaGuard: false, truncateLongCells: false },
    format: {
      dateFormat: { pattern: JIRA_IMPORT_DATE_PATTERN },
      timeZone: "UTC",
      userDisplay: "accountId",
      multiValueSeparator: DEFAULT_MULTI_VALUE_SEPARATOR,
      durationFormat: "seconds",
      hoursPerDay: DEFAULT_HOURS_PER_DAY,
      daysPerWeek: DEFAULT_DAYS_PER_WEEK,
      importer: { valueColumns: DEFAULT_VALUE_COLUMNS },
    },
    strategy: "auto",
  },
}

/**
 * Completes the user's choices from the preset (`spreadsheet` unless said otherwise); `valueColumns`
 * means something only to the `jira-import` preset. The time zone
 * `user` (or none) becomes `userTimeZone`, the zone of the user's Jira profile; a zone the runtime does
 * not know is refused with a sentence for the user.
 */
export const resolveOptions = (
  input: ExportOptionsInput | undefined,
  userTimeZone: string,
): Either.Either<ResolvedOptions, string> => {
  const base = PRESETS[input?.preset ?? "spreadsheet"]
  const named = namedTimeZone(input?.timeZone)
  const zone = named ?? userTimeZone
  if (!isValidTimeZone(zone)) {
    return Either.left(
      named === undefined
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
      ...(base.format.jsonForUnknown === true ? { jsonForUnknown: true } : {}),
      ...(base.format.importer === undefined
        ? {}
        : { importer: { valueColumns: input?.valueColumns ?? base.format.importer.valueColumns } }),
    },
    strategy: input?.strategy ?? base.strategy,
  })
}

/** What the encoder needs of a column's kind: dates are text to it; only numbers are written apart. */
export const cellKindOf = (kind: Column["kind"]): CellKind => (kind === "number" ? "number" : "text")
