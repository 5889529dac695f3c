/** The documented behaviours of search, bulkfetch, users and the removed endpoints (docs/jira-cloud.md §1, §3, §5). */
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { type RunningEmulator, startEmulator } from "../../../dev/emulator/index.js"
import { asUser, miniature, q } from "./http.js"

const DAY = 24 * 3_600_000
let clock = Date.UTC(2026, 10, 29, 12)
let emulator: RunningEmulator
beforeAll(async () => {
  emulator = await startEmulator({ ...miniature(600, 5), fieldPageCap: 40, now: () => clock })
})
afterAll(() => emulator.close())

const admin = () => asUser(emulator, emulator.accounts.admin)
const ALL_ALP = "project = ALP ORDER BY key"

/** Follows `nextPageToken` until `isLast`; returns the ids and the page sizes. */
const pageThrough = async (body: Record<string, unknown>) => {
  const ids: Array<string> = []
  const sizes: Array<number> = []
  let token: string | undefined
  for (;;) {
    const page = await admin().post("/rest/api/3/search/jql", {
      ...body,
      ...(token ? { nextPageToken: token } : {}),
    })
    expect(page.status).toBe(200)
    ids.push(...page.json.issues.map((i: { id: string }) => i.id))
    sizes.push(page.json.issues.length)
    expect("total" in page.json).toBe(false)
    if (page.json.isLast) {
      expect("nextPageToken" in page.json).toBe(false)
      return { ids, sizes }
    }
    expect(typeof page.json.nextPageToken).toBe("string")
    token = page.json.nextPageToken
  }
}

