/**
 * Latency and burst-limit profiles. Benchmarks read these numbers to compute the lower bound an
 * export can reach, so every rule the server applies is a field here.
 */
export interface ProfileParams {
  readonly name: string
  /** Fixed latency of calls that return issues (`/search/jql`, `/issue/bulkfetch`, `GET /issue/{id}`). */
  readonly issueCallLatencyMs: number
  /** Added per issue returned with fields. */
  readonly perIssueLatencyMs: number
  /** Added per issue on an id/key-only page. */
  readonly perIdOnlyIssueLatencyMs: number
  /** Latency of every other call (and of error responses). */
  readonly otherCallLatencyMs: number
  /** Token-bucket refill per endpoint+method, shared by all users like Jira's per-tenant burst limit; null = none. */
  readonly burstRequestsPerSecond: number | null
  /** Bucket size: how many requests may arrive at once before the refill rate applies. */
  readonly burstCapacity: number | null
  /** Per "METHOD /template" rates that differ from the default (Jira's documented overrides); bucket size = rate. */
  readonly burstOverrides: Readonly<Record<string, number>>
  /** Requests in flight per user; the excess gets 429 `jira-burst-based`; null = no cap. */
  readonly maxInFlightPerUser: number | null
}

export const PROFILES = {
  instant: {
    name: "instant",
    issueCallLatencyMs: 0,
    perIssueLatencyMs: 0,
    perIdOnlyIssueLatencyMs: 0,
    otherCallLatencyMs: 0,
    burstRequestsPerSecond: null,
    burstCapacity: null,
    burstOverrides: {},
    maxInFlightPerUser: null,
  },
  cloud: {
    name: "cloud",
    issueCallLatencyMs: 120,
    perIssueLatencyMs: 3,
    perIdOnlyIssueLatencyMs: 0.1,
    otherCallLatencyMs: 80,
    burstRequestsPerSecond: 100,
    burstCapacity: 100,
    // developer.atlassian.com/cloud/jira/platform/rate-limiting: endpoints with their own steady-state rate.
    burstOverrides: {
      "GET /rest/api/3/issue/{issueIdOrKey}": 150,
      "GET /rest/api/3/user": 150,
      "POST /rest/api/3/search/approximate-count": 150,
      "GET /rest/api/3/issue/{issueIdOrKey}/changelog": 200,
    },
    maxInFlightPerUser: 10,
  },
} as const satisfies Record<string, ProfileParams>

export type ProfileName = keyof typeof PROFILES

export const resolveProfile = (profile: ProfileName | ProfileParams | undefined): ProfileParams =>
  profile === undefined ? PROFILES.instant : typeof profile === "string" ? PROFILES[profile] : profile

/** Latency the profile gives a response, from what it returned. */
export const latencyOf = (
  profile: ProfileParams,
  served: { readonly issueCall: boolean; readonly issuesWithFields: number; readonly idOnlyIssues: number },
): number =>
  served.issueCall
    ? profile.issueCallLatencyMs +
      profile.perIssueLatencyMs * served.issuesWithFields +
      profile.perIdOnlyIssueLatencyMs * served.idOnlyIssues
    : profile.otherCallLatencyMs

/** A profile in words for a terminal: "cloud: issue calls 120 ms + 3 ms per issue, other calls 80 ms, …". */
export const describeProfile = (p: ProfileParams): string => {
  const latency =
    p.issueCallLatencyMs === 0 && p.perIssueLatencyMs === 0 && p.otherCallLatencyMs === 0
      ? "no added latency"
      : `issue calls ${p.issueCallLatencyMs} ms + ${p.perIssueLatencyMs} ms per issue, other calls ${p.otherCallLatencyMs} ms`
  const burst =
    p.burstRequestsPerSecond === null
      ? "no burst limit"
      : `burst limit ${p.burstRequestsPerSecond} requests/s per endpoint (${Object.keys(p.burstOverrides).length} endpoints differ)`
  const inFlight =
    p.maxInFlightPerUser === null ? "" : `, at most ${p.maxInFlightPerUser} requests in flight per user`
  return `${p.name}: ${latency}, ${burst}${inFlight}`
}
