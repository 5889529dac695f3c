/**
 * What the engine reads from a data set, row by row (row = position in ascending id order). The
 * emulator's own data set answers field by field without building whole issues; any other
 * `Dataset` is read through `issueAt`.
 */
import { type EmulatorDataset, FIRST_ISSUE_ID } from "../data/index.js"
import type { Dataset } from "../model.js"

export interface RowSource {
  readonly count: number
  /** REST value of one field (undefined when the row does not exist). */
  readonly valueAt: (row: number, fieldId: string) => unknown
  readonly keyAt: (row: number) => string
  readonly numericIdAt: (row: number) => number
  readonly isLive: (row: number) => boolean
  /** Row of an id or key (deleted rows included), -1 if none. */
  readonly rowOf: (idOrKey: string) => number
  readonly statusOrder: ReadonlyArray<string> | undefined
  readonly priorityOrder: ReadonlyArray<string> | undefined
}

const isEmulatorDataset = (d: Dataset): d is EmulatorDataset =>
  "fieldValueAt" in d && "keyAt" in d && "isLive" in d && "indexOf" in d

export const rowSource = (dataset: Dataset): RowSource => {
  if (isEmulatorDataset(dataset))
    return {
      count: dataset.issueCount,
      valueAt: dataset.fieldValueAt,
      keyAt: dataset.keyAt,
      numericIdAt: (row) => FIRST_ISSUE_ID + row,
      isLive: dataset.isLive,
      rowOf: dataset.indexOf,
      statusOrder: dataset.catalogue.statuses.map((s) => s.id),
      priorityOrder: dataset.catalogue.priorities.map((p) => p.id),
    }
  // Generic data sets: rows are read whole; keys and ids are remembered as rows are seen.
  const keys: Array<string> = []
  const ids: Array<number> = []
  const rows = new Map<string, number>()
  const ensure = (row: number) => {
    if (keys[row] !== undefined) return
    const issue = dataset.issueAt(row)
    keys[row] = issue?.key ?? ""
    ids[row] = issue?.numericId ?? -1
    if (issue !== undefined) {
      rows.set(issue.key.toUpperCase(), row)
      rows.set(issue.id, row)
    }
  }
  return {
    count: dataset.issueCount,
    valueAt: (row, fieldId) => dataset.issueAt(row)?.fields[fieldId],
    keyAt: (row) => {
      ensure(row)
      return keys[row] ?? ""
    },
    numericIdAt: (row) => {
      ensure(row)
      return ids[row] ?? -1
    },
    isLive: (row) => dataset.issueAt(row) !== undefined,
    rowOf: (idOrKey) => {
      for (let row = 0; row < dataset.issueCount; row++) ensure(row)
      return rows.get(idOrKey.toUpperCase()) ?? -1
    },
    statusOrder: undefined,
    priorityOrder: undefined,
  }
}
