/**
 * A Jira REST client written by someone else (jira.js 5, Version3Client) against the emulator: enhanced
 * search with token paging, bulkfetch, fields and user calls. If the emulator drifted from Jira's shapes,
 * a client built from Atlassian's spec would notice.
 */
import { Version3Client } from "jira.js"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { type RunningEmulator, startEmulator } from "../../../dev/emulator/index.js"
import { miniature } from "./http.js"

let emulator: RunningEmulator
let client: Version3Client
beforeAll(async () => {
  emulator = await startEmulator({ ...miniature(240, 9), fieldPageCap: 30 })
  client = new Version3Client({
    host: emulator.url,
    authentication: { basic: { email: emulator.accounts.admin.email, apiToken: emulator.apiToken } },
  })
})
afterAll(() => emulator.close())

const JQL = "project in (ALP, BET) ORDER BY key"

describe("jira.js Version3Client against the emulator", () => {
  it("pages GET and POST enhanced search with tokens until isLast", async () => {
    const reference = emulator.referenceSearch(JQL, emulator.accounts.admin.accountId)
    for (const method of ["get", "post"] as const) {
      const ids: Array<string> = []
      let nextPageToken: string | undefined
      let pages = 0
      for (;;) {
        const parameters = {
          jql: JQL,
          fields: ["summary", "status"],
          maxResults: 100,
          ...(nextPageToken ? { nextPageToken } : {}),
        }
        const page =
          method === "get"
            ? await client.issueSearch.searchForIssuesUsingJqlEnhancedSearch(parameters)
            : await client.issueSearch.searchForIssuesUsingJqlEnhancedSearchPost(parameters)
        pages++
        for (const issue of page.issues ?? []) {
          expect(typeof issue.fields.summary).toBe("string")
          ids.push(issue.id)
        }
        // jira.js 5.4's model lacks `isLast`; Jira (and the emulator) send it, and omit the token on the last page.
        const { isLast } = page as { isLast?: boolean }
        expect(isLast).toBe(page.nextPageToken === undefined)
        if (isLast) break
        nextPageToken = page.nextPageToken ?? undefined
      }
      expect(ids).toEqual(reference)
      expect(pages).toBe(Math.ceil(reference.length / 30))
    }
  })

  it("bulk-fetches issues, reads fields, comments and users", async () => {
    const ids = emulator.referenceSearch(JQL, emulator.accounts.admin.accountId).slice(0, 100).reverse()
    const bulk = await client.issues.bulkFetchIssues({ issueIdsOrKeys: ids, fields: ["summary", "assignee"] })
    expect(bulk.issues?.map((i) => i.id)).toEqual([...ids].sort((a, b) => Number(a) - Number(b)))
    const fields = await client.issueFields.getFields()
    expect(fields.map((f) => f.id)).toContain("summary")
    const me = await client.myself.getCurrentUser()
    expect(me.accountId).toBe(emulator.accounts.admin.accountId)
    const accountIds = emulator.dataset.users.map((u) => u.accountId).slice(0, 3)
    // One id per call: jira.js 5.4 percent-encodes the "&accountId=" it joins repeated ids with, so
    // Jira would see a single unknown id.
    const users = await client.users.bulkGetUsers({ accountId: [accountIds[0]!], maxResults: 3 })
    expect(users.values?.map((u) => u.accountId)).toEqual([accountIds[0]])
    expect(users.isLast).toBe(true)
    const one = await client.users.getUser({ accountId: accountIds[1]! })
    expect(one.accountId).toBe(accountIds[1])
    const count = await client.issueSearch.countIssues({ jql: JQL })
    expect(count.count).toBe(emulator.referenceSearch(JQL, emulator.accounts.admin.accountId).length)
    const comments = await client.issueComments.getComments({ issueIdOrKey: ids[0]!, maxResults: 5 })
    expect(comments.total).toBe(emulator.dataset.commentsOf?.(ids[0]!)?.length)
  })

  it("surfaces the emulator's 400 for an unbounded query as an error", async () => {
    await expect(
      client.issueSearch.searchForIssuesUsingJqlEnhancedSearchPost({ jql: "order by key" }),
    ).rejects.toThrow()
  })
})
