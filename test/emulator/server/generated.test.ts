/**
 * The server over the generated data set and JQL engine (the default wiring): exact paging for each
 * user, permissions, deletions on the cheap id-only path, and the latency rule of the profiles.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { PROFILES, type RunningEmulator, startEmulator } from "../../../dev/emulator/index.js"
import { latencyOf } from "../../../dev/emulator/server/profiles.js"
import { asUser } from "./http.js"

let emulator: RunningEmulator
beforeAll(async () => {
  emulator = await startEmulator({ issues: 1500, seed: 2 })
})
afterAll(() => emulator.close())

/** Every project the account may browse (naming a hidden one is an error, as on Jira). */
const visibleProjects = (account: typeof emulator.accounts.admin) => {
  const hidden = emulator.dataset.userByAccountId(account.accountId)?.hiddenProjects
  const keys = emulator.dataset.projects.map((p) => p.key).filter((k) => !hidden?.has(k))
  return `project in (${keys.join(", ")}) ORDER BY key`
}
const EVERYTHING = "created >= -36500d ORDER BY key"

const pageIds = async (account: typeof emulator.accounts.admin, body: Record<string, unknown>) => {
  const client = asUser(emulator, account)
  const ids: Array<string> = []
  let token: string | undefined
  for (;;) {
    const page = await client.post("/rest/api/3/search/jql", {
      ...body,
      ...(token ? { nextPageToken: token } : {}),
    })
    expect(page.status).toBe(200)
    ids.push(...page.json.issues.map((i: { id: string }) => i.id))
    if (page.json.isLast) return ids
    token = page.json.nextPageToken
  }
}

describe("server over the generated data set", () => {
  it("pages exactly the reference result for each user, by ids and with fields", async () => {
    for (const account of [emulator.accounts.admin, emulator.accounts.restricted]) {
      const jql = visibleProjects(account)
      const reference = emulator.referenceSearch(jql, account.accountId)
      expect(reference.length).toBeGreaterThan(100)
      expect(await pageIds(account, { jql, maxResults: 400 })).toEqual(reference)
      const fielded = await pageIds(account, { jql, maxResults: 100, fields: ["summary", "project"] })
      expect(fielded).toEqual(reference)
    }
    const admin = emulator.referenceSearch(EVERYTHING, emulator.accounts.admin.accountId)
    const restricted = emulator.referenceSearch(EVERYTHING, emulator.accounts.restricted.accountId)
    expect(restricted.length).toBeLessThan(admin.length)
  })

  it("the restricted user never receives an issue of a project hidden from them", async () => {
    const hidden = emulator.dataset.userByAccountId(emulator.accounts.restricted.accountId)?.hiddenProjects
    expect(hidden?.size).toBeGreaterThan(0)
    const client = asUser(emulator, emulator.accounts.restricted)
    const ids = await pageIds(emulator.accounts.restricted, { jql: EVERYTHING, maxResults: 5000 })
    const bulk = await client.post("/rest/api/3/issue/bulkfetch", {
      issueIdsOrKeys: ids.slice(0, 100),
      fields: ["project"],
    })
    expect(bulk.json.issues).toHaveLength(100)
    for (const issue of bulk.json.issues) expect(hidden?.has(issue.fields.project.key)).toBe(false)
    const secret = emulator
      .referenceSearch(EVERYTHING, emulator.accounts.admin.accountId)
      .find((id) => hidden?.has(emulator.dataset.issueByIdOrKey(id)?.projectKey ?? ""))!
    expect(secret).toBeDefined()
    const direct = await client.post("/rest/api/3/issue/bulkfetch", { issueIdsOrKeys: [secret] })
    expect(direct.json.issues).toEqual([])
  })

  it("id-only pages and the reference leave out issues deleted after the search ran", async () => {
    const jql = `project = ${emulator.dataset.projects[0]!.key} ORDER BY key`
    const admin = asUser(emulator, emulator.accounts.admin)
    const first = await admin.post("/rest/api/3/search/jql", { jql, maxResults: 5 })
    const before = emulator.referenceSearch(jql, emulator.accounts.admin.accountId)
    expect(emulator.dataset.deleteIssue(before[6]!)).toBe(true)
    const second = await admin.post("/rest/api/3/search/jql", {
      jql,
      maxResults: 5,
      nextPageToken: first.json.nextPageToken,
    })
    expect(second.json.issues.map((i: { id: string }) => i.id)).toEqual([
      before[5],
      before[7],
      before[8],
      before[9],
    ])
    expect(emulator.referenceSearch(jql, emulator.accounts.admin.accountId)).toEqual(
      before.filter((_, i) => i !== 6),
    )
  })
})

describe("profile latency", () => {
  it("cloud: 120 ms + 3 ms per issue with fields, +0.1 ms per id-only issue, 80 ms otherwise; instant: none", () => {
    expect(latencyOf(PROFILES.cloud, { issueCall: true, issuesWithFields: 100, idOnlyIssues: 0 })).toBe(420)
    expect(latencyOf(PROFILES.cloud, { issueCall: true, issuesWithFields: 0, idOnlyIssues: 5000 })).toBe(620)
    expect(latencyOf(PROFILES.cloud, { issueCall: false, issuesWithFields: 0, idOnlyIssues: 0 })).toBe(80)
    expect(latencyOf(PROFILES.instant, { issueCall: true, issuesWithFields: 100, idOnlyIssues: 0 })).toBe(0)
  })
})
