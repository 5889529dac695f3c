/**
 * The changelog endpoints go through the same pipeline as every route: points (1 per request plus
 * 1 per issue, docs/jira-cloud.md §6), chaos (whole-response faults, short pages, deleted issues,
 * expired tokens), and they work over the small hand-written data set too.
 */
import { describe, expect, it } from "vitest"
import { startEmulator } from "../../../dev/emulator/index.js"
import { expectMatchesSpec } from "../../support/openapi.js"
import { type Answer, asUser, miniature } from "./http.js"

const T0 = Date.UTC(2026, 10, 29, 12)
const BULK = "/rest/api/3/changelog/bulkfetch"

const issueIds = (a: Answer): ReadonlyArray<string> =>
  a.json.issueChangeLogs.map((l: { issueId: string }) => l.issueId)

/** Entry ids per issue over every page, restarting once from scratch after an expired token. */
const collect = async (client: ReturnType<typeof asUser>, body: Readonly<Record<string, unknown>>) => {
  const byIssue = new Map<string, Array<string>>()
  const pageSizes: Array<number> = []
  let token: string | undefined
  do {
    const page = await client.post(BULK, { ...body, ...(token ? { nextPageToken: token } : {}) })
    expect(page.status, page.text).toBe(200)
    let size = 0
    for (const log of page.json.issueChangeLogs)
      for (const h of log.changeHistories) {
        const list = byIssue.get(log.issueId) ?? []
        list.push(h.id)
        byIssue.set(log.issueId, list)
        size++
      }
    pageSizes.push(size)
    token = page.json.nextPageToken
  } while (token !== undefined)
  return { byIssue, pageSizes }
}

