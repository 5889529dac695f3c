/** Rate limits (docs/jira-cloud.md §6): points quota with its window, burst buckets, in-flight cap, headers, stats. */
import { describe, expect, it } from "vitest"
import { PROFILES, type ProfileParams, startEmulator } from "../../../dev/emulator/index.js"
import { asUser, miniature } from "./http.js"

const HOUR = 3_600_000
const T0 = Date.UTC(2026, 10, 29, 12) // the top of an hour, so windows are easy to reason about

describe("points quota", () => {
  it("charges 1 per request, 1 per issue and 2 per user, and announces the budget in headers", async () => {
    let clock = T0
    const emulator = await startEmulator({ ...miniature(60), quota: 100, now: () => clock })
    try {
      const admin = asUser(emulator, emulator.accounts.admin)
      const me = await admin.get("/rest/api/3/myself")
      expect(me.headers.get("x-ratelimit-limit")).toBe("100")
      expect(me.headers.get("x-ratelimit-remaining")).toBe("97")
      expect(me.headers.get("x-ratelimit-nearlimit")).toBeNull()
      expect(me.headers.get("beta-ratelimit-policy")).toBe('"global-app-quota";q=100;w=3600')
      const page = await admin.post("/rest/api/3/search/jql", { jql: "project = ALP", maxResults: 10 })
      expect(page.json.issues).toHaveLength(10)
      expect(page.headers.get("x-ratelimit-remaining")).toBe("86")
      const bulk = await admin.post("/rest/api/3/issue/bulkfetch", { issueIdsOrKeys: ["ALP-1", "ALP-2"] })
      expect(bulk.headers.get("x-ratelimit-remaining")).toBe("83")
      const users = await admin.get(
        `/rest/api/3/user/bulk?accountId=${emulator.accounts.admin.accountId}&accountId=${emulator.accounts.restricted.accountId}`,
      )
      expect(users.headers.get("x-ratelimit-remaining")).toBe("78")
      expect(emulator.stats().points).toBe(22)
      clock += 1000
      const big = await admin.post("/rest/api/3/search/jql", {
        jql: "project in (ALP, BET, SEC)",
        maxResults: 60,
      })
      const remaining = Number(big.headers.get("x-ratelimit-remaining"))
      expect(remaining).toBe(78 - 1 - big.json.issues.length)
      expect(big.headers.get("x-ratelimit-nearlimit")).toBe("true")
      expect(remaining).toBeLessThan(20)
      expect(big.headers.get("beta-ratelimit")).toBe(`"global-app-quota";r=${remaining};t=3599`)
    } finally {
      await emulator.close()
    }
  })

  it("refuses with jira-quota-global-based until the window resets, then serves again", async () => {
    let clock = T0 + 10 * 60_000
    const emulator = await startEmulator({
      ...miniature(30),
      quota: 10,
      quotaWindowMs: HOUR,
      now: () => clock,
    })
    try {
      const admin = asUser(emulator, emulator.accounts.admin)
      for (let i = 0; i < 4; i++) expect((await admin.get("/rest/api/3/myself")).status).toBe(200)
      const refused = await admin.get("/rest/api/3/myself")
      expect(refused.status).toBe(429)
      expect(refused.headers.get("ratelimit-reason")).toBe("jira-quota-global-based")
      expect(refused.headers.get("retry-after")).toBe(String(50 * 60))
      expect(refused.headers.get("x-ratelimit-reset")).toBe("2026-11-29T13:00:00Z")
      expect(refused.headers.get("x-ratelimit-remaining")).toBe("0")
      clock += 50 * 60_000 - 1
      const late = await admin.get("/rest/api/3/myself")
      expect(late.status).toBe(429)
      expect(late.headers.get("retry-after")).toBe("1")
      clock += 1000
      const again = await admin.get("/rest/api/3/myself")
      expect(again.status).toBe(200)
      expect(again.headers.get("x-ratelimit-remaining")).toBe("7")
      const stats = emulator.stats()
      expect(stats.rateLimited.byReason).toEqual({ "jira-quota-global-based": 2 })
      // The second refusal came before the Retry-After of the first had passed.
      expect(stats.retryAfterViolations).toBe(1)
    } finally {
      await emulator.close()
    }
  })
})

