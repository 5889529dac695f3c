/**
 * The history export (docs/architecture.md "History export"): one row per changed item,
 * `Issue key, Date, Author, Field, From, To`, within an issue oldest first as Jira lists the entries.
 * Values are Jira's display strings (`fromString`/`toString`), falling back to the raw ids.
 */
import type { Issue } from "../jira/schemas.js"
import type { Column } from "./column.js"
import { dateTime, type FormatContext, user } from "./formatters.js"

export const HISTORY_COLUMNS: ReadonlyArray<Column> = [
  { id: "issuekey", fieldId: null, header: "Issue key", kind: "text" },
  { id: "historyDate", fieldId: null, header: "Date", kind: "datetime" },
  { id: "historyAuthor", fieldId: null, header: "Author", kind: "text" },
  { id: "historyField", fieldId: null, header: "Field", kind: "text" },
  { id: "historyFrom", fieldId: null, header: "From", kind: "text" },
  { id: "historyTo", fieldId: null, header: "To", kind: "text" },
]

/**
 * An issue's rows. `fields` (field ids) keeps only changes of those fields; empty keeps all. Jira's
 * bulk fetch filters already; the check here keeps the file right whatever the source.
 */
export const historyRows = (
  issue: Issue,
  fields: ReadonlyArray<string>,
  ctx: FormatContext,
): ReadonlyArray<ReadonlyArray<string>> => {
  const wanted = new Set(fields)
  const rows: Array<ReadonlyArray<string>> = []
  for (const entry of issue.changelog?.histories ?? []) {
    const date = dateTime(entry.created, ctx)
    // A deleted or anonymous author has no user object; Jira shows "Anonymous" for those.
    const author = entry.author === undefined ? "" : user(entry.author, ctx)
    for (const item of entry.items) {
      if (wanted.size > 0 && !wanted.has(item.fieldId ?? item.field)) continue
      rows.push([
        issue.key ?? issue.id,
        date,
        author,
        item.field,
        item.fromString ?? item.from ?? "",
        item.toString ?? item.to ?? "",
      ])
    }
  }
  return rows
}
