import { describe, expect, it } from "@effect/vitest"
import { Effect, Exit } from "effect"
import fc from "fast-check"
import { JiraClient } from "../../src/jira/JiraClient.js"
import { JiraError } from "../../src/jira/JiraError.js"
import { isSafeSegment, jiraResponse, renderPath } from "../../src/jira/JiraTransport.js"
import { emptySnapshot, nextSnapshot } from "../../src/jira/quotaHeaders.js"
import { errorFromResponse } from "../../src/jira/responseError.js"
import { ok, scripted, searchReq } from "./scripted.js"

const failureOf = <A>(exit: Exit.Exit<A, JiraError>): JiraError => {
  if (Exit.isSuccess(exit)) throw new Error("expected a failure")
  const error = exit.cause._tag === "Fail" ? exit.cause.error : undefined
  if (!(error instanceof JiraError)) throw new Error(`expected a JiraError, got ${exit.cause._tag}`)
  return error
}

const body = (request: { readonly body?: unknown }) => JSON.parse(JSON.stringify(request.body ?? null))

describe("JiraClient requests and decoding", () => {
  it.effect(
    "searchPage posts the bean and reads the token chain; a missing, null or empty token ends it",
    () => {
      const jira = scripted([
        ok({ issues: [{ id: "1", key: "A-1", self: "x", fields: { summary: "s" } }], nextPageToken: "t1" }),
        ok({ issues: [{ id: "2", key: "A-2", fields: {} }], nextPageToken: null }),
        ok({ issues: [], nextPageToken: "", isLast: false }),
        ok({ issues: [{ id: "3" }], nextPageToken: "t9", isLast: true }),
      ])
      return Effect.gen(function* () {
        const first = yield* JiraClient.searchPage({ ...searchReq, expand: "names" })
        expect(first).toEqual({
          issues: [{ id: "1", key: "A-1", fields: { summary: "s" } }],
          nextPageToken: "t1",
          isLast: false,
        })
        const second = yield* JiraClient.searchPage({ ...searchReq, nextPageToken: "t1" })
        expect(second).toMatchObject({ nextPageToken: undefined, isLast: true })
        expect((yield* JiraClient.searchPage(searchReq)).isLast).toBe(true)
        expect(yield* JiraClient.searchPage(searchReq)).toMatchObject({
          nextPageToken: undefined,
          isLast: true,
        })
        const [a, b] = jira.sent
        expect(a?.request.method).toBe("POST")
        expect(renderPath(a!.request)).toBe("/rest/api/3/search/jql")
        expect(body(a!.request)).toEqual({
          jql: "project = A",
          fields: ["summary"],
          maxResults: 100,
          expand: "names",
        })
        expect(body(b!.request)).toEqual({
          jql: "project = A",
          fields: ["summary"],
          maxResults: 100,
          nextPageToken: "t1",
        })
      }).pipe(Effect.provide(jira.layer))
    },
  )

  it.effect("searchIds asks for ids only, 5000 by default", () => {
    const jira = scripted([ok({ issues: [{ id: "7" }, { id: "9" }], nextPageToken: "n" })])
    return Effect.gen(function* () {
      const page = yield* JiraClient.searchIds({ jql: "project = A" })
      expect(page).toEqual({ ids: ["7", "9"], nextPageToken: "n", isLast: false })
      expect(body(jira.sent[0]!.request)).toEqual({ jql: "project = A", fields: ["id"], maxResults: 5000 })
    }).pipe(Effect.provide(jira.layer))
  })

  it.effect("searchIds withKeys asks for the keys (the same page cap) and hands them back", () => {
    const jira = scripted([
      ok({
        issues: [
          { id: "7", key: "A-1" },
          { id: "9", key: "A-2" },
        ],
        isLast: true,
      }),
    ])
    return Effect.gen(function* () {
      const page = yield* JiraClient.searchIds({ jql: "project = A", withKeys: true })
      expect(page).toEqual({ ids: ["7", "9"], keys: ["A-1", "A-2"], nextPageToken: undefined, isLast: true })
      expect(body(jira.sent[0]!.request)).toEqual({ jql: "project = A", fields: ["key"], maxResults: 5000 })
    }).pipe(Effect.provide(jira.layer))
  })

  it.effect(
    "a 400 with JQL errors from search or approximate-count is InvalidJql with Jira's messages",
    () => {
      const messages = [
        "Field 'resolution' does not exist or you do not have permission to view it.",
        "Not able to sort using field 'priority'.",
      ]
      const jira = scripted([jiraResponse(400, { errorMessages: messages, errors: {} })])
      return Effect.gen(function* () {
        const runs: ReadonlyArray<Effect.Effect<unknown, JiraError, JiraClient>> = [
          JiraClient.searchPage(searchReq),
          JiraClient.approximateCount("resolution = x"),
        ]
        for (const run of runs) {
          const error = failureOf(yield* Effect.exit(run))
          expect(error.reason).toBe("InvalidJql")
          expect(error.details).toEqual(messages)
          expect(error.message).toBe(`Jira could not run this JQL: ${messages[0]}`)
        }
        expect(jira.sent.length).toBe(2)
      }).pipe(Effect.provide(jira.layer))
    },
  )

  it.effect("a 400 about the token is not blamed on the JQL", () => {
    const jira = scripted([
      jiraResponse(400, { errorMessages: ["The nextPageToken is invalid."], errors: {} }),
    ])
    return Effect.gen(function* () {
      const error = failureOf(
        yield* Effect.exit(JiraClient.searchPage({ ...searchReq, nextPageToken: "BOGUS" })),
      )
      expect(error.reason).toBe("BadRequest")
      expect(error.message).toBe("Jira refused the request: The nextPageToken is invalid.")
    }).pipe(Effect.provide(jira.layer))
  })

  it.effect("the removed /search answers 410 and maps to Removed", () => {
    const jira = scripted([
      jiraResponse(410, { errorMessages: ["The requested API has been removed."], errors: {} }),
    ])
    return Effect.gen(function* () {
      const error = failureOf(yield* Effect.exit(JiraClient.fields()))
      expect(error.reason).toBe("Removed")
      expect(error.message).toMatch(/^Jira has removed \/rest\/api\/3\/field; .*\.$/)
    }).pipe(Effect.provide(jira.layer))
  })

  it.effect("a decode error names the request path and the JSON path, with a short excerpt", () => {
    const jira = scripted([ok({ issues: [{ id: "1" }, { id: 2, fields: {} }], filler: "z".repeat(10_000) })])
    return Effect.gen(function* () {
      const error = failureOf(yield* Effect.exit(JiraClient.searchPage(searchReq)))
      expect(error.reason).toBe("Decode")
      expect(error.path).toBe("/rest/api/3/search/jql")
      expect(error.message).toBe(
        "Jira sent an answer to /rest/api/3/search/jql that this app could not read.",
      )
      expect(error.details?.[0]).toMatch(/^issues\.1\.id: /)
      expect(error.details?.join("\n").length).toBeLessThan(1000)
    }).pipe(Effect.provide(jira.layer))
  })

  it.effect("an ids page with a bad issue or a fields value that is not an object fails to decode", () => {
    const jira = scripted([
      ok({ issues: [{ id: "1" }, { id: null }] }),
      ok({ issues: [{ id: "1", fields: [1] }] }),
    ])
    return Effect.gen(function* () {
      const ids = failureOf(yield* Effect.exit(JiraClient.searchIds({ jql: "project = A" })))
      expect(ids.reason).toBe("Decode")
      expect(ids.details?.[0]).toMatch(/^issues: /)
      const page = failureOf(yield* Effect.exit(JiraClient.searchPage(searchReq)))
      expect(page.details?.[0]).toMatch(/^issues\.0\.fields: /)
    }).pipe(Effect.provide(jira.layer))
  })

  it.effect("a non-JSON 200 is a Decode error too", () => {
    const jira = scripted([ok("<html>maintenance</html>")])
    return Effect.gen(function* () {
      const error = failureOf(yield* Effect.exit(JiraClient.myself()))
      expect(error.reason).toBe("Decode")
      expect(error.details?.[0]).toMatch(/^body: /)
      expect(error.details?.[1]).toBe("body starts: maintenance")
    }).pipe(Effect.provide(jira.layer))
  })

  it.effect("bulkFetch takes 1..100 ids and refuses others without a request", () => {
    const jira = scripted([
      ok({
        issues: [{ id: "1", key: "A-1", fields: {} }],
        issueErrors: [{ id: "5", errorMessage: "retry" }],
      }),
    ])
    return Effect.gen(function* () {
      for (const ids of [[], Array.from({ length: 101 }, (_, i) => String(i))]) {
        const error = failureOf(yield* Effect.exit(JiraClient.bulkFetch({ ids, fields: ["summary"] })))
        expect(error.reason).toBe("BadRequest")
      }
      expect(jira.sent.length).toBe(0)
      const result = yield* JiraClient.bulkFetch({ ids: ["1", "5", "A-9"], fields: ["summary"] })
      expect(result.issueErrors).toEqual([{ id: "5", errorMessage: "retry" }])
      expect(body(jira.sent[0]!.request)).toEqual({ issueIdsOrKeys: ["1", "5", "A-9"], fields: ["summary"] })
    }).pipe(Effect.provide(jira.layer))
  })

  it.effect("comments are read page by page to the end; an unsafe key never reaches Jira", () => {
    const jira = scripted([
      ok({ startAt: 0, maxResults: 2, total: 5, comments: [{ id: "c1" }, { id: "c2" }] }),
      ok({ startAt: 2, maxResults: 2, total: 5, comments: [{ id: "c3" }, { id: "c4" }] }),
      ok({ startAt: 4, maxResults: 2, total: 5, comments: [{ id: "c5" }] }),
    ])
    return Effect.gen(function* () {
      const comments = yield* JiraClient.issueComments("A-1")
      expect(comments).toEqual([{ id: "c1" }, { id: "c2" }, { id: "c3" }, { id: "c4" }, { id: "c5" }])
      expect(jira.sent.map((s) => renderPath(s.request))).toEqual([
        "/rest/api/3/issue/A-1/comment?startAt=0&maxResults=100&orderBy=created",
        "/rest/api/3/issue/A-1/comment?startAt=2&maxResults=100&orderBy=created",
        "/rest/api/3/issue/A-1/comment?startAt=4&maxResults=100&orderBy=created",
      ])
      for (const key of ["..", "A-1/../../x", "", "A 1"]) {
        const error = failureOf(yield* Effect.exit(JiraClient.issueWorklogs(key)))
        expect(error.reason).toBe("BadRequest")
      }
      expect(jira.sent.length).toBe(3)
    }).pipe(Effect.provide(jira.layer))
  })

  it.effect("worklogs come back whole", () => {
    const jira = scripted([
      ok({ startAt: 0, maxResults: 5000, total: 2, worklogs: [{ id: "w1" }, { id: "w2" }] }),
    ])
    return Effect.gen(function* () {
      expect(yield* JiraClient.issueWorklogs("10001")).toEqual([{ id: "w1" }, { id: "w2" }])
    }).pipe(Effect.provide(jira.layer))
  })

  it.effect("parseJql keeps input order and answers empty queries locally", () => {
    const jira = scripted([
      ok({
        queries: [
          { query: "project = A", structure: {} },
          { query: "summary = x", errors: ["The operator '=' is not supported by the 'summary' field."] },
        ],
      }),
    ])
    return Effect.gen(function* () {
      const parsed = yield* JiraClient.parseJql(["project = A", "  ", "summary = x"])
      expect(parsed).toEqual([
        { query: "project = A", errors: [], warnings: [] },
        { query: "  ", errors: [], warnings: [] },
        {
          query: "summary = x",
          errors: ["The operator '=' is not supported by the 'summary' field."],
          warnings: [],
        },
      ])
      expect(renderPath(jira.sent[0]!.request)).toBe("/rest/api/3/jql/parse?validation=strict")
      expect(body(jira.sent[0]!.request)).toEqual({ queries: ["project = A", "summary = x"] })
    }).pipe(Effect.provide(jira.layer))
  })

  it.effect("autocomplete data decodes Jira's string booleans; suggestions keep the <b> markup", () => {
    const jira = scripted([
      ok({
        visibleFieldNames: [
          {
            value: "summary",
            displayName: "Summary",
            orderable: "true",
            searchable: "false",
            operators: ["~"],
          },
        ],
        visibleFunctionNames: [{ value: "now()", displayName: "now()", isList: "false", types: ["date"] }],
        jqlReservedWords: ["and"],
      }),
      ok({ results: [{ value: "ActiveObjects", displayName: "<b>Ac</b>tiveObjects (AO)" }] }),
    ])
    return Effect.gen(function* () {
      const data = yield* JiraClient.autocompleteData()
      expect(data.visibleFieldNames[0]).toEqual({
        value: "summary",
        displayName: "Summary",
        orderable: true,
        searchable: false,
        operators: ["~"],
        types: [],
      })
      expect(data.visibleFunctionNames[0]?.isList).toBe(false)
      const suggestions = yield* JiraClient.autocompleteSuggestions({
        fieldName: "project",
        fieldValue: "Ac&x",
      })
      expect(suggestions).toEqual([{ value: "ActiveObjects", displayName: "<b>Ac</b>tiveObjects (AO)" }])
      expect(renderPath(jira.sent[1]!.request)).toBe(
        "/rest/api/3/jql/autocompletedata/suggestions?fieldName=project&fieldValue=Ac%26x",
      )
    }).pipe(Effect.provide(jira.layer))
  })

  it.effect("usersBulk asks 100 ids per request and follows paging", () => {
    const ids = Array.from({ length: 230 }, (_, i) => `acc-${i}`)
    const jira = scripted([
      (request) => {
        const asked = (request.query ?? []).filter(([k]) => k === "accountId").map(([, v]) => v)
        return ok({ isLast: true, values: asked.map((accountId) => ({ accountId, displayName: accountId })) })
      },
    ])
    return Effect.gen(function* () {
      const users = yield* JiraClient.usersBulk(ids)
      expect(users.map((u) => u.accountId)).toEqual(ids)
      expect(jira.sent.length).toBe(3)
      expect(yield* JiraClient.usersBulk([])).toEqual([])
      expect(jira.sent.length).toBe(3)
    }).pipe(Effect.provide(jira.layer))
  })
})

