/**
 * The export options the user sees and changes. The page always sends the full set it shows, so what is
 * on screen is exactly what the file gets; choosing a preset resets the rest to that preset's defaults
 * (spreadsheet: BOM, formula guard, spreadsheet dates; data: none of these, ISO dates; jira-import: a
 * file for Jira's CSV importer, with account ids, the importer's dates and columns per value).
 */

import { DEFAULT_VALUE_COLUMNS, MAX_VALUE_COLUMNS } from "../../../src/contract/constants.js"
import type { Delimiter, ExportOptionsInput, Preset, UserDisplay } from "../../../src/contract.js"
import { type ReadSignal, type Signal, signal } from "../state/signal.js"

/** `importer`: the `jira-import` preset's own date pattern (the backend's preset default). */
export type DateChoice = "spreadsheet" | "iso" | "importer"

export interface ExportOptions {
  readonly preset: Preset
  readonly delimiter: Delimiter
  readonly dateFormat: DateChoice
  /** `user` (the Jira profile's zone) or `UTC`. */
  readonly timeZone: "user" | "UTC"
  readonly userDisplay: UserDisplay
  readonly bom: boolean
  readonly formulaGuard: boolean
  /** Columns per multi-value field; only a `jira-import` file has them. */
  readonly valueColumns: number
}

export const presetDefaults = (preset: Preset): ExportOptions => {
  const common = { preset, delimiter: ",", timeZone: "user", valueColumns: DEFAULT_VALUE_COLUMNS } as const
  switch (preset) {
    case "data":
      return { ...common, dateFormat: "iso", userDisplay: "displayName", bom: false, formulaGuard: false }
    case "jira-import":
      return { ...common, dateFormat: "importer", userDisplay: "accountId", bom: false, formulaGuard: false }
    case "spreadsheet":
      return {
        ...common,
        dateFormat: "spreadsheet",
        userDisplay: "displayName",
        bom: true,
        formulaGuard: true,
      }
  }
}

const presets: ReadonlyArray<Preset> = ["spreadsheet", "data", "jira-import"]
const delimiters: ReadonlyArray<Delimiter> = [",", ";", "\t", "|"]
const userDisplays: ReadonlyArray<UserDisplay> = ["displayName", "email", "accountId"]

const isValueColumns = (n: unknown): n is number =>
  typeof n === "number" && Number.isInteger(n) && n >= 1 && n <= MAX_VALUE_COLUMNS

/** Restores saved options, keeping only values that are still valid. */
export const restoreOptions = (saved: ExportOptionsInput | undefined): ExportOptions => {
  const base = presetDefaults(presets.find((p) => p === saved?.preset) ?? "spreadsheet")
  if (saved === undefined) return base
  return {
    preset: base.preset,
    delimiter: delimiters.find((d) => d === saved.delimiter) ?? base.delimiter,
    dateFormat:
      saved.dateFormat === "iso" || saved.dateFormat === "spreadsheet" ? saved.dateFormat : base.dateFormat,
    timeZone: saved.timeZone === "UTC" ? "UTC" : "user",
    userDisplay: userDisplays.find((u) => u === saved.userDisplay) ?? base.userDisplay,
    bom: typeof saved.bom === "boolean" ? saved.bom : base.bom,
    formulaGuard: typeof saved.formulaGuard === "boolean" ? saved.formulaGuard : base.formulaGuard,
    valueColumns: isValueColumns(saved.valueColumns) ? saved.valueColumns : base.valueColumns,
  }
}

/** The options as the contract takes them. */
export const toInput = (o: ExportOptions): ExportOptionsInput => ({
  preset: o.preset,
  delimiter: o.delimiter,
  // The importer's pattern is the jira-import preset's default: leaving it out asks for exactly that.
  ...(o.dateFormat === "importer" ? {} : { dateFormat: o.dateFormat }),
  timeZone: o.timeZone,
  userDisplay: o.userDisplay,
  bom: o.bom,
  formulaGuard: o.formulaGuard,
  ...(o.preset === "jira-import" ? { valueColumns: o.valueColumns } : {}),
})

export class OptionsModel {
  readonly #options: Signal<ExportOptions>
  readonly #onChange: (options: ExportOptions) => void
  constructor(initial: ExportOptions, onChange: (options: ExportOptions) => void) {
    this.#options = signal(initial)
    this.#onChange = onChange
  }
  get options(): ReadSignal<ExportOptions> {
    return this.#options
  }
  /** Chooses a preset; the other options go back to its defaults. */
  setPreset(preset: Preset): void {
    this.#set(presetDefaults(preset))
  }
  set<K extends keyof Omit<ExportOptions, "preset">>(key: K, value: ExportOptions[K]): void {
    this.#set({ ...this.#options.peek(), [key]: value })
  }
  #set(next: ExportOptions): void {
    this.#options.value = next
    this.#onChange(next)
  }
}
