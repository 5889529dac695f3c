/**
 * The virtual clock the slow-Jira tests run on (virtualTime.ts) moves only while the work under test is
 * waiting on it. A fiber that waits a turn of the event loop outside Effect's scheduler (the rate-limit
 * gate reads arrived answers with `setImmediate` before every request) is busy, not waiting: moving the
 * clock then let a call's 22.5 s cut pass while it was about to send its request (a CI failure).
 */
import { Duration, Effect } from "effect"
import { describe, expect, it } from "vitest"
import { virtualTime } from "./virtualTime.js"

const nextTurn = Effect.async<void>((resume) => {
  const handle = setImmediate(() => resume(Effect.void))
  return Effect.sync(() => clearImmediate(handle))
})

const nextTimer = Effect.async<void>((resume) => {
  const handle = setTimeout(() => resume(Effect.void), 0)
  return Effect.sync(() => clearTimeout(handle))
})

describe("the virtual clock", () => {
  it.each([
    ["setImmediate", nextTurn],
    ["setTimeout 0", nextTimer],
  ] as const)("does not move while a fiber waits on %s, however often", async (_, turn) => {
    const time = virtualTime()
    const work = Effect.gen(function* () {
      for (let i = 0; i < 300; i++) {
        yield* turn
        // Some work between turns, as a request's preparation has.
        let x = 0
        for (let j = 0; j < 20_000; j++) x += j
        if (x < 0) return
      }
    })
    const { exit, elapsedMs } = await Effect.runPromise(time.run(Effect.timeout(work, Duration.seconds(20))))
    expect(exit._tag).toBe("Success")
    expect(elapsedMs).toBe(0)
  })

  it("moves straight to the earliest wake-up once everything sleeps", async () => {
    const time = virtualTime()
    const { exit, elapsedMs } = await Effect.runPromise(
      time.run(Effect.all([Effect.sleep("6 seconds"), Effect.sleep("4 seconds")], { concurrency: 2 })),
    )
    expect(exit._tag).toBe("Success")
    expect(elapsedMs).toBe(6_000)
  })
})
