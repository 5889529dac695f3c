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
 * `@forge/bridge`'s `requestJira` as this port needs it: a path relative to the site and a fetch-like
 * init, answered by a `Response`. Passed in rather than imported, so src/jira stays free of the
 * bridge (whose modules need the Jira frame's `window.__bridge` when they load) and tests pass a fake.
 */
export type RequestJira = (
  restPath: string,
  init: { readonly method: string; readonly headers: Record<string, string>; readonly body?: string },
) => Promise<Response>

/**
 * The browser adapter of `JiraTransport`: the page reads Jira itself, as the signed-in user (the
 * product fetch of Custom UI runs with the user's permissions and the manifest's scopes, like
 * `asUser()`; docs/forge.md §7). Any HTTP status is a response, as for the other transports, so
 * 429 (with or without `Retry-After`), 5xx and the quota headers are read by `JiraClient` and retried
 * by the one retry policy. `requestJira` takes no `AbortSignal` (the bridge drops it): an interrupted
 * read is abandoned and its answer ignored; the page cancels between units.
 */
export class BridgeTransport implements Context.Tag.Service<JiraTransport> {
  readonly send: (request: JiraRequest) => Effect.Effect<JiraResponse, JiraError>

  constructor(requestJira: RequestJira) {
    this.send = (request) =>
      Effect.tryPromise({
        try: (): Promise<JiraResponse> =>
          requestJira(renderPath(request), requestInit(request)).then(readResponse),
        // The bridge rejects when the frame could not pass the request on (offline, the frame gone).
        catch: (cause) =>
          new JiraError({
            reason: "Transport",
            message: "Jira could not be reached from this page; check your connection, then try again.",
            details: [cause instanceof Error ? `${cause.name}: ${cause.message}` : String(cause)],
          }),
      }).pipe(Effect.withSpan("BridgeTransport.send"))
  }

  static readonly layer = (requestJira: RequestJira): Layer.Layer<JiraTransport> =>
    Layer.succeed(JiraTransport, new BridgeTransport(requestJira))
}
