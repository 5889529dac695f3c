import { Cause, Effect, Exit, Option, ParseResult, Schema } from "effect"
import type { ResolverError, Result } from "../contract.js"
import { JiraError } from "../jira/JiraError.js"

/** A payload that did not match the contract. */
export class BadPayload extends Schema.TaggedError<BadPayload>()("BadPayload", {
  message: Schema.String,
  details: Schema.Array(Schema.String),
}) {}

/** Decodes a resolver payload, turning a mismatch into a `BadPayload` that names the path. */
export const decodePayload =
  <A, I>(schema: Schema.Schema<A, I>) =>
  (payload: unknown): Effect.Effect<A, BadPayload> =>
    Schema.decodeUnknown(schema, { onExcessProperty: "error" })(payload).pipe(
      Effect.mapError(
        (error) =>
          new BadPayload({
            message: "The page sent a request the app does not understand; reload the page and try again.",
            details: ParseResult.ArrayFormatter.formatErrorSync(error)
              .slice(0, 5)
              .map((issue) => `${issue.path.join(".") || "payload"}: ${issue.message}`.slice(0, 300)),
          }),
      ),
    )

/** Any typed error a resolver may surface. */
export interface TaggedProblem {
  readonly _tag: string
  readonly message: string
}

/** Maps a typed failure to the contract's error shape. */
export const toResolverError = (error: unknown): ResolverError => {
  if (error instanceof JiraError) {
    return {
      tag: error.reason,
      message: error.message,
      ...(error.details === undefined ? {} : { details: [...error.details] }),
      ...(error.retryAfterMs === undefined ? {} : { retryAfterMs: error.retryAfterMs }),
      ...(error.resetAt === undefined ? {} : { resetAt: error.resetAt }),
    }
  }
  if (error instanceof BadPayload)
    return { tag: "BadPayload", message: error.message, details: [...error.details] }
  if (typeof error === "object" && error !== null && "toResolverError" in error) {
    const convert = error.toResolverError
    if (typeof convert === "function") return convert.call(error)
  }
  return {
    tag: "Internal",
    message: "Something went wrong in the app; try again, and report it if it persists.",
  }
}

/** Runs a resolver effect to a `Result`: failures become typed errors, defects an `Internal` error (logged). */
export const respond = <A, E>(exit: Exit.Exit<A, E>): Result<A> => {
  if (Exit.isSuccess(exit)) return { ok: true, value: exit.value }
  const failure = Cause.failureOption(exit.cause)
  if (Option.isSome(failure)) return { ok: false, error: toResolverError(failure.value) }
  console.error("resolver defect", Cause.pretty(exit.cause))
  return { ok: false, error: toResolverError(undefined) }
}
