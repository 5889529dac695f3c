/**
 * The emulator's JQL engine (model.ts `JqlEngine`): a real tokenizer and recursive-descent parser,
 * validation with Jira's messages, and a full scan over compact column indexes with the viewer's
 * browse permission applied. Choices where Jira is undocumented or where the emulator simplifies:
 * - `~`: case-insensitive; every word of the query must occur as a substring (phrase in inner double
 *   quotes: substring); `text ~` covers summary, description, environment, embedded comments and
 *   text custom fields (see `textMatcher` in values.ts).
 * - `!=`, `NOT IN` and `!~` never match issues where the field is empty (Jira's rule for `!=`).
 * - A name shared by several custom fields ("Category") matches when any of them matches.
 * - Absolute dates in queries are read in UTC (Jira uses the searcher's time zone); relative dates
 *   and date functions are taken from `options.now`.
 * - Without ORDER BY, results come in ascending id order; ORDER BY ties are broken by id ascending;
 *   empty values sort last ascending and first descending; `ORDER BY id` is numeric, `key` sorts by
 *   project key then number; priority DESC puts Highest first.
 * - Anonymous viewers browse no project and every field reads as not viewable.
 * - Not supported: WAS/CHANGED history clauses, entity properties, most list functions.
 */
import type { Dataset, JqlEngine, JqlSearchOutcome, UserRecord } from "../model.js"
import { Columns } from "./columns.js"
import { Compiler, type Context, type Field } from "./compile.js"
import { type Clause, encodeOperand, type Operand, parseJql, type Query } from "./parser.js"
import { rowSource } from "./source.js"
import { JqlSyntaxError } from "./tokens.js"
import { type Kind, keysOf, kindOf } from "./values.js"

export { textMatcher } from "./values.js"

export const UNBOUNDED =
  "Unbounded JQL queries are not allowed here. Please add a search restriction to your query."

type Parsed = { readonly ok: true; readonly query: Query } | { readonly ok: false; readonly error: string }

const parse = (jql: string): Parsed => {
  try {
    return { ok: true, query: parseJql(jql) }
  } catch (e) {
    if (e instanceof JqlSyntaxError) return { ok: false, error: e.message }
    throw e
  }
}

const operandJson = (o: Operand): Record<string, unknown> => {
  switch (o.type) {
    case "value":
      return { value: o.value, encodedValue: encodeOperand(o) }
    case "empty":
      return { keyword: "empty" }
    case "function":
      return { function: o.name, arguments: [...o.args], encodedOperand: encodeOperand(o) }
    case "list":
      return { values: o.values.map(operandJson), encodedOperand: encodeOperand(o) }
  }
}

const clauseJson = (c: Clause): Record<string, unknown> => {
  switch (c.type) {
    case "terminal":
      return {
        field: { name: c.field.name, encodedName: c.field.encoded },
        operator: c.operator,
        operand: operandJson(c.operand),
      }
    case "not":
      return { clauses: [clauseJson(c.clause)], operator: "not" }
    default:
      return { clauses: c.clauses.map(clauseJson), operator: c.type }
  }
}

