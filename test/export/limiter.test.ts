import { describe, expect, it } from "@effect/vitest"
import { Effect, Fiber, Ref, TestClock } from "effect"
import { makeLimiter } from "../../src/export/limiter.js"

describe("adaptive limiter", () => {
  it.effect("gives up permits on rate limits, takes them back after successes, never above its bound", () =>
    Effect.gen(function* () {
      const limiter = yield* makeLimiter(4)
      expect(yield* limiter.current).toBe(4)
      for (let i = 0; i < 10; i++) yield* limiter.slowDown
      // The withheld permits are taken by background fibers; let them run.
      for (let i = 0; i < 5; i++) yield* Effect.yieldNow()
      // Never below one.
      expect(yield* limiter.current).toBe(1)
      for (let i = 0; i < 8 * 10; i++) yield* limiter.succeeded
      expect(yield* limiter.current).toBe(4)
    }),
  )

  it.effect("bounds the work in flight by what is currently allowed", () =>
    Effect.gen(function* () {
      const limiter = yield* makeLimiter(3)
      yield* limiter.slowDown
      yield* Effect.yieldNow()
      const inFlight = yield* Ref.make(0)
      const peak = yield* Ref.make(0)
      const job = limiter.run(
        Effect.gen(function* () {
          const now = yield* Ref.updateAndGet(inFlight, (n) => n + 1)
          yield* Ref.update(peak, (p) => Math.max(p, now))
          yield* Effect.sleep(100)
          yield* Ref.update(inFlight, (n) => n - 1)
        }),
      )
      const fiber = yield* Effect.fork(
        Effect.all(
          Array.from({ length: 9 }, () => job),
          { concurrency: "unbounded" },
        ),
      )
      for (let i = 0; i < 10; i++) yield* TestClock.adjust(100)
      yield* Fiber.join(fiber)
      expect(yield* Ref.get(peak)).toBe(2)
    }),
  )
})
