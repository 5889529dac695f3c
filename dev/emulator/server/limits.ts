/**
 * Jira Cloud's three rate-limit systems as the emulator applies them (docs/jira-cloud.md §6): an hourly points
 * quota (global to the app, or per site in tenant mode), token buckets per endpoint+method (shared by every user, like the per-tenant
 * burst limit), and a cap on requests in flight per user.
 */
import type { ProfileParams } from "./profiles.js"

/** Whose points a quota counts: the app's one pool across every site (Tier 1) or each site's own (Tier 2). */
export type QuotaMode = "global" | "tenant"

/**
 * One points pool: in `global` mode every site of the emulator shares one, as an app's installations
 * share its hourly quota; in `tenant` mode each site has its own (docs/jira-cloud.md §6).
 */
export class QuotaPool {
  private windowStart = 0
  private spent = 0

  constructor(
    readonly mode: QuotaMode,
    readonly windowMs: number,
  ) {}

  /** Windows are aligned to multiples of their length since the epoch: hourly windows reset at the top of each UTC hour. */
  currentWindow(now: number): { readonly start: number; readonly end: number } {
    const start = Math.floor(now / this.windowMs) * this.windowMs
    return { start, end: start + this.windowMs }
  }

  private roll(now: number): void {
    const { start } = this.currentWindow(now)
    if (start !== this.windowStart) {
      this.windowStart = start
      this.spent = 0
    }
  }

  pointsSpent(now: number): number {
    this.roll(now)
    return this.spent
  }

  /** Points left in the window under `limit` (the quota, possibly lowered by chaos); null when unlimited. */
  remaining(now: number, limit: number | null): number | null {
    this.roll(now)
    return limit === null ? null : Math.max(0, limit - this.spent)
  }

  spend(now: number, points: number): void {
    this.roll(now)
    this.spent += points
  }
}

/** One site's limits: its points pool (maybe shared with other sites), burst buckets and in-flight caps. */
export class RateLimits {
  private readonly buckets = new Map<string, { tokens: number; at: number }>()
  private readonly inFlight = new Map<string, number>()

  constructor(
    readonly profile: ProfileParams,
    /** Points per window; null = unlimited (API-token traffic is exempt from the quota). */
    readonly quota: number | null,
    readonly pool: QuotaPool,
  ) {}

  get windowMs(): number {
    return this.pool.windowMs
  }

  currentWindow(now: number): { readonly start: number; readonly end: number } {
    return this.pool.currentWindow(now)
  }

  pointsSpent(now: number): number {
    return this.pool.pointsSpent(now)
  }

  remaining(now: number, limit: number | null): number | null {
    return this.pool.remaining(now, limit)
  }

  spend(now: number, points: number): void {
    this.pool.spend(now, points)
  }

  /** Takes one token from the endpoint's bucket; false when it is empty (burst 429). */
  /** The endpoint's refill rate and bucket size, or null without burst limits. */
  burstOf(endpoint: string): { readonly rate: number; readonly capacity: number } | null {
    const base = this.profile.burstRequestsPerSecond
    if (base === null) return null
    const override = this.profile.burstOverrides[endpoint]
    return override === undefined
      ? { rate: base, capacity: this.profile.burstCapacity ?? base }
      : { rate: override, capacity: override }
  }

  takeBurst(endpoint: string, now: number): boolean {
    const burst = this.burstOf(endpoint)
    if (burst === null) return true
    const { rate, capacity } = burst
    const bucket = this.buckets.get(endpoint) ?? { tokens: capacity, at: now }
    bucket.tokens = Math.min(capacity, bucket.tokens + ((now - bucket.at) / 1000) * rate)
    bucket.at = now
    this.buckets.set(endpoint, bucket)
    if (bucket.tokens < 1) return false
    bucket.tokens -= 1
    return true
  }

  /** Tokens left in an endpoint's bucket (for the rate-limit headers); null without burst limits. */
  burstRemaining(endpoint: string): number | null {
    const burst = this.burstOf(endpoint)
    return burst === null ? null : Math.floor(this.buckets.get(endpoint)?.tokens ?? burst.capacity)
  }

  enter(user: string): number {
    const n = (this.inFlight.get(user) ?? 0) + 1
    this.inFlight.set(user, n)
    return n
  }

  leave(user: string): void {
    const n = (this.inFlight.get(user) ?? 1) - 1
    if (n <= 0) this.inFlight.delete(user)
    else this.inFlight.set(user, n)
  }
}
