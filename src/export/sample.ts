/**
 * The bytes per CSV row of an export, measured on a few of its issues when it starts, so the first
 * `export/next` call starts warm: its gate admits work up to its size budget at once instead of
 * waiting for its own first output (gate.ts), and `fast` may list ahead from the first page. Costs one
 * small search (about 11 points).
 */
import { Effect } from "effect"
import type { JiraError } from "../jira/JiraError.js"
import { utf8Length } from "./bytes.js"
import type { ExportJiraShape, ExportUser, RowFormat } from "./ports.js"

/** Issues the sample reads. */
const SAMPLE_ISSUES = 10

/** Bytes per row (as the answer's JSON counts them) of the first issues of `jql`; undefined without any. */
export const sampleBytesPerRow = (
  jira: ExportJiraShape,
  jql: string,
  format: RowFormat,
): Effect.Effect<number | undefined, JiraError> =>
  jira.searchPage({ jql, fields: [...format.fields], maxResults: SAMPLE_ISSUES }).pipe(
    Effect.map((page) => {
      // Users are not looked up for a sample: those an issue shows in full give their names.
      const users = new Map<string, ExportUser>()
      for (const issue of page.issues) for (const [id, user] of format.knownUsers(issue)) users.set(id, user)
      const rows = page.issues.flatMap((issue) =>
        format.formatRows === undefined ? [format.formatRow(issue, users)] : format.formatRows(issue, users),
      )
      if (rows.length === 0) return undefined
      const text = format.encodeRows(rows).text
      return Math.max(1, Math.ceil(utf8Length(JSON.stringify(text)) / rows.length))
    }),
  )
