/**
 * The export options the user sees and changes. The page always sends the full set it shows, so what is
 * on screen is exactly what the file gets; choosing a preset resets the rest to that preset's defaults
 * (spreadsheet: BOM, formula guard, spreadsheet dates; data: none of these, ISO dates).
 */
import type { Delimiter, ExportOptionsInput, Preset, UserDisplay } from "../../../src/contract.js"
import { type ReadSignal, type Signal, signal } from "../state/signal.js"

export type DateChoice = "spreadsheet" | "iso"

export interface ExportOptions {
  readonly preset: Preset
  readonly delimiter: Delimiter
  readonly dateFormat: DateChoice
  /** `user` (the Jira profile's zone) or `UTC`. */
  readonly timeZone: "user" | "UTC"
  readonly userDisplay: UserDisplay
  readonly bom: boolean
  readonly formulaGuard: boolean
}

export const presetDefaults = (preset: Preset): ExportOptions =>
  preset === "data"
    ? {
        preset,
        delimiter: ",",
        dateFormat: "iso",
        timeZone: "user",
        userDisplay: "displayName",
        bom: false,
        formulaGuard: false,
      }
    : {
        preset,
        delimiter: ",",
        dateFormat: "spreadsheet",
        timeZone: "user",
        userDisplay: "displayName",
        bom: true,
        formulaGuard: true,
      }

const delimiters: ReadonlyArray<Delimiter> = [",", ";", "\t", "|"]
const userDisplays: ReadonlyArray<UserDisplay> = ["displayName", "email", "accountId"]

/** Restores saved options, keeping only values that are still valid. */
export const restoreOptions = (saved: ExportOptionsInput | undefined): ExportOptions => {
  const base = presetDefaults(saved?.preset === "data" ? "data" : "spreadsheet")
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
  }
}

/** The options as the contract takes them. */
export const toInput = (o: ExportOptions): ExportOptionsInput => ({
  preset: o.preset,
  delimiter: o.delimiter,
  dateFormat: o.dateFormat,
  timeZone: o.timeZone,
  userDisplay: o.userDisplay,
  bom: o.bom,
  formulaGuard: o.formulaGuard,
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