export const createJqlEngine = (dataset: Dataset): JqlEngine => {
  const source = rowSource(dataset)
  const columns = new Columns(source)
  const fields = new Map<string, Array<Field>>()
  for (const record of dataset.fields) {
    const field: Field = { record, kind: kindOf(record) }
    for (const name of record.clauseNames) {
      const key = name.toLowerCase()
      const list = fields.get(key) ?? []
      if (!list.some((f) => f.record.id === record.id)) list.push(field)
      fields.set(key, list)
    }
  }
  const textFields = dataset.fields
    .map((record): Field => ({ record, kind: kindOf(record) }))
    .filter((f) => f.kind === "text")
  const catalogue = "catalogue" in dataset ? dataset.catalogue : undefined
  const catalogueKeys = (kind: Kind): ReadonlyArray<string> => {
    if (typeof catalogue !== "object" || catalogue === null) return []
    const list =
      kind === "status" && "statuses" in catalogue
        ? catalogue.statuses
        : kind === "priority" && "priorities" in catalogue
          ? catalogue.priorities
          : kind === "issuetype" && "issueTypes" in catalogue
            ? catalogue.issueTypes
            : kind === "resolution" && "resolutions" in catalogue
              ? catalogue.resolutions
              : []
    return Array.isArray(list) ? list.flatMap((v: unknown) => keysOf(kind, v)) : []
  }
  const userKeys = new Set(
    dataset.users.flatMap((u) => [
      ...keysOf("user", u.json),
      ...(u.loginEmail === null ? [] : [u.loginEmail.toLowerCase()]),
    ]),
  )
  const SYSTEM_ID: Partial<Record<Kind, string>> = {
    status: "status",
    priority: "priority",
    issuetype: "issuetype",
    resolution: "resolution",
  }

  const context = (viewer: UserRecord | null, now: number): Context => {
    const known = (kind: Kind): ReadonlySet<string> | undefined => {
      if (kind === "project")
        return new Set(
          dataset.projects
            .filter((p) => dataset.canBrowse(viewer, p.key))
            .flatMap((p) => keysOf("project", p.json)),
        )
      if (kind === "user") return userKeys
      const id = SYSTEM_ID[kind]
      if (id === undefined) return undefined
      const seen = columns.enumColumn(id, kind).entries.flatMap((e) => e.keys)
      return new Set([...seen, ...catalogueKeys(kind)])
    }
    return {
      source,
      columns,
      fields,
      textFields,
      viewer,
      now,
      known,
      browsable: (projectKey) => dataset.canBrowse(viewer, projectKey),
    }
  }

  const search: JqlEngine["search"] = (jql, viewer, options): JqlSearchOutcome => {
    const parsed = parse(jql)
    if (!parsed.ok) return { ok: false, errors: [parsed.error] }
    if (parsed.query.where === undefined && options.requireBounded) return { ok: false, errors: [UNBOUNDED] }
    const compiler = new Compiler(context(viewer, options.now.getTime()))
    const { predicate, sorter } = compiler.compile(parsed.query)
    if (compiler.errors.length > 0) return { ok: false, errors: [...compiler.errors] }
    const project = columns.enumColumn("project", "project")
    const allowed = project.entries.map((e) => {
      const key = typeof e.raw === "object" && e.raw !== null && "key" in e.raw ? String(e.raw.key) : ""
      return dataset.canBrowse(viewer, key)
    })
    const rows: Array<number> = []
    const test = predicate?.test
    for (let row = 0; row < source.count; row++) {
      const s = project.offsets[row]!
      if (s === project.offsets[row + 1] || allowed[project.values[s]!] !== true) continue
      if (!source.isLive(row)) continue
      if (test !== undefined && !test(row)) continue
      rows.push(row)
    }
    if (sorter !== undefined && parsed.query.orderBy.length > 0) rows.sort(sorter)
    return { ok: true, ids: rows.map((row) => String(source.numericIdAt(row))), warnings: [] }
  }

  return {
    search,
    parse: (jql, viewer) => {
      const parsed = parse(jql)
      if (!parsed.ok) return { query: jql, errors: [parsed.error] }
      const compiler = new Compiler(context(viewer, Date.UTC(2026, 0, 1)))
      compiler.compile(parsed.query)
      if (compiler.errors.length > 0) return { query: jql, errors: [...compiler.errors] }
      const structure: Record<string, unknown> = {}
      if (parsed.query.where !== undefined) structure.where = clauseJson(parsed.query.where)
      if (parsed.query.orderBy.length > 0)
        structure.orderBy = {
          fields: parsed.query.orderBy.map((s) => ({
            field: { name: s.field.name, encodedName: s.field.encoded },
            ...(s.direction === undefined ? {} : { direction: s.direction }),
          })),
        }
      return { query: jql, structure }
    },
  }
}
