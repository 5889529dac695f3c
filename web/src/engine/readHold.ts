/**
 * Where the page runner's steward (pageSteward.ts) holds the export's reads: in front of the frame's
 * product fetch, each read of the export stream asks the steward's turn and, at the pool's reserve,
 * waits for the reset. A hold that begins is told to the stream whose read began it (`asStreamReads`),
 * which queues it after the units already read: the page is handed those, then the steward's pause. When the page asks again (at the
 * reset, or sooner: a retry) the held reads look at the pool again. A start's reads (the profile,
 * the fields, the count) are never held: only the stream's, marked with `asStreamReads`.
 *
 * The engine never races a queue's `take` against the hold: an item taken by the losing side of a
 * race is lost (a test lost a page of 100 issues so).
 */
import { Clock, Deferred, Duration, Effect, FiberId, FiberRef, Layer } from "effect"
import { JiraTransport, pathOf } from "../../../src/jira/JiraTransport.js"
import { RateLimitState } from "../../../src/jira/RateLimitState.js"
import type { PageSteward } from "./pageSteward.js"

type OnHold = (untilMs: number) => Effect.Effect<void>

/**
 * Set in the export stream's fibers (and those it forks): only their reads are held, and a hold one
 * of them begins is told to their stream (its end), from that read's fiber.
 */
const streamReads = FiberRef.unsafeMake<OnHold | undefined>(undefined)

/** Runs `self` as an export stream: its reads pass the steward, and `onHold` hears of a hold. */
export const asStreamReads =
  (onHold: OnHold) =>
  <A, E, R>(self: Effect.Effect<A, E, R>): Effect.Effect<A, E, R> =>
    Effect.locally(self, streamReads, onHold)

interface Hold {
  readonly untilMs: number
  /** Completed when the page asks again: the reads waiting look at the pool again. */
  readonly wake: Deferred.Deferred<void>
}

export const readHolds = (steward: PageSteward) => {
  let hold: Hold | undefined

  const release = () => {
    hold = undefined
  }

  /** Waits while the steward holds the stream's reads; true when it held this one. */
  const wait = (state: RateLimitState["Type"]): Effect.Effect<boolean> =>
    Effect.gen(function* () {
      const onHold = yield* FiberRef.get(streamReads)
      if (onHold === undefined) return false
      let held = false
      for (;;) {
        const now = yield* Clock.currentTimeMillis
        const turn = steward.turn(yield* state.get, now)
        if (turn._tag === "go") return held
        held = true
        let current = hold
        if (current === undefined) {
          // Made in one step with the check, so reads held at once share one hold. Telling the stream
          // may wait for room in its queue; the page may ask again meanwhile (current is then woken).
          current = { untilMs: turn.untilMs, wake: Deferred.unsafeMake<void>(FiberId.none) }
          hold = current
          yield* onHold(turn.untilMs)
        }
        yield* Effect.raceFirst(
          Effect.sleep(Duration.millis(Math.max(1, turn.untilMs - now))),
          Deferred.await(current.wake),
        )
        if (hold === current) release()
      }
    })

  return {
    /**
     * The frame's product fetch with the hold in front. A read that was held passes the quota gate
     * again before it goes: a `Retry-After` Jira gave meanwhile holds for it too.
     */
    transport: (inner: Layer.Layer<JiraTransport>): Layer.Layer<JiraTransport, never, RateLimitState> =>
      Layer.effect(
        JiraTransport,
        Effect.gen(function* () {
          const transport = yield* JiraTransport
          const state = yield* RateLimitState
          return {
            send: (request) =>
              wait(state).pipe(
                Effect.flatMap((held) => (held ? state.gate(pathOf(request)) : Effect.void)),
                Effect.zipRight(transport.send(request)),
              ),
          }
        }),
      ).pipe(Layer.provide(inner)),
    /** Whether the reads are held now. */
    held: (): boolean => hold !== undefined,
    /** The page asks again: the held reads look at the pool again. */
    lookAgain: Effect.suspend(() => {
      const current = hold
      if (current === undefined) return Effect.void
      release()
      return Deferred.succeed(current.wake, undefined)
    }),
    /** The stream stopped: no hold stands. */
    reset: release,
  }
}
