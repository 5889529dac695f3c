import { Effect, Layer, Schema } from "effect"
import { JiraError } from "./JiraError.js"
import { type JiraRequest, type JiraResponse, JiraTransport } from "./JiraTransport.js"
import { Myself } from "./schemas.js"

const excerpt = (body: string) => (body.length > 200 ? `${body.slice(0, 200)}…` : body)

const jiraMessages = (body: string): ReadonlyArray<string> => {
  const parsed = Schema.decodeUnknownOption(
    Schema.parseJson(
      Schema.Struct({
        errorMessages: Schema.optional(Schema.Array(Schema.String)),
        errors: Schema.optional(Schema.Record({ key: Schema.String, value: Schema.String })),
      }),
    ),
  )(body)
  if (parsed._tag === "None") return []
  return [...(parsed.value.errorMessages ?? []), ...Object.values(parsed.value.errors ?? {})]
}

/** Maps a non-2xx response to a JiraError. */
export const errorFromResponse = (request: JiraRequest, response: JiraResponse): JiraError => {
  const details = jiraMessages(response.body)
  const status = response.status
  const where = `/${request.path.join("/")}`
  if (status === 401)
    return new JiraError({
      reason: "Unauthorized",
      status,
      details,
      message: "Jira did not accept your credentials; check the email and API token, or sign in again.",
    })
  if (status === 403)
    return new JiraError({
      reason: "Forbidden",
      status,
      details,
      message: "You do not have permission to do this in Jira.",
    })
  if (status === 404)
    return new JiraError({
      reason: "NotFound",
      status,
      details,
      message: `Jira has no ${where}, or you cannot see it.`,
    })
  if (status === 410)
    return new JiraError({ reason: "Removed", status, details, message: `Jira has removed ${where}.` })
  if (status >= 500)
    return new JiraError({
      reason: "ServerError",
      status,
      details: details.length > 0 ? details : [excerpt(response.body)],
      message: `Jira answered with an error (${status}); try again in a moment.`,
    })
  return new JiraError({
    reason: "BadRequest",
    status,
    details,
    message: details[0] ?? `Jira refused the request to ${where} (${status}).`,
  })
}

const make = Effect.gen(function* () {
  const transport = yield* JiraTransport

  const getJson = <A, I>(schema: Schema.Schema<A, I>, request: JiraRequest) =>
    transport.send(request).pipe(
      Effect.flatMap((response) =>
        response.status >= 200 && response.status < 300
          ? Schema.decodeUnknown(Schema.parseJson(schema))(response.body).pipe(
              Effect.mapError(
                (error) =>
                  new JiraError({
                    reason: "Decode",
                    message: `Jira sent an answer to /${request.path.join("/")} that we could not read.`,
                    details: [error.message.slice(0, 500), excerpt(response.body)],
                  }),
              ),
            )
          : Effect.fail(errorFromResponse(request, response)),
      ),
    )

  /** `GET /rest/api/3/myself`: checked first, since bad credentials otherwise read as anonymous. */
  const myself = Effect.fn("JiraClient.myself")(function* () {
    return yield* getJson(Myself, { method: "GET", path: ["rest", "api", "3", "myself"] })
  })

  return { myself } as const
})

export class JiraClient extends Effect.Tag("JiraClient")<JiraClient, Effect.Effect.Success<typeof make>>() {
  static readonly layer = Layer.effect(JiraClient, make)
}
