/**
 * Virtual time for resolvers that talk to the emulator over real HTTP. The resolver's clock moves only
 * while no request is in flight and something sleeps on it, and then straight to the earliest wake-up;
 * so the virtual time a call takes is exactly the time it chose to wait for Jira, however long the
 * machine needed to run it. (A `TestClock` keeps the timers of finished requests on its list, so it
 * cannot tell a waiting fiber from a busy one.) A fiber that has work queued on the scheduler is busy
 * too: on a loaded machine a woken fiber's next step can wait longer than one turn of the event loop,
 * and moving the clock then would let a deadline pass while the work it guards is merely slow.
 * A fiber that waits a turn of the event loop outside Effect (the rate-limit gate's `setImmediate`)
 * looks idle for that moment; so the clock moves only when everything was idle at two looks a whole
 * turn apart (timers and immediates) with no task scheduled and no request sent in between.
 */
import { Clock, Duration, Effect, type Exit, Fiber, Layer, Option, Scheduler } from "effect"
import { JiraTransport } from "../../src/jira/JiraTransport.js"

interface Sleeper {
  readonly until: number
  readonly wake: () => void
}

// One whole turn of the real event loop (its timers, then its immediates), so requests, timers and
// immediates outside Effect get to run.
const macrotask = Effect.promise(
  () => new Promise<void>((resolve) => setTimeout(() => setImmediate(resolve), 1)),
)

export const virtualTime = (startMs = 1_700_000_000_000) => {
  let now = startMs
  let inFlight = 0
  const sleepers = new Set<Sleeper>()
  let queued = 0
  // Counts every task scheduled and request sent: unchanged between two looks means nothing ran.
  let activity = 0
  const scheduler: Scheduler.Scheduler = {
    shouldYield: (fiber) => Scheduler.defaultScheduler.shouldYield(fiber),
    scheduleTask: (task, priority) => {
      queued++
      activity++
      Scheduler.defaultScheduler.scheduleTask(() => {
        queued--
        task()
      }, priority)
    },
  }

  const clock: Clock.Clock = {
    [Clock.ClockTypeId]: Clock.ClockTypeId,
    unsafeCurrentTimeMillis: () => now,
    currentTimeMillis: Effect.sync(() => now),
    unsafeCurrentTimeNanos: () => BigInt(now) * 1_000_000n,
    currentTimeNanos: Effect.sync(() => BigInt(now) * 1_000_000n),
    sleep: (duration) =>
      Effect.async<void>((resume) => {
        const ms = Duration.toMillis(duration)
        if (ms <= 0) return resume(Effect.void)
        const sleeper: Sleeper = { until: now + ms, wake: () => resume(Effect.void) }
        sleepers.add(sleeper)
        // An interrupted sleep (a request timeout that lost its race) no longer holds time back.
        return Effect.sync(() => {
          sleepers.delete(sleeper)
        })
      }),
  }

  /** The transport with every request counted while in flight. */
  const counted = <E, R>(transport: Layer.Layer<JiraTransport, E, R>): Layer.Layer<JiraTransport, E, R> =>
    Layer.effect(
      JiraTransport,
      Effect.map(JiraTransport, (inner) => ({
        send: (request: Parameters<typeof inner.send>[0]) =>
          Effect.suspend(() => {
            inFlight++
            activity++
            return inner.send(request)
          }).pipe(
            Effect.ensuring(
              Effect.sync(() => {
                inFlight--
              }),
            ),
          ),
      })),
    ).pipe(Layer.provide(transport))

  /** Runs `effect` on the virtual clock; answers its exit and the virtual time it took. */
  const run = <A, E, R>(
    effect: Effect.Effect<A, E, R>,
  ): Effect.Effect<{ readonly exit: Exit.Exit<A, E>; readonly elapsedMs: number }, never, R> =>
    Effect.gen(function* () {
      const began = now
      const fiber = yield* Effect.fork(Effect.withScheduler(Effect.withClock(effect, clock), scheduler))
      // The activity count when everything was last seen idle, to look once more a turn later.
      let idleAt: number | undefined
      for (;;) {
        const done = yield* Fiber.poll(fiber)
        if (Option.isSome(done)) return { exit: done.value, elapsedMs: now - began }
        yield* macrotask
        if (inFlight > 0 || queued > 0 || sleepers.size === 0) {
          idleAt = undefined
          continue
        }
        if (idleAt !== activity) {
          idleAt = activity
          continue
        }
        idleAt = undefined
        now = Math.max(now, Math.min(...[...sleepers].map((s) => s.until)))
        for (const sleeper of [...sleepers])
          if (sleeper.until <= now) {
            sleepers.delete(sleeper)
            sleeper.wake()
          }
      }
    })

  return { clock, counted, run, now: () => now }
}
