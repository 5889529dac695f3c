import api, { assumeTrustedRoute, NeedsAuthenticationError, ProxyRequestError } from "@forge/api"
import { type Context, Effect, Layer } from "effect"
import { JiraError } from "./JiraError.js"
import {
  type JiraRequest,
  type JiraResponse,
  JiraTransport,
  readResponse,
  renderPath,
  requestInit,
} from "./JiraTransport.js"

/**
 * True for the error `@forge/api` throws when the user has not yet allowed the app to act as them
 * (`NEEDS_AUTHENTICATION_ERR`). Forge shows its "Allow access" prompt only when this error leaves the
 * function uncaught, so it is never turned into a JiraError: the transport lets it escape as a defect
 * and the resolver edge (src/runtime.ts) rethrows it (docs/forge.md §4,
 * https://developer.atlassian.com/platform/forge/runtime-reference/product-fetch-api/).
 */
export const needsConsent = (cause: unknown): cause is NeedsAuthenticationError =>
  cause instanceof NeedsAuthenticationError

/**
 * A thrown `@forge/api` error as a JiraError. The platform signals its own refusals with the
 * `forge-proxy-error` header, which `@forge/api` throws as `ProxyRequestError` (e.g. 429
 * `FETCH_LIMIT_EXCEEDED`, docs/forge.md §4); a plain Jira 429 is a response.
 */
export const errorFromForge = (cause: unknown): JiraError => {
  if (cause instanceof ProxyRequestError) {
    const details = [`${cause.errorCode} (${cause.status})`]
    if (cause.status === 429)
      return new JiraError({
        reason: "RateLimited",
        status: 429,
        details,
        message: "The Forge platform asked the app to slow down; trying again shortly.",
      })
    // A platform 5xx is worth a retry (Transport); a 4xx refusal will not change by asking again.
    return cause.status >= 500
      ? new JiraError({
          reason: "Transport",
          status: cause.status,
          details,
          message: "The Forge platform could not pass the request on to Jira; try again in a moment.",
        })
      : new JiraError({
          reason: cause.status === 403 ? "Forbidden" : "BadRequest",
          status: cause.status,
          details,
          message: "The Forge platform refused to pass the request on to Jira.",
        })
  }
  return new JiraError({
    reason: "Transport",
    message: "Jira could not be reached through Forge; try again in a moment.",
    details: [cause instanceof Error ? `${cause.name}: ${cause.message}` : String(cause)],
  })
}

const send = (request: JiraRequest): Effect.Effect<JiraResponse, JiraError> =>
  Effect.tryPromise({
    try: (): Promise<JiraResponse> =>
      // renderPath percent-encodes every segment and query value, and the client refuses dot segments,
      // so the route is safe to trust.
      api
        .asUser()
        .requestJira(assumeTrustedRoute(renderPath(request)), requestInit(request))
        .then(readResponse),
    catch: (cause) => cause,
  }).pipe(
    Effect.catchAll((cause) =>
      needsConsent(cause) ? Effect.die(cause) : Effect.fail(errorFromForge(cause)),
    ),
  )

/**
 * The Forge adapter of `JiraTransport`. Every read runs as the current user (`asUser()`, never as the
 * app): a user exports exactly what they may browse.
 */
export class ForgeTransport implements Context.Tag.Service<JiraTransport> {
  readonly send = (request: JiraRequest): Effect.Effect<JiraResponse, JiraError> =>
    send(request).pipe(Effect.withSpan("ForgeTransport.send"))

  static readonly layer: Layer.Layer<JiraTransport> = Layer.succeed(JiraTransport, new ForgeTransport())
}
