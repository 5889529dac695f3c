/**
 * The column model: which columns a user asked for, resolved against `GET /rest/api/3/field`.
 *
 * A column is asked for by field id or by name (case-insensitive); field names are localised and not
 * unique (docs/jira-cloud.md §2.1), so a name that fits several fields is refused with the candidates, and a
 * header is the name disambiguated with the id when two fields share it.
 */
import { Either } from "effect"
import type { FieldDetails } from "../jira/schemas.js"
import type { Column } from "./column.js"
import { HISTORY_FIELDS, HISTORY_PSEUDO_COLUMNS, isHistoryColumn } from "./historyColumns.js"
import { closestTo } from "./suggest.js"

/** A column the user may pick, as the column picker lists it (the contract's `FieldInfo`). */
export interface FieldChoice {
  /** The reference to send back: a field id or a pseudo-column id. */
  readonly id: string
  readonly name: string
  /** The header this column gets: the name, disambiguated with the id when two fields share it. */
  readonly header: string
  readonly custom: boolean
  /** A short type label: `string`, `user`, `array<option>`, … */
  readonly type: string
  /** What a computed column means, for the picker. */
  readonly help?: string
}

export type ColumnProblem =
  | { readonly reason: "UnknownColumn"; readonly message: string; readonly ref: string }
  | {
      readonly reason: "AmbiguousColumn"
      readonly message: string
      readonly ref: string
      readonly candidates: ReadonlyArray<{ readonly id: string; readonly name: string }>
    }

/** Columns that are not Jira fields, or that read one part of a field. */
interface PseudoColumn {
  readonly id: string
  readonly name: string
  readonly fieldId: string | null
  readonly kind: Column["kind"]
  readonly type: string
  /** What JQL calls it (`key`, `id`): accepted as a column reference too. */
  readonly aliases: ReadonlyArray<string>
  readonly help?: string
}

export const PSEUDO_COLUMNS: ReadonlyArray<PseudoColumn> = [
  {
    id: "issuekey",
    name: "Issue key",
    fieldId: null,
    kind: "text",
    type: "string",
    aliases: ["key", "issue"],
  },
  { id: "issueid", name: "Issue id", fieldId: null, kind: "number", type: "number", aliases: ["id"] },
  { id: "issueurl", name: "Issue URL", fieldId: null, kind: "text", type: "url", aliases: ["url"] },
  // Jira has no separate field for the category: it is part of the status value.
  {
    id: "statuscategory",
    name: "Status Category",
    fieldId: "status",
    kind: "text",
    type: "statuscategory",
    aliases: ["statuscategory"],
  },
  ...HISTORY_PSEUDO_COLUMNS.map((c) => ({ ...c, fieldId: null, aliases: [] })),
]

const pseudoById = new Map(PSEUDO_COLUMNS.map((p) => [p.id, p]))

const numericTypes = new Set(["number", "votes", "watches"])

/** The cell kind of a Jira field, from its schema type. */
export const kindOf = (field: FieldDetails): Column["kind"] => {
  const type = field.schema?.type
  if (type === undefined) return "text"
  if (numericTypes.has(type)) return "number"
  if (type === "date") return "date"
  if (type === "datetime") return "datetime"
  return "text"
}

/** A short type label for the picker: `string`, `user`, `array<option>`, … */
const typeLabel = (field: FieldDetails): string => {
  const schema = field.schema
  if (schema === undefined) return "unknown"
  return schema.type === "array" && schema.items !== undefined ? `array<${schema.items}>` : schema.type
}

/** /field entries, minus those a pseudo-column replaces (real Jira lists `issuekey` as "Key"). */
const realFields = (fields: ReadonlyArray<FieldDetails>): ReadonlyArray<FieldDetails> =>
  fields.filter((f) => !pseudoById.has(f.id.toLowerCase()))

interface Entry {
  readonly id: string
  readonly name: string
  readonly header: string
  readonly column: Column
  readonly info: FieldChoice
  /** JQL clause names (lower case): `key`, `type`, `fixversion`, `cf[10016]`, … */
  readonly aliases: ReadonlyArray<string>
}

