/**
 * The steward's decisions (src/export/steward.ts) as properties: an export never spends into the
 * pool's reserve, never beyond its installation's share of a shared pool, and in a pool of its own
 * (tenant) only the reserve holds it back; a pause lasts until the reset and the new window is full.
 */
import { fc, test } from "@fast-check/vitest"
import { Effect } from "effect"
import { describe, expect, it } from "vitest"
import type { CursorContent } from "../../src/export/cursor.js"
import type { ExportJiraShape } from "../../src/export/ports.js"
import {
  chargeFor,
  currentReading,
  decide,
  defaultSteward,
  MIN_ROWS,
  POINTS_PER_ROW,
  type PoolReading,
  READ_AHEAD_POINTS,
  reservePoints,
  rowsFor,
  sharePoints,
  turnFor,
  windowKey,
  windowsNeeded,
} from "../../src/export/steward.js"
import { defaultSettings } from "../../src/export/types.js"
import { type ChunkResult, runChunk } from "../../src/resolvers/chunk.js"
import { beginFake, fakeFormat, makeFakeJira, makeIssues } from "./fakes.js"

const RESET = Date.UTC(2026, 11, 5, 22)

const reading = fc
  .record({
    limit: fc.integer({ min: 1, max: 500_000 }),
    left: fc.double({ min: 0, max: 1, noNaN: true }),
    pool: fc.constantFrom<"global" | "tenant">("global", "tenant"),
  })
  .map(
    ({ limit, left, pool }): PoolReading => ({
      limit,
      remaining: Math.floor(limit * left),
      resetMs: RESET,
      pool,
    }),
  )
const settings = fc.record({
  reserveShare: fc.double({ min: 0, max: 0.9, noNaN: true }),
  installationShare: fc.double({ min: 0.01, max: 1, noNaN: true }),
})
const strategy = fc.constantFrom<"thrifty" | "fast">("thrifty", "fast")

