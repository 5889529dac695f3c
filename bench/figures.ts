/** What one benchmark run measured, read from the emulator's own counters, and the profile's bound. */
import type { ProfileParams } from "../dev/emulator/index.js"
import type { BenchEmulator } from "./emulatorThread.js"

export interface RunFigures {
  readonly wallMs: number
  readonly issues: number
  readonly issuesPerSecond: number
  readonly requests: number
  readonly pointsPerIssue: number
  readonly peakInFlight: number
  readonly bytes: number
  readonly rateLimited: number
  readonly byEndpoint: Readonly<Record<string, number>>
}

export const figures = async (
  emulator: BenchEmulator,
  wallMs: number,
  issues: number,
  bytes: number,
): Promise<RunFigures> => {
  const stats = await emulator.stats()
  return {
    wallMs: Math.round(wallMs),
    issues,
    issuesPerSecond: Math.round((issues * 1000) / wallMs),
    requests: stats.requests.total,
    pointsPerIssue: Number((stats.points / Math.max(1, issues)).toFixed(4)),
    peakInFlight: stats.peakInFlightPerUser,
    bytes,
    rateLimited: stats.rateLimited.total,
    byEndpoint: stats.requests.byEndpoint,
  }
}

/**
 * What the profile allows the fast strategy at best: the start calls, the first id page, then every
 * bulkfetch at the in-flight cap and the burst rate, whichever binds. It is also the bound a parallel
 * thrifty is held to (issue 15: within 1.3 times it), since reading every issue with its fields cannot
 * go faster than the profile lets requests through.
 */
export const lowerBoundMs = (profile: ProfileParams, issues: number, concurrency: number): number => {
  const startCalls = 3 * profile.otherCallLatencyMs // myself, /field, approximate-count
  const firstIds = profile.issueCallLatencyMs + profile.perIdOnlyIssueLatencyMs * Math.min(issues, 5000)
  const batches = Math.ceil(issues / 100)
  const batchMs = profile.issueCallLatencyMs + profile.perIssueLatencyMs * 100
  const inFlight = Math.min(concurrency, profile.maxInFlightPerUser ?? concurrency)
  const byInFlight = (batches / inFlight) * batchMs
  const byBurst =
    profile.burstRequestsPerSecond === null
      ? 0
      : (Math.max(0, batches - (profile.burstCapacity ?? 0)) / profile.burstRequestsPerSecond) * 1000
  return Math.round(startCalls + firstIds + Math.max(byInFlight, byBurst))
}