const entries = (fields: ReadonlyArray<FieldDetails>): ReadonlyArray<Entry> => {
  const real = realFields(fields)
  const nameCounts = new Map<string, number>()
  const count = (name: string) =>
    nameCounts.set(name.toLowerCase(), (nameCounts.get(name.toLowerCase()) ?? 0) + 1)
  for (const p of PSEUDO_COLUMNS) count(p.name)
  for (const f of real) count(f.name)
  const header = (id: string, name: string) =>
    (nameCounts.get(name.toLowerCase()) ?? 0) > 1 ? `${name} (${id})` : name
  return [
    ...PSEUDO_COLUMNS.map((p): Entry => {
      const h = header(p.id, p.name)
      return {
        id: p.id,
        name: p.name,
        header: h,
        column: { id: p.id, fieldId: p.fieldId, header: h, kind: p.kind },
        info: {
          id: p.id,
          name: p.name,
          header: h,
          custom: false,
          type: p.type,
          ...(p.help === undefined ? {} : { help: p.help }),
        },
        aliases: p.aliases,
      }
    }),
    ...real.map((f): Entry => {
      const h = header(f.id, f.name)
      return {
        id: f.id,
        name: f.name,
        header: h,
        column: { id: f.id, fieldId: f.id, header: h, kind: kindOf(f), field: f },
        info: { id: f.id, name: f.name, header: h, custom: f.custom, type: typeLabel(f) },
        aliases: (f.clauseNames ?? []).map((c) => c.toLowerCase()),
      }
    }),
  ]
}

const lookup = (all: ReadonlyArray<Entry>, rawRef: string): Either.Either<Column, ColumnProblem> => {
  const ref = rawRef.trim()
  const lower = ref.toLowerCase()
  const byExactId = all.find((e) => e.id === ref)
  if (byExactId !== undefined) return Either.right(byExactId.column)
  const byId = all.filter((e) => e.id.toLowerCase() === lower)
  if (byId.length === 1 && byId[0] !== undefined) return Either.right(byId[0].column)
  // A header such as "Category (customfield_10020)" is what the user saw; accept it back.
  const byHeader = all.filter((e) => e.header.toLowerCase() === lower)
  if (byHeader.length === 1 && byHeader[0] !== undefined) return Either.right(byHeader[0].column)
  const byName = all.filter((e) => e.name.toLowerCase() === lower)
  if (byName.length === 1 && byName[0] !== undefined) return Either.right(byName[0].column)
  if (byName.length > 1) {
    const candidates = byName.map((e) => ({ id: e.id, name: e.name }))
    return Either.left({
      reason: "AmbiguousColumn",
      ref: rawRef,
      candidates,
      message: `Several fields are called "${ref}"; choose one by its id: ${candidates.map((c) => c.id).join(", ")}.`,
    })
  }
  // What the user would type in JQL: `key`, `type`, `cf[10016]`. Only when it names one column.
  const byAlias = all.filter((e) => e.aliases.includes(lower))
  if (byAlias.length === 1 && byAlias[0] !== undefined) return Either.right(byAlias[0].column)
  const meant = closestTo(ref, all)
  return Either.left({
    reason: "UnknownColumn",
    ref: rawRef,
    message:
      meant === undefined
        ? `There is no field "${ref}" that you can see in Jira; pick a column from the list.`
        : `There is no field "${ref}" that you can see in Jira; did you mean ${meant.header === meant.id ? meant.id : `${meant.header} (${meant.id})`}?`,
  })
}

/**
 * Resolves the columns a user asked for, in their order. The first unknown or ambiguous reference
 * stops the resolution with a problem the UI can show.
 */
export const resolveColumns = (
  fields: ReadonlyArray<FieldDetails>,
  requested: ReadonlyArray<string>,
): Either.Either<ReadonlyArray<Column>, ColumnProblem> => {
  const all = entries(fields)
  const columns: Array<Column> = []
  for (const ref of requested) {
    const resolved = lookup(all, ref)
    if (Either.isLeft(resolved)) return Either.left(resolved.left)
    columns.push(resolved.right)
  }
  return Either.right(columns)
}

/** The Jira field ids to request for these columns, each once, in column order. */
export const fieldsToRequest = (columns: ReadonlyArray<Column>): ReadonlyArray<string> => [
  ...new Set(
    columns.flatMap((c) => (isHistoryColumn(c) ? HISTORY_FIELDS : c.fieldId === null ? [] : [c.fieldId])),
  ),
]

/** Whether any column is computed from the status history (the export then reads changelogs). */
export const needsStatusHistory = (columns: ReadonlyArray<Pick<Column, "id">>): boolean =>
  columns.some(isHistoryColumn)

/** Every column a user may pick: the pseudo-columns, then the fields of `/field` in its order. */
export const listFields = (fields: ReadonlyArray<FieldDetails>): ReadonlyArray<FieldChoice> =>
  entries(fields).map((e) => e.info)
