/**
 * Bulkfetch of one batch of listed ids, fitted to what `POST /rest/api/3/issue/bulkfetch` does: it
 * answers in ascending id order, silently omits issues it cannot return and lists some as retriable
 * `issueErrors` (https://developer.atlassian.com/cloud/jira/platform/rest/v3/api-group-issues/).
 * So those ids are asked again, the answer is put back in search order and the rest reported missing
 * (by the key the listing gave, since a deleted issue can no longer be asked for it);
 * and each push-back from Jira makes the export's limiter allow fewer requests in flight.
 */
import { Clock, Effect } from "effect"
import type { JiraError } from "../jira/JiraError.js"
import type { BulkFetchResult, ExportIssue } from "./ports.js"
import type { Listed } from "./split.js"
import type { ExportContext } from "./types.js"

/** A batch's issues in search order, with the position of each in the batch and those not returned. */
export interface Fetched {
  readonly issues: ReadonlyArray<ExportIssue>
  readonly positions: ReadonlyArray<number>
  readonly missing: ReadonlyArray<Listed>
}

/** One bulkfetch through the limiter, waiting out a rate limit the client's retries did not absorb. */
const bulkFetchAdaptive = (
  ctx: ExportContext,
  request: { readonly ids: ReadonlyArray<string>; readonly fields: ReadonlyArray<string> },
): Effect.Effect<BulkFetchResult, JiraError> =>
  Effect.gen(function* () {
    for (;;) {
      const before = (yield* ctx.jira.quota).pausedUntil ?? 0
      const result = yield* ctx.call(ctx.jira.bulkFetch(request)).pipe(Effect.either)
      if (result._tag === "Right") {
        // The client waits out 429s itself; a new pause during this call means Jira pushed back.
        const after = (yield* ctx.jira.quota).pausedUntil ?? 0
        yield* after > before ? ctx.limiter.slowDown : ctx.limiter.succeeded
        return result.right
      }
      const error = result.left
      if (error.reason !== "RateLimited") return yield* Effect.fail(error)
      // A rate limit that got past the client's retries: fewer requests in flight, then wait it out
      // if the wait fits the deadline.
      yield* ctx.limiter.slowDown
      const wait = error.retryAfterMs ?? 1000
      const now = yield* Clock.currentTimeMillis
      if (ctx.deadlineMs !== undefined && now + wait >= ctx.deadlineMs) return yield* Effect.fail(error)
      yield* Effect.sleep(wait)
    }
  })

/**
 * The issues of `ids` (listed in search order), fetched with up to `issueErrorRetries` more tries for
 * ids Jira called retriable, in the order of `ids`. `keys` (id to key, as listed) name the missing ones.
 */
export const fetchInSearchOrder = (
  ctx: ExportContext,
  ids: ReadonlyArray<string>,
  keys: ReadonlyMap<string, string> = new Map(),
): Effect.Effect<Fetched, JiraError> =>
  Effect.gen(function* () {
    const found = new Map<string, ExportIssue>()
    let wanted: ReadonlyArray<string> = ids
    for (let attempt = 0; attempt <= ctx.settings.issueErrorRetries && wanted.length > 0; attempt++) {
      const result = yield* bulkFetchAdaptive(ctx, { ids: wanted, fields: ctx.format.fields })
      for (const issue of result.issues) {
        found.set(issue.id, issue)
        // Selected issues are listed by key (src/export/start.ts `selectedPhase`).
        if (issue.key !== undefined) found.set(issue.key, issue)
      }
      const retriable = new Set(result.issueErrors.map((e) => e.id))
      wanted = wanted.filter((id) => retriable.has(id) && !found.has(id))
    }
    const issues: Array<ExportIssue> = []
    const positions: Array<number> = []
    const missing: Array<Listed> = []
    ids.forEach((id, position) => {
      const issue = found.get(id)
      if (issue === undefined) {
        const key = keys.get(id)
        missing.push(key === undefined ? { id, position } : { id, key, position })
      } else {
        issues.push(issue)
        positions.push(position)
      }
    })
    return { issues, positions, missing }
  })
