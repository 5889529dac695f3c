/**
 * Turns a resolver error into what the page shows: a short heading in Jira's wording, the backend's own
 * sentence, and what to do next. Never a stack trace.
 */
import { RETRYABLE_ERROR_TAGS } from "../../src/contract/constants.js"
import type { ErrorTag, ResolverError } from "../../src/contract.js"

export interface Problem {
  readonly heading: string
  readonly message: string
  readonly next: string | undefined
  readonly details: ReadonlyArray<string>
}

const headings: Record<ErrorTag, { heading: string; next?: string }> = {
  InvalidJql: { heading: "The query isn't valid", next: "Correct the query, then run it again." },
  BadPayload: { heading: "Something went wrong", next: "Reload the page and try again." },
  BadCursor: { heading: "The export can't continue", next: "Start the export again." },
  UnknownColumn: { heading: "A column can't be found", next: "Remove it from the columns and try again." },
  AmbiguousColumn: {
    heading: "A column name matches more than one field",
    next: "Pick the field by its id.",
  },
  RateLimited: { heading: "Jira is busy", next: "Wait a moment, then try again." },
  QuotaExhausted: {
    heading: "The app has used its hourly Jira quota",
    next: "Try again after the quota resets.",
  },
  Unauthorized: { heading: "You're not signed in", next: "Reload the page to sign in again." },
  Forbidden: {
    heading: "You don't have permission",
    next: "Ask your Jira admin for access to these issues.",
  },
  NotFound: { heading: "Not found", next: "Check the query and the columns." },
  BadRequest: { heading: "Jira didn't accept the request", next: "Check the query and the columns." },
  Removed: { heading: "Jira no longer offers this", next: "Report this to the app's support." },
  ServerError: { heading: "Jira had a problem", next: "Try again in a few minutes." },
  Transport: { heading: "Jira is not answering" },
  Decode: { heading: "Jira sent something unexpected", next: "Try again; report it if it keeps happening." },
  TooLarge: {
    heading: "An issue is too large to export here",
    next: "Leave out the comment or worklog columns, or export with the command-line exporter.",
  },
  TooManyValues: {
    heading: "An issue has more values than the file has columns for",
    next: "Raise the columns per multi-value field, then export again.",
  },
  Timeout: { heading: "Jira is slow to answer", next: "Wait a moment, then try again." },
  Internal: { heading: "Something went wrong", next: "Try again; report it if it keeps happening." },
}

const UNREACHABLE = "Jira did not answer; check your connection, then try again."

/** Errors worth retrying automatically from the same cursor. */
export const isRetryable = (tag: ErrorTag): boolean => RETRYABLE_ERROR_TAGS.includes(tag)

/**
 * Errors after which the user is offered "Try again" from where the export stopped: those worth
 * retrying, and a refusal (403), which asking again does not change by itself but an admin's grant
 * or Jira's own recovery may (a changelog read refused mid-export, issue 19); the command line keeps
 * its cursor for it too.
 */
export const canTryAgain = (tag: ErrorTag): boolean => isRetryable(tag) || tag === "Forbidden"

export const describeError = (error: ResolverError): Problem => {
  // Jira did not answer: one sentence; the details (`TypeError: fetch failed`) help no one.
  if (error.tag === "Transport")
    return { heading: headings.Transport.heading, message: UNREACHABLE, next: undefined, details: [] }
  const known = headings[error.tag] ?? headings.Internal
  const message = error.message.trim() === "" ? `${known.heading}.` : error.message
  // Backend sentences usually say what to do already; repeat the hint only when they do not.
  const next =
    known.next !== undefined && !message.toLowerCase().includes(known.next.toLowerCase())
      ? known.next
      : undefined
  // Jira's own words are often quoted in the sentence already; list only what it does not say.
  const details = (error.details ?? []).filter((line) => !message.includes(line))
  return { heading: known.heading, message, next, details }
}
