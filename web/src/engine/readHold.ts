/**
 * Where the page runner's steward (pageSteward.ts) holds the export's reads: in front of the frame's
 * product fetch, each read of the export stream asks the steward's turn and, at the pool's reserve,
 * waits for the reset. The reads already answered are kept and handed out; the page's `next` finds the
 * queue empty and the reads held, and answers the steward's pause. When the page asks again (at the
 * reset, or sooner: a retry) the held reads look at the pool again. A start's reads (the profile,
 * the fields, the count) are never held: only the stream's, marked with `asStreamReads`.
 */
import { Clock, Deferred, Duration, Effect, FiberId, FiberRef, Layer } from "effect"
import { JiraTransport, pathOf } from "../../../src/jira/JiraTransport.js"
import { RateLimitState } from "../../../src/jira/RateLimitState.js"
import type { PageSteward } from "./pageSteward.js"

/** Set in the export stream's fibers (and those it forks): only their reads are held. */
const streamReads = FiberRef.unsafeMake(false)

/** Runs `self` as the export stream: its reads pass the steward. */
export const asStreamReads = <A, E, R>(self: Effect.Effect<A, E, R>): Effect.Effect<A, E, R> =>
  Effect.locally(self, streamReads, true)

interface Hold {
  readonly untilMs: number
  /** Completed when the page asks again: the reads waiting look at the pool again. */
  readonly wake: Deferred.Deferred<void>
}

export const readHolds = (steward: PageSteward) => {
  let hold: Hold | undefined
  /** Completed with the hold's end when one begins, for a `next` waiting on the queue. */
  let began = Deferred.unsafeMake<number>(FiberId.none)

  const release = () => {
    hold = undefined
    began = Deferred.unsafeMake<number>(FiberId.none)
  }

  /** Waits while the steward holds the stream's reads; true when it held this one. */
  const wait = (state: RateLimitState["Type"]): Effect.Effect<boolean> =>
    Effect.gen(function* () {
      if (!(yield* FiberRef.get(streamReads))) return false
      let held = false
      for (;;) {
        const now = yield* Clock.currentTimeMillis
        const turn = steward.turn(yield* state.get, now)
        if (turn._tag === "go") return held
        held = true
        if (hold === undefined) {
          // Made in one step with the check, so reads held at once share one hold.
          hold = { untilMs: turn.untilMs, wake: Deferred.unsafeMake<void>(FiberId.none) }
          yield* Deferred.succeed(began, turn.untilMs)
        }
        const current = hold
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
    /** Answers the hold's end once the reads are held. */
    whenHeld: Effect.suspend(() => Deferred.await(began)),
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
