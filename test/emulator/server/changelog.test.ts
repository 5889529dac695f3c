/**
 * The changelog endpoints and the status list over HTTP (docs/jira-cloud.md §10): shapes checked
 * against the official OpenAPI document, bulk paging by token, single-issue paging by offset, limits
 * and their 400s, and permissions (hidden issues left out of bulk answers, a 404 on their own).
 */
import { readFileSync } from "node:fs"
import path from "node:path"
import { Version3Client } from "jira.js"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { parse } from "yaml"
import {
  FORGE_ACCOUNT_HEADER,
  type RunningEmulator,
  SOURCE_HEADER,
  startEmulator,
} from "../../../dev/emulator/index.js"
import { MANIFEST_SCOPES } from "../../../dev/emulator/server/forgeScopes.js"
import { expectMatchesSpec } from "../../support/openapi.js"
import { type Answer, asUser } from "./http.js"

const BUSY = 777
/** Jira's "2026-03-14T09:26:53.589+0530" as epoch ms. */
const ms = (v: unknown): number => Date.parse(String(v).replace(/([+-]\d\d)(\d\d)$/, "$1:$2"))

/**
 * Jira sends `from`, `to` and their strings as null for an empty side (the spec's own example for
 * getChangeLogs does), though `ChangeDetails` types them as strings: the schemas are checked with
 * those nulls read as "", so any other null still fails. (Leaving the keys out would not do: the
 * validator then finds `Object.prototype.toString` under `toString`.)
 */
const ITEM_NULLABLE = new Set(["from", "fromString", "to", "toString"])
const specView = (body: unknown): unknown =>
  JSON.parse(JSON.stringify(body, (key, value) => (value === null && ITEM_NULLABLE.has(key) ? "" : value)))

interface Seen {
  readonly issueId: string
  readonly id: string
  readonly created: string
}

/** Every page of a bulk fetch; fails on a non-200. */
const bulkPages = async (
  client: ReturnType<typeof asUser>,
  body: Readonly<Record<string, unknown>>,
): Promise<ReadonlyArray<Answer>> => {
  const pages: Array<Answer> = []
  let token: string | undefined
  do {
    const page = await client.post("/rest/api/3/changelog/bulkfetch", {
      ...body,
      ...(token ? { nextPageToken: token } : {}),
    })
    expect(page.status, page.text).toBe(200)
    pages.push(page)
    token = page.json.nextPageToken
  } while (token !== undefined)
  return pages
}

const entriesOf = (page: Answer): ReadonlyArray<Seen> =>
  page.json.issueChangeLogs.flatMap((log: { issueId: string; changeHistories: Array<Seen> }) =>
    log.changeHistories.map((h) => ({ issueId: log.issueId, id: h.id, created: h.created })),
  )

