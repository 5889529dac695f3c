import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { FORGE_ACCOUNT_HEADER, type RunningEmulator, startEmulator } from "../../dev/emulator/index.js"

/**
 * The Forge handler called the way Forge calls it ({call, context} + principal), with @forge/api's
 * product fetch hook pointed at the emulator: proves the wiring without a browser.
 */
describe("the Forge handler", () => {
  let emulator: RunningEmulator
  const descriptors: Array<{ provider?: string }> = []
  let accountId = ""

  beforeAll(async () => {
    emulator = await startEmulator({ port: 0 })
    Object.assign(globalThis, {
      __forge_fetch__: (descriptor: { provider?: string }, path: string, init?: RequestInit) => {
        descriptors.push(descriptor)
        const headers = new Headers(init?.headers)
        headers.set(FORGE_ACCOUNT_HEADER, accountId)
        return fetch(`${emulator.url}${path}`, { ...init, headers })
      },
    })
  })
  afterAll(async () => {
    await emulator?.close()
  })

  const call = async (functionKey: string, payload: unknown, principal: string) => {
    accountId = principal
    const { handler } = await import("../../src/index.js")
    return handler(
      { call: { functionKey, payload }, context: { cloudId: "c" } },
      { principal: { accountId } },
    )
  }

  it("session/whoami answers the signed-in user, read with asUser()", async () => {
    const result = await call("session/whoami", {}, emulator.accounts.admin.accountId)
    expect(result).toEqual({
      ok: true,
      value: expect.objectContaining({
        accountId: emulator.accounts.admin.accountId,
        displayName: emulator.accounts.admin.displayName,
        timeZone: expect.any(String),
      }),
    })
    expect(descriptors.length).toBeGreaterThan(0)
    expect(descriptors.every((d) => d.provider === "user")).toBe(true)
  })

  it("a payload with unknown properties is a typed BadPayload error, not a crash", async () => {
    const result = await call("session/whoami", { sneaky: 1 }, emulator.accounts.admin.accountId)
    expect(result).toMatchObject({ ok: false, error: { tag: "BadPayload" } })
  })

  it("an unknown user reads as anonymous, and /myself turns that into Unauthorized with a sentence", async () => {
    const result = await call("session/whoami", {}, "no-such-account")
    expect(result).toMatchObject({
      ok: false,
      error: { tag: "Unauthorized", message: expect.stringMatching(/\.$/) },
    })
  })

  it("an unknown function key, even one every object has, answers one sentence and nothing else", async () => {
    for (const key of ["constructor", "__proto__", "toString", "hasOwnProperty", "valueOf", "no/such"]) {
      const result = await call(key, {}, emulator.accounts.admin.accountId)
      expect(result).toEqual({
        ok: false,
        error: { tag: "BadPayload", message: expect.stringMatching(/^[^\n]+\.$/) },
      })
      expect(JSON.stringify(result)).not.toContain(emulator.accounts.admin.accountId)
    }
  })
})
