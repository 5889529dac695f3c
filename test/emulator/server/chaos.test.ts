/**
 * Chaos: the `--chaos` syntax, seeded determinism, each fault kind, and the promise that faults are
 * whole-response faults: a client that retries correctly still ends with exact results.
 * Time is the emulator's injected clock; the test client "waits" by moving it, so no test sleeps.
 */
import { Agent, request } from "node:http"
import { describe, expect, it } from "vitest"
import {
  type EmulatorOptions,
  parseChaos,
  type RunningEmulator,
  startEmulator,
} from "../../../dev/emulator/index.js"
import { ALL_CHAOS } from "../../../dev/emulator/server/chaos.js"
import { RETRY_AFTER_GRACE_MS } from "../../../dev/emulator/server/stats.js"
import { type Answer, asUser, basic, miniature } from "./http.js"

const T0 = Date.UTC(2026, 10, 29, 12)

const withEmulator = async <A>(
  options: EmulatorOptions,
  clock: { now: number },
  body: (e: RunningEmulator) => Promise<A>,
) => {
  const { issues = 300, ...rest } = options
  const emulator = await startEmulator({ ...miniature(issues), ...rest, now: () => clock.now })
  try {
    return await body(emulator)
  } finally {
    await emulator.close()
  }
}

/** A well-behaved client: on 429/503 it waits Retry-After (or backs off 2 s when there is none) and repeats. */
const politeClient = (emulator: RunningEmulator, clock: { now: number }, log: Array<number>) => {
  const admin = asUser(emulator, emulator.accounts.admin)
  return async (path: string, body: unknown): Promise<Answer> => {
    for (let attempt = 0; attempt < 500; attempt++) {
      const answer = await admin.post(path, body)
      log.push(answer.status)
      if (answer.status !== 429 && answer.status !== 503) return answer
      const retryAfter = answer.headers.get("retry-after")
      clock.now += retryAfter === null ? 2000 : Number(retryAfter) * 1000
    }
    throw new Error(`${path} kept failing`)
  }
}

/** Sequential search export; a search whose token stops working is started again, skipping ids already kept. */
const searchExport = async (
  post: ReturnType<typeof politeClient>,
  jql: string,
  fields: ReadonlyArray<string>,
  maxResults: number,
) => {
  const ids: Array<string> = []
  const seen = new Set<string>()
  let token: string | undefined
  for (;;) {
    const page = await post("/rest/api/3/search/jql", {
      jql,
      fields,
      maxResults,
      ...(token ? { nextPageToken: token } : {}),
    })
    if (page.status === 400 && token !== undefined) {
      token = undefined
      continue
    }
    expect(page.status).toBe(200)
    for (const issue of page.json.issues as ReadonlyArray<{ id: string }>)
      if (!seen.has(issue.id)) {
        seen.add(issue.id)
        ids.push(issue.id)
      }
    if (page.json.isLast) return ids
    token = page.json.nextPageToken
  }
}

/** Ids first, then bulkfetch in batches of 100, put back in search order; issues bulkfetch omits are gone. */
const fastExport = async (post: ReturnType<typeof politeClient>, jql: string) => {
  const ids = await searchExport(post, jql, ["id"], 200)
  const rows: Array<string> = []
  for (let i = 0; i < ids.length; i += 100) {
    const batch = ids.slice(i, i + 100)
    const answer = await post("/rest/api/3/issue/bulkfetch", { issueIdsOrKeys: batch, fields: ["summary"] })
    expect(answer.status).toBe(200)
    const found = new Set((answer.json.issues as ReadonlyArray<{ id: string }>).map((x) => x.id))
    rows.push(...batch.filter((id) => found.has(id)))
  }
  return rows
}

const JQL = "project in (ALP, BET, SEC) ORDER BY key"
const HARSH =
  "storm429=0.05,5xx=0.05,5xx-retry-after=0.05,html5xx=0.05,html429=0.05,no-retry-after=0.05,slow=0.05:3,short-pages=0.3,delete=0.03,token-expiry=0.05,quota@400,seed=11"

