/**
 * Exports of the key (and the other columns that need no field: id, URL) alone, against the emulator:
 * Jira answers `fields: ["id"]` with the id only, so such an export must ask for the key.
 */
import { Either } from "effect"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { exportNext, exportStart } from "../../src/resolvers/export.js"
import { previewPage } from "../../src/resolvers/preview.js"
import { exportThrough, type Harness, startHarness } from "../resolvers/emulated.js"

describe("exports of columns that need no field", () => {
  let harness: Harness
  const jql = "project = BETA ORDER BY key"
  const siteUrl = "https://example.atlassian.net"
  beforeAll(async () => {
    harness = await startHarness({ issues: 300, seed: 3 })
  })
  afterAll(async () => {
    await harness.emulator.close()
  })

  const expected = () =>
    harness.emulator
      .referenceSearch(jql, harness.emulator.accounts.admin.accountId)
      .map((id) => ({ id, key: harness.emulator.dataset.issueByIdOrKey(id)?.key ?? "" }))

  const rowsOf = (csv: string) =>
    csv
      .replace(/^\uFEFF/, "")
      .split("\r\n")
      .slice(1)
      .filter((line) => line !== "")

  for (const strategy of ["thrifty", "fast"] as const)
    for (const columns of [["key"], ["key", "Issue URL"], ["key", "issueid"]])
      it(`${strategy}, ${columns.join(" + ")}: every row has its key`, async () => {
        const issues = expected()
        expect(issues.length).toBeGreaterThan(0)
        const result = await exportThrough(
          harness,
          () => exportStart({ jql, columns, siteUrl, options: { strategy } }),
          (cursor) => exportNext({ cursor }),
        )
        const rows = rowsOf(result.csv)
        expect(rows).toEqual(
          issues.map(({ id, key }) =>
            columns[1] === "issueid"
              ? `${key},${id}`
              : columns[1] === "Issue URL"
                ? `${key},${siteUrl}/browse/${key}`
                : key,
          ),
        )
      })

  it("the preview shows the keys too", async () => {
    const page = await harness.run(previewPage({ jql, columns: ["key", "Issue URL"], pageSize: 10 }))
    if (Either.isLeft(page)) throw new Error(page.left.message)
    const keys = expected()
      .slice(0, 10)
      .map((i) => i.key)
    expect(page.right.issueKeys).toEqual(keys)
    expect(page.right.rows.map((row) => row[0])).toEqual(keys)
  })
})
