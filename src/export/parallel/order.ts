/**
 * What a query's `ORDER BY` lets a parallel thrifty export do (docs/jira-cloud.md §13). Pure: the
 * JQL is split at its top-level `ORDER BY` (outside strings and parentheses), and the first sort key
 * decides how the query may be cut into parts whose pages are read at the same time:
 *
 * - `ranges`: the first key is a field JQL can bound (`id`, `key`, `created`, `updated`). Each part is
 *   one range of it, so every issue of a part sorts before every issue of the next whatever Jira's
 *   tie-break: the parts are read ahead and written one after another, in Jira's own order.
 * - `merge`: the first key is `Rank`, which JQL cannot bound but the client can compare (a lexorank
 *   string; empty last ascending, first descending; ties by id, docs/jira-cloud.md §13). Parts are
 *   ranges of `id`, read at once and merged.
 * - `sequential`: anything else (text collation, option and user orders, no `ORDER BY`): one token
 *   chain, as before, with the reason.
 */

export type Direction = "asc" | "desc"

export interface SortKey {
  /** The field as written, unquoted and lower-cased. */
  readonly field: string
  readonly direction: Direction
}

export interface SplitQuery {
  /** The condition without its `ORDER BY` (empty when the query has none). */
  readonly where: string
  /** The `ORDER BY` clause as written, keywords included (empty when none). */
  readonly orderBy: string
  readonly keys: ReadonlyArray<SortKey>
}

/** A field JQL can bound with `>=` and `<`, as parts of a `ranges` plan use it. */
export type RangeField = "id" | "key" | "created" | "updated"

export type OrderPlan =
  | { readonly _tag: "ranges"; readonly field: RangeField; readonly direction: Direction }
  | {
      readonly _tag: "merge"
      /** The Rank field's id, read with the issues to compare them. */
      readonly rankFieldId: string
      readonly direction: Direction
    }
  | { readonly _tag: "sequential"; readonly reason: string }

/** Top-level positions of `text` outside quoted strings, with the parenthesis depth at each. */
const scan = (text: string, visit: (index: number, depth: number) => boolean | undefined): void => {
  let depth = 0
  let quote: string | null = null
  for (let i = 0; i < text.length; i++) {
    const c = text[i]
    if (quote !== null) {
      if (c === "\\") i++
      else if (c === quote) quote = null
      continue
    }
    if (c === '"' || c === "'") {
      quote = c
      continue
    }
    if (c === "(") depth++
    else if (c === ")") depth--
    else if (visit(i, depth) === true) return
  }
}

const ORDER_BY = /^order\s+by\b/i

/** Splits a query at its top-level `ORDER BY`. */
export const splitQuery = (jql: string): SplitQuery => {
  let at = -1
  scan(jql, (i, depth) => {
    if (depth !== 0) return undefined
    const before = i === 0 ? " " : (jql[i - 1] ?? " ")
    if (/[\s)]/.test(before) && ORDER_BY.test(jql.slice(i))) {
      at = i
      return true
    }
    return undefined
  })
  if (at < 0) return { where: jql.trim(), orderBy: "", keys: [] }
  const orderBy = jql.slice(at).trim()
  const list = orderBy.replace(ORDER_BY, "")
  const items: Array<string> = []
  let start = 0
  scan(list, (i, depth) => {
    if (depth === 0 && list[i] === ",") {
      items.push(list.slice(start, i))
      start = i + 1
    }
    return undefined
  })
  items.push(list.slice(start))
  const keys = items.map((item): SortKey => {
    const m = /^\s*("(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|.+?)\s*(?:\s(asc|desc))?\s*$/i.exec(item)
    const raw = m?.[1] ?? item.trim()
    const unquoted = /^["']/.test(raw) ? raw.slice(1, -1).replace(/\\(.)/g, "$1") : raw
    return {
      field: unquoted.trim().toLowerCase(),
      direction: (m?.[2] ?? "asc").toLowerCase() === "desc" ? "desc" : "asc",
    }
  })
  return { where: jql.slice(0, at).trim(), orderBy, keys }
}

const RANGE_NAMES: Readonly<Record<string, RangeField>> = {
  id: "id",
  key: "key",
  issuekey: "key",
  issue: "key",
  created: "created",
  createddate: "created",
  updated: "updated",
  updateddate: "updated",
}

/** A Rank field: its id and the names a query may call it by (lower-cased). */
export interface RankField {
  readonly id: string
  readonly names: ReadonlyArray<string>
}

/** How the query's order lets its pages be read in parallel. */
export const orderPlan = (query: SplitQuery, rankFields: ReadonlyArray<RankField>): OrderPlan => {
  const first = query.keys[0]
  if (first === undefined)
    return { _tag: "sequential", reason: "the query has no ORDER BY, so its order is Jira's to choose" }
  const range = RANGE_NAMES[first.field]
  if (range !== undefined) return { _tag: "ranges", field: range, direction: first.direction }
  const rank = rankFields.find((f) => f.names.includes(first.field))
  // Issues without a rank tie, and Jira breaks ties by the next key, which the merge does not read.
  if (rank !== undefined && query.keys.length === 1)
    return { _tag: "merge", rankFieldId: rank.id, direction: first.direction }
  return {
    _tag: "sequential",
    reason: `the export cannot reproduce Jira's order by "${first.field}" from the issues it reads`,
  }
}
