import { Effect, ParseResult, Schema } from "effect"

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
