/**
 * An adaptive bound on Jira requests in flight: starts at its bound, gives up one permit on each
 * rate-limit answer that reaches the pipeline, and takes one back after a run of successes. Never
 * above the bound, never below one.
 */
import { Effect, Ref } from "effect"

export interface Limiter {
  readonly run: <A, E, R>(effect: Effect.Effect<A, E, R>) => Effect.Effect<A, E, R>
  readonly slowDown: Effect.Effect<void>
  readonly succeeded: Effect.Effect<void>
  /** Permits currently usable (bound minus those withheld). */
  readonly current: Effect.Effect<number>
}

/** Successes in a row after which one withheld permit is given back. */
const RECOVERY_STREAK = 8

export const makeLimiter = (bound: number): Effect.Effect<Limiter> =>
  Effect.gen(function* () {
    const semaphore = yield* Effect.makeSemaphore(bound)
    // reserved: permits we decided to withhold; held: those actually taken (taking may wait).
    const reserved = yield* Ref.make(0)
    const held = yield* Ref.make(0)
    const streak = yield* Ref.make(0)
    const slowDown = Effect.gen(function* () {
      yield* Ref.set(streak, 0)
      const reserve = yield* Ref.modify(reserved, (r): [boolean, number] =>
        r < bound - 1 ? [true, r + 1] : [false, r],
      )
      if (reserve)
        yield* Effect.forkDaemon(semaphore.take(1).pipe(Effect.zipRight(Ref.update(held, (h) => h + 1))))
    })
    const succeeded = Effect.gen(function* () {
      const recovered = yield* Ref.modify(streak, (s): [boolean, number] =>
        s + 1 >= RECOVERY_STREAK ? [true, 0] : [false, s + 1],
      )
      if (!recovered) return
      const give = yield* Ref.modify(held, (h): [boolean, number] => (h > 0 ? [true, h - 1] : [false, h]))
      if (give) {
        yield* Ref.update(reserved, (r) => r - 1)
        yield* semaphore.release(1)
      }
    })
    return {
      run: (effect) => semaphore.withPermits(1)(effect),
      slowDown,
      succeeded,
      current: Ref.get(reserved).pipe(Effect.map((r) => bound - r)),
    }
  })
