/**
 * Every Jira read the app makes. One pipeline per call: quota gate -> transport -> rate-limit state ->
 * status check -> retry policy (reads only) -> Schema decode -> typed `JiraError`.
 * Endpoints and shapes: docs/jira-cloud.md §1–§5.
 */
import { Clock, Duration, Effect, Layer, Option, ParseResult, Schema } from "effect"
import { excerpt, JiraError, JiraErrors } from "./JiraError.js"
import { isSafeSegment, type JiraRequest, type JiraResponse, JiraTransport } from "./JiraTransport.js"
import { isoDate, RateLimitState } from "./RateLimitState.js"
import { JiraDeadline, JiraRetrySettings, jiraReadRetry, retryRead } from "./RetryPolicy.js"
import {
  ApproximateCount,
  AutocompleteData,
  AutocompleteSuggestions,
  BulkFetchResults,
  CommentPage,
  FieldDetails,
  Myself,
  ParsedJqlQueries,
  SearchIdResults,
  SearchResults,
  UserPage,
  WorklogPage,
} from "./schemas.js"

/** Jira's documented cap for `POST /issue/bulkfetch` ("You can request up to 100 issues"). */
export const BULK_FETCH_MAX = 100
/** Jira's cap for an ids-only search page. */
export const SEARCH_IDS_MAX = 5000
/** `/user/bulk` ids per request: the per-call maximum is undocumented; 100 is what the spec example shows. */
export const USERS_BULK_MAX = 100
/** Page size asked of the offset-paged comment and worklog lists (Jira may answer with fewer). */
const COMMENT_PAGE_SIZE = 100
const WORKLOG_PAGE_SIZE = 5000

const api = (...segments: ReadonlyArray<string>) => ["rest", "api", "3", ...segments]
const pathOf = (request: JiraRequest) => `/${request.path.join("/")}`

const jiraMessages = (body: string): ReadonlyArray<string> => {
  const parsed = Schema.decodeUnknownOption(
    Schema.parseJson(
      Schema.Struct({
        errorMessages: Schema.optional(Schema.Array(Schema.String)),
        errors: Schema.optional(Schema.Record({ key: Schema.String, value: Schema.String })),
        // RFC 9457 problem details (Jira's 415) say it in `detail`.
        detail: Schema.optional(Schema.String),
      }),
    ),
  )(body)
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
  if (status === 429) {
    const reason = response.header("RateLimit-Reason") ?? ""
    if (reason.startsWith("jira-quota")) {
      const resetAt =
        isoDate(response.header("X-RateLimit-Reset") ?? response.header("X-Beta-RateLimit-Reset")) ??
        new Date(nowMs + (wait ?? 3_600_000)).toISOString()
      const untilReset = Math.max(0, new Date(resetAt).getTime() - nowMs)
      return JiraErrors.quotaExhausted(resetAt, Math.max(wait ?? 0, untilReset), { status, details, path })
    }
    return new JiraError({
      reason: "RateLimited",
      status,
      path,
      details,
      ...(wait === undefined ? {} : { retryAfterMs: wait }),
      message: "Jira asked us to slow down; try again in a moment.",
    })
  }
  if (status === 401)
    return new JiraError({
      reason: "Unauthorized",
      status,
      path,
      details,
      message: "Jira did not accept your credentials; check the email and API token, or sign in again.",
    })
  if (status === 403)
    return new JiraError({
      reason: "Forbidden",
      status,
      path,
      details,
      message: "You do not have permission to do this in Jira.",
    })
  if (status === 404)
    return new JiraError({
      reason: "NotFound",
      status,
      path,
      details,
      message: `Jira has no ${path}, or you cannot see it.`,
    })
  if (status === 410)
    return new JiraError({
      reason: "Removed",
      status,
      path,
      details,
      message: `Jira has removed ${path}; this app needs an update.`,
    })
  if (status >= 500)
    return new JiraError({
      reason: "ServerError",
      status,
      path,
      details,
      ...(wait === undefined ? {} : { retryAfterMs: wait }),
      message: `Jira answered with an error (${status}); try again in a moment.`,
    })
  if (status === 400 && kind.jql === true && details.length > 0 && !details.some((d) => notAboutJql.test(d)))
    return JiraErrors.invalidJql(details, path)
  return JiraErrors.badRequest(path, details, status)
}

/** Decodes a 2xx body; a mismatch names the request path and the JSON paths, with a short excerpt. */
const decodeBody =
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

