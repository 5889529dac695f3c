/**
 * Every endpoint's answers, for several queries and users, validated against the response schema of
 * the same operation in the official Jira Cloud OpenAPI document.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { type RunningEmulator, startEmulator } from "../../../dev/emulator/index.js"
import { expectMatchesSpec } from "../../support/openapi.js"
import { asUser, q } from "./http.js"

let emulator: RunningEmulator
beforeAll(async () => {
  emulator = await startEmulator({ issues: 120, seed: 3 })
})
afterAll(() => emulator.close())

const users = () =>
  [
    ["admin", asUser(emulator, emulator.accounts.admin)],
    ["restricted", asUser(emulator, emulator.accounts.restricted)],
    ["anonymous", asUser(emulator, null)],
  ] as const

const QUERIES = ["project = ALP ORDER BY key", "project in (BET, SEC) ORDER BY key DESC", "project = SEC"]
const FIELD_SETS = [
  [],
  ["*all"],
  ["*navigable", "-description"],
  ["summary", "status", "assignee", "comment"],
  ["key"],
]

describe("responses match the OpenAPI schemas", () => {
  it("GET and POST /search/jql for several queries, field sets and users", async () => {
    for (const [, client] of users())
      for (const jql of QUERIES)
        for (const fields of FIELD_SETS) {
          const get = await client.get(
            `/rest/api/3/search/jql?${q({ jql, fields, maxResults: 7, expand: "names,schema" })}`,
          )
          expect(get.status).toBe(200)
          expectMatchesSpec("searchAndReconsileIssuesUsingJql", 200, get.json)
          const post = await client.post("/rest/api/3/search/jql", {
            jql,
            fields,
            maxResults: 7,
            expand: "names",
            ...(get.json.nextPageToken ? { nextPageToken: get.json.nextPageToken } : {}),
          })
          expect(post.status).toBe(200)
          expectMatchesSpec("searchAndReconsileIssuesUsingJqlPost", 200, post.json)
        }
  })

  it("bulkfetch, GET issue, comments and worklogs", async () => {
    for (const [, client] of users()) {
      const bulk = await client.post("/rest/api/3/issue/bulkfetch", {
        issueIdsOrKeys: ["10000", "10001", "10002", "ALP-5", "BET-3"],
        fields: ["*all"],
        expand: ["names", "schema"],
      })
      expect(bulk.status).toBe(200)
      expectMatchesSpec("bulkFetchIssues", 200, bulk.json)
      for (const key of ["ALP-1", "ALP-2"]) {
        const issue = await client.get(`/rest/api/3/issue/${key}?expand=names`)
        expect(issue.status).toBe(200)
        expectMatchesSpec("getIssue", 200, issue.json)
        const comments = await client.get(`/rest/api/3/issue/${key}/comment?startAt=1&maxResults=3`)
        expectMatchesSpec("getComments", 200, comments.json)
        const worklogs = await client.get(`/rest/api/3/issue/${key}/worklog`)
        expectMatchesSpec("getIssueWorklog", 200, worklogs.json)
      }
    }
  })

  it("identity, users and fields", async () => {
    const admin = asUser(emulator, emulator.accounts.admin)
    expectMatchesSpec("getCurrentUser", 200, (await admin.get("/rest/api/3/myself")).json)
    expectMatchesSpec(
      "getCurrentUser",
      200,
      (await asUser(emulator, emulator.accounts.restricted).get("/rest/api/3/myself")).json,
    )
    expectMatchesSpec("getFields", 200, (await admin.get("/rest/api/3/field")).json)
    const ids = emulator.dataset.users.map((u) => u.accountId)
    expectMatchesSpec("getUser", 200, (await admin.get(`/rest/api/3/user?accountId=${ids[1]}`)).json)
    for (const maxResults of [1, 2, 10]) {
      const page = await admin.get(`/rest/api/3/user/bulk?${q({ accountId: ids, maxResults })}`)
      expect(page.status).toBe(200)
      expectMatchesSpec("bulkGetUsers", 200, page.json)
    }
  })

  it("JQL helpers and approximate count", async () => {
    const admin = asUser(emulator, emulator.accounts.admin)
    const parsed = await admin.post("/rest/api/3/jql/parse?validation=strict", {
      queries: [
        "project = ALP ORDER BY key",
        "project = NOPE",
        "summary ~ nonsense syntax ((",
        "project = ALP",
      ],
    })
    expect(parsed.status).toBe(200)
    expectMatchesSpec("parseJqlQueries", 200, parsed.json)
    expectMatchesSpec("getAutoComplete", 200, (await admin.get("/rest/api/3/jql/autocompletedata")).json)
    for (const [fieldName, fieldValue] of [
      ["project", "a"],
      ["assignee", "ri"],
      ["status", "do"],
    ] as const) {
      const s = await admin.get(
        `/rest/api/3/jql/autocompletedata/suggestions?${q({ fieldName, fieldValue })}`,
      )
      expectMatchesSpec("getFieldAutoCompleteForQueryString", 200, s.json)
    }
    const count = await admin.post("/rest/api/3/search/approximate-count", { jql: "project = ALP" })
    expectMatchesSpec("countIssues", 200, count.json)
  })

  it("error bodies are Jira ErrorCollections", async () => {
    const admin = asUser(emulator, emulator.accounts.admin)
    const cases = [
      ["searchAndReconsileIssuesUsingJql", await admin.get("/rest/api/3/search/jql?jql=order%20by%20key")],
      [
        "searchAndReconsileIssuesUsingJqlPost",
        await admin.post("/rest/api/3/search/jql", { jql: "project = ALP", x: 1 }),
      ],
      ["bulkFetchIssues", await admin.post("/rest/api/3/issue/bulkfetch", { issueIdsOrKeys: [] })],
      ["bulkGetUsers", await admin.get("/rest/api/3/user/bulk")],
      ["parseJqlQueries", await admin.post("/rest/api/3/jql/parse", { queries: [] })],
      ["getIssue", await admin.get("/rest/api/3/issue/NOPE-1")],
    ] as const
    for (const [operation, answer] of cases) {
      expect(answer.status).toBeGreaterThanOrEqual(400)
      expectMatchesSpec(operation, answer.status, answer.json)
    }
  })
})
