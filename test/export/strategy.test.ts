/** `auto` resolved from what the start knows (src/export/strategy.ts). */
import { describe, expect, it } from "vitest"
import { chooseStrategy, SMALL_EXPORT } from "../../src/export/strategy.js"

const quota = (remaining?: number, nearLimit = false) => ({
  nearLimit,
  ...(remaining === undefined ? {} : { remaining }),
})

describe("chooseStrategy", () => {
  it("keeps what was asked for", () => {
    for (const requested of ["thrifty", "fast"] as const)
      expect(chooseStrategy({ requested, apiToken: false, quota: quota(), approximateTotal: 10 })).toBe(
        requested,
      )
  })

  it("API-token traffic goes fast (no points quota)", () => {
    expect(
      chooseStrategy({ requested: "auto", apiToken: true, quota: quota(), approximateTotal: 1_000_000 }),
    ).toBe("fast")
  })

  it("an app: small exports fast, large ones thrifty, short points thrifty", () => {
    const app = { requested: "auto", apiToken: false } as const
    expect(chooseStrategy({ ...app, quota: quota(), approximateTotal: SMALL_EXPORT })).toBe("fast")
    expect(chooseStrategy({ ...app, quota: quota(), approximateTotal: SMALL_EXPORT + 1 })).toBe("thrifty")
    expect(chooseStrategy({ ...app, quota: quota(1000), approximateTotal: 600 })).toBe("thrifty")
    expect(chooseStrategy({ ...app, quota: quota(60_000, true), approximateTotal: 10 })).toBe("thrifty")
  })

  it("an order thrifty reads as one chain goes fast when the headers show the points, else stays thrifty", () => {
    const app = { requested: "auto", apiToken: false, parallelThrifty: false } as const
    expect(chooseStrategy({ ...app, quota: quota(60_000), approximateTotal: 20_000 })).toBe("fast")
    expect(chooseStrategy({ ...app, quota: quota(30_000), approximateTotal: 20_000 })).toBe("thrifty")
    expect(chooseStrategy({ ...app, quota: quota(), approximateTotal: 20_000 })).toBe("thrifty")
    expect(
      chooseStrategy({ ...app, parallelThrifty: true, quota: quota(60_000), approximateTotal: 20_000 }),
    ).toBe("thrifty")
  })
})
