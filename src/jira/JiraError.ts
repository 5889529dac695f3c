import { Data } from "effect"

export type JiraErrorReason =
  | "RateLimited"
  | "QuotaExhausted"
  | "Unauthorized"
  | "Forbidden"
  | "NotFound"
  | "InvalidJql"
  | "BadRequest"
  | "Removed"
  | "ServerError"
  | "Transport"
  | "Decode"

/**
 * Everything that can go wrong reading Jira. `message` is one sentence a user understands;
 * `details` holds Jira's own messages (never a whole response body).
 */
export class JiraError extends Data.TaggedError("JiraError")<{
  readonly reason: JiraErrorReason
  readonly message: string
  readonly status?: number
  readonly details?: ReadonlyArray<string>
  /** RateLimited: the wait Jira asked for (or the backoff we would have used), in ms. */
  readonly retryAfterMs?: number
  /** QuotaExhausted: when the hourly quota resets (ISO 8601). */
  readonly resetAt?: string
}> {}
