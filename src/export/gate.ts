/**
 * Decides, before each unit of work starts, whether one `export/next` call may still take it: a call
 * stops taking new work at its time budget and before its text would outgrow the size budget
 * (Forge: 25 s per invocation, 5 MB per response). Work already started is finished and emitted.
 */
import { Clock, Deferred, Effect, Ref } from "effect"

export interface Gate {
  /** Whether work for about `rows` more rows may start now. The first request is always admitted. */
  readonly admit: (rows: number) => Effect.Effect<boolean>
  /** Records emitted output, which calibrates the bytes-per-row estimate. */
  readonly emitted: (rows: number, bytes: number) => Effect.Effect<void>
  /** Whether admission was refused at least once (the stream stopped early on purpose). */
  readonly stopped: Effect.Effect<boolean>
  /**
   * Whether work for about `rows` more rows would be admitted now, without admitting it: for work
   * that costs Jira points ahead of need (listing the next id page), which a call about to stop
   * would pay for and throw away. A no stops the call, as one from `admit` does (the stream ends on
   * purpose, and the chunk answers a cursor). Optimistic before anything is measured.
   */
  readonly wouldAdmit: (rows: number) => Effect.Effect<boolean>
  /**
   * Whether `rows` rows in all would fit this call's size budget at the bytes per row known (seeded
   * or measured) and before its deadline: no when nothing is known. For paying ahead of need only
   * when the call is sure to get that far (listing the next id page while this one is fetched).
   */
  readonly fits: (rows: number) => Effect.Effect<boolean>
  /**
   * Stops the call on purpose without asking for more: for work read ahead that would no longer fit
   * (parallel/stream.ts). Admission refuses from then on, and the chunk answers a cursor.
   */
  readonly stop: Effect.Effect<void>
  /** Whether the stream runs under a call's budgets (`export/next`), not to its end (the CLI). */
  readonly budgeted: boolean
  /**
   * The steward's rows for this call (GateLimits.maxRows), when it has any: work that costs points
   * ahead of its rows (fast's id listing, a point per id) keeps within it.
   */
  readonly maxRows?: number
  /** Bytes per row measured so far (else the seed), for the next call's gate; undefined: none yet. */
  readonly bytesPerRow: Effect.Effect<number | undefined>
}

/**
 * Rows admitted before any output has been measured: without a bytes-per-row figure yet, a burst of
 * concurrent batches of long rows could outgrow the response on its own.
 */
export const ROWS_BEFORE_MEASURE = 200

export interface GateLimits {
  /** Epoch ms after which no new work starts. */
  readonly softDeadlineMs?: number
  /** Output bytes after which no new work starts. */
  readonly maxBytes?: number
  /**
   * Bytes per row a previous call of the same export measured: admission then need not wait for this
   * call's first output, and uses it until this call has measured its own.
   */
  readonly bytesPerRow?: number
  /**
   * Rows after which no new work starts (the steward's share of Jira's points pool for this call,
   * src/export/steward.ts). Counts work started and rows emitted, whichever is more: fast admits its
   * batches before it knows their rows.
   */
  readonly maxRows?: number
}

interface GateState {
  readonly started: number
  readonly rows: number
  readonly bytes: number
  readonly stopped: boolean
  readonly admitted: number
  /** Units emitted (even empty ones): after the first, admission never waits. */
  readonly units: number
}

export const makeGate = (limits: GateLimits): Effect.Effect<Gate> =>
  Effect.gen(function* () {
    const state = yield* Ref.make<GateState>({
      started: 0,
      rows: 0,
      bytes: 0,
      stopped: false,
      admitted: 0,
      units: 0,
    })
    const measured = yield* Deferred.make<void>()
    const decide = (s: GateState, rows: number, now: number): ["yes" | "no" | "wait", GateState] => {
      if (s.stopped) return ["no", s]
      const late = limits.softDeadlineMs !== undefined && now >= limits.softDeadlineMs
      if (s.admitted > 0 && late) return ["no", { ...s, stopped: true }]
      if (
        limits.maxBytes !== undefined &&
        limits.bytesPerRow === undefined &&
        s.admitted > 0 &&
        s.units === 0 &&
        s.started + rows > ROWS_BEFORE_MEASURE
      )
        return ["wait", s]
      const capped = limits.maxRows !== undefined && Math.max(s.started, s.rows) + rows > limits.maxRows
      if (s.admitted > 0 && capped) return ["no", { ...s, stopped: true }]
      // Bytes of the work already started plus this one, at the rate measured so far.
      const perRow = s.rows > 0 ? s.bytes / s.rows : (limits.bytesPerRow ?? 0)
      const big =
        limits.maxBytes !== undefined &&
        (s.bytes >= limits.maxBytes || (s.started + rows) * perRow > limits.maxBytes)
      if (s.admitted > 0 && (late || big)) return ["no", { ...s, stopped: true }]
      return ["yes", { ...s, started: s.started + rows, admitted: s.admitted + 1 }]
    }
    const admit = (rows: number): Effect.Effect<boolean> =>
      Effect.gen(function* () {
        const now = yield* Clock.currentTimeMillis
        const decision = yield* Ref.modify(state, (s) => decide(s, rows, now))
        if (decision !== "wait") return decision === "yes"
        // Not measured yet: wait for the first output (or the deadline), then decide.
        yield* Deferred.await(measured).pipe(
          Effect.timeoutOption(Math.max(0, (limits.softDeadlineMs ?? now) - now)),
        )
        return yield* admit(rows)
      })
    return {
      budgeted: true,
      ...(limits.maxRows === undefined ? {} : { maxRows: limits.maxRows }),
      stop: Ref.update(state, (s) => ({ ...s, stopped: true })),
      admit,
      wouldAdmit: (rows) =>
        Effect.gen(function* () {
          const now = yield* Clock.currentTimeMillis
          return yield* Ref.modify(state, (s): [boolean, GateState] => {
            const [decision, next] = decide(s, rows, now)
            return decision === "no" ? [false, next] : [true, s]
          })
        }),
      emitted: (rows, bytes) =>
        Ref.update(state, (s) => ({
          ...s,
          rows: s.rows + rows,
          bytes: s.bytes + bytes,
          units: s.units + 1,
        })).pipe(Effect.zipRight(Deferred.succeed(measured, undefined))),
      stopped: Ref.get(state).pipe(Effect.map((s) => s.stopped)),
      fits: (rows) =>
        Effect.gen(function* () {
          const now = yield* Clock.currentTimeMillis
          const s = yield* Ref.get(state)
          const perRow = s.rows > 0 ? s.bytes / s.rows : limits.bytesPerRow
          if (s.stopped || perRow === undefined || limits.maxBytes === undefined) return false
          // Read ahead costs Jira points too: never past the steward's rows.
          if (limits.maxRows !== undefined && rows > limits.maxRows) return false
          if (limits.softDeadlineMs !== undefined && now >= limits.softDeadlineMs) return false
          return rows * perRow <= limits.maxBytes
        }),
      bytesPerRow: Ref.get(state).pipe(
        Effect.map((s) => (s.rows > 0 ? s.bytes / s.rows : limits.bytesPerRow)),
      ),
    }
  })

/** A gate that always admits (the command-line exporter streams without per-call budgets). */
export const openGate: Gate = {
  budgeted: false,
  stop: Effect.void,
  admit: () => Effect.succeed(true),
  wouldAdmit: () => Effect.succeed(true),
  emitted: () => Effect.void,
  stopped: Effect.succeed(false),
  fits: () => Effect.succeed(true),
  bytesPerRow: Effect.succeed(undefined),
}
