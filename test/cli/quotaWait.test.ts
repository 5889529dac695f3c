import { describe, expect, it } from "@effect/vitest"
import { Deferred, Effect, Either, Fiber, Ref, TestClock } from "effect"
import { renderProgress } from "../../src/cli/progress.js"
import { afterQuotaReset, recoverySentence, runWaitingForQuota, timeOfDay } from "../../src/cli/quotaWait.js"
import { JiraError, JiraErrors } from "../../src/jira/JiraError.js"
import { RateLimitState } from "../../src/jira/RateLimitState.js"

const HOUR = 3_600_000

/** An export that moves `step` issues on per run and fails on a spent quota until `total` are done. */
const scripted = (total: number, step: number) =>
  Effect.gen(function* () {
    const done = yield* Ref.make(0)
    const runs = yield* Ref.make<Array<number>>([])
    const waits = yield* Ref.make<Array<number | null>>([])
    const run = Effect.gen(function* () {
      const now = yield* TestClock.currentTimeMillis
      yield* Ref.update(runs, (r) => [...r, now])
      const after = Math.min(total, (yield* Ref.get(done)) + step)
      yield* Ref.set(done, after)
      if (after < total) {
        const reset = (Math.floor(now / HOUR) + 1) * HOUR
        return yield* JiraErrors.quotaExhausted(new Date(reset).toISOString(), reset - now, {})
      }
    })
    return { done, runs, waits, run }
  })

const provide = Effect.provide(RateLimitState.layer)

describe("waiting for Jira's points quota", () => {
  it.effect("waits until each reset and runs again from where it stood, until done", () =>
    Effect.gen(function* () {
      const script = yield* scripted(3000, 1400)
      const stop = yield* Deferred.make<void>()
      const fiber = yield* runWaitingForQuota({
        run: script.run,
        position: Ref.get(script.done),
        wait: true,
        stop,
        waiting: (until) => Ref.update(script.waits, (w) => [...w, until]),
      }).pipe(provide, Effect.fork)
      // Three runs: two spent windows, each waited for up to its reset.
      for (let i = 0; i < 3; i++) yield* TestClock.adjust(HOUR)
      yield* Fiber.join(fiber)
      expect(yield* Ref.get(script.done)).toBe(3000)
      const runs = yield* Ref.get(script.runs)
      expect(runs).toHaveLength(3)
      expect(runs[1]).toBeGreaterThanOrEqual(HOUR)
      expect(runs[2]).toBeGreaterThanOrEqual(2 * HOUR)
      expect(yield* Ref.get(script.waits)).toEqual([HOUR, null, 2 * HOUR, null])
    }),
  )

  it.effect("--no-wait: the spent quota ends the run at once", () =>
    Effect.gen(function* () {
      const script = yield* scripted(3000, 1400)
      const stop = yield* Deferred.make<void>()
      const exit = yield* runWaitingForQuota({
        run: script.run,
        position: Ref.get(script.done),
        wait: false,
        stop,
        waiting: () => Effect.void,
      }).pipe(provide, Effect.either)
      expect(Either.isLeft(exit) && exit.left instanceof JiraError && exit.left.reason).toBe("QuotaExhausted")
      expect(yield* Ref.get(script.runs)).toHaveLength(1)
    }),
  )

  it.effect("a window that moves nothing on is not waited for again", () =>
    Effect.gen(function* () {
      const script = yield* scripted(3000, 0)
      const stop = yield* Deferred.make<void>()
      const fiber = yield* runWaitingForQuota({
        run: script.run,
        position: Ref.get(script.done),
        wait: true,
        stop,
        waiting: () => Effect.void,
      }).pipe(provide, Effect.either, Effect.fork)
      yield* TestClock.adjust(HOUR + 1000)
      const exit = yield* Fiber.join(fiber)
      expect(Either.isLeft(exit)).toBe(true)
      expect(yield* Ref.get(script.runs)).toHaveLength(2)
    }),
  )

  it.effect("other failures are not waited for, and Ctrl-C ends a wait", () =>
    Effect.gen(function* () {
      const stop = yield* Deferred.make<void>()
      const broken = yield* runWaitingForQuota({
        run: Effect.fail(new JiraError({ reason: "ServerError", message: "down" })),
        position: Effect.succeed(0),
        wait: true,
        stop,
        waiting: () => Effect.void,
      }).pipe(provide, Effect.either)
      expect(Either.isLeft(broken)).toBe(true)
      const script = yield* scripted(3000, 1400)
      const fiber = yield* runWaitingForQuota({
        run: script.run,
        position: Ref.get(script.done),
        wait: true,
        stop,
        waiting: () => Effect.void,
      }).pipe(provide, Effect.fork)
      yield* TestClock.adjust(1000)
      yield* Deferred.succeed(stop, undefined)
      yield* Fiber.join(fiber)
      expect(yield* Ref.get(script.runs)).toHaveLength(1)
    }),
  )

  it.effect("the reads that start an export wait for the reset too, unless --no-wait", () =>
    Effect.gen(function* () {
      const calls = yield* Ref.make(0)
      const count = Effect.gen(function* () {
        const now = yield* TestClock.currentTimeMillis
        yield* Ref.update(calls, (n) => n + 1)
        if (now < HOUR) return yield* JiraErrors.quotaExhausted(new Date(HOUR).toISOString(), HOUR - now, {})
        return 42
      })
      const refused = yield* afterQuotaReset(count, { wait: false, quiet: true }).pipe(provide, Effect.either)
      expect(Either.isLeft(refused)).toBe(true)
      const fiber = yield* afterQuotaReset(count, { wait: true, quiet: true }).pipe(provide, Effect.fork)
      yield* TestClock.adjust(HOUR + 1000)
      expect(yield* Fiber.join(fiber)).toBe(42)
      expect(yield* Ref.get(calls)).toBe(3)
    }),
  )

  it("the progress line says until when it waits, and the summary says a token was recovered from", () => {
    const line = renderProgress(
      {
        done: 1486,
        total: 3000,
        elapsedMs: 2000,
        doneThisRun: 1486,
        waitingMs: 20_000,
        missing: 0,
        quotaUntil: timeOfDay(Date.UTC(2026, 0, 1, 10, 0, 20)),
        relocations: 1,
      },
      160,
    )
    expect(line).toContain("waiting for Jira's hourly quota until ")
    expect(line).toMatch(/until \d\d:\d\d:\d\d/)
    expect(line).not.toContain("for Jira's rate limit")
    expect(line).toContain("page token expired")
    expect(recoverySentence({ relocations: 2 })).toBe(
      "Jira's page token expired 2 times; the export found its place again and continued.",
    )
    expect(recoverySentence({})).toBeUndefined()
  })
})
