/** What a resolver answers: a value, or an error with a tag the UI branches on and one sentence. */
import { Schema } from "effect"

// ---------------------------------------------------------------------------------------------
// Errors, as the UI sees them

export const ErrorTag = Schema.Literal(
  "BadPayload",
  "BadCursor",
  "InvalidJql",
  "UnknownColumn",
  "AmbiguousColumn",
  "RateLimited",
  "QuotaExhausted",
  "Unauthorized",
  "Forbidden",
  "NotFound",
  "BadRequest",
  "Removed",
  "ServerError",
  "Transport",
  "Decode",
  "TooLarge",
  "TooManyValues",
  "Timeout",
  "Internal",
)
export type ErrorTag = typeof ErrorTag.Type

export const ResolverError = Schema.Struct({
  tag: ErrorTag,
  /** One sentence for the user, with what to do next where there is something to do. */
  message: Schema.String,
  /** Extra lines: Jira's own messages, the candidates of an ambiguous column, … */
  details: Schema.optional(Schema.Array(Schema.String)),
  /** For `RateLimited` and `Timeout`: wait at least this long before calling again with the same payload. */
  retryAfterMs: Schema.optional(Schema.Number),
  /** For `QuotaExhausted`: when the hourly quota resets (ISO 8601). */
  resetAt: Schema.optional(Schema.String),
})
export type ResolverError = typeof ResolverError.Type

export type Result<A> =
  | { readonly ok: true; readonly value: A }
  | { readonly ok: false; readonly error: ResolverError }

/** A payload that must be an empty object (`Schema.Struct({})` would accept any object). */
export const EmptyPayload = Schema.Object.pipe(
  Schema.filter((value) => Object.keys(value).length === 0, { message: () => "expected an empty object" }),
)
