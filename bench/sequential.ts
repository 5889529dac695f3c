/**
 * The plain loop a first version would write: `/search/jql` 50 per page with the fields, one
 * `GET /user` per account id met (each id once; one call per *mention* would take tens of minutes and
 * measure nothing new). What `fast` is measured against.
 */

import { encodeRows } from "../src/csv/encoder.js"
import { cellKindOf, resolveOptions } from "../src/export/options.js"
import { fieldsToRequest, resolveColumns } from "../src/fields/columns.js"
import { formatRow } from "../src/fields/format.js"
import { collectAccountIds, type DirectoryUserLike } from "../src/fields/users.js"
import { type BenchEmulator, queryOf } from "./emulatorThread.js"
import { figures, type RunFigures } from "./figures.js"

export const sequentialRun = async (
  emulator: BenchEmulator,
  columnIds: ReadonlyArray<string>,
): Promise<RunFigures> => {
  const auth = `Basic ${Buffer.from(`${emulator.accounts.admin.email}:${emulator.apiToken}`).toString("base64")}`
  const call = async (method: "GET" | "POST", url: string, body?: unknown) => {
    for (;;) {
      const response = await fetch(`${emulator.url}${url}`, {
        method,
        headers: { Authorization: auth, Accept: "application/json", "Content-Type": "application/json" },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      })
      if (response.status === 429 || response.status === 503) {
        const wait = Number(response.headers.get("retry-after") ?? "1") * 1000
        await response.arrayBuffer()
        await new Promise((resolve) => setTimeout(resolve, wait + 5))
        continue
      }
      if (!response.ok) throw new Error(`${method} ${url}: ${response.status}`)
      return response.json()
    }
  }
  await emulator.resetStats()
  const started = performance.now()
  const fields = await call("GET", "/rest/api/3/field")
  const resolved = resolveColumns(fields, columnIds)
  if (resolved._tag === "Left") throw new Error(resolved.left.message)
  const columns = resolved.right
  const options = resolveOptions({ preset: "data" }, "UTC")
  if (options._tag === "Left") throw new Error(options.left)
  const users = new Map<string, DirectoryUserLike>()
  let token: string | undefined
  let issues = 0
  let bytes = 0
  for (;;) {
    const page = await call("POST", "/rest/api/3/search/jql", {
      jql: queryOf(emulator),
      fields: [...fieldsToRequest(columns)],
      maxResults: 50,
      ...(token === undefined ? {} : { nextPageToken: token }),
    })
    const rows: Array<ReadonlyArray<string>> = []
    for (const issue of page.issues) {
      for (const id of collectAccountIds(issue, columns)) {
        if (users.has(id)) continue
        const user = await call("GET", `/rest/api/3/user?accountId=${encodeURIComponent(id)}`)
        users.set(id, user)
      }
      rows.push(formatRow(issue, columns, { users, options: options.right.format, siteUrl: emulator.url }))
    }
    bytes += encodeRows(
      rows,
      columns.map((c) => cellKindOf(c.kind)),
      options.right.csv,
    ).text.length
    issues += rows.length
    token = page.nextPageToken ?? undefined
    if (page.isLast || !token) break
  }
  return figures(emulator, performance.now() - started, issues, bytes)
}
