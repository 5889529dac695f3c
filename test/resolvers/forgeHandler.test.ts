/**
 * The Forge handler's edge, called as Forge calls it, with @forge/api's product fetch hook answering as
 * the platform does: a missing consent leaves the function as @forge/api threw it (Forge then shows its
 * "Allow access" prompt), and a Retry-After longer than the invocation is handed back at once.
 */
import { afterEach, describe, expect, it } from "vitest"

type ForgeFetch = (descriptor: { provider?: string }, path: string, init?: RequestInit) => Promise<Response>
const hook = globalThis as { __forge_fetch__?: ForgeFetch }

const call = async (functionKey: string, payload: unknown) => {
  const { handler } = await import("../../src/index.js")
  return handler(
    { call: { functionKey, payload }, context: { cloudId: "c" } },
    { principal: { accountId: "acc-1" } },
  )
}

afterEach(() => {
  delete hook.__forge_fetch__
})

// In this order: the second test leaves the warm instance's shared pause (Retry-After: 30) behind.
describe("the Forge handler's edge", () => {
  it("lets NeedsAuthenticationError leave the function, so Forge can ask the user to allow access", async () => {
    const logged: unknown[] = []
    const error = console.error
    console.error = (...args: unknown[]) => logged.push(args)
    hook.__forge_fetch__ = async () =>
      new Response("", { status: 401, headers: { "forge-proxy-error": "NEEDS_AUTHENTICATION_ERR" } })
    try {
      await expect(call("session/whoami", {})).rejects.toMatchObject({
        name: "NEEDS_AUTHENTICATION_ERR",
        status: 401,
      })
      // Also from deep inside an export's stream, not only from a single read.
      await expect(call("preview/page", { jql: "project = A", columns: ["summary"] })).rejects.toMatchObject({
        name: "NEEDS_AUTHENTICATION_ERR",
      })
      expect(logged).toEqual([])
    } finally {
      console.error = error
    }
  })

  it("hands a Retry-After that does not fit the invocation back to the page at once", async () => {
    const paths: string[] = []
    hook.__forge_fetch__ = async (_descriptor, path) => {
      paths.push(path)
      return new Response(JSON.stringify({ errorMessages: ["Rate limited"] }), {
        status: 429,
        headers: {
          "content-type": "application/json",
          "Retry-After": "30",
          "RateLimit-Reason": "jira-burst-based",
        },
      })
    }
    const result = await call("jql/parse", { jql: "project = A" })
    expect(result).toMatchObject({ ok: false, error: { tag: "RateLimited", retryAfterMs: 30_000 } })
    expect(paths).toHaveLength(1)
    // The next call, from the same warm instance, does not send a request Jira would refuse.
    const next = await call("fields/list", {})
    expect(next).toMatchObject({ ok: false, error: { tag: "RateLimited" } })
    expect(paths).toHaveLength(1)
  })
})
