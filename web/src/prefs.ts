/**
 * What the page remembers per user between visits: the last query, the columns, the export options and
 * where exports run.
 * Kept in the iframe's localStorage under the account id; storage that throws (blocked, full) is ignored,
 * the page then simply starts fresh.
 */
import type { ExportOptionsInput } from "../../src/contract.js"

/** Options → "Run the export" (web/src/models/runners.ts `RunChoice`). */
export type SavedRunIn = "auto" | "browser" | "servers"

export interface Saved {
  readonly jql?: string
  readonly columns?: ReadonlyArray<string>
  readonly options?: ExportOptionsInput
  readonly runIn?: SavedRunIn
}

const isRunIn = (value: unknown): value is SavedRunIn =>
  value === "auto" || value === "browser" || value === "servers"

export interface Prefs {
  load(): Saved
  save(patch: Saved): void
}

const keyFor = (accountId: string) => `liquitim-export:v1:${accountId}`

const isStringArray = (value: unknown): value is ReadonlyArray<string> =>
  Array.isArray(value) && value.every((v) => typeof v === "string")

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value)

/** Reads back only what has the expected shape; anything else is dropped. */
const decode = (raw: string | null): Saved => {
  if (raw === null) return {}
  let parsed: unknown
  try {
    parsed = JSON.parse(raw)
  } catch {
    return {}
  }
  if (!isRecord(parsed)) return {}
  return {
    ...(typeof parsed.jql === "string" ? { jql: parsed.jql } : {}),
    ...(isStringArray(parsed.columns) ? { columns: parsed.columns } : {}),
    // Options are validated field by field by OptionsModel when they are applied.
    ...(isRecord(parsed.options) ? { options: parsed.options } : {}),
    ...(isRunIn(parsed.runIn) ? { runIn: parsed.runIn } : {}),
  }
}

/** Preferences of one user in `storage` (none when there is no account id or no storage). */
export const storagePrefs = (storage: Storage | undefined, accountId: string | undefined): Prefs => {
  if (storage === undefined || accountId === undefined) return { load: () => ({}), save: () => undefined }
  const key = keyFor(accountId)
  const read = (): Saved => {
    try {
      return decode(storage.getItem(key))
    } catch {
      return {}
    }
  }
  return {
    load: read,
    save: (patch) => {
      try {
        storage.setItem(key, JSON.stringify({ ...read(), ...patch }))
      } catch {
        // Storage full or blocked: remembering is a convenience, never a reason to fail.
      }
    },
  }
}

/** Safe access to `localStorage` (merely reading the property throws when storage is blocked). */
export const browserStorage = (): Storage | undefined => {
  try {
    return globalThis.localStorage
  } catch {
    return undefined
  }
}
