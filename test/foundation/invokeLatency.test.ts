import { afterEach, beforeEach, describe, expect, it, vi } from "vitest"
import { startHost } from "../../dev/host.js"
import { invokeLatency } from "../../dev/invokeLatency.js"

/** The local host's stand-in for Forge's invocation overhead: half on the way in, half on the way back. */
describe("invokeLatency", () => {
  beforeEach(() => {
    vi.useFakeTimers()
  })
  afterEach(() => {
    vi.useRealTimers()
  })

  const settled = (promise: Promise<void>) => {
    const state = { done: false }
    void promise.then(() => {
      state.done = true
    })
    return state
  }

  it("charges half of the latency before the handler and the rest after it (odd ms included)", async () => {
    const latency = invokeLatency(301)
    const inbound = settled(latency.inbound())
    await vi.advanceTimersByTimeAsync(149)
    expect(inbound.done).toBe(false)
    await vi.advanceTimersByTimeAsync(1)
    expect(inbound.done).toBe(true)
    const outbound = settled(latency.outbound())
    await vi.advanceTimersByTimeAsync(150)
    expect(outbound.done).toBe(false)
    await vi.advanceTimersByTimeAsync(1)
    expect(outbound.done).toBe(true)
  })

  it("adds nothing by default, so tests run as fast as before", async () => {
    for (const latency of [invokeLatency(undefined), invokeLatency(0)]) {
      const both = settled(latency.inbound().then(latency.outbound))
      await vi.advanceTimersByTimeAsync(0)
      expect(both.done).toBe(true)
      expect(vi.getTimerCount()).toBe(0)
    }
  })

  it("refuses a negative or non-numeric latency with a sentence", () => {
    expect(() => invokeLatency(-1)).toThrow(/0 or more/)
    expect(() => invokeLatency(Number.NaN)).toThrow(/milliseconds/)
  })

  it("is what the host's invokeLatencyMs option feeds (a bad value stops the host from starting)", async () => {
    vi.useRealTimers()
    await expect(startHost({ invokeLatencyMs: -5, distDir: "/nonexistent" })).rejects.toThrow(/0 or more/)
  })
})