describe("chaos spec", () => {
  it("parses the documented syntax, with later items overriding and `all` filling every kind", () => {
    const spec = parseChaos(
      "storm429=0.1,quota@5000,5xx=0.05,5xx-retry-after=0.02,html5xx=0.02,html429=0.02,no-retry-after=0.02,slow=0.05:2000,short-pages=0.2,delete=0.001,token-expiry=0.01,seed=7",
    )
    expect(spec).toEqual({
      seed: 7,
      storm429: 0.1,
      stormSeconds: 1,
      quotaAfter: 5000,
      fault5xx: 0.05,
      fault5xxRetryAfter: 0.02,
      html5xx: 0.02,
      html429: 0.02,
      noRetryAfter: 0.02,
      slow: 0.05,
      slowMs: 2000,
      shortPages: 0.2,
      delete: 0.001,
      tokenExpiry: 0.01,
      changelogFault: null,
    })
    expect(parseChaos("changelog=garbled").changelogFault).toBe("garbled")
    expect(parseChaos("seed=3,all,5xx=0")).toEqual({ ...ALL_CHAOS, seed: 3, fault5xx: 0 })
    for (const bad of ["5xx=2", "storm=0.1", "quota@many", "slow=0.1:soon", "seed=-1", "changelog=404"])
      expect(() => parseChaos(bad)).toThrow(/chaos/i)
  })
})