export interface SearchPageRequest {
  readonly jql: string
  readonly fields: ReadonlyArray<string>
  readonly maxResults: number
  readonly nextPageToken?: string
  /** Comma-separated (a string in this endpoint, unlike bulkfetch). */
  readonly expand?: string
}

export interface SearchIdsRequest {
  readonly jql: string
  /** Default and maximum 5000 (Jira's cap for ids-only pages). */
  readonly maxResults?: number
  readonly nextPageToken?: string
}

export interface BulkFetchRequest {
  /** 1..100 ids or keys. */
  readonly ids: ReadonlyArray<string>
  readonly fields: ReadonlyArray<string>
}

/** Where a token chain stands: Jira may omit the token, send null or "" on the last page (JRACLOUD-92184). */
const pageEnd = (token: string | null | undefined, isLast: boolean | undefined) => {
  const last = isLast === true || token === undefined || token === null || token === ""
  return { nextPageToken: last ? undefined : (token ?? undefined), isLast: last }
}

const make = Effect.gen(function* () {
  const transport = yield* JiraTransport
  // Shared when the runtime provides one (JiraLive does); a private one otherwise.
  const state = yield* Effect.serviceOption(RateLimitState).pipe(
    Effect.flatMap(Option.match({ onSome: Effect.succeed, onNone: () => RateLimitState.make })),
  )

  // The settings in force where the layer is built (the defaults unless a layer provides others).
  const policy = jiraReadRetry(yield* JiraRetrySettings)

  /**
   * Waits out a `Retry-After` another request was given (Jira counts any request from the same user
   * before then as ignoring it), or hands the wait back when it does not fit the deadline. Refuses
   * locally while the quota is known to be spent, so we never hammer Jira.
   */
  const gate = (request: JiraRequest): Effect.Effect<void, JiraError> =>
    Effect.gen(function* () {
      const now = yield* Clock.currentTimeMillis
      const known = yield* state.get
      if (known.blockedUntil !== undefined && now < known.blockedUntil)
        return yield* JiraErrors.quotaExhausted(
          known.resetAt ?? new Date(known.blockedUntil).toISOString(),
          known.blockedUntil - now,
          { path: pathOf(request), details: ["The hourly quota was spent; no request was sent."] },
        )
      if (known.pausedUntil === undefined || now >= known.pausedUntil) return
      const waitMs = known.pausedUntil - now
      const deadline = yield* JiraDeadline.current
      if (Option.isSome(deadline) && known.pausedUntil > deadline.value)
        return yield* JiraErrors.rateLimited(waitMs, { path: pathOf(request) })
      yield* Effect.sleep(Duration.millis(waitMs))
      // Another answer may have moved the pause while we slept.
      return yield* gate(request)
    })

  /** One attempt through the gate; every answer updates the shared rate-limit state. */
  const attempt = (request: JiraRequest, kind: RequestKind) =>
    Effect.gen(function* () {
      yield* gate(request)
      const response = yield* transport.send(request)
      const received = yield* Clock.currentTimeMillis
      yield* state.observe(response.header, received)
      if (response.status >= 200 && response.status < 300) return response
      const error = errorFromResponse(request, response, received, kind)
      if (error.reason === "QuotaExhausted" && error.resetAt !== undefined)
        yield* state.block(received + (error.retryAfterMs ?? 0), error.resetAt)
      else if (error.retryAfterMs !== undefined) yield* state.pause(received + error.retryAfterMs)
      return yield* error
    })

  const send = (request: JiraRequest, kind: RequestKind = {}) => {
    const read = request.read ?? request.method === "GET"
    return read ? attempt(request, kind).pipe(retryRead(policy)) : attempt(request, kind)
  }

  const getJson = <A, I>(schema: Schema.Schema<A, I>, request: JiraRequest, kind: RequestKind = {}) =>
    send(request, kind).pipe(Effect.flatMap(decodeBody(schema, request)))

  const badInput = (path: string, detail: string) => Effect.fail(JiraErrors.badRequest(path, [detail]))

  const issueSegment = (issueIdOrKey: string, path: string) =>
    isSafeSegment(issueIdOrKey) && /^[A-Za-z0-9_-]+$/.test(issueIdOrKey)
      ? Effect.succeed(issueIdOrKey)
      : badInput(path, `"${issueIdOrKey.slice(0, 50)}" is not an issue id or key.`)

  /** `GET /rest/api/3/myself`: checked first, since bad credentials otherwise read as anonymous. */
  const myself = Effect.fn("JiraClient.myself")(function* () {
    return yield* getJson(Myself, { method: "GET", path: api("myself") })
  })

  /** `GET /rest/api/3/field`: every field the user can see. */
  const fields = Effect.fn("JiraClient.fields")(function* () {
    return yield* getJson(Schema.Array(FieldDetails), { method: "GET", path: api("field") })
  })

  /** One page of `POST /rest/api/3/search/jql` (token paging; the last page has no token). */
  const searchPage = Effect.fn("JiraClient.searchPage")(function* (req: SearchPageRequest) {
    const result = yield* getJson(
      SearchResults,
      {
        method: "POST",
        path: api("search", "jql"),
        read: true,
        body: {
          jql: req.jql,
          fields: [...req.fields],
          maxResults: req.maxResults,
          ...(req.nextPageToken === undefined ? {} : { nextPageToken: req.nextPageToken }),
          ...(req.expand === undefined ? {} : { expand: req.expand }),
        },
      },
      { jql: true },
    )
    return {
      issues: result.issues,
      ...pageEnd(result.nextPageToken, result.isLast),
      ...(result.names === undefined ? {} : { names: result.names }),
      ...(result.schema === undefined ? {} : { schema: result.schema }),
    }
  })

  /** One page of issue ids in search order (`fields: ["id"]`, up to 5000 per page). */
  const searchIds = Effect.fn("JiraClient.searchIds")(function* (req: SearchIdsRequest) {
    const result = yield* getJson(
      SearchIdResults,
      {
        method: "POST",
        path: api("search", "jql"),
        read: true,
        body: {
          jql: req.jql,
          fields: ["id"],
          maxResults: Math.min(SEARCH_IDS_MAX, Math.max(1, req.maxResults ?? SEARCH_IDS_MAX)),
          ...(req.nextPageToken === undefined ? {} : { nextPageToken: req.nextPageToken }),
        },
      },
      { jql: true },
    )
    return { ids: result.issues.map((issue) => issue.id), ...pageEnd(result.nextPageToken, result.isLast) }
  })

  /** `POST /rest/api/3/search/approximate-count`: an estimate (recent changes may be missing). */
  const approximateCount = Effect.fn("JiraClient.approximateCount")(function* (jql: string) {
    const result = yield* getJson(
      ApproximateCount,
      { method: "POST", path: api("search", "approximate-count"), read: true, body: { jql } },
      { jql: true },
    )
    return result.count
  })

  /**
   * `POST /rest/api/3/issue/bulkfetch`: issues come back in ascending id order, and ones that cannot be
   * read are silently omitted (only retriable failures are listed in `issueErrors`).
   */
  const bulkFetch = Effect.fn("JiraClient.bulkFetch")(function* (req: BulkFetchRequest) {
    const path = "/rest/api/3/issue/bulkfetch"
    if (req.ids.length === 0 || req.ids.length > BULK_FETCH_MAX)
      return yield* badInput(path, `bulkfetch takes 1 to ${BULK_FETCH_MAX} ids, not ${req.ids.length}.`)
    return yield* getJson(BulkFetchResults, {
      method: "POST",
      path: api("issue", "bulkfetch"),
      read: true,
      body: { issueIdsOrKeys: [...req.ids], fields: [...req.fields] },
    })
  })

  /** Offset paging to the end: Jira may answer with fewer than asked, so `total` decides. */
  const allPages = <T>(
    request: (startAt: number) => JiraRequest,
    decode: (
      request: JiraRequest,
    ) => Effect.Effect<{ readonly items: ReadonlyArray<T>; readonly total?: number | undefined }, JiraError>,
  ) =>
    Effect.gen(function* () {
      const items: Array<T> = []
      while (true) {
        const page = yield* decode(request(items.length))
        items.push(...page.items)
        if (page.items.length === 0 || page.total === undefined || items.length >= page.total) return items
      }
    })

  /** Every comment of an issue, oldest first (`GET /issue/{id}/comment`, offset paged). */
  const issueComments = Effect.fn("JiraClient.issueComments")(function* (issueIdOrKey: string) {
    const key = yield* issueSegment(issueIdOrKey, "/rest/api/3/issue/{issueIdOrKey}/comment")
    return yield* allPages<unknown>(
      (startAt) => ({
        method: "GET",
        path: api("issue", key, "comment"),
        query: [
          ["startAt", String(startAt)],
          ["maxResults", String(COMMENT_PAGE_SIZE)],
          ["orderBy", "created"],
        ],
      }),
      (request) =>
        getJson(CommentPage, request).pipe(
          Effect.map((page) => ({ items: page.comments, total: page.total })),
        ),
    )
  })

  /** Every worklog of an issue (`GET /issue/{id}/worklog`, offset paged). */
  const issueWorklogs = Effect.fn("JiraClient.issueWorklogs")(function* (issueIdOrKey: string) {
    const key = yield* issueSegment(issueIdOrKey, "/rest/api/3/issue/{issueIdOrKey}/worklog")
    return yield* allPages<unknown>(
      (startAt) => ({
        method: "GET",
        path: api("issue", key, "worklog"),
        query: [
          ["startAt", String(startAt)],
          ["maxResults", String(WORKLOG_PAGE_SIZE)],
        ],
      }),
      (request) =>
        getJson(WorklogPage, request).pipe(
          Effect.map((page) => ({ items: page.worklogs, total: page.total })),
        ),
    )
  })

  /**
   * `POST /rest/api/3/jql/parse?validation=strict`: invalid queries are reported inside the 200, in
   * input order. Empty queries are answered locally (Jira refuses them with a 400).
   */
  const parseJql = Effect.fn("JiraClient.parseJql")(function* (queries: ReadonlyArray<string>) {
    const asked = queries.filter((q) => q.trim() !== "")
    const parsed =
      asked.length === 0
        ? []
        : (yield* getJson(ParsedJqlQueries, {
            method: "POST",
            path: api("jql", "parse"),
            query: [["validation", "strict"]],
            read: true,
            body: { queries: asked },
          })).queries
    let next = 0
    return queries.map((query) => {
      if (query.trim() === "") return { query, errors: [], warnings: [] }
      const answer = parsed[next++]
      return answer === undefined
        ? { query, errors: ["Jira did not answer for this query."], warnings: [] }
        : { query, errors: answer.errors, warnings: answer.warnings }
    })
  })

  /** `GET /rest/api/3/jql/autocompletedata`: fields, functions and reserved words for the JQL editor. */
  const autocompleteData = Effect.fn("JiraClient.autocompleteData")(function* () {
    return yield* getJson(AutocompleteData, { method: "GET", path: api("jql", "autocompletedata") })
  })

  /** `GET /rest/api/3/jql/autocompletedata/suggestions`: values for a field (matched text in `<b>`). */
  const autocompleteSuggestions = Effect.fn("JiraClient.autocompleteSuggestions")(function* (req: {
    readonly fieldName: string
    readonly fieldValue: string
  }) {
    const result = yield* getJson(AutocompleteSuggestions, {
      method: "GET",
      path: api("jql", "autocompletedata", "suggestions"),
      query: [
        ["fieldName", req.fieldName],
        ["fieldValue", req.fieldValue],
      ],
    })
    return result.results
  })

  /**
   * `GET /rest/api/3/user/bulk` for any number of account ids: 100 per request, paged to the end.
   * Unknown account ids are simply absent from the answer.
   */
  const usersBulk = Effect.fn("JiraClient.usersBulk")(function* (accountIds: ReadonlyArray<string>) {
    const users: Array<(typeof UserPage.Type.values)[number]> = []
    for (let from = 0; from < accountIds.length; from += USERS_BULK_MAX) {
      const chunk = accountIds.slice(from, from + USERS_BULK_MAX)
      let startAt = 0
      while (true) {
        const page = yield* getJson(UserPage, {
          method: "GET",
          path: api("user", "bulk"),
          query: [
            ["startAt", String(startAt)],
            ["maxResults", String(chunk.length)],
            ...chunk.map((id) => ["accountId", id] as const),
          ],
        })
        users.push(...page.values)
        startAt += page.values.length
        const done =
          page.isLast !== false ||
          page.values.length === 0 ||
          (page.total !== undefined && startAt >= page.total) ||
          startAt >= chunk.length
        if (done) break
      }
    }
    return users
  })

  return {
    myself,
    fields,
    searchPage,
    searchIds,
    approximateCount,
    bulkFetch,
    issueComments,
    issueWorklogs,
    parseJql,
    autocompleteData,
    autocompleteSuggestions,
    usersBulk,
  } as const
})

/**
 * The Jira read service. `layer` needs a `JiraTransport`; it shares the runtime's `RateLimitState`
 * when there is one (see `JiraLive`), and keeps a private one otherwise.
 */
export class JiraClient extends Effect.Tag("JiraClient")<JiraClient, Effect.Effect.Success<typeof make>>() {
  static readonly layer = Layer.effect(JiraClient, make)
}
