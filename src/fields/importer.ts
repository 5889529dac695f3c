/**
 * Rows for Jira's own CSV importer (the `jira-import` preset; the rules and Atlassian's pages are in
 * docs/jira-cloud.md §12):
 *
 * - a multi-value field (labels, components, versions, multi-select and multi-user pickers, sprints,
 *   attachments, comments) gets a fixed number of columns, all with the field's header, one value each;
 * - a comment is `date;author;body`, an attachment `date;author;file name;URL`;
 * - the parent is written as its issue id, which the importer matches against the `Issue id` column;
 * - the columns the importer needs to rebuild issues and their hierarchy are always in the file.
 *
 * The header is written before any issue is read, so the number of columns per field is fixed up front
 * (`ImporterLayout.valueColumns`); an issue with more values than that is reported by
 * {@link tooManyValues} before its row is written, never cut short. Pure.
 */
import { Either } from "effect"
import type { FieldDetails, Issue } from "../jira/schemas.js"
import type { Column } from "./column.js"
import { resolveColumns } from "./columns.js"
import { formatDateTime } from "./dates.js"
import { formatCell, itemFormatterFor } from "./format.js"
import { type FormatContext, readable, richText, user } from "./formatters.js"
import { isObject, nonEmpty } from "./json.js"
import type { ImporterLayout } from "./options.js"

/**
 * Columns every importer file carries, added after the user's columns when missing: the importer
 * requires Summary, and keeps parent and child together through Issue Type, Issue key, Issue id and
 * Parent (Atlassian's KB on parent-child CSV imports, docs/jira-cloud.md §12).
 */
export const IMPORTER_COLUMNS: ReadonlyArray<string> = [
  "issuetype",
  "issuekey",
  "issueid",
  "summary",
  "parent",
]

/**
 * Multi-value fields that stay in one cell: the importer makes sub-tasks from each sub-task's own
 * Parent, takes links in one column per link type, and reads worklogs in a format this file does not
 * write.
 */
const ONE_CELL = new Set(["subtasks", "issuelinks", "worklog"])

const systemOf = (column: Column): string | undefined =>
  column.field?.schema?.system ?? (column.field?.custom === false ? column.field.id : undefined)

const isComment = (column: Column) =>
  systemOf(column) === "comment" || column.field?.schema?.type === "comments-page"

/** Whether the column takes one value per column, repeated under the same header. */
export const isRepeated = (column: Column): boolean => {
  if (column.fieldId === null || column.field === undefined) return false
  if (isComment(column)) return true
  const system = systemOf(column)
  if (system !== undefined && ONE_CELL.has(system)) return false
  return column.field.schema?.type === "array"
}

/** The file's columns, one per cell: a repeated column `valueColumns` times in a row. */
export const cellColumns = (columns: ReadonlyArray<Column>, layout: ImporterLayout): ReadonlyArray<Column> =>
  columns.flatMap((c) => (isRepeated(c) ? Array.from({ length: layout.valueColumns }, () => c) : [c]))

/** The user's columns and the ones the importer needs that they left out, in that order. */
export const withImporterColumns = (
  fields: ReadonlyArray<FieldDetails>,
  columns: ReadonlyArray<Column>,
): ReadonlyArray<Column> => {
  const present = new Set(columns.map((c) => c.id))
  const added = IMPORTER_COLUMNS.filter((id) => !present.has(id)).flatMap((id) => {
    // A site whose /field lacks one (no parent field) simply goes without it.
    const resolved = resolveColumns(fields, [id])
    return Either.isRight(resolved) ? resolved.right : []
  })
  return [...columns, ...added]
}

/** The values of a repeated column: a comment page's comments, else the field's array. */
const itemsOf = (issue: Issue, column: Column): ReadonlyArray<unknown> => {
  const value = column.fieldId === null ? undefined : issue.fields?.[column.fieldId]
  if (value === null || value === undefined) return []
  const list =
    isComment(column) && isObject(value) && Array.isArray(value.comments)
      ? value.comments
      : Array.isArray(value)
        ? value
        : [value]
  return list.filter((v) => v !== null && v !== undefined)
}

