/**
 * Compact per-field indexes over all rows, built once per field on first use: interned value
 * entries in typed arrays (CSR layout for multi-valued fields), numbers and times in Float64Array,
 * and lowercased summaries. A 200,000-issue scan then touches typed arrays, not issues.
 */

import type { RowSource } from "./source.js"
import { type Kind, keysOf, restTime, sortTextOf } from "./values.js"

/** A number, or the count inside `votes` ({votes}) and `watches` ({watchCount}) values. */
const numberOf = (v: unknown): number => {
  if (typeof v === "number") return v
  if (typeof v === "object" && v !== null) {
    if ("votes" in v && typeof v.votes === "number") return v.votes
    if ("watchCount" in v && typeof v.watchCount === "number") return v.watchCount
  }
  return Number.NaN
}

export interface Entry {
  readonly keys: ReadonlyArray<string>
  readonly raw: unknown
  readonly sortText: string
}

export interface EnumColumn {
  readonly entries: ReadonlyArray<Entry>
  /** Values of row r are entries values[offsets[r] .. offsets[r+1]). */
  readonly offsets: Int32Array
  readonly values: Int32Array
}

export class Columns {
  private readonly enums = new Map<string, EnumColumn>()
  private readonly numbers = new Map<string, Float64Array>()
  private readonly texts = new Map<string, ReadonlyArray<string>>()
  private parents: Int32Array | undefined
  private keyOrder: Float64Array | undefined

  constructor(private readonly source: RowSource) {}

  enumColumn(fieldId: string, kind: Kind): EnumColumn {
    const cacheKey = `${kind}:${fieldId}`
    const hit = this.enums.get(cacheKey)
    if (hit !== undefined) return hit
    const { count } = this.source
    const offsets = new Int32Array(count + 1)
    let values = new Int32Array(Math.max(16, count))
    let used = 0
    const entries: Array<Entry> = []
    const ids = new Map<string, number>()
    // statusCategory is read from the status value, so any data set's issues answer it.
    const readId = kind === "statusCategory" ? "status" : fieldId
    for (let row = 0; row < count; row++) {
      offsets[row] = used
      const v = this.source.valueAt(row, readId)
      if (v === null || v === undefined) continue
      const items: ReadonlyArray<unknown> = Array.isArray(v) ? v : [v]
      for (const item of items) {
        if (item === null || item === undefined) continue
        const keys = keysOf(kind, item)
        const identity = keys.join("\u0000")
        let id = ids.get(identity)
        if (id === undefined) {
          id = entries.length
          ids.set(identity, id)
          entries.push({ keys, raw: item, sortText: sortTextOf(item) })
        }
        if (used === values.length) {
          const grown = new Int32Array(values.length * 2)
          grown.set(values)
          values = grown
        }
        values[used++] = id
      }
    }
    offsets[count] = used
    const column = { entries, offsets, values: values.slice(0, used) }
    this.enums.set(cacheKey, column)
    return column
  }

  /** Numbers, or times in ms for date/datetime fields; NaN where empty. */
  numberColumn(fieldId: string, kind: Kind): Float64Array {
    const hit = this.numbers.get(fieldId)
    if (hit !== undefined) return hit
    const { count } = this.source
    const out = new Float64Array(count)
    const time = kind === "date" || kind === "datetime"
    for (let row = 0; row < count; row++) {
      const v = this.source.valueAt(row, fieldId)
      out[row] = time ? restTime(v) : numberOf(v)
    }
    this.numbers.set(fieldId, out)
    return out
  }

  /** Lowercased plain strings (summary, rank); "" where empty. */
  stringColumn(fieldId: string): ReadonlyArray<string> {
    const hit = this.texts.get(fieldId)
    if (hit !== undefined) return hit
    const out: Array<string> = new Array(this.source.count)
    for (let row = 0; row < this.source.count; row++) {
      const v = this.source.valueAt(row, fieldId)
      out[row] = typeof v === "string" ? v.toLowerCase() : ""
    }
    this.texts.set(fieldId, out)
    return out
  }

  /** Sort order of issue keys: project key alphabetically, then the number (Jira's key order). */
  keyOrderColumn(): Float64Array {
    if (this.keyOrder !== undefined) return this.keyOrder
    const { count } = this.source
    const projects: Array<string> = []
    const split: Array<[string, number]> = new Array(count)
    const seen = new Set<string>()
    for (let row = 0; row < count; row++) {
      const key = this.source.keyAt(row)
      const dash = key.lastIndexOf("-")
      const project = key.slice(0, dash)
      if (!seen.has(project)) {
        seen.add(project)
        projects.push(project)
      }
      split[row] = [project, Number(key.slice(dash + 1))]
    }
    projects.sort()
    const rank = new Map(projects.map((p, i) => [p, i]))
    const out = new Float64Array(count)
    for (let row = 0; row < count; row++) {
      const [project, n] = split[row] ?? ["", 0]
      out[row] = (rank.get(project) ?? 0) * 2 ** 32 + n
    }
    this.keyOrder = out
    return out
  }

  /** Row of each row's parent, -1 if none. */
  parentColumn(): Int32Array {
    if (this.parents !== undefined) return this.parents
    const out = new Int32Array(this.source.count).fill(-1)
    for (let row = 0; row < this.source.count; row++) {
      const v = this.source.valueAt(row, "parent")
      if (typeof v === "object" && v !== null && "id" in v && typeof v.id === "string")
        out[row] = this.source.rowOf(v.id)
    }
    this.parents = out
    return out
  }
}