describe("search/jql paging", () => {
  it("pages through exactly the reference result, with the id-only cap at 5000 and the field cap otherwise", async () => {
    const reference = emulator.referenceSearch(ALL_ALP, emulator.accounts.admin.accountId)
    expect(reference.length).toBe(200)
    const idOnly = await pageThrough({ jql: ALL_ALP, maxResults: 5000 })
    expect(idOnly.ids).toEqual(reference)
    expect(idOnly.sizes).toEqual([200])
    const fielded = await pageThrough({ jql: ALL_ALP, maxResults: 5000, fields: ["summary"] })
    expect(fielded.ids).toEqual(reference)
    expect(fielded.sizes).toEqual([40, 40, 40, 40, 40])
    const small = await pageThrough({ jql: ALL_ALP, maxResults: 64 })
    expect(small.sizes).toEqual([64, 64, 64, 8])
  })

  it("GET takes comma lists and repeated fields; default page is 50 and default fields just the id", async () => {
    const page = await admin().get(`/rest/api/3/search/jql?${q({ jql: ALL_ALP })}`)
    expect(page.json.issues).toHaveLength(50)
    expect(Object.keys(page.json.issues[0])).toEqual(["id"])
    const fielded = await admin().get(
      `/rest/api/3/search/jql?${q({ jql: ALL_ALP, fields: ["summary,status", "assignee"] })}`,
    )
    expect(Object.keys(fielded.json.issues[0].fields).sort()).toEqual(["assignee", "status", "summary"])
  })

  it("applies *all, *navigable, exclusions and expand=names,schema", async () => {
    const all = (
      await admin().post("/rest/api/3/search/jql", { jql: ALL_ALP, maxResults: 1, fields: ["*all"] })
    ).json
    const fieldIds = emulator.dataset.fields.map((f) => f.id)
    expect(Object.keys(all.issues[0].fields).every((id) => fieldIds.includes(id))).toBe(true)
    expect(Object.keys(all.issues[0].fields)).toContain("worklog")
    const nav = (
      await admin().post("/rest/api/3/search/jql", {
        jql: ALL_ALP,
        maxResults: 1,
        fields: ["*navigable", "-description"],
        expand: "names,schema",
      })
    ).json
    expect(Object.keys(nav.issues[0].fields)).not.toContain("worklog")
    expect(Object.keys(nav.issues[0].fields)).not.toContain("description")
    expect(nav.names.summary).toBe("Summary")
    expect(nav.schema.summary).toEqual({ type: "string", system: "summary" })
  })

  it("garbage tokens are 400; empty and null tokens are page 1; tokens expire after 7 days", async () => {
    const first = await admin().post("/rest/api/3/search/jql", { jql: ALL_ALP, maxResults: 10 })
    for (const bad of ["BOGUS", `${first.json.nextPageToken}x`, "e30.AAAA"]) {
      const answer = await admin().post("/rest/api/3/search/jql", { jql: ALL_ALP, nextPageToken: bad })
      expect(answer.status).toBe(400)
      expect(answer.json.errorMessages[0]).toMatch(/nextPageToken/)
    }
    for (const empty of ["", null]) {
      const answer = await admin().post("/rest/api/3/search/jql", {
        jql: ALL_ALP,
        maxResults: 10,
        nextPageToken: empty,
      })
      expect(answer.json.issues).toEqual(first.json.issues)
    }
    const viaGet = await admin().get(
      `/rest/api/3/search/jql?${q({ jql: ALL_ALP, maxResults: 10, nextPageToken: "" })}`,
    )
    expect(viaGet.json.issues).toEqual(first.json.issues)
    clock += 7 * DAY - 1
    const stillValid = await admin().post("/rest/api/3/search/jql", {
      jql: ALL_ALP,
      nextPageToken: first.json.nextPageToken,
    })
    expect(stillValid.status).toBe(200)
    clock += 1
    const expired = await admin().post("/rest/api/3/search/jql", {
      jql: ALL_ALP,
      nextPageToken: first.json.nextPageToken,
    })
    expect(expired.status).toBe(400)
  })

  it("a token belongs to its query: another JQL with it is 400", async () => {
    const first = await admin().post("/rest/api/3/search/jql", { jql: ALL_ALP, maxResults: 10 })
    const other = await admin().post("/rest/api/3/search/jql", {
      jql: "project = BET",
      nextPageToken: first.json.nextPageToken,
    })
    expect(other.status).toBe(400)
  })

  it("checks token, then maxResults range, then unbounded JQL", async () => {
    const both = await admin().post("/rest/api/3/search/jql", {
      jql: "order by key",
      maxResults: 0,
      nextPageToken: "BOGUS",
    })
    expect(both.json.errorMessages[0]).toMatch(/nextPageToken/)
    for (const maxResults of [0, 5001, -1]) {
      const range = await admin().post("/rest/api/3/search/jql", { jql: "order by key", maxResults })
      expect(range.status).toBe(400)
      expect(range.json).toEqual({
        errorMessages: ["The maxResults parameter must be between 1 and 5000."],
        errors: {},
      })
    }
    for (const maxResults of [1, 5000]) {
      const ok = await admin().post("/rest/api/3/search/jql", { jql: ALL_ALP, maxResults })
      expect(ok.status).toBe(200)
    }
    const unbounded = await admin().post("/rest/api/3/search/jql", { jql: "order by key" })
    expect(unbounded.json).toEqual({
      errorMessages: [
        "Unbounded JQL queries are not allowed here. Please add a search restriction to your query.",
      ],
      errors: {},
    })
    expect((await admin().post("/rest/api/3/search/jql", {})).status).toBe(400)
  })

  it("POST bodies are strict: unknown or mistyped properties are 400; the query string is ignored", async () => {
    const cases = [
      { jql: ALL_ALP, startAt: 0 },
      { jql: ALL_ALP, maxResults: "abc" },
      { jql: [ALL_ALP] },
      { jql: ALL_ALP, expand: ["names"] },
      { jql: ALL_ALP, failFast: true },
    ]
    for (const body of cases) expect((await admin().post("/rest/api/3/search/jql", body)).status).toBe(400)
    expect((await admin().post("/rest/api/3/search/jql", "{not json")).status).toBe(400)
    const first = await admin().post("/rest/api/3/search/jql", { jql: ALL_ALP, maxResults: 5 })
    const ignored = await admin().post(`/rest/api/3/search/jql?nextPageToken=${first.json.nextPageToken}`, {
      jql: ALL_ALP,
      maxResults: 5,
    })
    expect(ignored.json.issues).toEqual(first.json.issues)
    expect((await admin().post(`/rest/api/3/search/jql?${q({ jql: ALL_ALP })}`, {})).status).toBe(400)
  })

  it("answers POST without a JSON content type with 415 problem+json", async () => {
    const answer = await admin().send("/rest/api/3/search/jql", { method: "POST" })
    expect(answer.status).toBe(415)
    expect(answer.headers.get("content-type")).toBe("application/problem+json")
    expect(answer.json).toEqual({
      title: "Unsupported Media Type",
      detail: "Content-Type 'null' is not supported.",
      instance: "/rest/api/3/search/jql",
    })
    const textPlain = await admin().post("/rest/api/3/issue/bulkfetch", "{}", {
      "content-type": "text/plain",
    })
    expect(textPlain.json.detail).toBe("Content-Type 'text/plain' is not supported.")
  })

  it("answers the removed /search with 410 and Jira's body, and unknown routes with 404 JSON", async () => {
    for (const path of ["/rest/api/3/search?jql=project%3DALP", "/rest/api/2/search"]) {
      const answer = await admin().get(path)
      expect(answer.status).toBe(410)
      expect(answer.json.errorMessages[0]).toMatch(
        /^The requested API has been removed\. Please migrate to the \/rest\/api\/3\/search\/jql API/,
      )
    }
    expect((await admin().post("/rest/api/3/search", { jql: "project = ALP" })).status).toBe(410)
    const unknown = await admin().get("/rest/api/3/nothing-here")
    expect(unknown.status).toBe(404)
    expect(Array.isArray(unknown.json.errorMessages)).toBe(true)
  })

  it("evaluates the JQL once per search: later pages keep the list even if the data changes", async () => {
    const first = await admin().post("/rest/api/3/search/jql", {
      jql: "project = BET ORDER BY key",
      maxResults: 3,
    })
    const upcoming = emulator.referenceSearch("project = BET ORDER BY key", emulator.accounts.admin.accountId)
    emulator.dataset.deleteIssue(upcoming[4]!)
    const second = await admin().post("/rest/api/3/search/jql", {
      jql: "project = BET ORDER BY key",
      maxResults: 3,
      nextPageToken: first.json.nextPageToken,
    })
    // Position 4 was deleted after the search ran: left out, and position 5 is not pulled forward.
    expect(second.json.issues.map((i: { id: string }) => i.id)).toEqual([upcoming[3], upcoming[5]])
  })
})

