/**
 * What this installation's exports spent of Jira's points pool, per quota window, kept in Forge
 * storage (KVS) so every invocation and every warm instance of the installation sees it; Forge keeps
 * each installation's storage apart, so the keys need no installation in them (docs/forge.md §8).
 *
 * Two exports of one installation may run at once (two users, two tabs, two warm instances). If each
 * read the window's total, decided, and wrote the total back, both could decide from the same figure
 * and together pass the share, and one write could erase the other. So a call *claims* its allowance
 * before it reads Jira: the window's record is a run of slots (`…:0`, `…:1`, …), one per call, each
 * written with `keyPolicy: "FAIL_IF_EXISTS"` (Forge's create-only write, atomic in the store). A call
 * reads the slots, decides from their sum, and writes the first free slot; a call that loses the
 * race for that slot reads again and decides again. A slot is written only after every slot before it
 * was read, so a claim that succeeds decided from everything claimed before it. After the call the
 * slot is lowered to what the call spent (only its owner writes it again). Until then the claim is
 * *held*: it says until when (no call outlives Forge's 25 s), so that other calls can tell room that
 * will come back in seconds from room spent for the window.
 */
import { kvs } from "@forge/kvs"
import { Effect, Layer, Ref } from "effect"

/** A call's claim on the window: its slot and the points it may spend. */
export interface Claim {
  readonly window: string
  readonly slot: number
  readonly points: number
}

export interface SpendLedgerShape {
  /** Points claimed in the window that starts at `window` (ISO 8601); 0 when nothing is recorded. */
  readonly spent: (window: string) => Effect.Effect<number>
  /**
   * Decides from what the window holds (`spent`, of which `held` by calls still under way at `nowMs`)
   * and claims the decision's points (none when it gives 0), so that no other claim decides from the
   * same figure. `claim` is absent when nothing was claimed: the
   * decision gave no points, or storage could not take the claim (the call then runs unrecorded, as a
   * storage failure leaves it: the reserve, read from Jira's headers, still holds).
   */
  readonly claim: <D>(
    window: string,
    decide: (spent: number, held: number) => D,
    points: (decision: D) => number,
    nowMs: number,
  ) => Effect.Effect<{ readonly decision: D; readonly claim?: Claim }>
  /** Lowers a claim to the points the call spent (never above what it claimed). */
  readonly settle: (claim: Claim, points: number) => Effect.Effect<void>
}

const slotKey = (window: string, slot: number) => `steward:spent:${window}:${slot}`

/** How long a claim is held before its call must have ended: Forge stops a call after 25 s. */
const HELD_MS = 30_000

/** Records outlive their window by an hour, then Forge removes them. */
const KEEP = { value: 2, unit: "HOURS" } as const

/** Forge's largest batch (25 operations; docs/forge.md §8). */
const BATCH = 25

/**
 * Claims a call may lose to other calls before it runs unrecorded: each loss is another call's claim,
 * so only as many calls as run at once can beat it; this only bounds a storage gone wrong.
 */
const CLAIM_ATTEMPTS = 50

/** A slot as stored: the points, and until when they are held (absent once the call settled). */
interface Slot {
  readonly points: number
  readonly heldUntil?: number
}

const slotOf = (value: unknown): Slot => {
  const number = (name: string) => {
    const field: unknown = typeof value === "object" && value !== null ? Reflect.get(value, name) : undefined
    return typeof field === "number" ? field : undefined
  }
  const heldUntil = number("heldUntil")
  return { points: number("points") ?? 0, ...(heldUntil === undefined ? {} : { heldUntil }) }
}

/** The window's slots as read: their sum, the part still held, and the first free slot. */
interface Slots {
  readonly sum: number
  readonly held: number
  readonly free: number
}

const heldAt = (slot: Slot, nowMs: number) =>
  slot.heldUntil !== undefined && slot.heldUntil > nowMs ? slot.points : 0

/** Sums the slots from `from` on, a batch at a time, up to the first free one. */
const readSlots = (
  window: string,
  nowMs: number,
  from = 0,
  seen: Omit<Slots, "free"> = { sum: 0, held: 0 },
): Effect.Effect<Slots, unknown> =>
  Effect.tryPromise(() =>
    kvs.batchGet(Array.from({ length: BATCH }, (_, i) => ({ key: slotKey(window, from + i) }))),
  ).pipe(
    Effect.flatMap((answer) => {
      const found = new Map(answer.successfulKeys.map((item) => [item.key, slotOf(item.value)]))
      let { sum, held } = seen
      for (let i = 0; i < BATCH; i++) {
        const slot = found.get(slotKey(window, from + i))
        if (slot === undefined) return Effect.succeed({ sum, held, free: from + i })
        sum += slot.points
        held += heldAt(slot, nowMs)
      }
      return readSlots(window, nowMs, from + BATCH, { sum, held })
    }),
  )

