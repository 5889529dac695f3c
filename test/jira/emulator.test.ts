/**
 * The client against the in-process emulator: real HTTP on 127.0.0.1, real paging tokens, real
 * rate limits and chaos. Waits are real too (Retry-After is whole seconds), so the chaos runs keep the
 * number of requests small and shorten only our own backoff.
 */
import { afterAll, beforeAll, describe, expect, it } from "@effect/vitest"
import { Effect, Layer } from "effect"
import { createDataset } from "../../dev/emulator/data/index.js"
import { type RunningEmulator, startEmulator } from "../../dev/emulator/index.js"
import { httpJira } from "../../src/cli/jiraLayer.js"
import { JiraClient } from "../../src/jira/JiraClient.js"
import { defaultRetrySettings, JiraRetrySettings } from "../../src/jira/RetryPolicy.js"
import { UserDirectory } from "../../src/jira/UserDirectory.js"

const ISSUES = 400
const SEED = 11

let emulator: RunningEmulator
const dataset = createDataset({ issues: ISSUES, seed: SEED })

beforeAll(async () => {
  emulator = await startEmulator({ dataset, seed: SEED })
})
afterAll(async () => {
  await emulator.close()
})

type Who = "admin" | "restricted"

const jiraAs = (who: Who, users = { batchSize: 100, concurrency: 4 }) =>
  httpJira(
    { baseUrl: emulator.url, email: emulator.accounts[who].email, apiToken: emulator.apiToken },
    users,
  ).pipe(Layer.provide(Layer.succeed(JiraRetrySettings, { ...defaultRetrySettings, initialDelayMs: 200 })))

/** Follows the token chain to the end with the given page size. */
const allPages = (jql: string, maxResults: number) =>
  Effect.gen(function* () {
    const keys: Array<string> = []
    const ids: Array<string> = []
    let token: string | undefined
    let pages = 0
    do {
      const page = yield* JiraClient.searchPage({
        jql,
        fields: ["summary", "assignee"],
        maxResults,
        ...(token === undefined ? {} : { nextPageToken: token }),
      })
      pages++
      for (const issue of page.issues) {
        ids.push(issue.id)
        keys.push(issue.key ?? "")
        expect(issue.fields).toHaveProperty("summary")
      }
      token = page.nextPageToken
      if (page.isLast) break
    } while (token !== undefined)
    return { ids, keys, pages }
  })

const allIds = (jql: string, maxResults: number) =>
  Effect.gen(function* () {
    const ids: Array<string> = []
    let token: string | undefined
    while (true) {
      const page = yield* JiraClient.searchIds({
        jql,
        maxResults,
        ...(token === undefined ? {} : { nextPageToken: token }),
      })
      ids.push(...page.ids)
      if (page.isLast) return ids
      token = page.nextPageToken
    }
  })

const JQLS = {
  admin: [
    "project = ALPHA ORDER BY key ASC",
    "project in (BETA, OPS) ORDER BY created DESC",
    "project in (ALPHA, BETA, GAMMA, DELTA, OPS) ORDER BY id ASC",
  ],
  // The restricted user cannot see OPS: Jira says it does not exist, so the queries leave it out.
  restricted: [
    "project = ALPHA ORDER BY key ASC",
    "project in (BETA, GAMMA) ORDER BY created DESC",
    "project in (ALPHA, BETA, GAMMA, DELTA) ORDER BY id ASC",
  ],
}

