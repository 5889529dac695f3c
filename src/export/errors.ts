/**
 * The export's own errors (Jira's are `JiraError`, src/jira): what the user asked for cannot be
 * planned, or a cursor cannot be read. Each has a reason, and a sentence the resolvers and the command
 * line show as it is (src/resolvers/respond.ts, src/cli/main.ts).
 */
import { Schema } from "effect"

/** The columns or options asked for cannot be used. */
export class PlanError extends Schema.TaggedError<PlanError>()("PlanError", {
  /** `TooManyValues`: an issue does not fit the columns a `jira-import` file gives its multi-value fields. */
  reason: Schema.Literal("UnknownColumn", "AmbiguousColumn", "BadPayload", "TooManyValues"),
  message: Schema.String,
  details: Schema.optional(Schema.Array(Schema.String)),
}) {}

/** A bad, truncated or altered cursor. */
export class BadCursor extends Schema.TaggedError<BadCursor>()("BadCursor", {
  reason: Schema.Literal("Malformed", "Checksum", "Version"),
  message: Schema.String,
}) {}
