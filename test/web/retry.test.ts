// @vitest-environment happy-dom
/**
 * The page's one way of repeating a call after the wait Jira asked for, and the models that use it:
 * the JQL check, the preview and the page's first load show the wait, retry after it, stop after a few
 * waits, and never call again once the answer is no longer wanted.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest"
import { MAX_JQL_LENGTH } from "../../src/contract/constants.js"
import type { FieldInfo, PreviewPage, Result } from "../../src/contract.js"
import { systemClock } from "../../web/src/clock.js"
import { JqlModel, PARSE_DEBOUNCE_MS } from "../../web/src/models/JqlModel.js"
import { PageModel } from "../../web/src/models/PageModel.js"
import { PreviewModel } from "../../web/src/models/PreviewModel.js"
import { MAX_WAITS, Retries, waitFor, waitText } from "../../web/src/models/retry.js"
import { fail, fakeBackend, ok, testContext } from "./FakeBackend.js"

const storm = fail({ tag: "RateLimited", message: "Jira asked us to slow down.", retryAfterMs: 20_000 })
const valid = ok({ valid: true, errors: [], warnings: [] })
const page: PreviewPage = {
  columns: [{ id: "key", header: "Key", kind: "text" }],
  rows: [["ABC-1"]],
  issueKeys: ["ABC-1"],
  nextPageToken: null,
  approximateTotal: 1,
}
const request = { jql: "project = ABC", columns: ["key"], options: {} }

beforeEach(() => {
  vi.useFakeTimers()
})
afterEach(() => {
  vi.useRealTimers()
})

describe("Retries", () => {
  it("sits out the wait an answer asks for, says so, and calls again after it, not before", async () => {
    const answers: Array<Result<number>> = [
      storm,
      fail({ tag: "Timeout", message: "Slow.", retryAfterMs: 2_000 }),
      ok(7),
    ]
    const calls: number[] = []
    const waits: string[] = []
    const retries = new Retries(systemClock)
    const run = retries.run(
      async () => {
        calls.push(Date.now())
        return answers[calls.length - 1] ?? ok(0)
      },
      { isCurrent: () => true, onWait: (wait) => waits.push(waitText(wait)) },
    )
    await vi.advanceTimersByTimeAsync(19_999)
    expect(calls).toHaveLength(1)
    await vi.advanceTimersByTimeAsync(1)
    expect(calls).toHaveLength(2)
    await vi.advanceTimersByTimeAsync(2_000)
    expect(await run).toEqual(ok(7))
    expect(waits).toEqual([
      "Jira asked us to wait 20 s; retrying…",
      "Jira is slow to answer; retrying in 2 s…",
    ])
  })

  it("gives up after a few waits, and never sits out a spent quota or an hour-long wait", async () => {
    const retries = new Retries(systemClock)
    let calls = 0
    const run = retries.run(
      async () => {
        calls++
        return storm
      },
      { isCurrent: () => true, onWait: () => undefined },
    )
    await vi.advanceTimersByTimeAsync(10 * 60_000)
    expect(await run).toEqual(storm)
    expect(calls).toBe(MAX_WAITS + 1)
    expect(
      waitFor({
        tag: "QuotaExhausted",
        message: "Spent.",
        retryAfterMs: 1_000,
        resetAt: "2026-01-01T10:00:00Z",
      }),
    ).toBeUndefined()
    expect(waitFor({ tag: "RateLimited", message: "Later.", retryAfterMs: 3_600_000 })).toBeUndefined()
    expect(waitFor({ tag: "Transport", message: "Offline." })).toBeUndefined()
  })

  it("drops a stale answer and makes no further call once a newer request ends the wait", async () => {
    const retries = new Retries(systemClock)
    let current = true
    let calls = 0
    const run = retries.run(
      async () => {
        calls++
        return storm
      },
      { isCurrent: () => current, onWait: () => undefined },
    )
    await vi.advanceTimersByTimeAsync(1)
    current = false
    retries.cancel()
    expect(await run).toBeUndefined()
    await vi.advanceTimersByTimeAsync(60_000)
    expect(calls).toBe(1)
  })
})

describe("the JQL check under a rate limit", () => {
  it("shows the wait instead of staying on 'Checking the query…', then Jira's verdict", async () => {
    let parses = 0
    const fake = fakeBackend({ "jql/parse": () => (++parses === 1 ? storm : valid) })
    const model = new JqlModel(fake.backend, systemClock, "", () => undefined)
    model.setText("project = ABC", 13)
    await vi.advanceTimersByTimeAsync(PARSE_DEBOUNCE_MS)
    expect(model.validation.peek()).toEqual({
      kind: "checking",
      wait: { ms: 20_000, attempt: 1, tag: "RateLimited" },
    })
    await vi.advanceTimersByTimeAsync(20_000)
    expect(model.validation.peek()).toEqual({ kind: "valid", warnings: [] })
  })

  it("forgets the wait of a query the user has since changed", async () => {
    const fake = fakeBackend({ "jql/parse": ({ jql }) => (jql === "a = 1" ? storm : valid) })
    const model = new JqlModel(fake.backend, systemClock, "", () => undefined)
    model.setText("a = 1", 5)
    await vi.advanceTimersByTimeAsync(PARSE_DEBOUNCE_MS)
    model.setText("a = 12", 6)
    await vi.advanceTimersByTimeAsync(60_000)
    expect(fake.callsTo("jql/parse").map((c) => c.payload)).toEqual([{ jql: "a = 1" }, { jql: "a = 12" }])
    expect(model.validation.peek().kind).toBe("valid")
  })

  it("says a query over the limit is too long without sending it", async () => {
    const fake = fakeBackend({ "jql/parse": () => valid })
    const long = `project = ABC AND summary ~ "${"x".repeat(MAX_JQL_LENGTH)}"`
    const model = new JqlModel(fake.backend, systemClock, long, () => undefined)
    await model.validateNow()
    model.setText(`${long} `, long.length + 1)
    await vi.advanceTimersByTimeAsync(PARSE_DEBOUNCE_MS)
    expect(fake.callsTo("jql/parse")).toHaveLength(0)
    expect(model.validation.peek()).toEqual({
      kind: "invalid",
      errors: [
        {
          message: `The query is ${(long.length + 1).toLocaleString("en-US")} characters long; the app accepts at most 10,000. Shorten it to run it.`,
        },
      ],
      warnings: [],
    })
  })
})

describe("the preview under a rate limit", () => {
  it("shows the wait while loading, then the rows", async () => {
    let calls = 0
    const fake = fakeBackend({ "preview/page": () => (++calls === 1 ? storm : ok(page)) })
    const model = new PreviewModel(fake.backend, systemClock)
    const loaded = model.load(request)
    await vi.advanceTimersByTimeAsync(0)
    expect(model.state.peek()).toMatchObject({ kind: "loading", wait: { ms: 20_000 } })
    await vi.advanceTimersByTimeAsync(20_000)
    await loaded
    expect(model.state.peek()).toMatchObject({ kind: "ready", table: { rows: [["ABC-1"]] } })
  })

  it("stops on Cancel: no further call, and the page is as before", async () => {
    const fake = fakeBackend({ "preview/page": () => storm })
    const model = new PreviewModel(fake.backend, systemClock)
    const loaded = model.load(request)
    await vi.advanceTimersByTimeAsync(0)
    model.cancel()
    await loaded
    await vi.advanceTimersByTimeAsync(60_000)
    expect(fake.callsTo("preview/page")).toHaveLength(1)
    expect(model.state.peek()).toEqual({ kind: "idle" })
  })
})

describe("the page's first load under a rate limit", () => {
  it("shows the wait while loading the fields, then the page", async () => {
    const fields: FieldInfo[] = [{ id: "key", name: "Key", header: "Key", custom: false, type: "string" }]
    let calls = 0
    const fake = fakeBackend({
      "session/whoami": () => ok({ accountId: "acc-1", displayName: "Ada Admin", timeZone: "UTC" }),
      "fields/list": () => (++calls === 1 ? storm : ok({ fields, defaults: ["key"] })),
      "jql/autocomplete": () => ok({ fields: [], functions: [], reservedWords: [] }),
    })
    const model = new PageModel(fake.backend, systemClock, testContext, {
      load: () => ({}),
      save: () => undefined,
    })
    const init = model.init()
    await vi.advanceTimersByTimeAsync(0)
    expect(model.status.peek()).toMatchObject({ kind: "loading", wait: { ms: 20_000 } })
    await vi.advanceTimersByTimeAsync(20_000)
    await init
    expect(model.status.peek()).toEqual({ kind: "ready" })
    expect(model.columns.selected.peek()).toEqual(["key"])
  })
})