/** How many values a repeated column holds for the issue; a comment page counts its total. */
const countOf = (issue: Issue, column: Column): number => {
  const count = itemsOf(issue, column).length
  const page = column.fieldId === null ? undefined : issue.fields?.[column.fieldId]
  const total = isComment(column) && isObject(page) && typeof page.total === "number" ? page.total : 0
  return Math.max(count, total)
}

const when = (value: unknown, ctx: FormatContext) =>
  typeof value === "string" ? formatDateTime(value, ctx.options) : ""
const who = (value: unknown, ctx: FormatContext) =>
  value === null || value === undefined ? "" : user(value, ctx)

/** `date;author;body`: the importer splits at the first two semicolons, so the body may hold more. */
const commentCell = (comment: unknown, ctx: FormatContext): string =>
  isObject(comment)
    ? `${when(comment.created, ctx)};${who(comment.author, ctx)};${richText(comment.body, ctx)}`
    : richText(comment, ctx)

/** `date;author;file name;URL`, as Jira's own export writes attachments. */
const attachmentCell = (file: unknown, ctx: FormatContext): string =>
  isObject(file)
    ? [
        when(file.created, ctx),
        who(file.author, ctx),
        nonEmpty(file.filename) ?? "",
        nonEmpty(file.content) ?? "",
      ].join(";")
    : readable(file, ctx)

const valueCell = (column: Column): ((item: unknown, ctx: FormatContext) => string) =>
  isComment(column)
    ? commentCell
    : systemOf(column) === "attachment"
      ? attachmentCell
      : itemFormatterFor(column)

/** One cell of a column that is not repeated; the parent is its issue id. */
const singleCell = (issue: Issue, column: Column, ctx: FormatContext): string => {
  if (systemOf(column) === "parent") {
    const parent = issue.fields?.parent
    return isObject(parent) ? (nonEmpty(parent.id) ?? "") : ""
  }
  return formatCell(issue, column, ctx)
}

/** The issue's row: one cell per entry of {@link cellColumns}, repeated columns padded with "". */
export const importerRow = (
  issue: Issue,
  columns: ReadonlyArray<Column>,
  ctx: FormatContext,
  layout: ImporterLayout,
): ReadonlyArray<string> => {
  const cells: Array<string> = []
  for (const column of columns) {
    if (!isRepeated(column)) {
      cells.push(singleCell(issue, column, ctx))
      continue
    }
    const cell = valueCell(column)
    const items = itemsOf(issue, column)
    for (let i = 0; i < layout.valueColumns; i++) {
      const item = items[i]
      cells.push(item === undefined ? "" : cell(item, ctx))
    }
  }
  return cells
}

/** A column of an issue holding more values than the file has columns for it. */
export interface TooManyValues {
  readonly column: Column
  readonly count: number
}

/** The first repeated column whose values do not fit the layout, if any. */
export const tooManyValues = (
  issue: Issue,
  columns: ReadonlyArray<Column>,
  layout: ImporterLayout,
): TooManyValues | undefined => {
  for (const column of columns) {
    if (!isRepeated(column)) continue
    const count = countOf(issue, column)
    if (count > layout.valueColumns) return { column, count }
  }
  return undefined
}

/** What the user reads when an issue does not fit: which issue, which field, and what to ask for. */
export const tooManyValuesMessage = (issue: Issue, problem: TooManyValues, layout: ImporterLayout): string =>
  `${issue.key ?? issue.id} has ${problem.count} values in "${problem.column.header}", more than the ` +
  `${layout.valueColumns} "${problem.column.header}" columns of this file; export again with at least ` +
  `${problem.count} columns per multi-value field.`
