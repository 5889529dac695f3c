/**
 * The page engine's reads go to the Jira frame exactly as `@forge/bridge`'s `requestJira` sends them
 * (the frame takes that payload from every app that ships this bridge), and Jira's answer is taken as
 * the frame hands it over, without the `Response` requestJira wraps it in.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest"
import { productFetchApi } from "../../node_modules/@forge/bridge/out/fetch/fetch.js"
import { productFetch } from "../../web/src/engine/productFetch.js"

/** A frame that records what it was asked and answers `answer`. */
const frame = (answer: unknown) => {
  const calls: Array<{ method: string; args: unknown }> = []
  const callBridge = async (method: string, args: unknown) => {
    calls.push({ method, args })
    return answer
  }
  return { calls, callBridge }
}

const jiraAnswer = {
  status: 429,
  statusText: "Too Many Requests",
  headers: { "retry-after": "2", "content-type": "application/json" },
  body: '{"errorMessages":["Rate limited"]}',
  isAttachment: false,
}

describe("the page's product fetch", () => {
  // The bridge builds `new Request("", …)`, which a page resolves against its own address; Node has none.
  beforeAll(() => {
    const NodeRequest = globalThis.Request
    vi.stubGlobal(
      "Request",
      class extends NodeRequest {
        constructor(input: string, init?: RequestInit) {
          super(new URL(input, "https://app.example/"), init)
        }
      },
    )
  })
  afterAll(() => {
    vi.unstubAllGlobals()
  })

  const requests = [
    {
      path: "/rest/api/3/search/jql",
      init: {
        method: "POST",
        headers: { Accept: "application/json", "Content-Type": "application/json" },
        body: JSON.stringify({ jql: "project = A", fields: ["summary"], maxResults: 100 }),
      },
    },
    { path: "/rest/api/3/myself", init: { method: "GET", headers: { Accept: "application/json" } } },
  ]

  it.each(requests)("asks the frame what requestJira asks for $init.method $path", async ({ path, init }) => {
    const ours = frame(jiraAnswer)
    const bridges = frame(jiraAnswer)
    await productFetch(ours.callBridge)(path, init)
    await productFetchApi(bridges.callBridge).requestJira(path, init)
    expect(ours.calls).toEqual(bridges.calls)
    expect(ours.calls[0]?.method).toBe("fetchProduct")
  })

  it("hands on Jira's status, headers and body as the frame passed them", async () => {
    const answer = await productFetch(frame(jiraAnswer).callBridge)(requests[1]?.path ?? "", {
      method: "GET",
      headers: {},
    })
    expect(answer).toEqual({ status: 429, headers: jiraAnswer.headers, body: jiraAnswer.body })
    // What requestJira would have made of it reads the same.
    const response = await productFetchApi(frame(jiraAnswer).callBridge).requestJira("/rest/api/3/myself", {})
    expect([response.status, response.headers.get("retry-after"), await response.text()]).toEqual([
      answer.status,
      answer.headers["retry-after"],
      answer.body,
    ])
  })

  it("an empty answer has an empty body; an answer without a status is an error, not a read", async () => {
    const empty = await productFetch(frame({ ...jiraAnswer, status: 204, body: null }).callBridge)(
      "/rest/api/3/myself",
      { method: "GET", headers: {} },
    )
    expect(empty.body).toBe("")
    await expect(
      productFetch(frame({ body: "{}" }).callBridge)("/rest/api/3/myself", { method: "GET", headers: {} }),
    ).rejects.toThrow(/no status/)
    await expect(
      productFetch(frame({ ...jiraAnswer, isAttachment: true }).callBridge)("/rest/api/3/myself", {
        method: "GET",
        headers: {},
      }),
    ).rejects.toThrow(/attachment/)
  })
})
