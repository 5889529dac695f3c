// @vitest-environment happy-dom
/**
 * What the page shows while Jira asks it to wait (the JQL status, the preview, the first load), and how
 * it stops a query over the length limit before sending it.
 */
import { cleanup, fireEvent, render, screen } from "@testing-library/preact"
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest"
import { MAX_COLUMNS, MAX_JQL_LENGTH } from "../../src/contract/constants.js"
import type { FieldInfo } from "../../src/contract.js"
import { systemClock } from "../../web/src/clock.js"
import { PARSE_DEBOUNCE_MS } from "../../web/src/models/JqlModel.js"
import { PageModel } from "../../web/src/models/PageModel.js"
import { App } from "../../web/src/views/App.js"
import { fail, fakeBackend, type Handlers, ok } from "./FakeBackend.js"

const fields: FieldInfo[] = ["key", "summary"].map((id) => ({
  id,
  name: id,
  header: id.toUpperCase(),
  custom: false,
  type: "string",
}))
const storm = fail({ tag: "RateLimited", message: "Jira asked us to slow down.", retryAfterMs: 20_000 })

/** Answers `storm` to the first call of each key in `stormy`, then as usual. */
const handlers = (stormy: ReadonlyArray<string>): Handlers => {
  const seen = new Set<string>()
  const first = (key: string) => stormy.includes(key) && !seen.has(key) && seen.add(key) !== undefined
  return {
    "session/whoami": () => ok({ accountId: "acc-1", displayName: "Ada Admin", timeZone: "UTC" }),
    "fields/list": () => (first("fields/list") ? storm : ok({ fields, defaults: ["key", "summary"] })),
    "jql/autocomplete": () => ok({ fields: [], functions: [], reservedWords: [] }),
    "jql/parse": () => (first("jql/parse") ? storm : ok({ valid: true, errors: [], warnings: [] })),
    "preview/page": () =>
      first("preview/page")
        ? storm
        : ok({
            columns: [{ id: "key", header: "KEY", kind: "text" }],
            rows: [["ABC-1"]],
            issueKeys: ["ABC-1"],
            nextPageToken: null,
            approximateTotal: 1,
          }),
  }
}

const mount = async (stormy: ReadonlyArray<string>) => {
  const fake = fakeBackend(handlers(stormy))
  const page = await PageModel.create(fake.backend, systemClock, localStorage)
  render(<App page={page} />)
  const init = page.init()
  return { fake, page, init }
}

describe("waits the page shows", () => {
  beforeEach(() => {
    localStorage.clear()
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout"] })
  })
  afterEach(() => {
    cleanup()
    vi.useRealTimers()
  })

  it("the first load, the JQL check and the preview each say Jira asked to wait, then carry on", async () => {
    const { init } = await mount(["fields/list", "jql/parse", "preview/page"])
    await vi.advanceTimersByTimeAsync(0)
    expect(screen.getByTestId("page-loading").textContent).toBe(
      "Loading your fields… Jira asked us to wait 20 s; retrying…",
    )
    await vi.advanceTimersByTimeAsync(20_000)
    await init
    const box = screen.getByLabelText("JQL")
    fireEvent.input(box, { target: { value: "project = ABC" } })
    await vi.advanceTimersByTimeAsync(PARSE_DEBOUNCE_MS)
    expect(screen.getByTestId("jql-checking").textContent).toBe(
      "Checking the query… Jira asked us to wait 20 s; retrying…",
    )
    fireEvent.click(screen.getByTestId("search-button"))
    await vi.advanceTimersByTimeAsync(0)
    expect(screen.getByTestId("preview-loading").textContent).toBe(
      "Loading issues… Jira asked us to wait 20 s; retrying… Cancel",
    )
    await vi.advanceTimersByTimeAsync(20_000)
    expect(screen.getByText("The query is valid.")).toBeTruthy()
    expect(screen.getByTestId("preview-count").textContent).toBe("Showing 1 of about 1 issues.")
  })

  it("Cancel ends the preview's wait without another call", async () => {
    const { fake, init } = await mount(["preview/page"])
    await init
    fireEvent.input(screen.getByLabelText("JQL"), { target: { value: "project = ABC" } })
    fireEvent.click(screen.getByTestId("search-button"))
    await vi.advanceTimersByTimeAsync(0)
    fireEvent.click(screen.getByRole("button", { name: "Cancel" }))
    await vi.advanceTimersByTimeAsync(60_000)
    expect(fake.callsTo("preview/page")).toHaveLength(1)
    expect(screen.getByText("Run a query to see its first issues here.")).toBeTruthy()
  })

  it("a query over the limit shows its length and the limit, and is never sent", async () => {
    const { fake, init } = await mount([])
    await init
    const long = `summary ~ "${"x".repeat(MAX_JQL_LENGTH)}"`
    fireEvent.input(screen.getByLabelText("JQL"), { target: { value: long } })
    await vi.advanceTimersByTimeAsync(PARSE_DEBOUNCE_MS)
    const sentence = `The query is ${long.length.toLocaleString("en-US")} characters long; the app accepts at most 10,000. Shorten it to run it.`
    expect(screen.getByTestId("jql-length").textContent).toBe(
      ` ${long.length.toLocaleString("en-US")} of at most 10,000 characters.`,
    )
    expect(screen.getByTestId("jql-error").textContent).toBe(sentence)
    fireEvent.click(screen.getByTestId("search-button"))
    fireEvent.click(screen.getByTestId("export-button"))
    await vi.advanceTimersByTimeAsync(1_000)
    expect(screen.getAllByText(sentence).length).toBeGreaterThan(1)
    expect(fake.callsTo("jql/parse")).toHaveLength(0)
    expect(fake.callsTo("preview/page")).toHaveLength(0)
    expect(fake.callsTo("export/start")).toHaveLength(0)
  })

  it("more columns than the app accepts are named before anything is sent", async () => {
    const { fake, page, init } = await mount([])
    await init
    for (let i = 0; i <= MAX_COLUMNS; i++) page.columns.add(`customfield_${10_000 + i}`)
    fireEvent.input(screen.getByLabelText("JQL"), { target: { value: "project = ABC" } })
    fireEvent.click(screen.getByTestId("export-button"))
    await vi.advanceTimersByTimeAsync(1_000)
    expect(screen.getByText(`Choose at most 200 columns; ${MAX_COLUMNS + 3} are chosen.`)).toBeTruthy()
    expect(fake.callsTo("preview/page")).toHaveLength(0)
    expect(fake.callsTo("export/start")).toHaveLength(0)
  })
})
