/** The command line's own failures; the exit code follows from the class (see main.ts). */
import { Schema } from "effect"

/** Bad input: exit code 2 with this sentence. */
export class CliInputError extends Schema.TaggedError<CliInputError>()("CliInputError", {
  message: Schema.String,
}) {}

/** A failure after which the cursor could not be or need not be saved. */
export class CliFailure extends Schema.TaggedError<CliFailure>()("CliFailure", { message: Schema.String }) {}

/** Whoever read standard output stopped reading (`| head -1`): stop quietly, as Unix tools do. */
export class OutputClosed extends Schema.TaggedError<OutputClosed>()("OutputClosed", {}) {}
