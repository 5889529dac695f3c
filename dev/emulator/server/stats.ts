/** What clients did, as `GET /__emulator/stats` reports it. */
export interface EmulatorStats {
  readonly requests: { readonly total: number; readonly byEndpoint: Readonly<Record<string, number>> }
  /** Quota points charged (all windows). */
  readonly points: number
  readonly rateLimited: { readonly total: number; readonly byReason: Readonly<Record<string, number>> }
  readonly faults: { readonly total: number; readonly byKind: Readonly<Record<string, number>> }
  /** Requests from a user that arrived before the Retry-After that user was last given had passed. */
  readonly retryAfterViolations: number
  readonly peakInFlightPerUser: number
  readonly bytesSent: number
  readonly issuesServed: number
}

const bump = (record: Record<string, number>, key: string, by = 1) => {
  record[key] = (record[key] ?? 0) + by
}

export class StatsRecorder {
  private byEndpoint: Record<string, number> = {}
  private byReason: Record<string, number> = {}
  private byKind: Record<string, number> = {}
  private counters = {
    requests: 0,
    points: 0,
    rateLimited: 0,
    faults: 0,
    violations: 0,
    peak: 0,
    bytes: 0,
    issues: 0,
  }
  /** Per user: the time before which a new request ignores the Retry-After we sent. */
  private readonly retryAfterUntil = new Map<string, number>()

  request(endpoint: string, user: string, now: number): void {
    this.counters.requests++
    bump(this.byEndpoint, endpoint)
    const until = this.retryAfterUntil.get(user)
    if (until !== undefined && now < until) this.counters.violations++
  }

  gaveRetryAfter(user: string, until: number): void {
    this.retryAfterUntil.set(user, Math.max(until, this.retryAfterUntil.get(user) ?? 0))
  }

  rateLimited(reason: string): void {
    this.counters.rateLimited++
    bump(this.byReason, reason)
  }

  fault(kind: string): void {
    this.counters.faults++
    bump(this.byKind, kind)
  }

  inFlight(n: number): void {
    this.counters.peak = Math.max(this.counters.peak, n)
  }

  sent(bytes: number, issues: number, points: number): void {
    this.counters.bytes += bytes
    this.counters.issues += issues
    this.counters.points += points
  }

  snapshot(): EmulatorStats {
    const c = this.counters
    return {
      requests: { total: c.requests, byEndpoint: { ...this.byEndpoint } },
      points: c.points,
      rateLimited: { total: c.rateLimited, byReason: { ...this.byReason } },
      faults: { total: c.faults, byKind: { ...this.byKind } },
      retryAfterViolations: c.violations,
      peakInFlightPerUser: c.peak,
      bytesSent: c.bytes,
      issuesServed: c.issues,
    }
  }

  reset(): void {
    this.byEndpoint = {}
    this.byReason = {}
    this.byKind = {}
    this.counters = {
      requests: 0,
      points: 0,
      rateLimited: 0,
      faults: 0,
      violations: 0,
      peak: 0,
      bytes: 0,
      issues: 0,
    }
    this.retryAfterUntil.clear()
  }
}
