/**
 * Cutting an ordered value space into ranges, and the JQL of each (pure). Values are integers: issue
 * ids, minutes since the epoch (`created`, `updated`; JQL compares dates to the minute) and issue
 * numbers within one project (`key`). The first range is open below and the last open above, so
 * issues created or moved in while the export runs still land in a part.
 */
import type { Direction, RangeField } from "./order.js"

/** Where one part of the query stands: its condition, the page to read next and what it emitted of it. */
export interface PartPosition {
  /** The part's condition, added to the query's with AND. */
  readonly where: string
  /** The next page of the part (null: its first). */
  readonly token: string | null
  /** Issues of that page already emitted. */
  readonly skip?: number | undefined
  /** About how many issues it holds, when counted (to judge what a call can still write). */
  readonly size?: number | undefined
}

/** `k` ranges of about equal width over `lo..hi` (inclusive): the `k - 1` cuts between them, increasing. */
export const evenCuts = (lo: number, hi: number, k: number): ReadonlyArray<number> => {
  const width = hi - lo + 1
  const parts = Math.max(1, Math.min(k, width))
  const cuts: Array<number> = []
  for (let i = 1; i < parts; i++) cuts.push(lo + Math.floor((i * width) / parts))
  return cuts
}

const pad = (n: number) => String(n).padStart(2, "0")

/** A minute since the epoch as a JQL date (`yyyy/MM/dd HH:mm`, read by Jira in the user's zone). */
export const jqlMinute = (minute: number): string => {
  const d = new Date(minute * 60_000)
  return `"${d.getUTCFullYear()}/${pad(d.getUTCMonth() + 1)}/${pad(d.getUTCDate())} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}"`
}

/** JQL string literal. */
export const quoted = (text: string): string => `"${text.replace(/\\/g, "\\\\").replace(/"/g, '\\"')}"`

/** How a range field's values appear in JQL, and the condition every part of it shares. */
export interface Axis {
  readonly clause: string
  readonly literal: (value: number) => string
  /** Added to every part (the project of a key range). */
  readonly within?: string
}

export const axisOf = (field: Exclude<RangeField, "key">): Axis =>
  field === "id" ? { clause: "id", literal: String } : { clause: field, literal: jqlMinute }

/** Issue numbers within one project, as `issuekey` bounds. */
export const keyAxis = (project: string): Axis => ({
  clause: "issuekey",
  literal: (n) => quoted(`${project}-${n}`),
  within: `project = ${quoted(project)}`,
})

/**
 * The conditions of the ranges between `cuts`, in the query's direction: ascending from the range
 * below the first cut, descending from the range above the last.
 */
export const rangeConditions = (
  axis: Axis,
  cuts: ReadonlyArray<number>,
  direction: Direction,
): Array<string> => {
  const out: Array<string> = []
  for (let i = 0; i <= cuts.length; i++) {
    const bounds = [
      ...(i > 0 ? [`${axis.clause} >= ${axis.literal(cuts[i - 1] ?? 0)}`] : []),
      ...(i < cuts.length ? [`${axis.clause} < ${axis.literal(cuts[i] ?? 0)}`] : []),
    ]
    const all = [...(axis.within === undefined ? [] : [axis.within]), ...bounds]
    out.push(all.length === 0 ? "" : all.join(" AND "))
  }
  return direction === "asc" ? out : out.reverse()
}

/** The query of one part: the query's condition and the part's, in the query's order. */
export const partJql = (
  query: { readonly where: string; readonly orderBy: string },
  where: string,
): string => {
  const conditions = [query.where, where].filter((c) => c !== "")
  const condition =
    conditions.length === 2 ? `(${conditions[0]}) AND ${conditions[1]}` : (conditions[0] ?? "")
  return [condition, query.orderBy].filter((c) => c !== "").join(" ")
}
