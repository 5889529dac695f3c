/** One request that came while a Retry-After was in force (the first MAX_VIOLATIONS_LISTED are kept). */
export interface RetryAfterViolation {
  /** `METHOD /template` of the request. */
  readonly endpoint: string
  /** On the connection that carried the 429/503, or on another one after the grace. */
  readonly connection: "same" | "other"
  /**
   * Since that connection's latest 429/503 was sent (`same`), or since the first Retry-After of the
   * run the user had been given (`other`).
   */
  readonly msAfter429: number
  /** How much of the wait was left. */
  readonly msBeforeRetryEnd: number
  /** The emulator's event-loop delay when the request was read: a busy server reads requests late. */
  readonly eventLoopDelayMs: number
}

/**
 * Why a request that came during a Retry-After did not ignore it: `in-flight`, on another connection
 * within RETRY_AFTER_GRACE_MS of the 429 (sent, or about to be, before its client could have read
 * it); `server-late`, read after the grace but within it once the emulator's own event-loop delay
 * is taken off (a busy server reads requests late, and would otherwise blame the client for it).
 */
export type RetryAfterExcuse = "in-flight" | "server-late"

export interface RetryAfterExcused extends RetryAfterViolation {
  readonly excuse: RetryAfterExcuse
}

/** What clients did, as `GET /__emulator/stats` reports it. */
export interface EmulatorStats {
  readonly requests: { readonly total: number; readonly byEndpoint: Readonly<Record<string, number>> }
  /** Quota points the requests cost (all windows, every source). */
  readonly points: number
  /**
   * The same points by whose traffic it was: the app's functions, the page's own `requestJira`
   * (charged to the app's quota or not, `frontendPoints`), API tokens (and anonymous requests).
   */
  readonly pointsBySource: { readonly app: number; readonly frontend: number; readonly apiToken: number }
  readonly rateLimited: { readonly total: number; readonly byReason: Readonly<Record<string, number>> }
  readonly faults: { readonly total: number; readonly byKind: Readonly<Record<string, number>> }
  /**
   * Requests from a user that arrived before the Retry-After that user was last given had passed,
   * counting only requests the client could have sent knowing it: on the connection that carried
   * the 429/503 (HTTP/1.1 reads a response before the next request), or on any other connection
   * once RETRY_AFTER_GRACE_MS have passed since it was sent, by the emulator's clock less its own
   * event-loop delay (the rest are `retryAfterExcused`).
   */
  readonly retryAfterViolations: number
  /** The first violations, each with what it takes to tell a client's fault from a busy server. */
  readonly retryAfterViolationDetails: ReadonlyArray<RetryAfterViolation>
  /** Requests during a Retry-After that did not ignore it, and the first of them with the reason. */
  readonly retryAfterExcused: number
  readonly retryAfterExcusedDetails: ReadonlyArray<RetryAfterExcused>
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

/** Violations listed in detail; the count goes on. */
export const MAX_VIOLATIONS_LISTED = 100

const bump = (record: Record<string, number>, key: string, by = 1) => {
  record[key] = (record[key] ?? 0) + by
}

const zeroCounters = () => ({
  requests: 0,
  points: 0,
  app: 0,
  frontend: 0,
  apiToken: 0,
  rateLimited: 0,
  faults: 0,
  violations: 0,
  excused: 0,
  peak: 0,
  bytes: 0,
  issues: 0,
})

export class StatsRecorder {
  private byEndpoint: Record<string, number> = {}
  private byReason: Record<string, number> = {}
  private byKind: Record<string, number> = {}
  private counters = zeroCounters()
  private violations: Array<RetryAfterViolation> = []
  private excused: Array<RetryAfterExcused> = []
  /**
   * Per user: since when a Retry-After has been in force without a break, until when, and on each
   * connection that carried one, when it was sent and until when.
   */
  private readonly retryAfter = new Map<
    string,
    { since: number; until: number; byConnection: WeakMap<object, { sentAt: number; until: number }> }
  >()

  /** `eventLoopDelayMs` reads the server's current event-loop delay (see eventloop.ts). */
  constructor(private readonly eventLoopDelayMs: () => number = () => 0) {}

  /** `connection` is the request's socket: the same object for every request on one keep-alive connection. */
  request(endpoint: string, user: string, now: number, connection: object): void {
    this.counters.requests++
    bump(this.byEndpoint, endpoint)
    const given = this.retryAfter.get(user)
    if (given === undefined || now >= given.until) return
    const onConnection = given.byConnection.get(connection)
    const onSameConnection = onConnection !== undefined && now < onConnection.until
    const eventLoopDelayMs = this.eventLoopDelayMs()
    const detail: RetryAfterViolation = {
      endpoint,
      connection: onSameConnection ? "same" : "other",
      msAfter429: now - (onSameConnection ? onConnection.sentAt : given.since),
      msBeforeRetryEnd: (onSameConnection ? onConnection.until : given.until) - now,
      eventLoopDelayMs,
    }
    // On the same connection the client had read the 429 before it sent (HTTP/1.1 does not
    // pipeline), however late the server read the request.
    const excuse: RetryAfterExcuse | undefined = onSameConnection
      ? undefined
      : now < given.since + RETRY_AFTER_GRACE_MS
        ? "in-flight"
        : now - eventLoopDelayMs < given.since + RETRY_AFTER_GRACE_MS
          ? "server-late"
          : undefined
    if (excuse !== undefined) {
      this.counters.excused++
      if (this.excused.length < MAX_VIOLATIONS_LISTED) this.excused.push({ ...detail, excuse })
      return
    }
    this.counters.violations++
    if (this.violations.length < MAX_VIOLATIONS_LISTED) this.violations.push(detail)
  }

  gaveRetryAfter(user: string, sentAt: number, until: number, connection: object): void {
    const given = this.retryAfter.get(user)
    // A Retry-After given while another is in force continues it: the client knew since the first.
    const current =
      given !== undefined && sentAt < given.until
        ? given
        : { since: sentAt, until, byConnection: new WeakMap<object, { sentAt: number; until: number }>() }
    current.until = Math.max(current.until, until)
    const before = current.byConnection.get(connection)
    // The latest 429 on a connection is the one its client had just read.
    current.byConnection.set(connection, { sentAt, until: Math.max(until, before?.until ?? 0) })
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

  sent(
    bytes: number,
    issues: number,
    points: number,
    source: "app" | "frontend" | "apiToken" = "apiToken",
  ): void {
    this.counters.bytes += bytes
    this.counters.issues += issues
    this.counters.points += points
    this.counters[source] += points
  }

  snapshot(): EmulatorStats {
    const c = this.counters
    return {
      requests: { total: c.requests, byEndpoint: { ...this.byEndpoint } },
      points: c.points,
      pointsBySource: { app: c.app, frontend: c.frontend, apiToken: c.apiToken },
      rateLimited: { total: c.rateLimited, byReason: { ...this.byReason } },
      faults: { total: c.faults, byKind: { ...this.byKind } },
      retryAfterViolations: c.violations,
      retryAfterViolationDetails: [...this.violations],
      retryAfterExcused: c.excused,
      retryAfterExcusedDetails: [...this.excused],
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
    this.violations = []
    this.excused = []
    this.retryAfter.clear()
  }
}
