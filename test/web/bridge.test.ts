// @vitest-environment happy-dom
import { describe, expect, it } from "vitest"
import type { Backend } from "../../web/src/bridge.js"
import { describeActivity } from "../../web/src/views/ExportPanel.js"

type Calls = Array<{ method: string; args: unknown }>

/** Installs a fake Jira frame bridge (what @forge/bridge talks to) and loads the adapter. */
const connect = async (
  answer: (method: string, args: unknown) => unknown,
): Promise<{ backend: Backend; calls: Calls }> => {
  const calls: Calls = []
  Object.assign(globalThis, {
    __bridge: {
      callBridge: async (method: string, args: unknown) => {
        calls.push({ method, args })
        return answer(method, args)
      },
    },
  })
  const { forgeBackend } = await import("../../web/src/bridge.js")
  return { backend: await forgeBackend(), calls }
}

describe("forgeBackend", () => {
  it("invokes resolvers, reads the context, opens issues, and turns a thrown bridge error into a Transport error", async () => {
    let fail = false
    const { backend, calls } = await connect((method, args) => {
      if (method === "getContext")
        return {
          accountId: "acc-1",
          siteUrl: "https://x.atlassian.net",
          locale: "de-DE",
          timezone: "Europe/Berlin",
          theme: { colorMode: "dark" },
        }
      if (method === "invoke") {
        if (fail) throw new Error("Unable to reach the app")
        return { ok: true, value: { echo: args } }
      }
      return undefined
    })
    expect(await backend.call("session/whoami", {})).toEqual({
      ok: true,
      value: { echo: { functionKey: "session/whoami", payload: {} } },
    })
    expect(await backend.context()).toEqual({
      accountId: "acc-1",
      siteUrl: "https://x.atlassian.net",
      locale: "de-DE",
      timeZone: "Europe/Berlin",
      colorMode: "dark",
    })
    await backend.openIssue("ABC-1")
    expect(calls.at(-1)).toEqual({
      method: "navigate",
      args: { target: "issue", issueKey: "ABC-1", type: "new-tab" },
    })
    fail = true
    const failed = await backend.call("jql/parse", { jql: "x" })
    expect(failed).toMatchObject({
      ok: false,
      error: { tag: "Transport", details: ["Unable to reach the app"] },
    })

    // The bridge's own limit (500 invokes per 25 s) throws on the 501st call; it must come back as a
    // retryable Transport error, not an exception.
    fail = false
    const results = []
    for (let i = 0; i < 500; i++) results.push(await backend.call("session/whoami", {}))
    const limited = results.filter((r) => !r.ok)
    expect(limited.length).toBeGreaterThan(0)
    expect(limited[0]).toMatchObject({
      ok: false,
      error: { tag: "Transport", details: [expect.stringMatching(/rate limited/)] },
    })
  })
})

describe("describeActivity", () => {
  it("words every running state", () => {
    const now = Date.parse("2026-11-29T10:00:00Z")
    expect(describeActivity({ kind: "fetching" }, now, "UTC")).toBe("Fetching issues from Jira…")
    expect(
      describeActivity({ kind: "waiting", reason: "rateLimit", until: now + 4_200, attempt: 1 }, now, "UTC"),
    ).toBe("Waiting 5 s for Jira's rate limit…")
    expect(
      describeActivity({ kind: "waiting", reason: "retry", until: now + 2_000, attempt: 2 }, now, "UTC"),
    ).toMatch(/^Jira is not answering; we keep trying: next try in 2 s \(attempt 3 of \d+\)\.$/)
    expect(
      describeActivity({ kind: "paused", until: Date.parse("2026-11-29T10:30:00Z") }, now, "Europe/Berlin"),
    ).toBe(
      "Paused until 11:30 because the app's hourly Jira quota is spent. The export resumes by itself; keep this page open.",
    )
  })
})