describe("error messages", () => {
  const jiraBody = fc.oneof(
    fc.string({ maxLength: 3000 }),
    fc.record({
      errorMessages: fc.array(fc.string({ maxLength: 2000 }), { maxLength: 30 }),
      errors: fc.dictionary(fc.string({ maxLength: 20 }), fc.string({ maxLength: 500 })),
    }),
  )
  const headers = fc.record(
    {
      "Retry-After": fc.oneof(fc.nat({ max: 4000 }).map(String), fc.string()),
      "RateLimit-Reason": fc.constantFrom("jira-burst-based", "jira-quota-global-based", "jira-cost-based"),
      "X-RateLimit-Reset": fc.oneof(fc.constant("2026-06-05T06:00Z"), fc.string()),
    },
    { requiredKeys: [] },
  )

  it("every error from any status and body is one bounded sentence, with bounded details", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 300, max: 599 }),
        jiraBody,
        headers,
        fc.boolean(),
        (status, b, h, jql) => {
          const error = errorFromResponse(
            { method: "POST", path: ["rest", "api", "3", "search", "jql"] },
            jiraResponse(status, b, h),
            1_000_000,
            { jql },
          )
          expect(error.message).toMatch(/^[A-Z][^\n]*[.!?…]$/)
          expect(error.message.length).toBeLessThanOrEqual(400)
          expect(error.details?.length ?? 0).toBeLessThanOrEqual(10)
          for (const d of error.details ?? []) expect(d.length).toBeLessThanOrEqual(501)
          if (error.retryAfterMs !== undefined) expect(error.retryAfterMs).toBeGreaterThanOrEqual(0)
        },
      ),
    )
  })
})

