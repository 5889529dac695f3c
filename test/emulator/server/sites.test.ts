/**
 * Several sites in one emulator (issue 21): each its own data set, users, cloud id and URL; one points
 * pool for all of them (`global`, Jira's Tier 1) or one per site (`tenant`), with Jira's headers and
 * 429 reasons for each (docs/jira-cloud.md §6).
 */
import { describe, expect, it } from "vitest"
import { startEmulator } from "../../../dev/emulator/index.js"
import { asUser } from "./http.js"

const T0 = Date.UTC(2026, 10, 29, 12, 10)

describe("several sites on one app", () => {
  it("serves each site its own data set, users, cloud id and URL", async () => {
    const emulator = await startEmulator({ sites: 3, issues: 50, seed: 7 })
    try {
      const [one, two, three] = emulator.sites
      expect(emulator.url).toBe(one?.url)
      expect(new Set(emulator.sites.map((s) => s.url)).size).toBe(3)
      expect(new Set(emulator.sites.map((s) => s.cloudId)).size).toBe(3)
      expect(emulator.sites.map((s) => s.dataset.seed)).toEqual([7, 8, 9])
      for (const site of [one, two, three]) {
        if (site === undefined) throw new Error("three sites")
        const me = await asUser(site, site.accounts.admin).get("/rest/api/3/myself")
        expect(me.status).toBe(200)
        expect(me.json.accountId).toBe(site.accounts.admin.accountId)
      }
      // A site's user is unknown to another site: wrong credentials are anonymous there (§3).
      if (one === undefined || two === undefined) throw new Error("two sites")
      if (one.accounts.admin.email !== two.accounts.admin.email) {
        const stranger = await asUser(two, one.accounts.admin).get("/rest/api/3/myself")
        expect(stranger.status).toBe(401)
      }
    } finally {
      await emulator.close()
    }
  })

  it("global mode: the sites spend one pool; a spent pool refuses every site with jira-quota-global-based", async () => {
    const clock = T0
    const emulator = await startEmulator({ sites: 2, issues: 30, quota: 10, now: () => clock })
    try {
      const [one, two] = emulator.sites
      if (one === undefined || two === undefined) throw new Error("two sites")
      const a = asUser(one, one.accounts.admin)
      const b = asUser(two, two.accounts.admin)
      expect((await a.get("/rest/api/3/myself")).headers.get("x-ratelimit-remaining")).toBe("7")
      const second = await b.get("/rest/api/3/myself")
      expect(second.headers.get("x-ratelimit-remaining")).toBe("4")
      expect(second.headers.get("beta-ratelimit-policy")).toBe('"global-app-quota";q=10;w=3600')
      const third = await a.get("/rest/api/3/myself")
      expect(third.headers.get("x-ratelimit-nearlimit")).toBe("true")
      // A request is refused once nothing is left; one started with a point left still goes.
      expect((await b.get("/rest/api/3/myself")).headers.get("x-ratelimit-remaining")).toBe("0")
      const refused = await b.get("/rest/api/3/myself")
      expect(refused.status).toBe(429)
      expect(refused.headers.get("ratelimit-reason")).toBe("jira-quota-global-based")
      expect(refused.headers.get("retry-after")).toBe(String(50 * 60))
      expect(refused.headers.get("x-ratelimit-reset")).toBe("2026-11-29T13:00:00Z")
      expect(two.stats().rateLimited.byReason).toEqual({ "jira-quota-global-based": 1 })
      expect(one.stats().rateLimited.total).toBe(0)
    } finally {
      await emulator.close()
    }
  })

  it("tenant mode: each site has its own pool, refused with jira-quota-tenant-based and tenant-app-quota headers", async () => {
    const clock = T0
    const emulator = await startEmulator({
      sites: 2,
      issues: 30,
      quota: 10,
      quotaMode: "tenant",
      now: () => clock,
    })
    try {
      expect(emulator.quotaMode).toBe("tenant")
      const [one, two] = emulator.sites
      if (one === undefined || two === undefined) throw new Error("two sites")
      const a = asUser(one, one.accounts.admin)
      const b = asUser(two, two.accounts.admin)
      for (let i = 0; i < 4; i++) expect((await a.get("/rest/api/3/myself")).status).toBe(200)
      const refused = await a.get("/rest/api/3/myself")
      expect(refused.status).toBe(429)
      expect(refused.headers.get("ratelimit-reason")).toBe("jira-quota-tenant-based")
      // The other site's pool is untouched.
      const other = await b.get("/rest/api/3/myself")
      expect(other.status).toBe(200)
      expect(other.headers.get("x-ratelimit-remaining")).toBe("7")
      expect(other.headers.get("beta-ratelimit-policy")).toBe('"tenant-app-quota";q=10;w=3600')
      expect(one.stats().rateLimited.byReason).toEqual({ "jira-quota-tenant-based": 1 })
    } finally {
      await emulator.close()
    }
  })
})
