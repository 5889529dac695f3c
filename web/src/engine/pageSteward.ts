/**
 * The page runner's steward (docs/jira-cloud.md §6.1). An export run in the browser reads Jira with
 * `requestJira`; when Jira charges those reads to the app's points pool, shared by every customer, the
 * page keeps out of the pool's last fifth as the resolver path does: its export's reads wait for the
 * reset, and the page shows the steward's pause. It learns whether its reads are charged from its own
 * answers' quota headers (`chargedByOwnReads`): an export whose reads are free is never held because
 * other customers spent the pool. Without quota headers on the page's answers it knows nothing, and
 * goes on.
 */
import {
  chargedByOwnReads,
  defaultSteward,
  POINTS_PER_ROW,
  pageDecision,
  poolReading,
} from "../../../src/export/steward.js"
import type { QuotaSnapshot } from "../../../src/jira/quotaHeaders.js"

export type PageTurn = { readonly _tag: "go" } | { readonly _tag: "pause"; readonly untilMs: number }

const go: PageTurn = { _tag: "go" }

/** The pool and the rows read when a sample of the page's own reads began. */
interface Sample {
  readonly resetMs: number
  readonly remaining: number
  readonly rows: number
}

/** One page session's steward: whether its reads are charged is learnt once and kept. */
export const pageSteward = () => {
  let charged = false
  let sample: Sample | undefined
  return {
    /**
     * Learns from the export under way, which has read `rows` rows in all (`strategy`: its rate of
     * points per row), with the quota as the page's latest answers told it.
     */
    observe: (input: {
      readonly snapshot: QuotaSnapshot
      readonly nowMs: number
      readonly rows: number
      readonly strategy: keyof typeof POINTS_PER_ROW
    }): void => {
      const known = poolReading(input.snapshot, input.nowMs)
      if (charged || known === undefined) return
      const { reading } = known
      const begin = () => {
        sample = { resetMs: reading.resetMs, remaining: reading.remaining, rows: input.rows }
      }
      // A new window, or a new export (its rows count from its own start): a new sample.
      if (sample === undefined || sample.resetMs !== reading.resetMs || input.rows < sample.rows) {
        begin()
        return
      }
      const verdict = chargedByOwnReads({
        fall: sample.remaining - reading.remaining,
        rows: input.rows - sample.rows,
        pointsPerRow: POINTS_PER_ROW[input.strategy],
      })
      if (verdict === true) charged = true
      else if (verdict === false) begin()
    },
    /** Whether the export's next read may go, with the quota as the page's latest answers told it. */
    turn: (snapshot: QuotaSnapshot, nowMs: number): PageTurn => {
      const known = poolReading(snapshot, nowMs)
      if (!charged || known === undefined) return go
      const decision = pageDecision(known.reading, defaultSteward)
      return decision._tag === "go" ? go : { _tag: "pause", untilMs: decision.untilMs }
    },
  }
}

export type PageSteward = ReturnType<typeof pageSteward>