describe("JiraClient against the emulator", () => {
  for (const who of ["admin", "restricted"] as const)
    it.live(`token paging reaches the end, exactly, for several JQLs (${who})`, () =>
      Effect.gen(function* () {
        const me = yield* JiraClient.myself()
        expect(me.accountId).toBe(emulator.accounts[who].accountId)
        for (const jql of JQLS[who]) {
          const expected = emulator.referenceSearch(jql, me.accountId)
          const paged = yield* allPages(jql, 37)
          expect(paged.ids).toEqual(expected)
          expect(paged.pages).toBeGreaterThanOrEqual(Math.ceil(expected.length / 37))
          expect(yield* allIds(jql, 150)).toEqual(expected)
          const count = yield* JiraClient.approximateCount(jql)
          expect(count).toBe(expected.length)
        }
        // Reads run with the user's own permissions: a project they cannot browse does not exist for them.
        const ops = yield* Effect.either(JiraClient.searchIds({ jql: "project = OPS" }))
        if (who === "restricted") expect(ops._tag === "Left" && ops.left.reason).toBe("InvalidJql")
        else expect(ops._tag === "Right" && ops.right.ids.length).toBeGreaterThan(0)
      }).pipe(Effect.provide(jiraAs(who))),
    )

  it.live("wrong credentials fail when the HTTP layer is built, instead of reading as anonymous", () =>
    Effect.gen(function* () {
      const wrong = httpJira({
        baseUrl: emulator.url,
        email: emulator.accounts.admin.email,
        apiToken: "nope",
      })
      const error = yield* Effect.flip(Effect.provide(JiraClient.fields(), wrong))
      expect(error.reason).toBe("Unauthorized")
      expect(error.message).toBe(
        "Jira did not accept your credentials; check the email and API token, or sign in again.",
      )
    }),
  )

  it.live("an unbounded or broken JQL is InvalidJql with Jira's message", () =>
    Effect.gen(function* () {
      for (const jql of ["", "project = = ALPHA"]) {
        const error = yield* Effect.flip(JiraClient.searchPage({ jql, fields: ["summary"], maxResults: 10 }))
        expect(error.reason).toBe("InvalidJql")
        expect(error.message.startsWith("Jira could not run this JQL: ")).toBe(true)
        expect(error.details?.length).toBeGreaterThan(0)
      }
    }).pipe(Effect.provide(jiraAs("admin"))),
  )

  it.live("bulkfetch answers in ascending id order and silently omits deleted issues", () =>
    Effect.gen(function* () {
      const ids = emulator.referenceSearch(
        "project = GAMMA ORDER BY key DESC",
        emulator.accounts.admin.accountId,
      )
      const asked = ids.slice(0, 60)
      const gone = [asked[3], asked[17], asked[40]].filter((id): id is string => id !== undefined)
      for (const id of gone) expect(emulator.dataset.deleteIssue(id)).toBe(true)
      const result = yield* JiraClient.bulkFetch({ ids: asked, fields: ["summary", "status"] })
      const expected = asked.filter((id) => !gone.includes(id)).sort((a, b) => Number(a) - Number(b))
      expect(result.issues.map((i) => i.id)).toEqual(expected)
      expect(result.issueErrors).toEqual([])
      expect(result.issues[0]?.fields).toHaveProperty("status")
    }).pipe(Effect.provide(jiraAs("admin"))),
  )

  it.live("comments and worklogs of an issue come back whole", () =>
    Effect.gen(function* () {
      const index = Array.from({ length: ISSUES }, (_, i) => i).find(
        (i) => dataset.isLive(i) && (dataset.commentsOf(dataset.keyAt(i))?.length ?? 0) > 20,
      )
      expect(index).toBeDefined()
      const key = dataset.keyAt(index ?? 0)
      const comments = yield* JiraClient.issueComments(key)
      expect(comments.length).toBe(dataset.commentsOf(key)?.length)
      const worklogs = yield* JiraClient.issueWorklogs(key)
      expect(worklogs.length).toBe(dataset.worklogsOf(key)?.length)
    }).pipe(Effect.provide(jiraAs("admin"))),
  )

  it.live("500 mentions of 60 distinct users take at most ceil(60 / batch) user requests", () => {
    const batchSize = 16
    const known = emulator.dataset.users.map((u) => u.accountId).slice(0, 56)
    const distinct = [...known, "unknown-1", "unknown-2", "unknown-3", "unknown-4"]
    const mentions = Array.from({ length: 500 }, (_, i) => distinct[(i * 13) % distinct.length] ?? "")
    return Effect.gen(function* () {
      emulator.resetStats()
      const users = yield* UserDirectory.resolve(mentions)
      const again = yield* UserDirectory.resolve(mentions.slice(100, 300))
      const requests = emulator.stats().requests.byEndpoint["GET /rest/api/3/user/bulk"] ?? 0
      expect(users.size).toBe(60)
      expect(again.size).toBeLessThanOrEqual(60)
      expect(requests).toBeLessThanOrEqual(Math.ceil(60 / batchSize))
      expect(users.get("unknown-1")).toEqual({
        accountId: "unknown-1",
        displayName: "Unknown user (unknown-1)",
        active: false,
        known: false,
      })
      const former = emulator.dataset.users.find((u) => u.displayName === "Former user")
      if (former !== undefined) {
        const resolved = yield* UserDirectory.resolve([former.accountId])
        expect(resolved.get(former.accountId)?.displayName).toBe("Former user")
        expect(resolved.get(former.accountId)).not.toHaveProperty("emailAddress")
      }
      for (const user of users.values())
        if (user.emailAddress !== undefined) expect(user.emailAddress).not.toBe("")
    }).pipe(Effect.provide(jiraAs("admin", { batchSize, concurrency: 2 })))
  })
})