describe("burst limits and requests in flight", () => {
  it("limits each endpoint+method with a token bucket shared by all users", async () => {
    let clock = T0
    const profile: ProfileParams = {
      ...PROFILES.instant,
      name: "tight",
      burstRequestsPerSecond: 2,
      burstCapacity: 3,
    }
    const emulator = await startEmulator({ ...miniature(30), profile, now: () => clock })
    try {
      const admin = asUser(emulator, emulator.accounts.admin)
      const restricted = asUser(emulator, emulator.accounts.restricted)
      expect((await admin.get("/rest/api/3/myself")).headers.get("x-ratelimit-remaining")).toBe("2")
      expect((await restricted.get("/rest/api/3/myself")).status).toBe(200)
      expect((await admin.get("/rest/api/3/myself")).status).toBe(200)
      const refused = await restricted.get("/rest/api/3/myself")
      expect(refused.status).toBe(429)
      expect(refused.headers.get("ratelimit-reason")).toBe("jira-burst-based")
      expect(refused.headers.get("retry-after")).toBe("1")
      expect(refused.headers.get("beta-ratelimit-policy")).toBe('"jira-burst-based";q=2;w=1')
      // Another endpoint has its own bucket.
      expect((await admin.get("/rest/api/3/field")).status).toBe(200)
      clock += 500
      expect((await admin.get("/rest/api/3/myself")).status).toBe(200)
      expect(emulator.stats().rateLimited.byReason).toEqual({ "jira-burst-based": 1 })
    } finally {
      await emulator.close()
    }
  })

  it("caps requests in flight per user, reports the peak, and counts requests that ignore Retry-After", async () => {
    let clock = T0
    const profile: ProfileParams = {
      ...PROFILES.instant,
      name: "slow",
      otherCallLatencyMs: 400,
      maxInFlightPerUser: 2,
    }
    const emulator = await startEmulator({ ...miniature(30), profile, now: () => clock })
    try {
      const admin = asUser(emulator, emulator.accounts.admin)
      const restricted = asUser(emulator, emulator.accounts.restricted)
      const answers = await Promise.all([
        ...Array.from({ length: 4 }, () => admin.get("/rest/api/3/myself")),
        restricted.get("/rest/api/3/myself"),
      ])
      const statuses = answers.map((a) => a.status)
      expect(statuses.filter((s) => s === 429)).toHaveLength(2)
      expect(statuses[4]).toBe(200)
      const refused = answers.find((a) => a.status === 429)!
      expect(refused.headers.get("ratelimit-reason")).toBe("jira-burst-based")
      expect(emulator.stats().peakInFlightPerUser).toBe(4)
      // The admin was told to wait 1 s: a request 100 ms later (time enough to have read the 429)
      // is a violation, one after the wait is not.
      clock += 100
      await admin.get("/rest/api/3/field")
      expect(emulator.stats().retryAfterViolations).toBe(1)
      clock += 900
      await admin.get("/rest/api/3/field")
      await restricted.get("/rest/api/3/field")
      expect(emulator.stats().retryAfterViolations).toBe(1)
    } finally {
      await emulator.close()
    }
  })

  it("exposes the stats over HTTP and resets them", async () => {
    const emulator = await startEmulator({ ...miniature(30) })
    try {
      await asUser(emulator, emulator.accounts.admin).post("/rest/api/3/search/jql", {
        jql: "project = ALP",
        fields: ["summary"],
      })
      const stats = await (await fetch(`${emulator.url}/__emulator/stats`)).json()
      expect(stats.requests.byEndpoint).toEqual({ "POST /rest/api/3/search/jql": 1 })
      expect(stats.issuesServed).toBe(10)
      expect(stats.bytesSent).toBeGreaterThan(0)
      expect(stats).toEqual(emulator.stats())
      expect((await fetch(`${emulator.url}/__emulator/stats/reset`, { method: "POST" })).status).toBe(204)
      expect(emulator.stats().requests.total).toBe(0)
      expect(emulator.stats().issuesServed).toBe(0)
    } finally {
      await emulator.close()
    }
  })

  it("the cloud profile publishes the numbers benchmarks compute lower bounds from, and applies them", async () => {
    const emulator = await startEmulator({ ...miniature(10), profile: "cloud" })
    try {
      expect(emulator.profile).toEqual(PROFILES.cloud)
      expect(PROFILES.cloud).toMatchObject({
        issueCallLatencyMs: 120,
        perIssueLatencyMs: 3,
        perIdOnlyIssueLatencyMs: 0.1,
        otherCallLatencyMs: 80,
        burstRequestsPerSecond: 100,
        maxInFlightPerUser: 10,
      })
      const admin = asUser(emulator, emulator.accounts.admin)
      const [me, count] = await Promise.all([
        admin.get("/rest/api/3/myself"),
        admin.post("/rest/api/3/search/approximate-count", { jql: "project = ALP" }),
      ])
      expect(me.headers.get("x-ratelimit-limit")).toBe("100")
      expect(me.headers.get("beta-ratelimit-policy")).toBe('"jira-burst-based";q=100;w=1')
      // Jira's documented override for approximate-count.
      expect(count.headers.get("x-ratelimit-limit")).toBe("150")
    } finally {
      await emulator.close()
    }
  })
})
