import { Context, type Effect } from "effect"
import type { JiraError } from "./JiraError.js"

/** One HTTP request to Jira, relative to the site (`/rest/api/3/...`). */
export interface JiraRequest {
  readonly method: "GET" | "POST"
  /** Path segments, joined with `/` and each percent-encoded by the transport (never concatenated by hand). */
  readonly path: ReadonlyArray<string>
  readonly query?: ReadonlyArray<readonly [string, string]>
  readonly body?: unknown
}

/** What came back, body read as text (Jira's error bodies are sometimes HTML or empty). */
export interface JiraResponse {
  readonly status: number
  readonly header: (name: string) => string | null
  readonly body: string
}

/**
 * The port every Jira read goes through. Adapters: `ForgeTransport` (`@forge/api` `asUser()`) and
 * `HttpTransport` (fetch + Basic auth API token). Fails only with a `JiraError` of reason `Transport`
 * (the request did not complete); any HTTP status is a response.
 */
export class JiraTransport extends Context.Tag("JiraTransport")<
  JiraTransport,
  { readonly send: (request: JiraRequest) => Effect.Effect<JiraResponse, JiraError> }
>() {}

/** `/rest/api/3/search/jql?x=y` from a request: each segment encoded, query encoded. */
export const renderPath = (request: JiraRequest): string => {
  const path = `/${request.path.map(encodeURIComponent).join("/")}`
  const query = (request.query ?? []).map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`)
  return query.length === 0 ? path : `${path}?${query.join("&")}`
}
