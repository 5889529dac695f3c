/**
 * The one way a resolver's failure reaches the page: every typed failure a resolver may return is in
 * {@link ResolverFailure}, and {@link toResolverError} turns each into the contract's `ResolverError`
 * (a tag the page branches on, one sentence, what to do next). The switch has no default, so a failure
 * added to the union without a sentence does not compile.
 */
import { Cause, Exit, Option } from "effect"
import type { ResolverError, Result } from "../contract.js"
import type { BadCursor, PlanError } from "../export/errors.js"
import type { JiraError } from "../jira/JiraError.js"
import type { InvocationTimeout } from "./deadline.js"
import type { ExportStalled, ExportTooLarge } from "./export.js"
import type { BadPayload } from "./payload.js"

/** Every failure a resolver may return. `runResolver` accepts only effects that fail with these. */
export type ResolverFailure = JiraError | BadPayload | BadCursor | PlanError | ExportTooLarge | ExportStalled

/** What reaches the page: a resolver's own failures, and the invocation running out of time. */
export type InvocationFailure = ResolverFailure | InvocationTimeout

/** What a defect (a bug, not a failure) shows: never its stack trace. */
export const internalError: ResolverError = {
  tag: "Internal",
  message: "Something went wrong in the app; try again, and report it if it persists.",
}

const withDetails = (details: ReadonlyArray<string> | undefined) =>
  details === undefined ? {} : { details: [...details] }

const seconds = (ms: number) => {
  const s = Math.max(1, Math.ceil(ms / 1000))
  return s === 1 ? "1 second" : `${s} seconds`
}

/** Maps a typed failure to the contract's error shape. */
export const toResolverError = (failure: InvocationFailure): ResolverError => {
  switch (failure._tag) {
    case "JiraError":
      return {
        tag: failure.reason,
        message: failure.message,
        ...withDetails(failure.details),
        ...(failure.retryAfterMs === undefined ? {} : { retryAfterMs: failure.retryAfterMs }),
        ...(failure.resetAt === undefined ? {} : { resetAt: failure.resetAt }),
      }
    case "BadPayload":
      return { tag: "BadPayload", message: failure.message, ...withDetails(failure.details) }
    case "BadCursor":
      return { tag: "BadCursor", message: failure.message }
    case "PlanError":
      return { tag: failure.reason, message: failure.message, ...withDetails(failure.details) }
    case "ExportTooLarge": {
      const mb = (failure.bytes / 1_000_000).toFixed(1)
      return {
        tag: "TooLarge",
        message: `One issue of this export takes ${mb} MB as CSV, more than Jira apps may send at once (5 MB); leave out its long columns (comments, worklogs, descriptions) or export it with the command-line exporter.`,
      }
    }
    case "ExportStalled":
      return {
        tag: "Timeout",
        message: `Jira answered too slowly for this call to read any issue in ${seconds(failure.afterMs)}; trying again in ${seconds(failure.retryAfterMs)}.`,
        retryAfterMs: failure.retryAfterMs,
      }
    case "InvocationTimeout":
      return {
        tag: "Timeout",
        message: `Jira did not answer within ${seconds(failure.afterMs)}; trying again in ${seconds(failure.retryAfterMs)}.`,
        retryAfterMs: failure.retryAfterMs,
      }
  }
}

/** A resolver's exit as its `Result`: failures become typed errors, defects an `Internal` error (logged). */
export const respond = <A>(exit: Exit.Exit<A, InvocationFailure>): Result<A> => {
  if (Exit.isSuccess(exit)) return { ok: true, value: exit.value }
  const failure = Cause.failureOption(exit.cause)
  if (Option.isSome(failure)) return { ok: false, error: toResolverError(failure.value) }
  console.error("resolver defect", Cause.pretty(exit.cause))
  return { ok: false, error: internalError }
}