describe("the steward's decisions", () => {
  test.prop([
    reading,
    fc.integer({ min: 0, max: 500_000 }),
    strategy,
    settings,
    fc.double({ min: 0, max: 1, noNaN: true }),
  ])(
    "whatever a call emits within its rows, its charge keeps the pool above the reserve and the installation within its share",
    (pool, spent, name, figures, used) => {
      const pointsPerRow = POINTS_PER_ROW[name]
      const decision = decide({ reading: pool, spent, pointsPerRow, settings: figures })
      if (decision._tag === "pause") {
        expect(decision.untilMs).toBe(RESET)
        return
      }
      const rows = Math.floor(rowsFor(decision.points, pointsPerRow) * used)
      const charge = chargeFor(rows, pointsPerRow)
      expect(charge).toBeLessThanOrEqual(decision.points)
      expect(pool.remaining - charge).toBeGreaterThanOrEqual(reservePoints(pool.limit, figures))
      if (pool.pool === "global") expect(spent + charge).toBeLessThanOrEqual(sharePoints(pool.limit, figures))
    },
  )

  test.prop([
    reading,
    strategy,
    fc.integer({ min: 0, max: 40 }),
    fc.array(fc.integer({ min: 0, max: 3000 }), { maxLength: 40 }),
  ])(
    "a window of calls, with other sites spending between them, never takes the export past its share or into the reserve",
    (start, name, calls, others) => {
      const pointsPerRow = POINTS_PER_ROW[name]
      let remaining = start.remaining
      let spent = 0
      for (let i = 0; i < calls; i++) {
        remaining = Math.max(0, remaining - (others[i] ?? 0))
        const decision = decide({
          reading: { ...start, remaining },
          spent,
          pointsPerRow,
          settings: defaultSteward,
        })
        if (decision._tag === "pause") continue
        const charge = chargeFor(rowsFor(decision.points, pointsPerRow), pointsPerRow)
        // Only the export's own spending is held to the reserve: others may use it.
        expect(remaining - charge).toBeGreaterThanOrEqual(reservePoints(start.limit, defaultSteward))
        remaining -= charge
        spent += charge
      }
      if (start.pool === "global") expect(spent).toBeLessThanOrEqual(sharePoints(start.limit, defaultSteward))
    },
  )

  test.prop([fc.integer({ min: 10_000, max: 500_000 }), strategy])(
    "a full pool lets an export run: its share in a shared pool, all but the reserve in its own",
    (limit, name) => {
      const pointsPerRow = POINTS_PER_ROW[name]
      const full = (pool: "global" | "tenant"): PoolReading => ({
        limit,
        remaining: limit,
        resetMs: RESET,
        pool,
      })
      const shared = decide({ reading: full("global"), spent: 0, pointsPerRow, settings: defaultSteward })
      const own = decide({ reading: full("tenant"), spent: 0, pointsPerRow, settings: defaultSteward })
      expect(shared).toEqual({ _tag: "go", points: sharePoints(limit, defaultSteward) })
      expect(own).toEqual({ _tag: "go", points: limit - reservePoints(limit, defaultSteward) })
    },
  )

  it("pauses at the share in a shared pool, and only at the reserve in the site's own", () => {
    const pool = (kind: "global" | "tenant"): PoolReading => ({
      limit: 65_000,
      remaining: 40_000,
      resetMs: RESET,
      pool: kind,
    })
    const settings = defaultSteward
    const atShare = { spent: 16_250, pointsPerRow: 1.05, settings }
    expect(decide({ reading: pool("global"), ...atShare })).toEqual({
      _tag: "pause",
      untilMs: RESET,
      limit: "share",
    })
    expect(decide({ reading: pool("tenant"), ...atShare })).toEqual({ _tag: "go", points: 27_000 })
    const low = { ...pool("tenant"), remaining: 13_000 + 100 }
    expect(decide({ reading: low, spent: 0, pointsPerRow: 1.05, settings })).toMatchObject({
      _tag: "pause",
      limit: "reserve",
    })
    expect(rowsFor(27_000, 1.05)).toBeGreaterThanOrEqual(MIN_ROWS)
  })

  it("reads a passed reset as a full new window, keyed by its start", () => {
    const window = 30_000
    const stale: PoolReading = { limit: 5000, remaining: 12, resetMs: RESET, pool: "global" }
    expect(currentReading(stale, window, RESET - 1)).toBe(stale)
    expect(currentReading(stale, window, RESET + 45_000)).toEqual({
      ...stale,
      remaining: 5000,
      resetMs: RESET + 60_000,
    })
    expect(windowKey(RESET, 3_600_000)).toBe("2026-12-05T21:00:00.000Z")
  })

  it("tells how many windows an export needs: a quarter of a shared pool each, four fifths of its own", () => {
    const base = { issues: 6000, pointsPerRow: 1.05, limit: 5000, settings: defaultSteward } as const
    expect(windowsNeeded({ ...base, pool: "global" })).toBe(Math.ceil(6300 / (1250 - 202)))
    expect(windowsNeeded({ ...base, pool: "tenant" })).toBe(Math.ceil(6300 / (4000 - 202)))
    expect(windowsNeeded({ ...base, limit: 100, pool: "global" })).toBe(Number.POSITIVE_INFINITY)
  })
})

describe("a call's turn among calls of its installation under way", () => {
  test.prop([
    reading,
    fc.integer({ min: 0, max: 500_000 }),
    fc.double({ min: 0, max: 1, noNaN: true }),
    strategy,
    settings,
  ])(
    "goes as the decision says, waits only for room held by other calls under way, else pauses until the reset",
    (pool, spent, heldPart, name, figures) => {
      const pointsPerRow = POINTS_PER_ROW[name]
      const held = Math.floor(spent * heldPart)
      const input = { reading: pool, spent, pointsPerRow, settings: figures }
      const decision = decide(input)
      const withoutHeld = decide({ ...input, spent: spent - held })
      const turn = turnFor({ ...input, held })
      if (turn._tag === "go") expect(turn).toEqual(decision)
      else if (turn._tag === "wait") {
        expect(decision._tag).toBe("pause")
        expect(held).toBeGreaterThan(0)
        expect(withoutHeld._tag).toBe("go")
      } else {
        expect(turn).toEqual(decision)
        expect(held === 0 || withoutHeld._tag === "pause").toBe(true)
      }
    },
  )
})