describe("permissions and identity", () => {
  it("each user sees only the projects they may browse", async () => {
    const restricted = asUser(emulator, emulator.accounts.restricted)
    const hidden = [
      ...(emulator.dataset.userByAccountId(emulator.accounts.restricted.accountId)?.hiddenProjects ?? []),
    ]
    expect(hidden.length).toBeGreaterThan(0)
    const jql = `project in (ALP, BET, SEC) ORDER BY key`
    const page = await restricted.post("/rest/api/3/search/jql", {
      jql,
      maxResults: 5000,
      fields: ["project"],
    })
    const projects = new Set(
      page.json.issues.map((i: { fields: { project: { key: string } } }) => i.fields.project.key),
    )
    for (const p of hidden) expect(projects.has(p)).toBe(false)
    expect(page.json.issues.map((i: { id: string }) => i.id)).toEqual(
      emulator.referenceSearch(jql, emulator.accounts.restricted.accountId).slice(0, 40),
    )
    const secretKey = emulator.referenceSearch(
      `project = ${hidden[0]}`,
      emulator.accounts.admin.accountId,
    )[0]!
    const direct = await restricted.get(`/rest/api/3/issue/${secretKey}`)
    expect(direct.status).toBe(404)
    expect(direct.json.errorMessages).toEqual([
      "Issue does not exist or you do not have permission to see it.",
    ])
    expect((await restricted.get(`/rest/api/3/issue/${secretKey}/comment`)).status).toBe(404)
    const bulk = await restricted.post("/rest/api/3/issue/bulkfetch", {
      issueIdsOrKeys: [secretKey, "ALP-1"],
    })
    expect(bulk.json.issues.map((i: { key: string }) => i.key)).toEqual(["ALP-1"])
    expect(emulator.issueJson(secretKey, ["summary"], emulator.accounts.restricted.accountId)).toBeUndefined()
  })

  it("bad Basic credentials are anonymous; /myself then answers 401 text/html", async () => {
    const wrong = asUser(emulator, { ...emulator.accounts.admin, email: "nobody@example.test" })
    const me = await wrong.get("/rest/api/3/myself")
    expect(me.status).toBe(401)
    expect(me.headers.get("content-type")).toMatch(/^text\/html/)
    expect(me.text).toBe("Client must be authenticated to access this resource.")
    expect(me.headers.get("www-authenticate")).toMatch(/^OAuth realm=/)
    const search = await wrong.post("/rest/api/3/search/jql", { jql: "project = SEC" })
    expect(search.status).toBe(200)
    expect(search.json.issues).toEqual([])
    const ok = await admin().get("/rest/api/3/myself")
    expect(ok.json.accountId).toBe(emulator.accounts.admin.accountId)
  })

  it("the Forge account header identifies the in-process asUser() caller", async () => {
    const answer = await asUser(emulator, null).get("/rest/api/3/myself", {
      "x-emulator-forge-account-id": emulator.accounts.restricted.accountId,
    })
    expect(answer.json.accountId).toBe(emulator.accounts.restricted.accountId)
  })
})

