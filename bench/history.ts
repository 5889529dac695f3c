/**
 * What the time-in-status column costs (issue 14): the same export with `timeInStatus` added, against
 * the run without it measured in the same process and emulator. Reported per strategy: extra
 * requests, extra points per issue and extra wall time. Targets: at most 1.05 points per issue and at
 * most 20 requests more for 10,000 issues.
 */
import { verdict } from "./targets.js"

/** The figures of one run that the comparison reads (bench/main.ts `RunFigures`). */
export interface HistoryRunFigures {
  readonly wallMs: number
  readonly issues: number
  readonly requests: number
  readonly pointsPerIssue: number
  readonly byEndpoint: Readonly<Record<string, number>>
}

export interface HistoryCost {
  readonly strategy: "fast" | "thrifty"
  readonly extraRequests: number
  readonly extraPointsPerIssue: number
  readonly extraWallMs: number
  readonly changelogRequests: number
  readonly statusRequests: number
}

export const runHistoryBench = async (input: {
  readonly columns: ReadonlyArray<string>
  readonly baselines: Readonly<Record<"fast" | "thrifty", HistoryRunFigures>>
  readonly run: (columns: ReadonlyArray<string>, strategy: "fast" | "thrifty") => Promise<HistoryRunFigures>
  readonly say: (line: string) => void
}): Promise<ReadonlyArray<HistoryCost>> => {
  const costs: Array<HistoryCost> = []
  for (const strategy of ["fast", "thrifty"] as const) {
    const base = input.baselines[strategy]
    const withHistory = await input.run([...input.columns, "timeInStatus"], strategy)
    const cost: HistoryCost = {
      strategy,
      extraRequests: withHistory.requests - base.requests,
      extraPointsPerIssue: Number((withHistory.pointsPerIssue - base.pointsPerIssue).toFixed(4)),
      extraWallMs: withHistory.wallMs - base.wallMs,
      changelogRequests: withHistory.byEndpoint["POST /rest/api/3/changelog/bulkfetch"] ?? 0,
      // The status lists read at the start: /status, and every status of the site where readable.
      statusRequests:
        (withHistory.byEndpoint["GET /rest/api/3/status"] ?? 0) +
        (withHistory.byEndpoint["GET /rest/api/3/statuses/search"] ?? 0),
    }
    costs.push(cost)
    input.say(
      `timeInStatus on ${strategy.padEnd(7)}: +${cost.extraRequests} requests (${cost.changelogRequests} changelog, ` +
        `${cost.statusRequests} status), +${cost.extraPointsPerIssue} points/issue, ${cost.extraWallMs >= 0 ? "+" : ""}${cost.extraWallMs} ms (noise included) ` +
        `${verdict(cost.extraRequests, "<=", 20, "10,000 issues")} ${verdict(cost.extraPointsPerIssue, "<=", 1.05, "10,000 issues")}`,
    )
  }
  return costs
}
