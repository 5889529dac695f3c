/**
 * The wired Jira layers. Only `src/runtime.ts` (Forge) and the CLI (HTTP) use them; tests use `test`.
 * Each gives the client, the shared quota state and the user directory, over one transport.
 */
import { Context, type Effect, Layer } from "effect"
import { ForgeTransport } from "./ForgeTransport.js"
import { HttpTransport, type HttpTransportConfig } from "./HttpTransport.js"
import { JiraClient } from "./JiraClient.js"
import type { JiraError } from "./JiraError.js"
import { type JiraRequest, type JiraResponse, JiraTransport } from "./JiraTransport.js"
import { RateLimitState } from "./RateLimitState.js"
import { defaultUserDirectoryConfig, UserDirectory, type UserDirectoryConfig } from "./UserDirectory.js"

const over = <E, R>(transport: Layer.Layer<JiraTransport, E, R>, users: UserDirectoryConfig) =>
  UserDirectory.layer(users).pipe(
    Layer.provideMerge(JiraClient.layer),
    Layer.provideMerge(RateLimitState.layer),
    Layer.provide(transport),
  )

export const JiraLive = {
  /** Forge: every read `asUser()`. */
  forge: over(ForgeTransport.layer, defaultUserDirectoryConfig),
  /**
   * HTTP with an API token (CLI, dev host against a real site, the emulator). Building it reads
   * `/myself` first: Jira treats a bad email/token pair as anonymous on every other endpoint, so
   * without this check wrong credentials would export an empty (anonymous) result instead of failing.
   */
  http: (
    config: HttpTransportConfig,
    users: UserDirectoryConfig = defaultUserDirectoryConfig,
    options: { readonly verifyCredentials?: boolean } = {},
  ) => {
    const layer = over(HttpTransport.layer(config), users)
    return options.verifyCredentials === false
      ? layer
      : layer.pipe(Layer.tap((context) => Context.get(context, JiraClient).myself()))
  },
  /** Any transport, e.g. a scripted one in tests. */
  over,
  /** A scripted transport: `answer` sees each request and returns the response. */
  test: (
    answer: (request: JiraRequest) => Effect.Effect<JiraResponse, JiraError>,
    users: UserDirectoryConfig = defaultUserDirectoryConfig,
  ) => over(JiraTransport.layerTest(answer), users),
}
