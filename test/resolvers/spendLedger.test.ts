/**
 * The steward's ledger (src/resolvers/SpendLedger.ts) under calls of one installation at once: each
 * call decides from what the window holds and claims its points, so however the calls interleave,
 * what they claim together never passes what the decisions allow (the installation's share), and
 * lowering a claim gives the rest back. Over Forge storage as the local host keeps it (dev/kvs.ts,
 * through the real `@forge/kvs` SDK), where the calls' reads and writes interleave, and in memory;
 * and the steward's turns on the resolver path, which claim as they decide (src/resolvers/steward.ts).
 */
import { fc, test } from "@fast-check/vitest"
import { Effect, Layer, TestClock, TestContext } from "effect"
import { afterEach, beforeEach, describe, expect, it } from "vitest"
import { MemoryKvs } from "../../dev/kvs.js"
import { chargeFor, defaultSteward, MIN_ROWS, POINTS_PER_ROW } from "../../src/export/steward.js"
import { RateLimitState } from "../../src/jira/RateLimitState.js"
import { ExportConfig } from "../../src/resolvers/ExportConfig.js"
import { SpendLedger } from "../../src/resolvers/SpendLedger.js"
import { HELD_WAIT_MS, stewardCharge, stewardTurn } from "../../src/resolvers/steward.js"
import { beginFake, makeFakeJira, makeIssues } from "../export/fakes.js"

const WINDOW = "2026-12-06T00:00:00.000Z"

let store = new MemoryKvs()
let previous: unknown
beforeEach(() => {
  previous = Reflect.get(globalThis, "__forge_fetch__")
  Object.assign(globalThis, {
    __forge_fetch__: (_: unknown, where: string, init?: RequestInit) =>
      store.answer("ari:cloud:jira::site/a", where, init),
  })
})
afterEach(() => {
  Object.assign(globalThis, { __forge_fetch__: previous })
})

/**
 * `wants.length` calls at once, each wanting some points of a share: a call may claim what it wants of
 * what the share has left, as the steward decides (src/export/steward.ts `decide`). Then each lowers
 * its claim to a part `used` of it (the first reports more than it claimed), all in one ledger.
 */
const claimAll = (
  layer: Layer.Layer<SpendLedger>,
  share: number,
  wants: ReadonlyArray<number>,
  used: ReadonlyArray<number>,
) =>
  Effect.runPromise(
    Effect.gen(function* () {
      const ledger = yield* SpendLedger
      const claims = yield* Effect.all(
        wants.map((want) =>
          ledger.claim(
            WINDOW,
            (spent) => Math.max(0, Math.min(want, share - spent)),
            (points) => points,
            0,
          ),
        ),
        { concurrency: "unbounded" },
      )
      const spent = yield* ledger.spent(WINDOW)
      const claimed = claims.flatMap((c) => (c.claim === undefined ? [] : [c.claim]))
      const reported = claimed.map((c, i) =>
        i === 0 ? c.points + 10_000 : Math.floor(c.points * (used[i] ?? 1)),
      )
      yield* Effect.forEach(claimed, (c, i) => ledger.settle(c, reported[i] ?? 0))
      return { claims, claimed, spent, reported, after: yield* ledger.spent(WINDOW) }
    }).pipe(Effect.provide(layer)),
  )

const layers = { "Forge storage": SpendLedger.layerForge, memory: SpendLedger.layerMemory } as const

describe.each(Object.entries(layers))("the spend ledger over %s", (_, layer) => {
  test.prop(
    [
      fc.integer({ min: 1, max: 5000 }),
      fc.array(fc.integer({ min: 1, max: 3000 }), { minLength: 1, maxLength: 8 }),
      fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: 8, maxLength: 8 }),
    ],
    { numRuns: 40 },
  )(
    "calls at once never claim more than the share together, each claim its own slot, and a lowered claim gives the rest back",
    async (share, wants, used) => {
      store = new MemoryKvs()
      const { claims, claimed, spent, reported, after } = await claimAll(layer, share, wants, used)
      const total = claimed.reduce((sum, c) => sum + c.points, 0)
      expect(total).toBeLessThanOrEqual(share)
      expect(spent).toBe(total)
      // Each claim holds what its own decision allowed, in a slot of its own.
      for (const c of claims) expect(c.claim?.points ?? 0).toBe(c.decision)
      expect(new Set(claimed.map((c) => c.slot)).size).toBe(claimed.length)
      // While the share had room, some call got it: the first to decide cannot have been refused.
      expect(total).toBeGreaterThan(0)
      // Lowered to what each call reports, never raised above its claim.
      expect(after).toBe(claimed.reduce((sum, c, i) => sum + Math.min(c.points, reported[i] ?? 0), 0))
    },
  )
})

describe("the steward's turns claim in the ledger", () => {
  // A shared pool of 5,000 points, full, its window ending in 20 s: exports may spend 1,250 of it.
  const now = Date.UTC(2026, 11, 6, 0, 0, 10)
  const headers: Record<string, string> = {
    "x-ratelimit-limit": "5000",
    "x-ratelimit-remaining": "5000",
    "beta-ratelimit-policy": '"global-app-quota";q=5000;w=30',
    "beta-ratelimit": '"global-app-quota";t=20',
  }
  const services = (ledger: Layer.Layer<SpendLedger>) =>
    Layer.mergeAll(
      RateLimitState.layer,
      ExportConfig.layer({ apiToken: false, steward: defaultSteward }),
      ledger,
    )

  it.each(Object.entries(layers))(
    "over %s: a call that finds the room held by another waits a moment; a failed call hands its claim back; a spent share pauses until the reset",
    async (_, ledger) => {
      store = new MemoryKvs()
      const turns = await Effect.runPromise(
        Effect.gen(function* () {
          yield* TestClock.setTime(now)
          yield* RateLimitState.observe((name) => headers[name.toLowerCase()] ?? null, now)
          const content = (yield* beginFake(makeFakeJira(makeIssues(10)), { strategy: "thrifty" })).content
          const first = yield* stewardTurn(content)
          // Another export's call while the first runs: the first holds the share, and will hand back
          // what it does not spend, so this one asks again in a moment rather than at the reset.
          const second = yield* stewardTurn(content)
          // The first call failed: its claim comes back, and the other export may go.
          yield* stewardCharge(first, undefined)
          const third = yield* stewardTurn(content)
          // It emitted 1,000 rows: what is left is too little for a call, and nobody holds any.
          yield* stewardCharge(third, 1000)
          const fourth = yield* stewardTurn(content)
          return { first, second, third, fourth }
        }).pipe(Effect.provide(services(ledger)), Effect.provide(TestContext.TestContext)),
      )
      // A quarter of the pool's 5,000 points is the share.
      const share = 1250
      expect(turns.first).toMatchObject({ _tag: "go", claim: { points: share } })
      expect(turns.second).toEqual({ _tag: "wait", retryAfterMs: HELD_WAIT_MS })
      expect(turns.third).toMatchObject({ _tag: "go", claim: { points: share } })
      expect(share - chargeFor(1000, POINTS_PER_ROW.thrifty)).toBeLessThan(MIN_ROWS * POINTS_PER_ROW.thrifty)
      expect(turns.fourth).toEqual({ _tag: "pause", until: new Date(now + 20_000).toISOString() })
    },
  )
})
