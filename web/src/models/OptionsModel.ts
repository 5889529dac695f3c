/**
 * The export options the user sees and changes. The page always sends the full set it shows, so what is
 * on screen is exactly what the file gets; choosing a preset resets the rest to that preset's defaults
 * (spreadsheet: BOM, formula guard, spreadsheet dates; data: none of these, ISO dates; jira-import: a
 * file for Jira's CSV importer, with account ids, the importer's dates and columns per value). The
 * mode (issues or change history) and its field filter are not a preset's: a preset change keeps them.
 */

import {
  DEFAULT_VALUE_COLUMNS,
  MAX_HISTORY_FIELDS,
  MAX_VALUE_COLUMNS,
  PRESET_DEFAULTS,
} from "../../../src/contract/constants.js"
import type {
  Delimiter,
  ExportOptionsInput,
  FieldInfo,
  FileFormat,
  Preset,
  UserDisplay,
} from "../../../src/contract.js"
import { type ReadSignal, type Signal, signal } from "../state/signal.js"
import { resolveHistoryFields } from "./historyFields.js"

/** `importer`: the `jira-import` preset's own date pattern (the backend's preset default). */
export type DateChoice = "spreadsheet" | "iso" | "importer"

/** `issues`: one row per issue, with the chosen columns; `history`: one row per changed item. */
export type ExportMode = "issues" | "history"

export interface ExportOptions {
  readonly mode: ExportMode
  /** History mode: only changes of these field ids (at most `MAX_HISTORY_FIELDS`); empty: every change. */
  readonly historyFields: ReadonlyArray<string>
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
  /** A CSV file, or an Excel workbook (never for Jira's importer, which reads CSV). */
  readonly file: FileFormat
}

/** A preset's options as the page shows them: the contract's definition (PRESET_DEFAULTS), once. */
export const presetDefaults = (preset: Preset): ExportOptions => {
  const d = PRESET_DEFAULTS[preset]
  return {
    mode: "issues",
    historyFields: [],
    preset,
    delimiter: d.delimiter,
    // A pattern is the jira-import preset's own: the page shows it as the importer's dates.
    dateFormat: typeof d.dateFormat === "string" ? d.dateFormat : "importer",
    timeZone: d.timeZone,
    userDisplay: d.userDisplay,
    bom: d.bom,
    formulaGuard: d.formulaGuard,
    valueColumns: DEFAULT_VALUE_COLUMNS,
    file: "csv",
  }
}

const isPreset = (name: unknown): name is Preset =>
  typeof name === "string" && Object.hasOwn(PRESET_DEFAULTS, name)
const delimiters: ReadonlyArray<Delimiter> = [",", ";", "\t", "|"]
const userDisplays: ReadonlyArray<UserDisplay> = ["displayName", "email", "accountId"]

const isValueColumns = (n: unknown): n is number =>
  typeof n === "number" && Number.isInteger(n) && n >= 1 && n <= MAX_VALUE_COLUMNS

/** Saved options come from storage unchecked: a history mode is kept only in the contract's shape. */
const restoreHistory = (saved: unknown): Pick<ExportOptions, "mode" | "historyFields"> | undefined => {
  if (typeof saved !== "object" || saved === null || Array.isArray(saved)) return undefined
  const fields: unknown = "fields" in saved ? saved.fields : undefined
  if (fields === undefined) return { mode: "history", historyFields: [] }
  if (!Array.isArray(fields) || fields.length > MAX_HISTORY_FIELDS) return undefined
  const ids = fields.filter((f): f is string => typeof f === "string" && f !== "")
  return ids.length === fields.length ? { mode: "history", historyFields: ids } : undefined
}

/** Restores saved options, keeping only values that are still valid. */
export const restoreOptions = (saved: ExportOptionsInput | undefined): ExportOptions => {
  const base = presetDefaults(isPreset(saved?.preset) ? saved.preset : "spreadsheet")
  if (saved === undefined) return base
  return {
    ...(restoreHistory(saved.history) ?? { mode: base.mode, historyFields: base.historyFields }),
    preset: base.preset,
    delimiter: delimiters.find((d) => d === saved.delimiter) ?? base.delimiter,
    dateFormat:
      saved.dateFormat === "iso" || saved.dateFormat === "spreadsheet" ? saved.dateFormat : base.dateFormat,
    timeZone: saved.timeZone === "UTC" ? "UTC" : "user",
    userDisplay: userDisplays.find((u) => u === saved.userDisplay) ?? base.userDisplay,
    bom: typeof saved.bom === "boolean" ? saved.bom : base.bom,
    formulaGuard: typeof saved.formulaGuard === "boolean" ? saved.formulaGuard : base.formulaGuard,
    valueColumns: isValueColumns(saved.valueColumns) ? saved.valueColumns : base.valueColumns,
    file: saved.format === "xlsx" && base.preset !== "jira-import" ? "xlsx" : "csv",
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
  ...(o.file === "xlsx" ? { format: "xlsx" } : {}),
  ...(o.mode === "history"
    ? { history: o.historyFields.length === 0 ? {} : { fields: o.historyFields } }
    : {}),
})

export class OptionsModel {
  readonly #options: Signal<ExportOptions>
  readonly #onChange: (options: ExportOptions) => void
  /** The history field filter as typed (names or ids, comma-separated). */
  readonly #historyText: Signal<string>
  /** Why the typed filter cannot be used; while set, the page does not export. */
  readonly #historyProblem: Signal<string | undefined> = signal<string | undefined>(undefined)
  constructor(initial: ExportOptions, onChange: (options: ExportOptions) => void) {
    this.#options = signal(initial)
    this.#historyText = signal(initial.historyFields.join(", "))
    this.#onChange = onChange
  }
  get options(): ReadSignal<ExportOptions> {
    return this.#options
  }
  get historyText(): ReadSignal<string> {
    return this.#historyText
  }
  get historyProblem(): ReadSignal<string | undefined> {
    return this.#historyProblem
  }
  /** Chooses a preset; the other options go back to its defaults, the mode, its filter and the file stay. */
  setPreset(preset: Preset): void {
    const { mode, historyFields, file } = this.#options.peek()
    this.#set({
      ...presetDefaults(preset),
      mode,
      historyFields,
      file: preset === "jira-import" ? "csv" : file,
    })
  }
  set<K extends keyof Omit<ExportOptions, "preset" | "historyFields">>(
    key: K,
    value: ExportOptions[K],
  ): void {
    this.#set({ ...this.#options.peek(), [key]: value })
  }
  /**
   * Takes the typed history filter, resolved against the picker's fields. A filter that cannot be
   * used keeps the last good one and says why, so the preview never shows what the file would not hold.
   */
  setHistoryFields(text: string, fields: ReadonlyArray<FieldInfo>): void {
    this.#historyText.value = text
    const resolved = resolveHistoryFields(text, fields)
    this.#historyProblem.value = resolved.ok ? undefined : resolved.message
    if (!resolved.ok) return
    const current = this.#options.peek().historyFields
    const same = current.length === resolved.ids.length && current.every((id, i) => id === resolved.ids[i])
    if (!same) this.#set({ ...this.#options.peek(), historyFields: resolved.ids })
  }
  #set(next: ExportOptions): void {
    this.#options.value = next
    this.#onChange(next)
  }
}
