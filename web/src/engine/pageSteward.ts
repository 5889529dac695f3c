/**
 * The page runner's steward (docs/jira-cloud.md §6.1). An export run in the browser reads Jira with
 * `requestJira`; when Jira charges those reads to the app's points pool, shared by every customer, the
 * page keeps out of the pool's last fifth as the resolver path does, and pauses until the reset. It
 * learns whether its reads are charged from its own answers' quota headers (`chargedByOwnReads`): an
 * export whose reads are free is never paused because other customers spent the pool. Without quota
 * headers on the page's answers it knows nothing, and goes on.
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
     * The turn after the export under way has read `rows` rows in all (`strategy`: its rate of points
     * per row), with the quota as the page's latest answers told it.
     */
    turn: (input: {
      readonly snapshot: QuotaSnapshot
      readonly nowMs: number
      readonly rows: number
      readonly strategy: keyof typeof POINTS_PER_ROW
    }): PageTurn => {
      const known = poolReading(input.snapshot, input.nowMs)
      if (known === undefined) return go
      const { reading } = known
      if (!charged) {
        const begin = (): PageTurn => {
          sample = { resetMs: reading.resetMs, remaining: reading.remaining, rows: input.rows }
          return go
        }
        // A new window, or a new export (its rows count from its own start): a new sample.
        if (sample === undefined || sample.resetMs !== reading.resetMs || input.rows < sample.rows)
          return begin()
        const verdict = chargedByOwnReads({
          fall: sample.remaining - reading.remaining,
          rows: input.rows - sample.rows,
          pointsPerRow: POINTS_PER_ROW[input.strategy],
        })
        if (verdict === undefined) return go
        if (!verdict) return begin()
        charged = true
      }
      const decision = pageDecision(reading, defaultSteward)
      return decision._tag === "go" ? go : { _tag: "pause", untilMs: decision.untilMs }
    },
  }
}
