/**
 * The field filter of a history export as the user types it: field names or ids, separated by commas,
 * resolved against the fields of the column picker. The backend takes field ids only, and at most
 * `MAX_HISTORY_FIELDS` of them (Jira's changelog bulk fetch takes no more, docs/jira-cloud.md §10).
 */
import { MAX_HISTORY_FIELDS } from "../../../src/contract/constants.js"
import type { FieldInfo } from "../../../src/contract.js"

export { MAX_HISTORY_FIELDS }

export type HistoryFields =
  | { readonly ok: true; readonly ids: ReadonlyArray<string> }
  | { readonly ok: false; readonly message: string }

/**
 * Computed columns (time in status and the like) never appear in a change history, so they cannot
 * be filtered on.
 */
const filterable = (field: FieldInfo) => field.type !== "history"

/** Ids, in the order typed and without repeats; an empty text keeps every field's changes. */
export const resolveHistoryFields = (text: string, fields: ReadonlyArray<FieldInfo>): HistoryFields => {
  const words = text
    .split(",")
    .map((w) => w.trim())
    .filter((w) => w !== "")
  const candidates = fields.filter(filterable)
  const ids: string[] = []
  for (const word of words) {
    const lower = word.toLowerCase()
    const byId = candidates.find((f) => f.id.toLowerCase() === lower)
    const byName = byId === undefined ? candidates.filter((f) => f.name.toLowerCase() === lower) : []
    if (byId === undefined && byName.length > 1)
      return {
        ok: false,
        message: `"${word}" names ${byName.length} fields; type one of their ids instead: ${byName.map((f) => f.id).join(", ")}.`,
      }
    const id = byId?.id ?? byName[0]?.id
    if (id === undefined)
      return {
        ok: false,
        message: `"${word}" is not a field you can pick; type a field's name or id as the Columns list shows it.`,
      }
    if (!ids.includes(id)) ids.push(id)
  }
  if (ids.length > MAX_HISTORY_FIELDS)
    return {
      ok: false,
      message: `Choose at most ${MAX_HISTORY_FIELDS} fields (Jira filters a change history by no more), or none for every change.`,
    }
  return { ok: true, ids }
}

/** The names of these ids, as the picker lists them (an id it does not list shows as itself). */
export const historyFieldNames = (
  ids: ReadonlyArray<string>,
  fields: ReadonlyArray<FieldInfo>,
): ReadonlyArray<string> => ids.map((id) => fields.find((f) => f.id === id)?.name ?? id)
