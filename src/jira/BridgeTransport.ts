import { type Context, Effect, Layer } from "effect"
import { JiraError } from "./JiraError.js"
import {
  type JiraRequest,
  type JiraResponse,
  JiraTransport,
  renderPath,
  requestInit,
} from "./JiraTransport.js"

/** Jira's answer as the Jira frame hands it to the page: its status, headers and body as text. */
export interface FrameAnswer {
  readonly status: number
  readonly headers: Readonly<Record<string, string>>
  readonly body: string
}

/**
 * The frame's product fetch as this port needs it (web/src/engine/productFetch.ts: the call
 * `@forge/bridge`'s `requestJira` makes): a path relative to the site and a fetch-like init, answered
 * by Jira's answer as the frame passes it. Passed in rather than imported, so src/jira stays free of
 * the bridge (whose modules need the Jira frame's `window.__bridge` when they load) and tests pass a
 * fake.
 */
export type ProductFetch = (
  restPath: string,
  init: { readonly method: string; readonly headers: Record<string, string>; readonly body?: string },
) => Promise<FrameAnswer>

/**
 * The browser adapter of `JiraTransport`: the page reads Jira itself, as the signed-in user (the
 * product fetch of Custom UI runs with the user's permissions and the manifest's scopes, like
 * `asUser()`; docs/forge.md §7). Any HTTP status is a response, as for the other transports, so
 * 429 (with or without `Retry-After`), 5xx and the quota headers are read by `JiraClient` and retried
 * by the one retry policy. The product fetch takes no `AbortSignal` (the bridge drops it): an
 * interrupted read is abandoned and its answer ignored; the page cancels between units.
 */
export class BridgeTransport implements Context.Tag.Service<JiraTransport> {
  readonly send: (request: JiraRequest) => Effect.Effect<JiraResponse, JiraError>

  constructor(fetchProduct: ProductFetch) {
    this.send = (request) =>
      Effect.tryPromise({
        try: (): Promise<JiraResponse> =>
          fetchProduct(renderPath(request), requestInit(request)).then((answer) => {
            // Header names in any case, as a Response would look them up.
            const headers = new Headers(answer.headers)
            return { status: answer.status, header: (name: string) => headers.get(name), body: answer.body }
          }),
        // The bridge rejects when the frame could not pass the request on (offline, the frame gone).
        catch: (cause) =>
          new JiraError({
            reason: "Transport",
            message: "Jira could not be reached from this page; check your connection, then try again.",
            details: [cause instanceof Error ? `${cause.name}: ${cause.message}` : String(cause)],
          }),
      }).pipe(Effect.withSpan("BridgeTransport.send"))
  }

  static readonly layer = (fetchProduct: ProductFetch): Layer.Layer<JiraTransport> =>
    Layer.succeed(JiraTransport, new BridgeTransport(fetchProduct))
}
