/**
 * The `fields` and `expand` semantics of search and bulkfetch: `*all`, `*navigable`, `id`, `key`,
 * explicit field ids, `-field` exclusions; unknown ids are ignored as Jira does.
 */
import type { Dataset, FieldRecord, IssueRecord } from "../model.js"

export interface FieldSelection {
  /** Field ids to put in `fields`, in the data set's field order. */
  readonly ids: ReadonlyArray<string>
  /** Nothing but `id` was asked: the issue is just `{id}`. */
  readonly idOnly: boolean
  /** No real field asked (`id` and/or `key`): the large page cap applies. */
  readonly idOrKeyOnly: boolean
  readonly names: Readonly<Record<string, string>>
  readonly schema: Readonly<Record<string, unknown>>
}

const EXPAND = "renderedFields,names,schema,operations,editmeta,changelog,versionedRepresentations"

/** Splits repeated and comma-separated values into trimmed non-empty items. */
export const listItems = (values: ReadonlyArray<string>): ReadonlyArray<string> =>
  values
    .flatMap((v) => v.split(","))
    .map((v) => v.trim())
    .filter((v) => v !== "")

export const selectFields = (
  dataset: Dataset,
  requested: ReadonlyArray<string>,
  fallback: "id" | "*navigable" | "*all",
): FieldSelection => {
  const items = listItems(requested.length === 0 ? [fallback] : requested)
  const include = new Set<string>()
  const exclude = new Set<string>()
  let key = false
  const byIdOrKey = new Map<string, FieldRecord>()
  for (const f of dataset.fields) {
    byIdOrKey.set(f.id, f)
    byIdOrKey.set(f.key, f)
  }
  for (const item of items) {
    if (item === "*all") for (const f of dataset.fields) include.add(f.id)
    else if (item === "*navigable") for (const f of dataset.fields) f.navigable && include.add(f.id)
    else if (item === "key") key = true
    else if (item === "id") continue
    else if (item.startsWith("-")) {
      const f = byIdOrKey.get(item.slice(1))
      if (f) exclude.add(f.id)
      if (item === "-key") key = false
    } else {
      const f = byIdOrKey.get(item)
      if (f) include.add(f.id)
    }
  }
  const chosen = dataset.fields.filter((f) => include.has(f.id) && !exclude.has(f.id))
  const names: Record<string, string> = {}
  const schema: Record<string, unknown> = {}
  for (const f of chosen) {
    names[f.id] = f.name
    if (f.schema) schema[f.id] = f.schema
  }
  return {
    ids: chosen.map((f) => f.id),
    idOnly: chosen.length === 0 && !key,
    idOrKeyOnly: chosen.length === 0,
    names,
    schema,
  }
}

/** The project of an issue key (`OPS-12` is in `OPS`). */
const projectOfKey = (key: unknown): string | undefined =>
  typeof key === "string" && key.lastIndexOf("-") > 0 ? key.slice(0, key.lastIndexOf("-")) : undefined

/**
 * Jira leaves out of `issuelinks` the links whose other issue the viewer cannot browse, so neither
 * its key nor its summary reaches them.
 */
const browsableLinks = (links: unknown, browsable: (projectKey: string) => boolean): unknown => {
  if (!Array.isArray(links)) return links
  return links.filter((link: unknown) => {
    if (typeof link !== "object" || link === null) return true
    const other: unknown = Reflect.get(link, "inwardIssue") ?? Reflect.get(link, "outwardIssue")
    const project =
      typeof other === "object" && other !== null ? projectOfKey(Reflect.get(other, "key")) : undefined
    return project === undefined || browsable(project)
  })
}

/**
 * An `IssueBean` as search/bulkfetch return it, as `browsable` (the viewer's project permission) lets
 * them see it; `perIssue` adds `names`/`schema` inside the issue.
 */
export const renderIssue = (
  issue: IssueRecord,
  selection: FieldSelection,
  site: string,
  browsable: (projectKey: string) => boolean,
  perIssue: { readonly names: boolean; readonly schema: boolean } = { names: false, schema: false },
): Record<string, unknown> => {
  if (selection.idOnly) return { id: issue.id }
  const fields: Record<string, unknown> = {}
  for (const id of selection.ids)
    if (id in issue.fields)
      fields[id] = id === "issuelinks" ? browsableLinks(issue.fields[id], browsable) : issue.fields[id]
  return {
    expand: EXPAND,
    id: issue.id,
    self: `${site}/rest/api/3/issue/${issue.id}`,
    key: issue.key,
    ...(perIssue.names ? { names: selection.names } : {}),
    ...(perIssue.schema ? { schema: selection.schema } : {}),
    fields,
  }
}
