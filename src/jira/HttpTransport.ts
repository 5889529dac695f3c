import { Effect, Layer } from "effect"
import { JiraError } from "./JiraError.js"
import { type JiraRequest, type JiraResponse, JiraTransport, renderPath } from "./JiraTransport.js"

export interface HttpTransportConfig {
  /** `https://your-site.atlassian.net` or the emulator's `http://127.0.0.1:PORT`. */
  readonly baseUrl: string
  readonly email: string
  readonly apiToken: string
}

const make = (config: HttpTransportConfig) => {
  const base = config.baseUrl.replace(/\/+$/, "")
  const authorization = `Basic ${Buffer.from(`${config.email}:${config.apiToken}`).toString("base64")}`
  const send = (request: JiraRequest) =>
    Effect.tryPromise({
      try: async (signal): Promise<JiraResponse> => {
        const response = await fetch(`${base}${renderPath(request)}`, {
          method: request.method,
          signal,
          headers:
            request.body === undefined
              ? { Accept: "application/json", Authorization: authorization }
              : {
                  Accept: "application/json",
                  Authorization: authorization,
                  "Content-Type": "application/json",
                },
          ...(request.body === undefined ? {} : { body: JSON.stringify(request.body) }),
        })
        const body = await response.text()
        return { status: response.status, header: (name) => response.headers.get(name), body }
      },
      catch: (cause) =>
        new JiraError({
          reason: "Transport",
          message: `Jira at ${base} could not be reached; check the site URL and your network.`,
          details: [cause instanceof Error ? `${cause.name}: ${cause.message}` : String(cause)],
        }),
    })
  return { send }
}

/** Basic auth with an API token: for the CLI, the local host against a real site, and tests. */
export const HttpTransport = {
  layer: (config: HttpTransportConfig) => Layer.succeed(JiraTransport, make(config)),
}
