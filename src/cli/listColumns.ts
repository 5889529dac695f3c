/**
 * `--list-columns`: what `--columns` accepts on this site, as the page's picker lists it (the
 * pseudo-columns, then Jira's fields in its order): id, name and the type in Jira's words.
 */
import { Effect } from "effect"
import { fieldTypeWord } from "../contract/constants.js"
import type { FieldChoice } from "../fields/columns.js"
import { listFields } from "../fields/columns.js"
import { JiraClient } from "../jira/JiraClient.js"

/** One line per column, aligned, with a header; ids first since they are what never changes. */
export const columnTable = (choices: ReadonlyArray<FieldChoice>): string => {
  const rows = [
    ["ID", "NAME", "TYPE"],
    ...choices.map((c) => [c.id, c.header, `${fieldTypeWord(c.type)}${c.custom ? " (custom)" : ""}`]),
  ]
  const idWidth = Math.max(...rows.map((r) => (r[0] ?? "").length))
  const nameWidth = Math.max(...rows.map((r) => (r[1] ?? "").length))
  return rows
    .map(([id = "", name = "", type = ""]) =>
      `${id.padEnd(idWidth)}  ${name.padEnd(nameWidth)}  ${type}`.trimEnd(),
    )
    .join("\n")
}

/** Reads `/field` as the user and lays the columns out. */
export const listColumns = JiraClient.fields().pipe(Effect.map((fields) => columnTable(listFields(fields))))
