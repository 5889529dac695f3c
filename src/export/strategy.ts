/**
 * `auto` resolved from what is known when the export starts. API-token traffic is exempt from Jira's
 * points quota (docs/jira-cloud.md §6), so it goes fast. An app pays about 1 point per issue
 * thrifty and 2 fast: it goes fast only while the export is small and the quota headers do not say
 * points are short; and for any size when thrifty would read one page after another (an order it
 * cannot cut into parts) and the quota headers say the points are there.
 */
import type { QuotaReading } from "./ports.js"

/** Largest export an app runs fast when nothing says points are short. */
export const SMALL_EXPORT = 2000

/** Points per issue of the fast strategy, with margin. */
const FAST_POINTS_PER_ISSUE = 2.1

export const chooseStrategy = (input: {
  readonly requested: "auto" | "thrifty" | "fast"
  readonly apiToken: boolean
  readonly quota: QuotaReading
  readonly approximateTotal: number | null
  /**
   * Whether thrifty can read the query's pages in parallel (its order allows parts). When it cannot,
   * fast is chosen whenever the quota headers say the points are there.
   */
  readonly parallelThrifty?: boolean
}): "thrifty" | "fast" => {
  if (input.requested !== "auto") return input.requested
  if (input.apiToken) return "fast"
  const total = input.approximateTotal ?? Number.POSITIVE_INFINITY
  if (input.quota.nearLimit) return "thrifty"
  if (input.quota.remaining !== undefined && input.quota.remaining < total * FAST_POINTS_PER_ISSUE)
    return "thrifty"
  if (input.parallelThrifty === false && input.quota.remaining !== undefined) return "fast"
  return total <= SMALL_EXPORT ? "fast" : "thrifty"
}
