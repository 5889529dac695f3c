/**
 * `context/start`, `filters/list` and exports of selected issues, against the emulator: each place
 * starts from the query that place shows, hidden places fail with Jira's sentence, and selected
 * issues come out exactly, in the navigator's order, however the cursor is cut.
 */
import { Effect, Either } from "effect"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { BOARD_NOT_FOUND, FILTER_UNAVAILABLE } from "../../dev/emulator/server/places.js"
import { decodeCursor } from "../../src/export/cursor.js"
import { selectedJql } from "../../src/export/start.js"
import { exportNext, exportStart } from "../../src/resolvers/export.js"
import { contextStart, filtersList, withSubQuery } from "../../src/resolvers/places.js"
import { previewPage } from "../../src/resolvers/preview.js"
import { exportThrough, type Harness, keysOf, startHarness } from "./emulated.js"

let harness: Harness
beforeAll(async () => {
  harness = await startHarness(
    { issues: 300, seed: 7 },
    {
      settings: {
        searchPageSize: 20,
        idPageSize: 90,
        bulkSize: 2,
        requestConcurrency: 2,
        completionConcurrency: 2,
        issueErrorRetries: 2,
      },
      budget: { timeMs: 15_000, graceMs: 5_000, maxBytes: 300 },
    },
  )
})
afterAll(() => harness.emulator.close())

const startFrom = (extension: unknown, user: "admin" | "restricted" = "admin") =>
  harness.run(contextStart({ extension }), user)

describe("context/start", () => {
  it("the navigator starts from its JQL, its selection and the saved filter's own columns", async () => {
    const answer = await startFrom({
      type: "jira:issueNavigatorAction",
      jql: "project = ALPHA ORDER BY created DESC",
      issueKeys: ["ALPHA-3", "alpha-1"],
      filterId: "10000",
      location: "https://x.atlassian.net/issues",
    })
    expect(Either.getOrThrow(answer)).toEqual({
      origin: "navigator",
      label: "Filter Alpha: everything by key",
      jql: "project = ALPHA ORDER BY created DESC",
      selectedKeys: ["ALPHA-3", "ALPHA-1"],
      columns: ["issuekey", "summary", "status", "priority", "updated"],
      filter: { id: "10000", name: "Alpha: everything by key" },
    })
  })

  it("a board starts from its filter, a sprint from sprint = ID in rank order, a project by key", async () => {
    expect(
      Either.getOrThrow(await startFrom({ type: "jira:boardAction", board: { id: 1, type: "scrum" } })),
    ).toMatchObject({
      origin: "board",
      jql: "project = ALPHA ORDER BY Rank ASC",
      columns: null,
    })
    expect(
      Either.getOrThrow(await startFrom({ type: "jira:sprintAction", sprint: { id: 2, state: "closed" } })),
    ).toMatchObject({
      origin: "sprint",
      label: "Sprint ALPHA Sprint 2",
      jql: "sprint = 2 ORDER BY Rank ASC",
    })
    expect(
      Either.getOrThrow(await startFrom({ type: "jira:projectPage", project: { key: "BETA", id: "10001" } })),
    ).toMatchObject({
      origin: "project",
      jql: "project = BETA ORDER BY key ASC",
    })
    expect(Either.getOrThrow(await startFrom({ type: "jira:globalPage" }))).toMatchObject({
      origin: "global",
      jql: "",
    })
  })

  it("a filter or board the user may not see fails with Jira's sentence", async () => {
    const filter = await startFrom(
      { type: "jira:issueNavigatorAction", jql: "x", filterId: "10001" },
      "restricted",
    )
    expect(Either.flip(filter)).toEqual(
      Either.right(expect.objectContaining({ tag: "NotFound", message: FILTER_UNAVAILABLE })),
    )
    const board = await startFrom({ type: "jira:boardAction", board: { id: "3" } }, "restricted")
    expect(Either.flip(board)).toEqual(
      Either.right(expect.objectContaining({ tag: "NotFound", message: BOARD_NOT_FOUND })),
    )
  })

  it("an unknown or malformed context is a BadPayload with a sentence, not a crash", async () => {
    for (const extension of [
      null,
      { type: "jira:issuePanel" },
      { type: "jira:boardAction", board: { id: "../1" } },
    ]) {
      const answer = await startFrom(extension)
      expect(Either.isLeft(answer) && answer.left.tag).toBe("BadPayload")
    }
  })

  it("a kanban subquery narrows the filter and keeps its order", () => {
    expect(withSubQuery("project = A ORDER BY Rank ASC", "fixVersion is EMPTY")).toBe(
      "(project = A) AND (fixVersion is EMPTY) ORDER BY Rank ASC",
    )
    // An `order by` inside a string or a sub-query's parentheses is text, not the query's order.
    expect(withSubQuery('summary ~ "law and order by the sea" ORDER BY key', "assignee is EMPTY")).toBe(
      '(summary ~ "law and order by the sea") AND (assignee is EMPTY) ORDER BY key',
    )
    expect(withSubQuery("summary ~ 'order by'", "x = 1")).toBe("(summary ~ 'order by') AND (x = 1)")
  })
})

describe("filters/list", () => {
  it("lists what the user may see, starred first, then their own", async () => {
    const answer = Either.getOrThrow(await harness.run(filtersList({}), "restricted"))
    const ids = answer.filters.map((f) => f.id)
    expect(ids.slice(0, 2).sort()).toEqual(["10000", "10002"])
    expect(ids).not.toContain("10001")
    expect(answer.filters.find((f) => f.id === "10002")).toMatchObject({ starred: true, mine: true })
    expect(answer.filters.every((f) => f.jql !== "")).toBe(true)
  })
})

describe("selected issues", () => {
  const keys = ["ALPHA-7", "BETA-2", "ALPHA-1", "GAMMA-4", "ALPHA-3"]
  const columns = ["issuekey", "summary", "status"]

  // Jira's order of the navigator's query (here without ORDER BY), not the order the keys came in.
  const inJiraOrder = (selected: ReadonlyArray<string>) =>
    harness.emulator
      .referenceSearch(selectedJql(selected), harness.emulator.accounts.admin.accountId)
      .map((id) => harness.emulator.dataset.issueByIdOrKey(id)?.key ?? id)

  it("preview and export hold exactly the selected issues, in the query's order, across many cursors", async () => {
    const visible = inJiraOrder(keys.filter((k) => harness.emulator.dataset.issueByIdOrKey(k) !== undefined))
    const preview = Either.getOrThrow(
      await harness.run(previewPage({ jql: "ignored = 1", columns, issueKeys: keys })),
    )
    expect(preview.issueKeys).toEqual(visible)
    const { csv, chunks } = await exportThrough(
      harness,
      () => exportStart({ jql: "", columns, issueKeys: keys, options: { preset: "data" } }),
      (cursor) => exportNext({ cursor }),
    )
    expect(chunks.length).toBeGreaterThan(0)
    expect(keysOf(csv)).toEqual(visible)
  })

  it("the cursor carries the selected keys in order, so a repeated call resumes them", async () => {
    const started = Either.getOrThrow(await harness.run(exportStart({ jql: "", columns, issueKeys: keys })))
    expect(started.strategy).toBe("fast")
    const content = await Effect.runPromise(decodeCursor(started.cursor))
    expect(content.phase).toEqual({ _tag: "fast", pending: inJiraOrder(keys), token: null, more: false })
  })
})