const CHAOS =
  "storm429=0.04:1,5xx=0.04,5xx-retry-after=0.04,html5xx=0.04,html429=0.04,no-retry-after=0.04,short-pages=0.3"

/** Search pages, id pages, bulkfetch of every id, and a lookup of every user, with `concurrency` in flight. */
const everyRead = (concurrency: number) =>
  Effect.gen(function* () {
    const jql = "project in (ALPHA, BETA, GAMMA, DELTA, OPS) ORDER BY key ASC"
    const expected = emulator.referenceSearch(jql, emulator.accounts.admin.accountId)
    const paged = yield* allPages(jql, 100)
    const ids = yield* allIds(jql, 120)
    const chunks = Array.from({ length: Math.ceil(ids.length / 100) }, (_, i) =>
      ids.slice(i * 100, i * 100 + 100),
    )
    const fetched = yield* Effect.forEach(
      chunks,
      (chunk) => JiraClient.bulkFetch({ ids: chunk, fields: ["summary"] }),
      {
        concurrency,
      },
    )
    const users = yield* UserDirectory.resolve(emulator.dataset.users.map((u) => u.accountId))
    expect(paged.ids).toEqual(expected)
    expect(ids).toEqual(expected)
    expect(fetched.flatMap((r) => r.issues.map((i) => i.id)).sort()).toEqual([...expected].sort())
    expect([...users.values()].filter((u) => u.known)).toHaveLength(emulator.dataset.users.length)
  })

describe("JiraClient under chaos", () => {
  it.live(
    "one request at a time: every read succeeds, exactly, and no request ignores a Retry-After",
    () =>
      Effect.gen(function* () {
        emulator.resetStats()
        emulator.setChaos(`${CHAOS},seed=5`)
        yield* everyRead(1).pipe(Effect.ensuring(Effect.sync(() => emulator.setChaos("none"))))
        const stats = emulator.stats()
        expect(stats.faults.total).toBeGreaterThan(3)
        expect(stats.retryAfterViolations).toBe(0)
      }).pipe(Effect.provide(jiraAs("admin", { batchSize: 20, concurrency: 1 }))),
    60_000,
  )

  // With several requests in flight, the emulator also counts requests that were already on their way
  // when another one was given a Retry-After (see the report of issue #4); exactness is what this asserts.
  it.live(
    "four requests in flight: every read still succeeds, exactly",
    () =>
      Effect.gen(function* () {
        emulator.resetStats()
        emulator.setChaos(`${CHAOS},seed=9`)
        yield* everyRead(4).pipe(Effect.ensuring(Effect.sync(() => emulator.setChaos("none"))))
        expect(emulator.stats().faults.total).toBeGreaterThan(3)
      }).pipe(Effect.provide(jiraAs("admin", { batchSize: 20, concurrency: 4 }))),
    60_000,
  )
})
