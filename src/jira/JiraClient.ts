/**
 * Every Jira read the app makes. One pipeline per call: quota gate (`RateLimitState`) -> transport ->
 * rate-limit state -> status check (`responseError.ts`) -> retry policy (reads only) -> Schema decode
 * -> typed `JiraError`. Endpoints and shapes: docs/jira-cloud.md §1–§5.
 */
import { Clock, Effect, Layer, Option, Ref, Schema } from "effect"
import { changelogReads } from "./changelogRequests.js"
import { JiraErrors } from "./JiraError.js"
import { isSafeSegment, type JiraRequest, JiraTransport, pathOf } from "./JiraTransport.js"
import { lastByTotal, offsetPages, pageEnd } from "./paging.js"
import { placeReads } from "./places.js"
import { RateLimitState } from "./RateLimitState.js"
import { JiraRetrySettings, jiraReadRetry, retryRead } from "./RetryPolicy.js"
import { decodeBody, errorFromResponse, type RequestKind } from "./responseError.js"
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
  /**
   * Ask for the keys too (`fields: ["key"]`): the same 5,000 cap (docs/jira-cloud.md §1.3), a larger
   * answer; an issue gone before it is fetched can then be named by its key.
   */
  readonly withKeys?: boolean
}

export interface BulkFetchRequest {
  /** 1..100 ids or keys. */
  readonly ids: ReadonlyArray<string>
  readonly fields: ReadonlyArray<string>
}

const make = Effect.gen(function* () {
  const transport = yield* JiraTransport
  const state = yield* RateLimitState
  // The settings in force where the layer is built (the defaults unless a layer provides others).
  const policy = jiraReadRetry(yield* JiraRetrySettings)

  /** One attempt through the gate; every answer updates the shared rate-limit state. */
  const attempt = (request: JiraRequest, kind: RequestKind) =>
    Effect.gen(function* () {
      // Nothing between the gate's last check and the send: a pause set meanwhile would be ignored.
      yield* state.gate(pathOf(request))
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

  // The signed-in user does not change for the life of a client (one Forge invocation, one CLI run,
  // one export in the page), so `/myself` is read once: the command line checks the credentials with
  // it and then needs the user's time zone. Only an answer is kept; a failure is asked again.
  const me = yield* Ref.make(Option.none<Myself>())
  /** `GET /rest/api/3/myself`: checked first, since bad credentials otherwise read as anonymous. */
  const myself = Effect.fn("JiraClient.myself")(function* () {
    const known = yield* Ref.get(me)
    if (Option.isSome(known)) return known.value
    const read = yield* getJson(Myself, { method: "GET", path: api("myself") })
    yield* Ref.set(me, Option.some(read))
    return read
  })

  // The fields a user sees do not change within one client's life either, and the command line asks
  // for them beside its credential check (one round trip before the export instead of two).
  const fieldList = yield* Ref.make(Option.none<ReadonlyArray<FieldDetails>>())
  /** `GET /rest/api/3/field`: every field the user can see (read once; a failure is asked again). */
  const fields = Effect.fn("JiraClient.fields")(function* () {
    const known = yield* Ref.get(fieldList)
    if (Option.isSome(known)) return known.value
    const read = yield* getJson(Schema.Array(FieldDetails), { method: "GET", path: api("field") })
    yield* Ref.set(fieldList, Option.some(read))
    return read
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

  /** One page of issue ids (and keys, when asked) in search order (`fields: ["id"]`, up to 5000 per page). */
  const searchIds = Effect.fn("JiraClient.searchIds")(function* (req: SearchIdsRequest) {
    const result = yield* getJson(
      SearchIdResults,
      {
        method: "POST",
        path: api("search", "jql"),
        read: true,
        body: {
          jql: req.jql,
          fields: req.withKeys === true ? ["key"] : ["id"],
          maxResults: Math.min(SEARCH_IDS_MAX, Math.max(1, req.maxResults ?? SEARCH_IDS_MAX)),
          ...(req.nextPageToken === undefined ? {} : { nextPageToken: req.nextPageToken }),
        },
      },
      { jql: true },
    )
    return {
      ids: result.issues.map((issue) => issue.id),
      ...(req.withKeys === true ? { keys: result.issues.map((issue) => issue.key) } : {}),
      ...pageEnd(result.nextPageToken, result.isLast),
    }
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

  /** Every comment of an issue, oldest first (`GET /issue/{id}/comment`, offset paged). */
  const issueComments = Effect.fn("JiraClient.issueComments")(function* (issueIdOrKey: string) {
    const key = yield* issueSegment(issueIdOrKey, "/rest/api/3/issue/{issueIdOrKey}/comment")
    return yield* offsetPages((startAt) =>
      getJson(CommentPage, {
        method: "GET",
        path: api("issue", key, "comment"),
        query: [
          ["startAt", String(startAt)],
          ["maxResults", String(COMMENT_PAGE_SIZE)],
          ["orderBy", "created"],
        ],
      }).pipe(
        Effect.map((page) => ({
          items: page.comments,
          last: lastByTotal(startAt, page.comments.length, page.total),
        })),
      ),
    )
  })

  /** Every worklog of an issue (`GET /issue/{id}/worklog`, offset paged). */
  const issueWorklogs = Effect.fn("JiraClient.issueWorklogs")(function* (issueIdOrKey: string) {
    const key = yield* issueSegment(issueIdOrKey, "/rest/api/3/issue/{issueIdOrKey}/worklog")
    return yield* offsetPages((startAt) =>
      getJson(WorklogPage, {
        method: "GET",
        path: api("issue", key, "worklog"),
        query: [
          ["startAt", String(startAt)],
          ["maxResults", String(WORKLOG_PAGE_SIZE)],
        ],
      }).pipe(
        Effect.map((page) => ({
          items: page.worklogs,
          last: lastByTotal(startAt, page.worklogs.length, page.total),
        })),
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
    const chunks: Array<ReadonlyArray<string>> = []
    for (let from = 0; from < accountIds.length; from += USERS_BULK_MAX)
      chunks.push(accountIds.slice(from, from + USERS_BULK_MAX))
    const pages = yield* Effect.forEach(chunks, (chunk) =>
      offsetPages((startAt) =>
        getJson(UserPage, {
          method: "GET",
          path: api("user", "bulk"),
          query: [
            ["startAt", String(startAt)],
            ["maxResults", String(chunk.length)],
            ...chunk.map((id) => ["accountId", id] as const),
          ],
        }).pipe(
          Effect.map((page) => {
            const received = startAt + page.values.length
            // This list says `isLast`; a chunk never has more users than ids asked.
            const last =
              page.isLast !== false ||
              (page.total !== undefined && received >= page.total) ||
              received >= chunk.length
            return { items: page.values, last }
          }),
        ),
      ),
    )
    return pages.flat()
  })

  return {
    ...changelogReads(getJson),
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
    ...placeReads(getJson),
  } as const
})

/**
 * The Jira read service. `layer` needs a transport and the runtime's shared `RateLimitState`: the quota
 * and every `Retry-After` pause hold for all clients of a runtime, so it is never made privately here.
 */
export class JiraClient extends Effect.Tag("JiraClient")<JiraClient, Effect.Effect.Success<typeof make>>() {
  static readonly layer: Layer.Layer<JiraClient, never, JiraTransport | RateLimitState> = Layer.effect(
    JiraClient,
    make,
  )
}