describe("changelog endpoints in the request pipeline", () => {
  it("charge 1 point per request and 1 per issue answered; the status list costs 1", async () => {
    const emulator = await startEmulator({ issues: 300, seed: 2, quota: 10_000, now: () => T0 })
    try {
      const admin = asUser(emulator, emulator.accounts.admin)
      const remaining = (a: Answer) => Number(a.headers.get("x-ratelimit-remaining"))
      const statuses = await admin.get("/rest/api/3/status")
      expect(remaining(statuses)).toBe(9_999)
      const ids = Array.from({ length: 30 }, (_, i) => String(10_000 + i))
      const bulk = await admin.post(BULK, { issueIdsOrKeys: ids })
      const answered = issueIds(bulk).length
      expect(answered).toBeGreaterThan(20)
      expect(remaining(bulk)).toBe(9_999 - 1 - answered)
      const one = await admin.get("/rest/api/3/issue/10001/changelog")
      expect(remaining(one)).toBe(9_999 - 1 - answered - 2)
      expect(emulator.stats().requests.byEndpoint).toMatchObject({
        "GET /rest/api/3/status": 1,
        "POST /rest/api/3/changelog/bulkfetch": 1,
        "GET /rest/api/3/issue/{issueIdOrKey}/changelog": 1,
      })
    } finally {
      await emulator.close()
    }
  })

  it("get whole-response faults like every other route", async () => {
    const emulator = await startEmulator({ issues: 100, seed: 2, chaos: "5xx=1" })
    try {
      const admin = asUser(emulator, emulator.accounts.admin)
      expect((await admin.post(BULK, { issueIdsOrKeys: ["10001"] })).status).toBe(503)
      expect((await admin.get("/rest/api/3/issue/10001/changelog")).status).toBe(503)
      expect((await admin.get("/rest/api/3/status")).status).toBe(503)
      expect(emulator.stats().faults.byKind["5xx"]).toBe(3)
    } finally {
      await emulator.close()
    }
  })

  it("short pages and deleted issues lose or double no entry of the issues that remain", async () => {
    const emulator = await startEmulator({ issues: 1000, seed: 6 })
    try {
      const admin = asUser(emulator, emulator.accounts.admin)
      const ids = [
        emulator.dataset.issueAt(777)!.key,
        ...Array.from({ length: 60 }, (_, i) => String(10_000 + i)),
      ]
      const body = { issueIdsOrKeys: ids, maxResults: 200 }
      const expected = new Map(
        ids.map((id) => {
          const log = emulator.dataset.changelogOf!(id)!
          return [log.issueId, log.histories.map((h) => h.id)] as const
        }),
      )
      emulator.setChaos("short-pages=1,delete=0.2,seed=3")
      const { byIssue, pageSizes } = await collect(admin, body)
      emulator.setChaos("")
      expect(pageSizes.slice(0, -1).some((n) => n < 200)).toBe(true)
      const stats = emulator.stats().faults.byKind
      expect(stats["short-pages"]).toBeGreaterThan(0)
      expect(stats.delete).toBeGreaterThan(0)
      let deleted = 0
      for (const [issueId, entries] of expected) {
        const got = byIssue.get(issueId) ?? []
        if (emulator.dataset.changelogOf!(issueId) === undefined) {
          deleted++
          // Served before it was deleted, in order, then nothing more.
          expect(got).toEqual(entries.slice(0, got.length))
        } else expect(got).toEqual(entries)
      }
      expect(deleted).toBe(stats.delete)
    } finally {
      await emulator.close()
    }
  })

  it("an expired token stays expired; the request starts again without one", async () => {
    const emulator = await startEmulator({ issues: 1000, seed: 6 })
    try {
      const admin = asUser(emulator, emulator.accounts.admin)
      const body = { issueIdsOrKeys: [emulator.dataset.issueAt(777)!.key], maxResults: 100 }
      const first = await admin.post(BULK, body)
      emulator.setChaos("token-expiry=1")
      const expired = await admin.post(BULK, { ...body, nextPageToken: first.json.nextPageToken })
      expect(expired.status).toBe(400)
      expect(expired.json.errorMessages[0]).toMatch(/nextPageToken is invalid or has expired/)
      emulator.setChaos("")
      expect((await admin.post(BULK, { ...body, nextPageToken: first.json.nextPageToken })).status).toBe(400)
      const again = await collect(admin, body)
      expect(again.byIssue.get("10777")).toEqual(
        emulator.dataset.changelogOf!("10777")!.histories.map((h) => h.id),
      )
      expect(emulator.stats().faults.byKind["token-expiry"]).toBe(1)
    } finally {
      await emulator.close()
    }
  })
})

describe("changelog endpoints over the hand-written data set", () => {
  it("show no history, keep permissions, and list the statuses its issues use", async () => {
    const emulator = await startEmulator({ ...miniature(60, 3) })
    try {
      const admin = asUser(emulator, emulator.accounts.admin)
      const restricted = asUser(emulator, emulator.accounts.restricted)
      const secret = emulator.referenceSearch("project = SEC", emulator.accounts.admin.accountId)[0]!
      const bulk = await restricted.post(BULK, { issueIdsOrKeys: ["ALP-1", secret] })
      expect(bulk.json).toEqual({ issueChangeLogs: [] })
      const one = await admin.get("/rest/api/3/issue/ALP-1/changelog")
      expect(one.json).toMatchObject({ total: 0, values: [], isLast: true })
      expectMatchesSpec("getChangeLogs", 200, one.json)
      expect((await restricted.get(`/rest/api/3/issue/${secret}/changelog`)).status).toBe(404)
      const statuses = await admin.get("/rest/api/3/status")
      expectMatchesSpec("getStatuses", 200, statuses.json)
      const carried = new Set(
        Array.from(
          { length: 60 },
          (_, i) => (emulator.dataset.issueAt(i)!.fields.status as { id: string }).id,
        ),
      )
      expect(new Set(statuses.json.map((s: { id: string }) => s.id))).toEqual(carried)
    } finally {
      await emulator.close()
    }
  })
})
