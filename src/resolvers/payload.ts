import { Effect, ParseResult, Schema } from "effect"
import { MAX_COLUMNS, MAX_JQL_LENGTH, MAX_PAYLOAD_DEPTH } from "../contract/constants.js"

/** A payload that did not match the contract. */
export class BadPayload extends Schema.TaggedError<BadPayload>()("BadPayload", {
  message: Schema.String,
  details: Schema.Array(Schema.String),
}) {}

const count = (n: number) => n.toLocaleString("en-US")

/** True when `payload` nests objects or arrays deeper than `max`; walks without recursion. */
export const nestedDeeperThan = (payload: unknown, max: number): boolean => {
  const pending: Array<readonly [unknown, number]> = [[payload, 1]]
  for (let next = pending.pop(); next !== undefined; next = pending.pop()) {
    const [value, depth] = next
    if (typeof value !== "object" || value === null) continue
    if (depth > max) return true
    for (const child of Object.values(value)) pending.push([child, depth + 1])
  }
  return false
}

const field = (payload: unknown, name: string): unknown =>
  typeof payload === "object" && payload !== null ? Reflect.get(payload, name) : undefined

/**
 * The limits a user can run into, said in their terms before the schema sees the payload. The depth
 * check comes first: the decoder walks nested values recursively, and a payload nested thousands deep
 * would end in a `RangeError` instead of an answer.
 */
const limitProblem = (payload: unknown): string | undefined => {
  if (nestedDeeperThan(payload, MAX_PAYLOAD_DEPTH))
    return `The request is nested more than ${MAX_PAYLOAD_DEPTH} levels deep, deeper than the app accepts; reload the page and try again.`
  const jql = field(payload, "jql")
  if (typeof jql === "string" && jql.length > MAX_JQL_LENGTH)
    return `The query is ${count(jql.length)} characters long; the app accepts at most ${count(MAX_JQL_LENGTH)}. Shorten it and try again.`
  const columns = field(payload, "columns")
  if (Array.isArray(columns) && columns.length > MAX_COLUMNS)
    return `The export asks for ${count(columns.length)} columns; the app accepts at most ${count(MAX_COLUMNS)}. Remove some and try again.`
  return undefined
}

/** Decodes a resolver payload, turning a mismatch into a `BadPayload` that names the path or the limit. */
export const decodePayload =
  <A, I>(schema: Schema.Schema<A, I>) =>
  (payload: unknown): Effect.Effect<A, BadPayload> => {
    const limit = limitProblem(payload)
    if (limit !== undefined) return Effect.fail(new BadPayload({ message: limit, details: [] }))
    return Schema.decodeUnknown(schema, { onExcessProperty: "error" })(payload).pipe(
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
  }
