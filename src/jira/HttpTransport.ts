import { type Context, Duration, Effect, Layer } from "effect"
import { JiraError } from "./JiraError.js"
import {
  type JiraRequest,
  type JiraResponse,
  JiraTransport,
  readResponse,
  renderPath,
  requestInit,
} from "./JiraTransport.js"

export interface HttpTransportConfig {
  /** `https://your-site.atlassian.net` or the emulator's `http://127.0.0.1:PORT`. */
  readonly baseUrl: string
  readonly email: string
  readonly apiToken: string
  /** A request that has not answered by then is abandoned as a `Transport` failure (default 60 s). */
  readonly requestTimeoutMs?: number
}

const DEFAULT_REQUEST_TIMEOUT_MS = 60_000

const make = (config: HttpTransportConfig) => {
  // The one copy of siteBase (src/contract/constants.ts) below the contract: src/jira imports nothing above it.
  const base = config.baseUrl.replace(/\/+$/, "")
  const authorization = `Basic ${Buffer.from(`${config.email}:${config.apiToken}`).toString("base64")}`
  const unreachable = (details: ReadonlyArray<string>) =>
    new JiraError({
      reason: "Transport",
      message: `Jira at ${base} could not be reached; check the site URL and your network.`,
      details,
    })
  const send = (request: JiraRequest) =>
    Effect.tryPromise({
      try: (signal): Promise<JiraResponse> =>
        fetch(`${base}${renderPath(request)}`, {
          ...requestInit(request, { Authorization: authorization }),
          signal,
        }).then(readResponse),
      catch: (cause) =>
        unreachable([cause instanceof Error ? `${cause.name}: ${cause.message}` : String(cause)]),
    }).pipe(
      // Interrupting the fiber aborts the fetch (the `signal` above), so nothing keeps running.
      Effect.timeoutFail({
        duration: Duration.millis(config.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS),
        // The site may well have been reached: say what it did not answer, and how long we waited.
        onTimeout: () => {
          const seconds = Math.round((config.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS) / 1000)
          return new JiraError({
            reason: "Transport",
            message: `Jira at ${base} did not answer ${request.method} ${renderPath(request).split("?")[0]} within ${seconds} s; check the site URL and your network.`,
          })
        },
      }),
      Effect.withSpan("HttpTransport.send"),
    )
  return { send }
}

/**
 * The HTTP adapter of `JiraTransport`: Basic auth with an API token, for the CLI, the local host
 * against a real site, and tests against the emulator.
 */
export class HttpTransport implements Context.Tag.Service<JiraTransport> {
  readonly send: (request: JiraRequest) => Effect.Effect<JiraResponse, JiraError>

  constructor(config: HttpTransportConfig) {
    this.send = make(config).send
  }

  static readonly layer = (config: HttpTransportConfig): Layer.Layer<JiraTransport> =>
    Layer.succeed(JiraTransport, new HttpTransport(config))
}
