/**
 * The strategies per query order (issue 15, part 4): `thrifty` for orders the client could merge from
 * parallel parts (`key`, `created DESC`, `Rank`) and one it cannot (`summary`: Jira's text collation),
 * `fast` for `key`. Each run is held to the fast strategy's lower bound for the same issues, the bound
 * any strategy that reads every issue with its fields meets (figures.ts).
 */
import type { RunFigures } from "./figures.js"
import { verdict } from "./targets.js"

export interface OrderRun {
  readonly strategy: "thrifty" | "fast"
  readonly order: string
  readonly wallMs: number
  readonly lowerBoundMs: number
  readonly overLowerBound: number
  readonly pointsPerIssue: number
  readonly requests: number
}

/** The orders measured, `ORDER BY` clause without the keywords; the first is the main run's. */
export const THRIFTY_ORDERS = ["key ASC", "created DESC", "Rank ASC", "summary ASC"] as const
export const FAST_ORDERS = ["key ASC"] as const

export const orderRun = (
  strategy: "thrifty" | "fast",
  order: string,
  run: RunFigures,
  lowerBoundMs: number,
): OrderRun => ({
  strategy,
  order: `ORDER BY ${order}`,
  wallMs: run.wallMs,
  lowerBoundMs,
  overLowerBound: Number((run.wallMs / lowerBoundMs).toFixed(3)),
  pointsPerIssue: run.pointsPerIssue,
  requests: run.requests,
})

/** fast within 1.2 times the bound; thrifty 1.3 where its order allows parts (not `summary`: no target). */
const targetOf = (r: OrderRun): number | undefined =>
  r.strategy === "fast" ? 1.2 : /summary/i.test(r.order) ? undefined : 1.3

export const showOrderRun = (r: OrderRun): string => {
  const target = targetOf(r)
  return (
    `${r.strategy.padEnd(8)} ${r.order.padEnd(24)} ${String(r.wallMs).padStart(7)} ms  ` +
    `${r.overLowerBound.toFixed(2)}x lower bound  ${r.pointsPerIssue.toFixed(3)} points/issue  ${r.requests} requests` +
    (target === undefined
      ? "  (no target: one chain)"
      : `  ${verdict(r.overLowerBound, "<=", target, "10,000 issues")}`)
  )
}
