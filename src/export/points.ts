/**
 * What an export can afford under Jira's points quota (docs/jira-cloud.md §6): every request costs 1
 * point plus 1 per issue it returns, and once the window's points are spent every request is refused
 * until the reset. An id page of the fast strategy is only worth its points when the issues it lists
 * can be fetched in the same window (the listing itself is not kept across a failure), so under a
 * short quota the id page shrinks to what the points left can list and fetch.
 */
import type { QuotaSnapshot } from "./ports.js"

/** Points to list and bulkfetch one issue: 1 on the id page, 1 in the bulkfetch, plus each request's 1 / 100. */
export const FAST_POINTS_PER_ISSUE = 2.02

/** Points of the requests themselves around an id page (the listing, the last part-filled batch). */
const REQUEST_POINTS = 2

/**
 * Points the quota headers say are left at `nowMs`; undefined when they say nothing (no quota
 * applies, as for API-token traffic on Jira). A window that has reset since is whole again.
 */
export const pointsLeft = (quota: QuotaSnapshot, nowMs: number): number | undefined => {
  if (quota.remaining === undefined) return undefined
  const resetMs = quota.resetAt === undefined ? Number.NaN : Date.parse(quota.resetAt)
  const reset =
    (Number.isFinite(resetMs) && nowMs >= resetMs) ||
    (quota.blockedUntil !== undefined && nowMs >= quota.blockedUntil)
  return reset ? (quota.limit ?? undefined) : quota.remaining
}

/** Whether `left` points pay for listing and fetching `listing` more ids after `unfetched` listed ones. */
export const affords = (left: number | undefined, listing: number, unfetched: number): boolean =>
  left === undefined || left >= (listing + unfetched) * FAST_POINTS_PER_ISSUE + 2 * REQUEST_POINTS

/** The largest id page, up to `full`, whose ids `left` points can list and fetch (at least 1). */
export const affordableIdPage = (left: number | undefined, full: number): number =>
  left === undefined
    ? full
    : Math.max(1, Math.min(full, Math.floor((left - REQUEST_POINTS) / FAST_POINTS_PER_ISSUE)))
