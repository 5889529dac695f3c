/**
 * The emulator tells the page's own `requestJira` traffic (marked by the local host) from the app's
 * functions and from API tokens: points per source, `frontendPoints: "free" | "charged"` and
 * `frontendRateLimitHeaders`.
 */
import { afterEach, describe, expect, it } from "vitest"
import {
  FORGE_ACCOUNT_HEADER,
  type RunningEmulator,
  SOURCE_HEADER,
  startEmulator,
} from "../../../dev/emulator/index.js"
import { parseArgs } from "../../../dev/emulator/main.js"
import { basic, miniature } from "./http.js"

let emulator: RunningEmulator | undefined
afterEach(async () => {
  await emulator?.close()
  emulator = undefined
})

const start = async (options: Parameters<typeof startEmulator>[0]) => {
  emulator = await startEmulator({ ...miniature(20), ...options })
  const e = emulator
  const id = e.accounts.admin.accountId
  const get = (headers: Record<string, string>) =>
    fetch(`${e.url}/rest/api/3/myself`, { headers: { accept: "application/json", ...headers } })
  return {
    e,
    app: () => get({ [FORGE_ACCOUNT_HEADER]: id }),
    frontend: () => get({ [FORGE_ACCOUNT_HEADER]: id, [SOURCE_HEADER]: "frontend" }),
    token: () => get({ authorization: basic(e.accounts.admin.email, e.apiToken) }),
  }
}

describe("points by source", () => {
  it("counts each source's points apart; the page's traffic is free of the quota by default", async () => {
    const { e, app, frontend, token } = await start({ quota: 10 })
    const left = (await app()).headers.get("x-ratelimit-remaining")
    // /myself costs 1 point and 2 for the user it names.
    expect(left).toBe("7")
    const page = await frontend()
    expect(page.status).toBe(200)
    // Free: it costs the quota nothing, and the headers still show the app's pool.
    expect(page.headers.get("x-ratelimit-remaining")).toBe(left)
    await token()
    expect(e.stats().pointsBySource).toEqual({ app: 3, frontend: 3, apiToken: 3 })
    expect(e.stats().points).toBe(9)
  })

  it("free page traffic goes on when the app's quota is spent; charged traffic draws on it and is refused", async () => {
    const free = await start({ quota: 2 })
    await free.app()
    await free.app()
    expect((await free.app()).status).toBe(429)
    expect((await free.frontend()).status).toBe(200)
    await free.e.close()
    const charged = await start({ quota: 2, frontendPoints: "charged" })
    await charged.frontend()
    expect((await charged.frontend()).headers.get("x-ratelimit-remaining")).toBe("0")
    const refused = await charged.frontend()
    expect(refused.status).toBe(429)
    expect(refused.headers.get("retry-after")).not.toBeNull()
    expect((await charged.app()).status).toBe(429)
  })

  it("without rate-limit headers for the page, its answers (429s included) carry none; others keep theirs", async () => {
    const { app, frontend } = await start({
      quota: 1,
      frontendPoints: "charged",
      frontendRateLimitHeaders: false,
    })
    const ok = await frontend()
    expect(ok.status).toBe(200)
    const refused = await frontend()
    expect(refused.status).toBe(429)
    for (const answer of [ok, refused])
      expect([...answer.headers.keys()].filter((h) => /ratelimit|retry-after/i.test(h))).toEqual([])
    const appRefused = await app()
    expect(appRefused.headers.get("retry-after")).not.toBeNull()
    expect(appRefused.headers.get("ratelimit-reason")).toBe("jira-quota-global-based")
  })

  it("takes the modes as flags", () => {
    expect(parseArgs([])).toMatchObject({ frontendPoints: "free", frontendRateLimitHeaders: true })
    expect(parseArgs(["--frontend-points", "charged", "--frontend-ratelimit-headers=off"])).toMatchObject({
      frontendPoints: "charged",
      frontendRateLimitHeaders: false,
    })
    expect(() => parseArgs(["--frontend-points", "maybe"])).toThrow(
      "--frontend-points must be free or charged",
    )
    expect(() => parseArgs(["--frontend-ratelimit-headers", "yes"])).toThrow(/on or off/)
  })
})
