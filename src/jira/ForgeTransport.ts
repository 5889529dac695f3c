import api, { assumeTrustedRoute } from "@forge/api"
import { Effect, Layer } from "effect"
import { JiraError } from "./JiraError.js"
import { type JiraRequest, type JiraResponse, JiraTransport, renderPath } from "./JiraTransport.js"

const send = (request: JiraRequest) =>
  Effect.tryPromise({
    try: async (): Promise<JiraResponse> => {
      // renderPath percent-encodes every segment and query value, so the route is safe to trust.
      const response = await api.asUser().requestJira(assumeTrustedRoute(renderPath(request)), {
        method: request.method,
        headers:
          request.body === undefined
            ? { Accept: "application/json" }
            : { Accept: "application/json", "Content-Type": "application/json" },
        ...(request.body === undefined ? {} : { body: JSON.stringify(request.body) }),
      })
      const body = await response.text()
      return { status: response.status, header: (name) => response.headers.get(name), body }
    },
    catch: (cause) =>
      new JiraError({
        reason: "Transport",
        message: "Jira could not be reached through Forge; try again in a moment.",
        details: [cause instanceof Error ? `${cause.name}: ${cause.message}` : String(cause)],
      }),
  })

/** Every read runs as the current user (`asUser()`): a user exports exactly what they may browse. */
export const ForgeTransport = {
  layer: Layer.succeed(JiraTransport, {
    send: (request) => send(request).pipe(Effect.withSpan("ForgeTransport.send")),
  }),
}
