import { describe, expect, it } from "@effect/vitest"
import { Effect, Fiber, Ref, TestClock } from "effect"
import {
  makeWaiting,
  NOTICE_AFTER_MS,
  nowWaitingFor,
  waitingOnPurpose,
  watchWaiting,
} from "../../src/cli/waiting.js"

describe("waiting notices", () => {
  it.effect(
    "name the site and the step after some silence, then remind now and then, and stop when Jira answers",
    () =>
      Effect.gen(function* () {
        const lines = yield* Ref.make<ReadonlyArray<string>>([])
        const waiting = yield* makeWaiting("check the email and API token")
        const watcher = yield* Effect.fork(
          watchWaiting(waiting, "https://x.example", (line) => Ref.update(lines, (l) => [...l, line])),
        )
        yield* TestClock.adjust(NOTICE_AFTER_MS - 1_000)
        expect(yield* Ref.get(lines)).toEqual([])
        yield* TestClock.adjust(1_000)
        expect(yield* Ref.get(lines)).toEqual([
          "Waiting for Jira at https://x.example to check the email and API token (5 s so far; Ctrl-C stops).",
        ])
        yield* TestClock.adjust(10_000)
        expect(yield* Ref.get(lines)).toHaveLength(1)
        yield* TestClock.adjust(5_000)
        expect((yield* Ref.get(lines))[1]).toContain("(20 s so far")
        yield* nowWaitingFor(waiting, "send the issues after 100")
        yield* TestClock.adjust(NOTICE_AFTER_MS - 1_000)
        expect(yield* Ref.get(lines)).toHaveLength(2)
        yield* TestClock.adjust(1_000)
        expect((yield* Ref.get(lines))[2]).toContain("to send the issues after 100 (5 s so far")
        yield* Fiber.interrupt(watcher)
      }),
  )

  it.effect("stay quiet during a known quota wait, and count the silence from its end", () =>
    Effect.gen(function* () {
      const lines = yield* Ref.make<ReadonlyArray<string>>([])
      const waiting = yield* makeWaiting("send the first issues")
      const watcher = yield* Effect.fork(
        watchWaiting(waiting, "https://x.example", (line) => Ref.update(lines, (l) => [...l, line])),
      )
      yield* TestClock.adjust(1_000)
      yield* waitingOnPurpose(waiting, 1_000 + 60_000)
      yield* TestClock.adjust(60_000 + NOTICE_AFTER_MS - 1_000)
      expect(yield* Ref.get(lines)).toEqual([])
      yield* TestClock.adjust(1_000)
      expect(yield* Ref.get(lines)).toEqual([
        "Waiting for Jira at https://x.example to send the first issues (5 s so far; Ctrl-C stops).",
      ])
      yield* Fiber.interrupt(watcher)
    }),
  )
})
