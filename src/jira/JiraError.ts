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
 * `details` holds Jira's own messages or a short excerpt (never a whole response body).
 */
export class JiraError extends Data.TaggedError("JiraError")<{
  readonly reason: JiraErrorReason
  readonly message: string
  readonly status?: number
  readonly details?: ReadonlyArray<string>
  /** RateLimited (and retryable 5xx): the wait Jira asked for, or the backoff we would have used, in ms. */
  readonly retryAfterMs?: number
  /** QuotaExhausted: when the hourly quota resets (ISO 8601). */
  readonly resetAt?: string
  /** The REST path the failed request went to (`/rest/api/3/search/jql`), for logs and Decode errors. */
  readonly path?: string
}> {}

/**
 * What asking again may do about an error, decided here once for the retry policy (RetryPolicy.ts),
 * the user directory (UserDirectory.ts) and the export's pauses (src/export/pause.ts):
 * - `wait`: Jira asked for a pause (429, a spent quota); the same request goes through after it;
 * - `transient`: Jira or the network failed (5xx, no answer); a later try may not meet it again;
 * - undefined: asking again gets the same answer.
 */
export const retryKind = (error: JiraError): "wait" | "transient" | undefined => {
  switch (error.reason) {
    case "RateLimited":
    case "QuotaExhausted":
      return "wait"
    case "ServerError":
    case "Transport":
      return "transient"
    default:
      return undefined
  }
}

/** The same error with a wait attached (an Error's `message` does not survive an object spread). */
export const withRetryAfter = (error: JiraError, retryAfterMs: number): JiraError =>
  new JiraError({
    reason: error.reason,
    message: error.message,
    retryAfterMs,
    ...(error.status === undefined ? {} : { status: error.status }),
    ...(error.details === undefined ? {} : { details: error.details }),
    ...(error.resetAt === undefined ? {} : { resetAt: error.resetAt }),
    ...(error.path === undefined ? {} : { path: error.path }),
  })

/** At most this many characters of a response body ever end up in an error. */
export const EXCERPT_LENGTH = 200

/** A short, single-line excerpt of a body: HTML tags and runs of whitespace removed. */
export const excerpt = (body: string): string => {
  const text = body
    .replace(/<[^>]*>/g, " ")
    .replace(/\s+/g, " ")
    .trim()
  return text.length > EXCERPT_LENGTH ? `${text.slice(0, EXCERPT_LENGTH)}…` : text
}

/** Longest message we build around one of Jira's own messages. */
const MAX_SENTENCE = 300

/** Jira's text as the end of one sentence: one line, bounded, ending with punctuation. */
export const asSentenceEnd = (text: string): string => {
  const line = text.replace(/\s+/g, " ").trim()
  const cut = line.length > MAX_SENTENCE ? `${line.slice(0, MAX_SENTENCE)}…` : line
  return /[.!?]$/.test(cut) ? cut : `${cut}.`
}

const seconds = (ms: number) => {
  const s = Math.max(1, Math.ceil(ms / 1000))
  return s === 1 ? "1 second" : `${s} seconds`
}

/** Sentences for each reason, so every place that raises one says the same thing. */
export const JiraErrors = {
  rateLimited: (
    retryAfterMs: number,
    extra: { status?: number; details?: ReadonlyArray<string>; path?: string },
  ) =>
    new JiraError({
      reason: "RateLimited",
      retryAfterMs,
      message: `Jira asked us to slow down; trying again in ${seconds(retryAfterMs)}.`,
      ...extra,
    }),
  quotaExhausted: (
    resetAt: string,
    retryAfterMs: number,
    extra: { status?: number; details?: ReadonlyArray<string>; path?: string },
  ) =>
    new JiraError({
      reason: "QuotaExhausted",
      resetAt,
      retryAfterMs,
      message: `This app has used its hourly Jira request quota; the export continues after ${resetAt}.`,
      ...extra,
    }),
  invalidJql: (details: ReadonlyArray<string>, path: string) =>
    new JiraError({
      reason: "InvalidJql",
      status: 400,
      details,
      path,
      message: `Jira could not run this JQL: ${asSentenceEnd(details[0] ?? "the query is not valid")}`,
    }),
  decode: (path: string, details: ReadonlyArray<string>) =>
    new JiraError({
      reason: "Decode",
      path,
      details,
      message: `Jira sent an answer to ${path} that this app could not read.`,
    }),
  badRequest: (path: string, details: ReadonlyArray<string>, status?: number) =>
    new JiraError({
      reason: "BadRequest",
      path,
      details,
      ...(status === undefined ? {} : { status }),
      message:
        details[0] === undefined
          ? `Jira refused the request to ${path}${status === undefined ? "" : ` (${status})`}.`
          : `Jira refused the request: ${asSentenceEnd(details[0])}`,
    }),
}