describe("bulkfetch", () => {
  it("answers in ascending id order, omits unknown and deleted issues silently, and matches issueJson", async () => {
    const ids = emulator
      .referenceSearch("project = ALP ORDER BY key DESC", emulator.accounts.admin.accountId)
      .slice(0, 6)
    emulator.dataset.deleteIssue(ids[2]!)
    const answer = await admin().post("/rest/api/3/issue/bulkfetch", {
      issueIdsOrKeys: [...ids, "NOPE-1", "99999999"],
      fields: ["summary", "status"],
    })
    expect(answer.status).toBe(200)
    const expected = ids.filter((_, i) => i !== 2).sort((a, b) => Number(a) - Number(b))
    expect(answer.json.issues.map((i: { id: string }) => i.id)).toEqual(expected)
    expect(answer.json.issueErrors).toEqual([])
    expect(answer.json.issues[0]).toEqual(
      emulator.issueJson(expected[0]!, ["summary", "status"], emulator.accounts.admin.accountId),
    )
  })

  it("defaults fields to *navigable, accepts keys in any case, and refuses 0 or more than 100 ids", async () => {
    const answer = await admin().post("/rest/api/3/issue/bulkfetch", { issueIdsOrKeys: ["alp-1"] })
    expect(answer.json.issues[0].key).toBe("ALP-1")
    expect(Object.keys(answer.json.issues[0].fields)).toContain("summary")
    expect(Object.keys(answer.json.issues[0].fields)).not.toContain("worklog")
    for (const n of [0, 101]) {
      const refused = await admin().post("/rest/api/3/issue/bulkfetch", {
        issueIdsOrKeys: Array.from({ length: n }, (_, i) => String(10_000 + i)),
      })
      expect(refused.status).toBe(400)
      expect(refused.json.errorMessages[0]).toMatch(/between 1 and 100/)
    }
    expect(
      (await admin().post("/rest/api/3/issue/bulkfetch", { issueIdsOrKeys: ["ALP-1"], expand: "names" }))
        .status,
    ).toBe(400)
  })
})

describe("users, comments and JQL helpers", () => {
  it("user/bulk pages with isLast and nextPage, defaults to 10 and needs an accountId", async () => {
    const ids = emulator.dataset.users.map((u) => u.accountId)
    const first = await admin().get(`/rest/api/3/user/bulk?${q({ accountId: ids, maxResults: 2 })}`)
    expect(first.json.values).toHaveLength(2)
    expect(first.json.isLast).toBe(false)
    const next = await fetch(first.json.nextPage, {
      headers: {
        authorization: `Basic ${Buffer.from(`${emulator.accounts.admin.email}:${emulator.apiToken}`).toString("base64")}`,
      },
    })
    const body = await next.json()
    expect(body.startAt).toBe(2)
    expect(body.values[0].accountId).toBe(ids[2])
    const all = await admin().get(`/rest/api/3/user/bulk?${q({ accountId: ids })}`)
    expect(all.json.maxResults).toBe(10)
    expect(all.json.values).toHaveLength(Math.min(10, ids.length))
    const missing = await admin().get("/rest/api/3/user/bulk")
    expect(missing.status).toBe(400)
    expect((await admin().get(`/rest/api/3/user?accountId=${ids[0]}`)).json.accountId).toBe(ids[0])
    expect((await admin().get("/rest/api/3/user?accountId=nobody")).status).toBe(404)
  })

  it("serves complete comment lists with offset paging", async () => {
    const issue = emulator
      .referenceSearch(ALL_ALP, emulator.accounts.admin.accountId)
      .find((id) => (emulator.dataset.commentsOf?.(id)?.length ?? 0) > 3)!
    const all = emulator.dataset.commentsOf?.(issue) ?? []
    const page = await admin().get(`/rest/api/3/issue/${issue}/comment?startAt=2&maxResults=2`)
    expect(page.json).toMatchObject({ startAt: 2, maxResults: 2, total: all.length })
    expect(page.json.comments).toEqual(all.slice(2, 4))
  })

  it("jql/parse reports errors inside a 200; autocomplete booleans are strings; suggestions bold the match", async () => {
    const parsed = await admin().post("/rest/api/3/jql/parse?validation=strict", {
      queries: ["project = ALP", "bogus ((("],
    })
    expect(parsed.status).toBe(200)
    expect(parsed.json.queries[0].structure).toBeDefined()
    expect(parsed.json.queries[1].errors.length).toBeGreaterThan(0)
    const data = await admin().get("/rest/api/3/jql/autocompletedata")
    for (const f of data.json.visibleFieldNames) expect(["true", "false"]).toContain(f.orderable)
    const s = await admin().get(
      `/rest/api/3/jql/autocompletedata/suggestions?${q({ fieldName: "project", fieldValue: "Al" })}`,
    )
    expect(s.json.results[0].displayName).toContain("<b>Al</b>")
  })
})