describe("pauses resume to byte-identical files", () => {
  const settings = {
    searchPageSize: 25,
    idPageSize: 70,
    bulkSize: 16,
    requestConcurrency: 4,
    completionConcurrency: 2,
    issueErrorRetries: 2,
  }
  const budget = { timeMs: 15_000, graceMs: 5_000, maxBytes: 3_000_000 }

  /** Calls from each cursor, each capped at the rows the steward allowed it, until the export ends. */
  const capped = (strategy: "thrifty" | "fast", caps: ReadonlyArray<number>, issues: number) =>
    Effect.gen(function* () {
      const fake = makeFakeJira(makeIssues(issues, 3))
      const started = yield* beginFake(fake, { strategy })
      const whole = yield* runChunk({
        jira: fake.jira,
        format: fakeFormat,
        content: started.content,
        budget,
        settings,
      })
      let content: CursorContent | null = started.content
      let csv = ""
      for (let call = 0; content !== null; call++) {
        // A call the steward holds back reads nothing and hands the same cursor on (a pause).
        const cap = caps[call % caps.length] ?? 0
        if (cap === 0) continue
        const chunk: ChunkResult = yield* runChunk({
          jira: fake.jira,
          format: fakeFormat,
          content,
          budget: { ...budget, maxRows: cap },
          settings,
        })
        csv += chunk.csv
        content = chunk.next
      }
      return { csv, whole: whole.csv }
    })

  test.prop(
    [
      strategy,
      fc
        .array(fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 400 })), { minLength: 1, maxLength: 6 })
        .filter((caps) => caps.some((cap) => cap > 0)),
      fc.integer({ min: 1, max: 500 }),
    ],
    { numRuns: 12 },
  )(
    "any caps and pauses between calls add up to the file of one uncapped run",
    async (name, caps, issues) => {
      const { csv, whole } = await Effect.runPromise(capped(name, caps, issues))
      expect(csv).toBe(whole)
    },
  )
})

describe("a call spends no more points than the steward allowed it", () => {
  /**
   * Jira's points for the issue reads, as the emulator charges them: a point per request and one per
   * issue in the answer, ids alone included (docs/jira-cloud.md §6). Comment pages an issue needs
   * beyond its first are left out: the steward's rate is per row and does not know them.
   */
  const counted = (fake: ReturnType<typeof makeFakeJira>) => {
    let spent = 0
    const charge = (objects: number) => Effect.sync(() => (spent += 1 + objects))
    const jira: ExportJiraShape = {
      ...fake.jira,
      searchPage: (r) => fake.jira.searchPage(r).pipe(Effect.tap((p) => charge(p.issues.length))),
      searchIds: (r) => fake.jira.searchIds(r).pipe(Effect.tap((p) => charge(p.ids.length))),
      bulkFetch: (r) => fake.jira.bulkFetch(r).pipe(Effect.tap((p) => charge(p.issues.length))),
    }
    return { jira, points: () => spent }
  }

  test.prop(
    [
      strategy,
      fc.array(fc.integer({ min: MIN_ROWS, max: 2500 }), { minLength: 1, maxLength: 5 }),
      fc.integer({ min: 1, max: 6000 }),
      fc.boolean(),
    ],
    { numRuns: 15 },
  )(
    "each call's reads cost at most its rows at the strategy's rate plus the read-ahead (fast lists no more ids than it may fetch)",
    async (name, caps, issues, small) => {
      const settings = small
        ? { ...defaultSettings, searchPageSize: 25, idPageSize: 70, bulkSize: 16, requestConcurrency: 4 }
        : defaultSettings
      const fake = makeFakeJira(makeIssues(issues, 3))
      const { jira, points } = counted(fake)
      await Effect.runPromise(
        Effect.gen(function* () {
          let content: CursorContent | null = (yield* beginFake(fake, { strategy: name })).content
          for (let call = 0; content !== null && call < 20; call++) {
            const cap = caps[call % caps.length] ?? MIN_ROWS
            const before = points()
            const chunk: ChunkResult = yield* runChunk({
              jira,
              format: fakeFormat,
              content,
              budget: { timeMs: 15_000, graceMs: 5_000, maxBytes: 3_000_000, maxRows: cap },
              settings,
            })
            expect(points() - before).toBeLessThanOrEqual(cap * POINTS_PER_ROW[name] + READ_AHEAD_POINTS)
            content = chunk.next
          }
        }),
      )
    },
  )
})