describe("changelog endpoints", () => {
  let emulator: RunningEmulator
  beforeAll(async () => {
    emulator = await startEmulator({ issues: 1200, seed: 4 })
  })
  afterAll(() => emulator.close())

  const admin = () => asUser(emulator, emulator.accounts.admin)
  const restricted = () => asUser(emulator, emulator.accounts.restricted)
  const keyAt = (index: number) => emulator.dataset.issueAt(index)!.key
  const hiddenFromRestricted = () =>
    emulator.referenceSearch("project = OPS ORDER BY key", emulator.accounts.admin.accountId).slice(0, 5)

  it("answers match the OpenAPI schemas, for every kind of user", async () => {
    const ids = [...Array.from({ length: 40 }, (_, i) => String(10_000 + i)), keyAt(BUSY), "NOPE-1"]
    for (const client of [admin(), restricted(), asUser(emulator, null)]) {
      for (const fieldIds of [[], ["status", "customfield_10016"]]) {
        const pages = await bulkPages(client, { issueIdsOrKeys: ids, fieldIds, maxResults: 700 })
        for (const page of pages) expectMatchesSpec("getBulkChangelogs", 200, specView(page.json))
      }
      const one = await client.get(`/rest/api/3/issue/${keyAt(BUSY)}/changelog?startAt=3&maxResults=5`)
      if (one.status === 200) expectMatchesSpec("getChangeLogs", 200, specView(one.json))
      else expectMatchesSpec("getChangeLogs", 404, one.json)
      const statuses = await client.get("/rest/api/3/status")
      expect(statuses.status).toBe(200)
      expectMatchesSpec("getStatuses", 200, statuses.json)
    }
    expect((await admin().get("/rest/api/3/status")).json.length).toBeGreaterThan(3)
  })

  it("lists every status of the site to its administrator, paged, those that left the workflow included (issue 19)", async () => {
    const all = await admin().get("/rest/api/3/statuses/search")
    expect(all.status, all.text).toBe(200)
    expectMatchesSpec("search", 200, all.json)
    const ids = all.json.values.map((s: { id: string }) => s.id)
    // The workflow's statuses, and the retired one /status no longer lists; never the deleted one.
    for (const s of emulator.dataset.statuses!) expect(ids).toContain(String(s.id))
    expect(ids).toContain("10099")
    expect(ids).not.toContain("10098")
    expect(all.json.values.find((s: { id: string }) => s.id === "10099")).toMatchObject({
      name: "Awaiting Triage",
      statusCategory: "TODO",
    })
    const first = await admin().get("/rest/api/3/statuses/search?startAt=0&maxResults=3")
    expect(first.json).toMatchObject({ startAt: 0, maxResults: 3, total: ids.length, isLast: false })
    const rest = await admin().get("/rest/api/3/statuses/search?startAt=3&maxResults=300")
    expect(rest.json.maxResults).toBe(200)
    expect([...first.json.values, ...rest.json.values].map((s: { id: string }) => s.id)).toEqual(ids)
    const done = await admin().get("/rest/api/3/statuses/search?statusCategory=DONE&searchString=do")
    expect(done.json.values.map((s: { name: string }) => s.name)).toEqual(["Done", "Won't Do"])
    expect((await admin().get("/rest/api/3/statuses/search?statusCategory=LATER")).status).toBe(400)
    expect((await admin().get("/rest/api/3/statuses/search?startAt=-1")).status).toBe(400)
    // Jira asks the Administer Jira (or projects) permission: anyone else is refused.
    for (const client of [restricted(), asUser(emulator, null)]) {
      const refused = await client.get("/rest/api/3/statuses/search")
      expect(refused.status).toBe(401)
      expect(refused.json.errorMessages).toHaveLength(1)
    }
  })

  it("refuses /statuses/search to the app's Forge traffic without a configuration scope, as Forge does", async () => {
    const forge = (source?: string) => ({
      [FORGE_ACCOUNT_HEADER]: emulator.accounts.admin.accountId,
      ...(source === undefined ? {} : { [SOURCE_HEADER]: source }),
    })
    for (const headers of [forge(), forge("frontend")]) {
      const refused = await asUser(emulator, null).get("/rest/api/3/statuses/search", headers)
      expect(refused.status).toBe(401)
      expect(refused.json).toEqual({ code: 401, message: "Unauthorized; scope does not match" })
      // What the manifest grants still answers.
      expect((await asUser(emulator, null).get("/rest/api/3/status", headers)).status).toBe(200)
    }
    const scoped = await startEmulator({
      issues: 10,
      seed: 4,
      forgeScopes: [...MANIFEST_SCOPES, "read:workflow:jira"],
    })
    try {
      const answer = await asUser(scoped, null).get("/rest/api/3/statuses/search", {
        [FORGE_ACCOUNT_HEADER]: scoped.accounts.admin.accountId,
      })
      expect(answer.status).toBe(200)
    } finally {
      await scoped.close()
    }
    // The emulator's default is what the project's manifest grants.
    const manifest = parse(readFileSync(path.join(import.meta.dirname, "../../../manifest.yml"), "utf8"))
    expect([...MANIFEST_SCOPES].sort()).toEqual([...manifest.permissions.scopes].sort())
  })

  it("bulk pages give every entry once, oldest first then by issue id, each issue's in its order", async () => {
    const ids = [keyAt(BUSY), ...Array.from({ length: 80 }, (_, i) => String(10_000 + i * 7))]
    const pages = await bulkPages(admin(), { issueIdsOrKeys: ids, maxResults: 450 })
    expect(pages.length).toBeGreaterThan(4)
    const order = (e: Seen) => [ms(e.created), Number(e.issueId), Number(e.id)]
    const precedes = (a: Seen, b: Seen) => {
      const [x, y] = [order(a), order(b)]
      return x[0]! < y[0]! || (x[0] === y[0] && (x[1]! < y[1]! || (x[1] === y[1] && x[2]! < y[2]!)))
    }
    let previousLast: Seen | undefined
    const byIssue = new Map<string, Array<string>>()
    for (const page of pages) {
      const entries = entriesOf(page)
      const sorted = [...entries].sort((a, b) => (precedes(a, b) ? -1 : precedes(b, a) ? 1 : 0))
      if (previousLast) expect(precedes(previousLast, sorted[0]!)).toBe(true)
      previousLast = sorted[sorted.length - 1]
      const issueIds = page.json.issueChangeLogs.map((l: { issueId: string }) => Number(l.issueId))
      expect(issueIds).toEqual([...issueIds].sort((a, b) => a - b))
      for (const e of entries) {
        const list = byIssue.get(e.issueId) ?? []
        list.push(e.id)
        byIssue.set(e.issueId, list)
      }
    }
    for (const idOrKey of ids) {
      const log = emulator.dataset.changelogOf!(idOrKey)!
      expect(byIssue.get(log.issueId) ?? []).toEqual(log.histories.map((h) => h.id))
    }
  })

  it("pages 1,000 entries by default and up to 10,000 when asked", async () => {
    const busy = emulator.dataset.changelogOf!(keyAt(BUSY))!.histories.length
    expect(busy).toBeGreaterThan(1000)
    const first = await admin().post("/rest/api/3/changelog/bulkfetch", { issueIdsOrKeys: [keyAt(BUSY)] })
    expect(entriesOf(first)).toHaveLength(1000)
    expect(typeof first.json.nextPageToken).toBe("string")
    const all = await admin().post("/rest/api/3/changelog/bulkfetch", {
      issueIdsOrKeys: [keyAt(BUSY)],
      maxResults: 10_000,
    })
    expect(entriesOf(all)).toHaveLength(busy)
    expect(all.json.nextPageToken).toBeUndefined()
  })

  it("fieldIds keep only the entries and items of those fields", async () => {
    const ids = Array.from({ length: 200 }, (_, i) => String(10_000 + i))
    const pages = await bulkPages(admin(), { issueIdsOrKeys: ids, fieldIds: ["status", "resolution"] })
    const items = pages.flatMap((p) =>
      p.json.issueChangeLogs.flatMap((l: { changeHistories: Array<{ items: Array<{ fieldId: string }> }> }) =>
        l.changeHistories.flatMap((h) => h.items),
      ),
    )
    expect(new Set(items.map((i) => i.fieldId))).toEqual(new Set(["status", "resolution"]))
    const expected = ids.flatMap((id) =>
      emulator.dataset.changelogOf!(id)!.histories.flatMap((h) =>
        h.items.filter((i) => i.fieldId === "status" || i.fieldId === "resolution"),
      ),
    )
    expect(items).toHaveLength(expected.length)
  })

  it("refuses bodies outside Jira's limits with a 400 and a sentence", async () => {
    const many = (n: number) => Array.from({ length: n }, (_, i) => String(10_000 + i))
    const cases: ReadonlyArray<readonly [unknown, RegExp]> = [
      [{ issueIdsOrKeys: many(1001) }, /between 1 and 1000 issue/],
      [{ issueIdsOrKeys: [] }, /between 1 and 1000 issue/],
      [{}, /between 1 and 1000 issue/],
      [{ issueIdsOrKeys: ["10000"], fieldIds: many(11) }, /at most 10 field/],
      [{ issueIdsOrKeys: ["10000"], maxResults: 0 }, /between 1 and 10000/],
      [{ issueIdsOrKeys: ["10000"], maxResults: 10_001 }, /between 1 and 10000/],
      [{ issueIdsOrKeys: ["10000"], expand: "names" }, /Unrecognized field "expand"/],
      [{ issueIdsOrKeys: "10000" }, /Invalid request payload/],
      [{ issueIdsOrKeys: ["10000"], nextPageToken: "forged" }, /nextPageToken is invalid/],
    ]
    for (const [body, message] of cases) {
      const answer = await admin().post("/rest/api/3/changelog/bulkfetch", body)
      expect(answer.status, JSON.stringify(body).slice(0, 80)).toBe(400)
      expect(answer.json.errorMessages.join(" ")).toMatch(message)
      expectMatchesSpec("getBulkChangelogs", 400, answer.json)
    }
    const largest = await admin().post("/rest/api/3/changelog/bulkfetch", {
      issueIdsOrKeys: many(1000),
      fieldIds: many(10),
      maxResults: 10_000,
    })
    expect(largest.status).toBe(200)
    // A token continues only the request that it came from.
    const first = await admin().post("/rest/api/3/changelog/bulkfetch", {
      issueIdsOrKeys: [keyAt(BUSY)],
      maxResults: 5,
    })
    const other = await admin().post("/rest/api/3/changelog/bulkfetch", {
      issueIdsOrKeys: ["10001"],
      nextPageToken: first.json.nextPageToken,
    })
    expect(other.status).toBe(400)
    const asSomeoneElse = await restricted().post("/rest/api/3/changelog/bulkfetch", {
      issueIdsOrKeys: [keyAt(BUSY)],
      maxResults: 5,
      nextPageToken: first.json.nextPageToken,
    })
    expect(asSomeoneElse.status).toBe(400)
  })

  it("leaves out issues the user cannot see and answers 404 for one of them", async () => {
    const hidden = hiddenFromRestricted()
    const visible = ["10000", "10001", "10002"]
    const body = { issueIdsOrKeys: [...hidden, ...visible, "NOPE-9", "99999999"], maxResults: 10_000 }
    const issuesIn = (a: Answer) => new Set(a.json.issueChangeLogs.map((l: { issueId: string }) => l.issueId))
    const forAdmin = issuesIn(await admin().post("/rest/api/3/changelog/bulkfetch", body))
    for (const id of hidden) expect(forAdmin).toContain(id)
    const forRestricted = issuesIn(await restricted().post("/rest/api/3/changelog/bulkfetch", body))
    for (const id of hidden) expect(forRestricted).not.toContain(id)
    for (const id of visible) expect(forRestricted).toContain(id)
    const anonymous = await asUser(emulator, null).post("/rest/api/3/changelog/bulkfetch", body)
    expect(anonymous.json).toEqual({ issueChangeLogs: [] })

    const notFound = await restricted().get(`/rest/api/3/issue/${hidden[0]}/changelog`)
    expect(notFound.status).toBe(404)
    expect(notFound.json.errorMessages).toEqual([
      "Issue does not exist or you do not have permission to see it.",
    ])
    expect((await admin().get(`/rest/api/3/issue/${hidden[0]}/changelog`)).status).toBe(200)
    expect((await admin().get("/rest/api/3/issue/NOPE-1/changelog")).status).toBe(404)
    expect((await asUser(emulator, null).get("/rest/api/3/status")).json).toEqual([])
  })

  it("pages one issue's history by offset, at most 100 a page, with links to the next page", async () => {
    const key = keyAt(BUSY)
    const full = emulator.dataset.changelogOf!(key)!.histories.map((h) => h.id)
    const first = await admin().get(`/rest/api/3/issue/${key}/changelog?maxResults=1000`)
    expect(first.json).toMatchObject({ startAt: 0, maxResults: 100, total: full.length, isLast: false })
    expect(first.json.self).toBe(`${emulator.url}/rest/api/3/issue/${key}/changelog?startAt=0&maxResults=100`)
    const seen: Array<string> = []
    let page = first
    for (;;) {
      seen.push(...page.json.values.map((h: { id: string }) => h.id))
      if (page.json.isLast) break
      expect(page.json.nextPage).toBe(
        `${emulator.url}/rest/api/3/issue/${key}/changelog?startAt=${seen.length}&maxResults=100`,
      )
      page = await admin().get(new URL(page.json.nextPage).pathname + new URL(page.json.nextPage).search)
    }
    expect(seen).toEqual(full)
    const defaults = await admin().get("/rest/api/3/issue/10003/changelog")
    expect(defaults.json).toMatchObject({ startAt: 0, maxResults: 100, isLast: true })
    expect(defaults.json.nextPage).toBeUndefined()
    const past = await admin().get(`/rest/api/3/issue/${key}/changelog?startAt=${full.length + 5}`)
    expect(past.json).toMatchObject({ values: [], isLast: true, total: full.length })
    expect((await admin().get(`/rest/api/3/issue/${key}/changelog?startAt=-1`)).status).toBe(400)
    expect((await admin().get(`/rest/api/3/issue/${key}/changelog?maxResults=x`)).status).toBe(400)
  })

  it("serves jira.js's own requests (a client written from Atlassian's spec)", async () => {
    const client = new Version3Client({
      host: emulator.url,
      authentication: { basic: { email: emulator.accounts.admin.email, apiToken: emulator.apiToken } },
    })
    const key = keyAt(BUSY)
    const total = emulator.dataset.changelogOf!(key)!.histories.length
    let entries = 0
    let nextPageToken: string | undefined
    do {
      const page = await client.issues.getBulkChangelogs({
        issueIdsOrKeys: [key, "10001"],
        fieldIds: ["status"],
        maxResults: 200,
        ...(nextPageToken ? { nextPageToken } : {}),
      })
      for (const log of page.issueChangeLogs ?? []) entries += log.changeHistories?.length ?? 0
      nextPageToken = page.nextPageToken ?? undefined
    } while (nextPageToken !== undefined)
    const statusEntries = [key, "10001"].flatMap((id) =>
      emulator.dataset.changelogOf!(id)!.histories.filter((h) => h.items.some((i) => i.fieldId === "status")),
    )
    expect(entries).toBe(statusEntries.length)
    const page = await client.issues.getChangeLogs({ issueIdOrKey: key, startAt: 100, maxResults: 50 })
    expect(page).toMatchObject({ startAt: 100, maxResults: 50, total, isLast: false })
    const statuses = await client.workflowStatuses.getStatuses()
    expect(statuses.map((s) => s.statusCategory?.key)).toContain("done")
  })
})
