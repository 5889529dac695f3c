import { Effect, Layer } from "effect"
import type { JiraError } from "./JiraError.js"

/** One HTTP request to Jira, relative to the site (`/rest/api/3/...`). */
export interface JiraRequest {
  readonly method: "GET" | "POST"
  /** Path segments, joined with `/` and each percent-encoded by the transport (never concatenated by hand). */
  readonly path: ReadonlyArray<string>
  readonly query?: ReadonlyArray<readonly [string, string]>
  readonly body?: unknown
  /**
   * Whether the request only reads (a `POST /search/jql` does): only reads are ever retried.
   * Defaults to true for GET and false for POST.
   */
  readonly read?: boolean
}

/** What came back, body read as text (Jira's error bodies are sometimes HTML or empty). */
export interface JiraResponse {
  readonly status: number
  readonly header: (name: string) => string | null
  readonly body: string
}

/**
 * The port every Jira read goes through. Adapters, each a class whose static `layer` provides this tag:
 * `ForgeTransport` (`@forge/api` `asUser()`) and `HttpTransport` (fetch + Basic auth API token); they
 * live in their own files so that the CLI never loads `@forge/api`. Any HTTP status is a response; the
 * transport fails only when no Jira response came back: reason `Transport`, or, for a Forge platform
 * refusal (the `forge-proxy-error` header), `RateLimited` / `Unauthorized`.
 */
export class JiraTransport extends Effect.Tag("JiraTransport")<
  JiraTransport,
  { readonly send: (request: JiraRequest) => Effect.Effect<JiraResponse, JiraError> }
>() {
  /** A scripted transport for tests: `answer` sees each request and returns the response (or fails). */
  static readonly layerTest = (
    answer: (request: JiraRequest) => Effect.Effect<JiraResponse, JiraError>,
  ): Layer.Layer<JiraTransport> =>
    Layer.succeed(JiraTransport, { send: (request) => Effect.suspend(() => answer(request)) })
}

/** A response for scripted transports: JSON bodies are serialised, header names matched case-insensitively. */
export const jiraResponse = (
  status: number,
  body: unknown = "",
  headers: Readonly<Record<string, string>> = {},
): JiraResponse => {
  const lower = new Map(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v]))
  return {
    status,
    header: (name) => lower.get(name.toLowerCase()) ?? null,
    body: typeof body === "string" ? body : JSON.stringify(body),
  }
}

/**
 * A path segment that cannot change the path's meaning once percent-encoded: not empty and not a dot
 * segment (URL parsers resolve `..` and `%2E%2E` alike, RFC 3986 §5.2.4).
 */
export const isSafeSegment = (segment: string): boolean =>
  segment.length > 0 && segment.length <= 255 && !/^(\.|%2e){1,2}$/i.test(segment)

/** `/rest/api/3/search/jql?x=y` from a request: each segment encoded, query encoded. */
export const renderPath = (request: JiraRequest): string => {
  const path = `/${request.path.map(encodeURIComponent).join("/")}`
  const query = (request.query ?? []).map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`)
  return query.length === 0 ? path : `${path}?${query.join("&")}`
}

/** The fetch-like init every adapter sends: JSON accepted, a JSON body when there is one. */
export const requestInit = (
  request: JiraRequest,
  headers: Readonly<Record<string, string>> = {},
): { method: JiraRequest["method"]; headers: Record<string, string>; body?: string } => ({
  method: request.method,
  headers:
    request.body === undefined
      ? { Accept: "application/json", ...headers }
      : { Accept: "application/json", ...headers, "Content-Type": "application/json" },
  ...(request.body === undefined ? {} : { body: JSON.stringify(request.body) }),
})

/** What fetch, `@forge/api` and `@forge/bridge` answer, as much of it as the port reads. */
interface FetchedResponse {
  readonly status: number
  readonly headers: { get(name: string): string | null }
  text(): Promise<string>
}

/** A fetched response with its body read as text. */
export const readResponse = (response: FetchedResponse): Promise<JiraResponse> =>
  response.text().then((body) => ({
    status: response.status,
    header: (name: string) => response.headers.get(name),
    body,
  }))

/** `/rest/api/3/search/jql` from a request, unencoded and without the query: how errors name it. */
export const pathOf = (request: JiraRequest): string => `/${request.path.join("/")}`