/** Writes the slot only if no other call has: false when it was taken (or storage refused). */
const takeSlot = (window: string, slot: number, value: Slot): Effect.Effect<boolean> =>
  Effect.tryPromise(() =>
    kvs.set(slotKey(window, slot), value, { ttl: KEEP, keyPolicy: "FAIL_IF_EXISTS" }),
  ).pipe(
    Effect.as(true),
    Effect.orElseSucceed(() => false),
  )

export class SpendLedger extends Effect.Tag("SpendLedger")<SpendLedger, SpendLedgerShape>() {
  /**
   * Forge storage. A read that fails counts as nothing spent and a claim that cannot be written is
   * dropped: the reserve (read from Jira's headers, not from storage) still keeps the pool's last
   * fifth for everyone. A call cut off before it settles keeps its whole claim for the window (the
   * share errs low, never high).
   */
  static readonly layerForge: Layer.Layer<SpendLedger> = Layer.succeed(SpendLedger, {
    spent: (window) =>
      readSlots(window, 0).pipe(
        Effect.map((slots) => slots.sum),
        Effect.orElseSucceed(() => 0),
      ),
    claim: (window, decide, points, nowMs) => {
      // `lost`: the slot the last try could not write. Read again, it is taken when another call
      // claimed it (decide again from the new sum), free when storage refused the write (give up).
      const attempt = (
        left: number,
        lost?: number,
      ): Effect.Effect<{ decision: ReturnType<typeof decide>; claim?: Claim }> =>
        readSlots(window, nowMs).pipe(
          Effect.orElseSucceed((): Slots | undefined => undefined),
          Effect.flatMap((slots) => {
            const decision = decide(slots?.sum ?? 0, slots?.held ?? 0)
            const wanted = points(decision)
            const refused = slots === undefined || (lost !== undefined && slots.free <= lost)
            if (refused || wanted <= 0 || left <= 0) return Effect.succeed({ decision })
            return takeSlot(window, slots.free, { points: wanted, heldUntil: nowMs + HELD_MS }).pipe(
              Effect.flatMap((taken) =>
                taken
                  ? Effect.succeed({ decision, claim: { window, slot: slots.free, points: wanted } })
                  : attempt(left - 1, slots.free),
              ),
            )
          }),
        )
      return attempt(CLAIM_ATTEMPTS)
    },
    settle: (claim, points) =>
      Effect.tryPromise(() =>
        kvs.set(slotKey(claim.window, claim.slot), { points: Math.min(points, claim.points) }, { ttl: KEEP }),
      ).pipe(Effect.orElseSucceed(() => undefined)),
  })

  /** In memory, for tests and the command line's harnesses: one map, so every claim is atomic. */
  static readonly layerMemory: Layer.Layer<SpendLedger> = Layer.effect(
    SpendLedger,
    Ref.make(new Map<string, ReadonlyArray<Slot>>()).pipe(
      Effect.map(
        (ref): SpendLedgerShape => ({
          spent: (window) => Ref.get(ref).pipe(Effect.map((m) => sumOf(m.get(window), 0).sum)),
          claim: (window, decide, points, nowMs) =>
            Ref.modify(ref, (m) => {
              const slots = m.get(window) ?? []
              const { sum, held } = sumOf(slots, nowMs)
              const decision = decide(sum, held)
              const wanted = points(decision)
              if (wanted <= 0) return [{ decision }, m]
              const claim: Claim = { window, slot: slots.length, points: wanted }
              const slot: Slot = { points: wanted, heldUntil: nowMs + HELD_MS }
              return [{ decision, claim }, new Map(m).set(window, [...slots, slot])]
            }),
          settle: (claim, points) =>
            Ref.update(ref, (m) => {
              const slots = [...(m.get(claim.window) ?? [])]
              if (claim.slot >= slots.length) return m
              slots[claim.slot] = { points: Math.min(points, claim.points) }
              return new Map(m).set(claim.window, slots)
            }),
        }),
      ),
    ),
  )
}

const sumOf = (slots: ReadonlyArray<Slot> | undefined, nowMs: number) =>
  (slots ?? []).reduce(
    (total, slot) => ({ sum: total.sum + slot.points, held: total.held + heldAt(slot, nowMs) }),
    { sum: 0, held: 0 },
  )
