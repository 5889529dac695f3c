/**
 * Saved filters, boards and sprints: who sees what, Jira's errors for what they may not see, the
 * shapes checked against the OpenAPI document (platform endpoints), and sprints consistent with the
 * issues' Sprint values.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { type RunningEmulator, startEmulator } from "../../../dev/emulator/index.js"
import {
  BOARD_NOT_FOUND,
  FILTER_UNAVAILABLE,
  NO_FILTER_COLUMNS,
  SPRINT_NOT_FOUND,
} from "../../../dev/emulator/server/places.js"
import { expectMatchesSpec } from "../../support/openapi.js"
import { asUser } from "./http.js"

let emulator: RunningEmulator
beforeAll(async () => {
  emulator = await startEmulator({ issues: 300, seed: 5 })
})
afterAll(() => emulator.close())

const admin = () => asUser(emulator, emulator.accounts.admin)
const restricted = () => asUser(emulator, emulator.accounts.restricted)

describe("saved filters", () => {
  it("GET /filter/{id} answers a visible filter with its JQL and owner", async () => {
    const answer = await admin().get("/rest/api/3/filter/10000")
    expect(answer.status).toBe(200)
    expectMatchesSpec("getFilter", 200, answer.json)
    expect(answer.json).toMatchObject({
      id: "10000",
      jql: "project = ALPHA ORDER BY key ASC",
      favourite: true,
    })
    expect(answer.json.owner.accountId).toBe(emulator.accounts.admin.accountId)
  })

  it("a filter the user may not see is Jira's 400 with its sentence, for the filter and its columns", async () => {
    for (const path of ["/rest/api/3/filter/10001", "/rest/api/3/filter/10001/columns"]) {
      const answer = await restricted().get(path)
      expect(answer.status).toBe(400)
      expect(answer.json).toEqual({ errorMessages: [FILTER_UNAVAILABLE], errors: {} })
    }
    // A private filter is hidden from everybody but its owner, administrators included.
    expect((await admin().get("/rest/api/3/filter/10002")).status).toBe(400)
    expect((await restricted().get("/rest/api/3/filter/10002")).status).toBe(200)
    expect((await admin().get("/rest/api/3/filter/99999")).json.errorMessages).toEqual([FILTER_UNAVAILABLE])
  })

  it("GET /filter/{id}/columns gives the filter's own columns, or 404 when it has none", async () => {
    const answer = await admin().get("/rest/api/3/filter/10000/columns")
    expect(answer.status).toBe(200)
    expectMatchesSpec("getColumns", 200, answer.json)
    expect(answer.json.map((c: { value: string }) => c.value)).toEqual([
      "issuekey",
      "summary",
      "status",
      "priority",
      "updated",
    ])
    const none = await admin().get("/rest/api/3/filter/10003/columns")
    expect(none.status).toBe(404)
    expect(none.json.errorMessages).toEqual([NO_FILTER_COLUMNS])
  })

  it("GET /filter/search pages the visible filters; jql and favourite only when expanded", async () => {
    const first = await restricted().get("/rest/api/3/filter/search?maxResults=2&expand=jql,favourite")
    expect(first.status).toBe(200)
    expectMatchesSpec("getFiltersPaginated", 200, first.json)
    expect(first.json).toMatchObject({ startAt: 0, maxResults: 2, isLast: false })
    const ids: Array<string> = first.json.values.map((f: { id: string }) => f.id)
    let page = first
    while (!page.json.isLast) {
      page = await restricted().get(
        `/rest/api/3/filter/search?maxResults=2&expand=jql,favourite&startAt=${page.json.startAt + 2}`,
      )
      ids.push(...page.json.values.map((f: { id: string }) => f.id))
    }
    expect(ids).toHaveLength(first.json.total)
    expect(ids).not.toContain("10001")
    expect(ids).not.toContain("10012")
    expect(ids).toContain("10002")
    expect(first.json.values[0]).toHaveProperty("jql")
    expect(first.json.values[0]).toHaveProperty("favourite")
    const plain = await restricted().get("/rest/api/3/filter/search")
    expect(plain.json.values[0]).not.toHaveProperty("jql")
    const bad = await admin().get("/rest/api/3/filter/search?expand=nonsense")
    expect(bad.status).toBe(400)
    expectMatchesSpec("getFiltersPaginated", 400, bad.json)
  })

  it("GET /filter/favourite lists the starred filters the user may still see", async () => {
    const mine = await restricted().get("/rest/api/3/filter/favourite")
    expect(mine.status).toBe(200)
    expectMatchesSpec("getFavouriteFilters", 200, mine.json)
    expect(mine.json.map((f: { id: string }) => f.id).sort()).toEqual(["10000", "10002"])
    const theirs = await admin().get("/rest/api/3/filter/favourite")
    expect(theirs.json.map((f: { id: string }) => f.id).sort()).toEqual(["10000", "10001"])
  })
})

describe("boards and sprints", () => {
  it("a board's configuration names its filter; a board the user may not see is a 404", async () => {
    const answer = await admin().get("/rest/agile/1.0/board/1/configuration")
    expect(answer.status).toBe(200)
    expect(answer.json).toMatchObject({ id: 1, type: "scrum", filter: { id: "10010" } })
    expect(answer.json.columnConfig.columns.length).toBeGreaterThan(0)
    const hidden = await restricted().get("/rest/agile/1.0/board/3/configuration")
    expect(hidden.status).toBe(404)
    expect(hidden.json.errorMessages).toEqual([BOARD_NOT_FOUND])
    expect((await admin().get("/rest/agile/1.0/board/77/configuration")).status).toBe(404)
  })

  it("the sprints of a board are the ones the issues carry", async () => {
    const answer = await admin().get("/rest/agile/1.0/board/1/sprint")
    expect(answer.status).toBe(200)
    const sprints: Array<{ id: number; name: string; state: string }> = answer.json.values
    expect(sprints.map((s) => s.state)).toContain("active")
    const sprint = await admin().get(`/rest/agile/1.0/sprint/${sprints[1]?.id}`)
    expect(sprint.json).toMatchObject({ id: sprints[1]?.id, originBoardId: 1 })
    const ids = emulator.referenceSearch(`sprint = ${sprints[1]?.id}`, emulator.accounts.admin.accountId)
    expect(ids.length).toBeGreaterThan(0)
    for (const id of ids.slice(0, 20)) {
      const issue = emulator.issueJson(
        id,
        ["customfield_10010", "project"],
        emulator.accounts.admin.accountId,
      )
      const values: Array<{ id: number; boardId: number }> = Reflect.get(
        issue?.fields ?? {},
        "customfield_10010",
      )
      expect(values.map((v) => v.id)).toContain(sprints[1]?.id)
      expect(values.every((v) => v.boardId === 1)).toBe(true)
    }
    const open = await admin().get("/rest/agile/1.0/board/1/sprint?state=active,future")
    expect(open.json.values.map((s: { state: string }) => s.state).sort()).toEqual(["active", "future"])
    const hidden = await restricted().get("/rest/agile/1.0/sprint/999")
    expect(hidden.json.errorMessages).toEqual([SPRINT_NOT_FOUND])
  })
})
