/**
 * What a Jira response means when it is not the answer asked for: a non-2xx status mapped to a typed
 * `JiraError` through one table, and a 2xx body that does not decode. Statuses and error bodies:
 * docs/jira-cloud.md §5; rate limits and their headers: docs/jira-cloud.md §6.
 */
import { Effect, Option, ParseResult, Schema } from "effect"
import { excerpt, JiraError, type JiraErrorReason, JiraErrors } from "./JiraError.js"
import { type JiraRequest, type JiraResponse, pathOf } from "./JiraTransport.js"
import { isoDate } from "./quotaHeaders.js"

const JiraErrorBody = Schema.parseJson(
  Schema.Struct({
    errorMessages: Schema.optional(Schema.Array(Schema.String)),
    errors: Schema.optional(Schema.Record({ key: Schema.String, value: Schema.String })),
    // RFC 9457 problem details (Jira's 415) say it in `detail`.
    detail: Schema.optional(Schema.String),
  }),
)

const jiraMessages = (body: string): ReadonlyArray<string> => {
  const parsed = Schema.decodeUnknownOption(JiraErrorBody)(body)
  if (Option.isNone(parsed)) return []
  const { errorMessages = [], errors = {}, detail } = parsed.value
  return [
    ...errorMessages,
    ...Object.entries(errors).map(([k, v]) => `${k}: ${v}`),
    ...(detail ? [detail] : []),
  ]
}

/** At most this many of Jira's messages, each at most this long, are kept in an error. */
const MAX_DETAILS = 10
const MAX_DETAIL_LENGTH = 500

/** Jira's messages, or a short excerpt of a non-JSON (HTML, text) body; never the whole body. */
const detailsOf = (body: string): ReadonlyArray<string> => {
  const messages = jiraMessages(body)
    .slice(0, MAX_DETAILS)
    .map((m) => (m.length > MAX_DETAIL_LENGTH ? `${m.slice(0, MAX_DETAIL_LENGTH)}…` : m))
  if (messages.length > 0) return messages
  const text = excerpt(body)
  return text === "" ? [] : [text]
}

/** `Retry-After` in ms: delta-seconds or an HTTP date (RFC 9110 §10.2.3); undefined when absent or bad. */
export const retryAfterMs = (response: JiraResponse, nowMs: number): number | undefined => {
  const raw = (response.header("Retry-After") ?? response.header("Beta-Retry-After"))?.trim()
  if (raw === undefined || raw === "") return undefined
  if (/^\d+(\.\d+)?$/.test(raw)) return Math.round(Number(raw) * 1000)
  const at = new Date(raw).getTime()
  return Number.isFinite(at) ? Math.max(0, at - nowMs) : undefined
}

/** Messages a JQL endpoint sends about the request itself rather than the query. */
const notAboutJql = /nextPageToken|maxResults|Content-Type|Unrecognized field/i

/** What the request is, for mapping a 400: on a JQL endpoint it is Jira's verdict on the query. */
export interface RequestKind {
  readonly jql?: boolean
}

/** How one status reads as an error; `keepsWait` keeps Jira's `Retry-After` on it (worth retrying). */
interface StatusRule {
  readonly reason: JiraErrorReason
  readonly message: (path: string, status: number) => string
  readonly keepsWait?: true
}

const statusRules: Readonly<Record<number, StatusRule>> = {
  401: {
    reason: "Unauthorized",
    message: () => "Jira did not accept your credentials; check the email and API token, or sign in again.",
  },
  403: { reason: "Forbidden", message: () => "You do not have permission to do this in Jira." },
  404: { reason: "NotFound", message: (path) => `Jira has no ${path}, or you cannot see it.` },
  410: { reason: "Removed", message: (path) => `Jira has removed ${path}; this app needs an update.` },
  // A 429 whose reason is the points quota is not a slow-down: see `quotaSpent`.
  429: {
    reason: "RateLimited",
    message: () => "Jira asked us to slow down; try again in a moment.",
    keepsWait: true,
  },
}

const serverError: StatusRule = {
  reason: "ServerError",
  message: (_, status) => `Jira answered with an error (${status}); try again in a moment.`,
  keepsWait: true,
}

/** A 429 for the hourly points quota (`RateLimit-Reason: jira-quota-*`): spent until the reset. */
const quotaSpent = (
  response: JiraResponse,
  nowMs: number,
  wait: number | undefined,
  extra: { readonly status: number; readonly details: ReadonlyArray<string>; readonly path: string },
): JiraError => {
  const resetAt =
    isoDate(response.header("X-RateLimit-Reset") ?? response.header("X-Beta-RateLimit-Reset")) ??
    new Date(nowMs + (wait ?? 3_600_000)).toISOString()
  const untilReset = Math.max(0, new Date(resetAt).getTime() - nowMs)
  return JiraErrors.quotaExhausted(resetAt, Math.max(wait ?? 0, untilReset), extra)
}

/** Maps a non-2xx response to a JiraError. */
export const errorFromResponse = (
  request: JiraRequest,
  response: JiraResponse,
  nowMs = 0,
  kind: RequestKind = {},
): JiraError => {
  const status = response.status
  const path = pathOf(request)
  const details = detailsOf(response.body)
  const wait = retryAfterMs(response, nowMs)
  if (status === 429 && (response.header("RateLimit-Reason") ?? "").startsWith("jira-quota"))
    return quotaSpent(response, nowMs, wait, { status, details, path })
  const rule = statusRules[status] ?? (status >= 500 ? serverError : undefined)
  if (rule !== undefined)
    return new JiraError({
      reason: rule.reason,
      status,
      path,
      details,
      ...(rule.keepsWait === true && wait !== undefined ? { retryAfterMs: wait } : {}),
      message: rule.message(path, status),
    })
  if (status === 400 && kind.jql === true && details.length > 0 && !details.some((d) => notAboutJql.test(d)))
    return JiraErrors.invalidJql(details, path)
  return JiraErrors.badRequest(path, details, status)
}

/** Decodes a 2xx body; a mismatch names the request path and the JSON paths, with a short excerpt. */
export const decodeBody =
  <A, I>(schema: Schema.Schema<A, I>, request: JiraRequest) =>
  (response: JiraResponse): Effect.Effect<A, JiraError> =>
    Schema.decodeUnknown(Schema.parseJson(schema))(response.body).pipe(
      Effect.mapError((error) =>
        JiraErrors.decode(pathOf(request), [
          ...ParseResult.ArrayFormatter.formatErrorSync(error)
            .slice(0, 3)
            .map((issue) =>
              `${issue.path.length === 0 ? "body" : issue.path.join(".")}: ${issue.message}`.slice(0, 300),
            ),
          `body starts: ${excerpt(response.body)}`,
        ]),
      ),
    )
