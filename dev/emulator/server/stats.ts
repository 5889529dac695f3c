/** What clients did, as `GET /__emulator/stats` reports it. */
export interface EmulatorStats {
  readonly requests: { readonly total: number; readonly byEndpoint: Readonly<Record<string, number>> }
  /** Quota points charged (all windows). */
  readonly points: number
  readonly rateLimited: { readonly total: number; readonly byReason: Readonly<Record<string, number>> }
  readonly faults: { readonly total: number; readonly byKind: Readonly<Record<string, number>> }
  /**
   * Requests from a user that arrived before the Retry-After that user was last given had passed,
   * counting only requests the client could have sent knowing it: on the connection that carried
   * the 429/503 (HTTP/1.1 reads a response before the next request), or on any other connection
   * once RETRY_AFTER_GRACE_MS have passed since it was sent.
   */
  readonly retryAfterViolations: number
  readonly peakInFlightPerUser: number
  readonly bytesSent: number
  readonly issuesServed: number
}

/**
 * How long a concurrent client may take to learn of a Retry-After sent to it on another connection:
 * requests its other fibers had already started (or sent while the 429 sat unread behind other
 * responses) do not ignore it. Measured: up to ~65 ms in-process with 8 fibers parsing pages.
 */
export const RETRY_AFTER_GRACE_MS = 100

const bump = (record: Record<string, number>, key: string, by = 1) => {
  record[key] = (record[key] ?? 0) + by
}

const zeroCounters = () => ({
  requests: 0,
  points: 0,
  rateLimited: 0,
  faults: 0,
  violations: 0,
  peak: 0,
  bytes: 0,
  issues: 0,
})

export class StatsRecorder {
  private byEndpoint: Record<string, number> = {}
  private byReason: Record<string, number> = {}
  private byKind: Record<string, number> = {}
  private counters = zeroCounters()
  /**
   * Per user: since when a Retry-After has been in force without a break, until when, and until when
   * on each connection that carried one.
   */
  private readonly retryAfter = new Map<
    string,
    { since: number; until: number; byConnection: WeakMap<object, number> }
  >()

  /** `connection` is the request's socket: the same object for every request on one keep-alive connection. */
  request(endpoint: string, user: string, now: number, connection: object): void {
    this.counters.requests++
    bump(this.byEndpoint, endpoint)
    const given = this.retryAfter.get(user)
    if (given === undefined || now >= given.until) return
    const onSameConnection = now < (given.byConnection.get(connection) ?? 0)
    if (onSameConnection || now >= given.since + RETRY_AFTER_GRACE_MS) this.counters.violations++
  }

  gaveRetryAfter(user: string, sentAt: number, until: number, connection: object): void {
    const given = this.retryAfter.get(user)
    // A Retry-After given while another is in force continues it: the client knew since the first.
    const current =
      given !== undefined && sentAt < given.until
        ? given
        : { since: sentAt, until, byConnection: new WeakMap<object, number>() }
    current.until = Math.max(current.until, until)
    current.byConnection.set(connection, Math.max(until, current.byConnection.get(connection) ?? 0))
    this.retryAfter.set(user, current)
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
    this.counters = zeroCounters()
    this.retryAfter.clear()
  }
}
