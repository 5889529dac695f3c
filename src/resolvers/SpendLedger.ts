/**
 * What this installation's exports spent of Jira's points pool, per quota window, kept in Forge
 * storage (KVS) so every invocation and every warm instance of the installation sees it; Forge keeps
 * each installation's storage apart, so the keys need no installation in them (docs/forge.md §8).
 */
import { kvs } from "@forge/kvs"
import { Effect, Layer, Ref } from "effect"

export interface SpendLedgerShape {
  /** Points spent in the window that starts at `window` (ISO 8601); 0 when nothing is recorded. */
  readonly spent: (window: string) => Effect.Effect<number>
  /** Adds points to the window's record. */
  readonly add: (window: string, points: number) => Effect.Effect<void>
}

const keyOf = (window: string) => `steward:spent:${window}`

/** Records outlive their window by an hour, then Forge removes them. */
const KEEP = { value: 2, unit: "HOURS" } as const

const pointsOf = (value: unknown): number =>
  typeof value === "object" && value !== null && typeof Reflect.get(value, "points") === "number"
    ? Number(Reflect.get(value, "points"))
    : 0

export class SpendLedger extends Effect.Tag("SpendLedger")<SpendLedger, SpendLedgerShape>() {
  /**
   * Forge storage. A read that fails counts as nothing spent: the reserve (read from Jira's headers,
   * not from storage) still keeps the pool's last fifth for everyone. A failed write is dropped for
   * the same reason. Two exports of one installation at once may both read before either writes; the
   * share is a courtesy figure and the reserve holds regardless.
   */
  static readonly layerForge: Layer.Layer<SpendLedger> = Layer.succeed(SpendLedger, {
    spent: (window) =>
      Effect.tryPromise(() => kvs.get(keyOf(window))).pipe(
        Effect.map(pointsOf),
        Effect.orElseSucceed(() => 0),
      ),
    add: (window, points) =>
      Effect.tryPromise(() => kvs.get(keyOf(window))).pipe(
        Effect.map(pointsOf),
        Effect.flatMap((before) =>
          Effect.tryPromise(() => kvs.set(keyOf(window), { points: before + points }, { ttl: KEEP })),
        ),
        Effect.orElseSucceed(() => undefined),
      ),
  })

  /** In memory, for tests and the command line's harnesses. */
  static readonly layerMemory: Layer.Layer<SpendLedger> = Layer.effect(
    SpendLedger,
    Ref.make(new Map<string, number>()).pipe(
      Effect.map(
        (ref): SpendLedgerShape => ({
          spent: (window) => Ref.get(ref).pipe(Effect.map((m) => m.get(window) ?? 0)),
          add: (window, points) =>
            Ref.update(ref, (m) => new Map(m).set(window, (m.get(window) ?? 0) + points)),
        }),
      ),
    ),
  )
}