describe("paths and quota headers", () => {
  it("renderPath encodes every segment and query value", () => {
    fc.assert(
      fc.property(fc.string(), fc.string(), (segment, value) => {
        const path = renderPath({ method: "GET", path: ["rest", segment], query: [["q", value]] })
        const [pathPart = "", query = ""] = path.split("?")
        expect(pathPart.split("/")).toHaveLength(3)
        expect(decodeURIComponent(pathPart.split("/")[2] ?? "")).toBe(segment)
        expect(query.split("&")).toHaveLength(1)
        expect(decodeURIComponent(query.slice(2))).toBe(value)
      }),
    )
    expect(isSafeSegment("..")).toBe(false)
    expect(isSafeSegment("%2E%2e")).toBe(false)
    expect(isSafeSegment("A-1")).toBe(true)
  })

  it("a response without rate-limit headers leaves the snapshot as it was", () => {
    fc.assert(
      fc.property(fc.nat(), fc.nat(), (limit, remaining) => {
        const before = { ...emptySnapshot, limit, remaining }
        expect(nextSnapshot(before, () => null, 1)).toBe(before)
      }),
    )
  })

  it("X-RateLimit figures of a burst bucket are not taken for the points left", () => {
    // As the emulator's cloud profile answers without a points quota: the bucket's 100 a second.
    const headers: Record<string, string> = {
      "x-ratelimit-limit": "100",
      "x-ratelimit-remaining": "3",
      "beta-ratelimit-policy": '"jira-burst-based";q=100;w=1',
    }
    const before = { ...emptySnapshot, limit: 65_000, remaining: 40_000 }
    const next = nextSnapshot(before, (n) => headers[n.toLowerCase()] ?? null, 0)
    expect(next).toMatchObject({ limit: 65_000, remaining: 40_000, nearLimit: false })
    expect(nextSnapshot(emptySnapshot, (n) => headers[n.toLowerCase()] ?? null, 0).remaining).toBeUndefined()
  })

  it("enforced X-RateLimit headers win and nearLimit follows the header", () => {
    const headers: Record<string, string> = {
      "x-ratelimit-limit": "350",
      "x-ratelimit-remaining": "10",
      "x-ratelimit-nearlimit": "false",
      "ratelimit-policy": '"global-app-quota";q=65000;w=3600',
    }
    const next = nextSnapshot(emptySnapshot, (n) => headers[n.toLowerCase()] ?? null, 0)
    expect(next).toMatchObject({ limit: 350, remaining: 10, nearLimit: false, betaOnly: false })
  })
})