describe("chaos faults", () => {
  it("injects each response fault with its documented shape", async () => {
    const clock = { now: T0 }
    const kinds = [
      ["5xx=1", 503, null, "application/json"],
      ["5xx-retry-after=1", 503, "1", "application/json"],
      ["html5xx=1", 503, null, "text/html"],
      ["html429=1", 429, "1", "text/html"],
      ["no-retry-after=1", 429, null, "application/json"],
      ["storm429=1:3", 429, "3", "application/json"],
    ] as const
    await withEmulator({}, clock, async (emulator) => {
      for (const [spec, status, retryAfter, type] of kinds) {
        emulator.setChaos(spec)
        const answer = await asUser(emulator, emulator.accounts.admin).get("/rest/api/3/myself")
        expect(answer.status).toBe(status)
        expect(answer.headers.get("retry-after")).toBe(retryAfter)
        expect(answer.headers.get("content-type")).toMatch(new RegExp(`^${type}`))
        if (status === 429) expect(answer.headers.get("ratelimit-reason")).toBe("jira-burst-based")
      }
      emulator.setChaos("")
      // The storm goes on until its Retry-After has passed, whatever the chaos spec says now.
      expect((await asUser(emulator, emulator.accounts.admin).get("/rest/api/3/myself")).status).toBe(429)
      clock.now += 3000
      expect((await asUser(emulator, emulator.accounts.admin).get("/rest/api/3/myself")).status).toBe(200)
      expect(emulator.stats().faults.byKind).toMatchObject({ "5xx": 1, html429: 1, storm429: 2 })
    })
  })

  it("short pages keep tokens consistent, and token expiry invalidates a search until it is started again", async () => {
    const clock = { now: T0 }
    await withEmulator({ chaos: "short-pages=1" }, clock, async (emulator) => {
      const post = politeClient(emulator, clock, [])
      const ids = await searchExport(post, JQL, ["summary"], 100)
      expect(ids).toEqual(emulator.referenceSearch(JQL, emulator.accounts.admin.accountId))
      expect(emulator.stats().faults.byKind["short-pages"]).toBeGreaterThan(0)
      const admin = asUser(emulator, emulator.accounts.admin)
      emulator.setChaos("")
      const first = await admin.post("/rest/api/3/search/jql", { jql: JQL, maxResults: 10 })
      emulator.setChaos("token-expiry=1")
      const expired = await admin.post("/rest/api/3/search/jql", {
        jql: JQL,
        nextPageToken: first.json.nextPageToken,
      })
      expect(expired.status).toBe(400)
      emulator.setChaos("")
      const stillExpired = await admin.post("/rest/api/3/search/jql", {
        jql: JQL,
        nextPageToken: first.json.nextPageToken,
      })
      expect(stillExpired.status).toBe(400)
      const restarted = await admin.post("/rest/api/3/search/jql", { jql: JQL, maxResults: 10 })
      const resumed = await admin.post("/rest/api/3/search/jql", {
        jql: JQL,
        nextPageToken: restarted.json.nextPageToken,
      })
      expect(resumed.status).toBe(200)
    })
  })

  it("a polite client gets exact results under every fault at once, with zero Retry-After violations", async () => {
    for (const strategy of ["search", "fast"] as const) {
      const clock = { now: T0 }
      await withEmulator({ issues: 1000, chaos: HARSH, quotaWindowMs: 60_000 }, clock, async (emulator) => {
        const post = politeClient(emulator, clock, [])
        const rows =
          strategy === "search" ? await searchExport(post, JQL, ["summary"], 25) : await fastExport(post, JQL)
        expect(rows).toEqual(emulator.referenceSearch(JQL, emulator.accounts.admin.accountId))
        const stats = emulator.stats()
        expect(stats.retryAfterViolations).toBe(0)
        expect(stats.faults.total).toBeGreaterThan(3)
        expect(stats.rateLimited.byReason["jira-quota-global-based"]).toBeGreaterThan(0)
        if (strategy === "search") expect(stats.faults.byKind.delete).toBeGreaterThan(0)
      })
    }
  })

  it("replays the same faults for the same seed and a different sequence for another", async () => {
    const run = async (chaos: string) => {
      const clock = { now: T0 }
      const log: Array<number> = []
      await withEmulator({ chaos }, clock, async (emulator) => {
        await searchExport(politeClient(emulator, clock, log), JQL, ["summary"], 25)
      })
      return log
    }
    const spec = "5xx=0.2,html429=0.1,short-pages=0.3"
    const a = await run(`${spec},seed=4`)
    expect(await run(`${spec},seed=4`)).toEqual(a)
    expect(a.filter((s) => s !== 200).length).toBeGreaterThan(0)
    expect(await run(`${spec},seed=5`)).not.toEqual(a)
  })

  it("counts a client that ignores Retry-After, once it could have read it", async () => {
    const clock = { now: T0 }
    await withEmulator({ chaos: "html429=1" }, clock, async (emulator) => {
      const admin = asUser(emulator, emulator.accounts.admin)
      await admin.get("/rest/api/3/myself")
      clock.now += RETRY_AFTER_GRACE_MS
      await admin.get("/rest/api/3/myself")
      clock.now += 999
      await admin.get("/rest/api/3/myself")
      expect(emulator.stats().retryAfterViolations).toBe(2)
    })
  })

  it("on the connection that carried the 429 a request is a violation at once; elsewhere only after the grace", async () => {
    const clock = { now: T0 }
    await withEmulator({ chaos: "html429=1" }, clock, async (emulator) => {
      const auth = basic(emulator.accounts.admin.email, emulator.apiToken)
      const agent = new Agent({ keepAlive: true, maxSockets: 1 })
      const fresh = new Agent({ keepAlive: false })
      const get = (via: Agent) =>
        new Promise<number>((resolve, reject) => {
          const req = request(
            `${emulator.url}/rest/api/3/myself`,
            { agent: via, headers: { authorization: auth } },
            (res) => {
              res.resume()
              res.on("end", () => resolve(res.statusCode ?? 0))
            },
          )
          req.on("error", reject)
          req.end()
        })
      try {
        expect(await get(agent)).toBe(429)
        // Another connection at the same instant: the client may not have read the 429 yet.
        await get(fresh)
        expect(emulator.stats().retryAfterViolations).toBe(0)
        // The same keep-alive connection: the client read the 429 before sending this.
        await get(agent)
        expect(emulator.stats().retryAfterViolations).toBe(1)
      } finally {
        agent.destroy()
        fresh.destroy()
      }
    })
  })
})
