/**
 * Each request that ignored a Retry-After is recorded with what tells a client's fault from a busy
 * emulator: the endpoint, the connection, how long after the 429 it came, and the event-loop delay.
 */
import { describe, expect, it } from "vitest"
import { PROFILES, type ProfileParams, startEmulator } from "../../../dev/emulator/index.js"
import { EventLoopProbe } from "../../../dev/emulator/server/eventloop.js"
import {
  MAX_VIOLATIONS_LISTED,
  RETRY_AFTER_GRACE_MS,
  StatsRecorder,
} from "../../../dev/emulator/server/stats.js"
import { asUser, miniature } from "./http.js"

describe("retry-after violations in detail", () => {
  it("records endpoint, connection, time since the 429, time left and the event-loop delay", () => {
    const stats = new StatsRecorder(() => 42)
    const first = {}
    const second = {}
    stats.gaveRetryAfter("u", 1_000, 3_000, first)
    stats.request("GET /rest/api/3/field", "u", 1_050, first)
    // Another connection within the grace may not have heard of the 429 yet: not a violation.
    stats.request("GET /rest/api/3/myself", "u", 1_050, second)
    // Past the grace even when the server's 42 ms delay is taken off.
    stats.request("POST /rest/api/3/search/jql", "u", 1_000 + RETRY_AFTER_GRACE_MS + 60, second)
    // Another user was told nothing.
    stats.request("GET /rest/api/3/field", "v", 1_060, first)
    stats.request("GET /rest/api/3/field", "u", 3_000, first)
    const snapshot = stats.snapshot()
    expect(snapshot.retryAfterViolations).toBe(2)
    expect(snapshot.retryAfterViolationDetails).toEqual([
      {
        endpoint: "GET /rest/api/3/field",
        connection: "same",
        msAfter429: 50,
        msBeforeRetryEnd: 1_950,
        eventLoopDelayMs: 42,
      },
      {
        endpoint: "POST /rest/api/3/search/jql",
        connection: "other",
        msAfter429: RETRY_AFTER_GRACE_MS + 60,
        msBeforeRetryEnd: 2_000 - RETRY_AFTER_GRACE_MS - 60,
        eventLoopDelayMs: 42,
      },
    ])
  })

  it("excuses, and lists apart, requests in flight and requests the busy server read late", () => {
    let delay = 0
    const stats = new StatsRecorder(() => delay)
    const told = {}
    const other = {}
    stats.gaveRetryAfter("u", 1_000, 2_000, told)
    // Sent before the client could have read the 429.
    stats.request("POST /rest/api/3/issue/bulkfetch", "u", 1_030, other)
    // Read 30 ms past the grace by a server 50 ms behind: it came within the grace.
    delay = 50
    stats.request("POST /rest/api/3/issue/bulkfetch", "u", 1_000 + RETRY_AFTER_GRACE_MS + 30, other)
    // The same 30 ms past the grace from a server only 10 ms behind: ignored.
    delay = 10
    stats.request("POST /rest/api/3/issue/bulkfetch", "u", 1_000 + RETRY_AFTER_GRACE_MS + 30, other)
    // On the connection that carried the 429 no server delay excuses it: the client had read it.
    delay = 500
    stats.request("GET /rest/api/3/field", "u", 1_200, told)
    const snapshot = stats.snapshot()
    expect(snapshot.retryAfterExcused).toBe(2)
    expect(
      snapshot.retryAfterExcusedDetails.map((d) => [d.excuse, d.msAfter429, d.eventLoopDelayMs]),
    ).toEqual([
      ["in-flight", 30, 0],
      ["server-late", RETRY_AFTER_GRACE_MS + 30, 50],
    ])
    expect(snapshot.retryAfterViolations).toBe(2)
    expect(snapshot.retryAfterViolationDetails.map((d) => [d.connection, d.eventLoopDelayMs])).toEqual([
      ["other", 10],
      ["same", 500],
    ])
    stats.reset()
    expect(stats.snapshot().retryAfterExcusedDetails).toEqual([])
  })

  it("keeps a bounded list while the count goes on, and forgets both on reset", () => {
    const stats = new StatsRecorder()
    const connection = {}
    stats.gaveRetryAfter("u", 0, 60_000, connection)
    for (let i = 1; i <= MAX_VIOLATIONS_LISTED + 50; i++) stats.request("GET /x", "u", i, connection)
    expect(stats.snapshot().retryAfterViolations).toBe(MAX_VIOLATIONS_LISTED + 50)
    expect(stats.snapshot().retryAfterViolationDetails).toHaveLength(MAX_VIOLATIONS_LISTED)
    stats.reset()
    expect(stats.snapshot().retryAfterViolations).toBe(0)
    expect(stats.snapshot().retryAfterViolationDetails).toEqual([])
  })

  it("the event-loop probe sees a stalled loop", () => {
    const probe = new EventLoopProbe().start()
    try {
      const stalledFrom = performance.now()
      // Block the loop: no tick can run, so the delay grows with the stall.
      while (performance.now() - stalledFrom < 100) {}
      expect(probe.delayMs()).toBeGreaterThanOrEqual(50)
    } finally {
      probe.stop()
    }
    expect(probe.delayMs()).toBe(0)
  })

  it("GET /__emulator/stats lists the violation of a client that came back too soon", async () => {
    let clock = Date.UTC(2026, 10, 29, 12)
    const profile: ProfileParams = { ...PROFILES.instant, name: "tight", maxInFlightPerUser: 0 }
    const emulator = await startEmulator({ ...miniature(10), profile, now: () => clock })
    try {
      const admin = asUser(emulator, emulator.accounts.admin)
      expect((await admin.get("/rest/api/3/myself")).status).toBe(429)
      clock += 300
      await admin.get("/rest/api/3/field")
      const stats = (await admin.get("/__emulator/stats")).json
      expect(stats.retryAfterViolations).toBe(1)
      expect(stats.retryAfterViolationDetails).toEqual([
        expect.objectContaining({
          endpoint: "GET /rest/api/3/field",
          msAfter429: 300,
          msBeforeRetryEnd: 700,
          eventLoopDelayMs: expect.any(Number),
        }),
      ])
      expect(["same", "other"]).toContain(stats.retryAfterViolationDetails[0].connection)
    } finally {
      await emulator.close()
    }
  })
})
