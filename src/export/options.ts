/**
 * Export options: what the user chose (`ExportOptionsInput`, every field optional) completed from a
 * preset into the options the CSV encoder (src/csv) and the field formatters (src/fields) run with.
 * Those layers define their own option types; this is where the contract's choices are mapped onto
 * them. Pure; no Effect runtime.
 */
import { Either } from "effect"
import { PRESET_DEFAULTS } from "../contract/constants.js"
import type { ExportOptionsInput, Preset, Strategy } from "../contract.js"
import type { CellKind, CsvOptions } from "../csv/encoder.js"
import type { Column } from "../fields/column.js"
import { isValidTimeZone, namedTimeZone } from "../fields/dates.js"
import type { FormatOptions } from "../fields/options.js"

export interface ResolvedOptions {
  readonly preset: Preset
  readonly csv: CsvOptions
  readonly format: FormatOptions
  readonly strategy: Strategy
}

/**
 * The presets (src/contract/constants.ts `PRESET_DEFAULTS`, which the page shows too) as the encoder
 * and the formatters take them. The zone is the export's own (`resolveOptions`).
 */
const presetOf = (preset: Preset): ResolvedOptions => {
  const d = PRESET_DEFAULTS[preset]
  return {
    preset,
    csv: {
      delimiter: d.delimiter,
      lineEnding: d.lineEnding === "crlf" ? "\r\n" : "\n",
      bom: d.bom,
      formulaGuard: d.formulaGuard,
      truncateLongCells: d.truncateLongCells,
    },
    format: {
      dateFormat: d.dateFormat,
      timeZone: "UTC",
      userDisplay: d.userDisplay,
      multiValueSeparator: d.multiValueSeparator,
      durationFormat: d.durationFormat,
      hoursPerDay: d.hoursPerDay,
      daysPerWeek: d.daysPerWeek,
      ...("valueColumns" in d ? { importer: { valueColumns: d.valueColumns } } : {}),
      // The file for programs keeps a value of unknown shape as JSON; the others write its text.
      ...(preset === "data" ? { jsonForUnknown: true } : {}),
    },
    strategy: d.strategy,
  }
}

export const PRESETS: Readonly<Record<Preset, ResolvedOptions>> = {
  spreadsheet: presetOf("spreadsheet"),
  data: presetOf("data"),
  "jira-import": presetOf("jira-import"),
}

/**
 * Completes the user's choices from the preset (`spreadsheet` unless said otherwise); `valueColumns`
 * means something only to the `jira-import` preset. `timeZone` is the zone the export writes dates in,
 * as `timeZoneFor` (planner.ts) chose it from the option or the user's Jira profile; a zone the
 * runtime does not know is refused with a sentence for the user.
 */
export const resolveOptions = (
  input: ExportOptionsInput | undefined,
  timeZone: string,
): Either.Either<ResolvedOptions, string> => {
  const base = PRESETS[input?.preset ?? "spreadsheet"]
  const zone = timeZone
  if (!isValidTimeZone(zone)) {
    return Either.left(
      namedTimeZone(input?.timeZone) === undefined
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
