/**
 * Decides, before each unit of work starts, whether one `export/next` call may still take it: a call
 * stops taking new work at its time budget and before its text would outgrow the size budget
 * (Forge: 25 s per invocation, 5 MB per response). Work already started is finished and emitted.
 */
import { Clock, Effect, Ref } from "effect"

export interface Gate {
  /** Whether work for about `rows` more rows may start now. The first request is always admitted. */
  readonly admit: (rows: number) => Effect.Effect<boolean>
  /** Records emitted output, which calibrates the bytes-per-row estimate. */
  readonly emitted: (rows: number, bytes: number) => Effect.Effect<void>
  /** Whether admission was refused at least once (the stream stopped early on purpose). */
  readonly stopped: Effect.Effect<boolean>
}

export interface GateLimits {
  /** Epoch ms after which no new work starts. */
  readonly softDeadlineMs?: number
  /** Output bytes after which no new work starts. */
  readonly maxBytes?: number
}

interface GateState {
  readonly started: number
  readonly rows: number
  readonly bytes: number
  readonly stopped: boolean
  readonly admitted: number
}

export const makeGate = (limits: GateLimits): Effect.Effect<Gate> =>
  Effect.gen(function* () {
    const state = yield* Ref.make<GateState>({ started: 0, rows: 0, bytes: 0, stopped: false, admitted: 0 })
    const admit = (rows: number) =>
      Effect.gen(function* () {
        const now = yield* Clock.currentTimeMillis
        return yield* Ref.modify(state, (s): [boolean, GateState] => {
          if (s.stopped) return [false, s]
          const late = limits.softDeadlineMs !== undefined && now >= limits.softDeadlineMs
          // Bytes of the work already started plus this one, at the rate measured so far.
          const perRow = s.rows > 0 ? s.bytes / s.rows : 0
          const big =
            limits.maxBytes !== undefined &&
            (s.bytes >= limits.maxBytes || (s.started + rows) * perRow > limits.maxBytes)
          if (s.admitted > 0 && (late || big)) return [false, { ...s, stopped: true }]
          return [true, { ...s, started: s.started + rows, admitted: s.admitted + 1 }]
        })
      })
    return {
      admit,
      emitted: (rows, bytes) =>
        Ref.update(state, (s) => ({ ...s, rows: s.rows + rows, bytes: s.bytes + bytes })),
      stopped: Ref.get(state).pipe(Effect.map((s) => s.stopped)),
    }
  })

/** A gate that always admits (the command-line exporter streams without per-call budgets). */
export const openGate: Gate = {
  admit: () => Effect.succeed(true),
  emitted: () => Effect.void,
  stopped: Effect.succeed(false),
}
