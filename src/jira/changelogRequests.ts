/**
 * The changelog and status reads of `JiraClient` (docs/jira-cloud.md §10), kept apart so the client
 * stays one screen of the search reads. They go through the client's one pipeline (`getJson`): gate,
 * retry of reads, Schema decode, typed errors.
 */
import { Effect, Schema } from "effect"
import {
  BulkChangelogPage,
  type ChangeHistory,
  ChangelogPage,
  PageOfStatuses,
  StatusDetails,
} from "./changelogSchemas.js"
import { type JiraError, JiraErrors } from "./JiraError.js"
import { isSafeSegment, type JiraRequest } from "./JiraTransport.js"
import { lastByTotal, offsetPages } from "./paging.js"

/** Jira's caps for `POST /changelog/bulkfetch`: issues per request, field ids, entries per page. */
export const CHANGELOG_BULK_MAX_ISSUES = 1000
export const CHANGELOG_BULK_MAX_FIELDS = 10
export const CHANGELOG_BULK_MAX_PAGE = 10_000
/**
 * How often a bulk changelog read starts over when a continuation token is refused (a token that
 * expired between pages is a 400): the histories are read again from the first page, which is exact
 * because pages are only merged once the whole answer is in.
 */
const TOKEN_RESTARTS = 3

/** Statuses asked per page of `/statuses/search` (Jira's default; it may send fewer). */
const STATUS_PAGE = 200

export type GetJson = <A, I>(schema: Schema.Schema<A, I>, request: JiraRequest) => Effect.Effect<A, JiraError>

export interface ChangelogBulkRequest {
  /** 1..1000 issue ids or keys. */
  readonly ids: ReadonlyArray<string>
  /** Up to 10 field ids (`status`, `assignee`, …); none means every field. */
  readonly fieldIds: ReadonlyArray<string>
  /** Entries per page, 1..10,000: the largest page keeps the request count and points down. */
  readonly maxResults?: number
}

const api = (...segments: ReadonlyArray<string>) => ["rest", "api", "3", ...segments]

export const changelogReads = (getJson: GetJson) => {
  const badInput = (path: string, detail: string) => Effect.fail(JiraErrors.badRequest(path, [detail]))

  /** Every page of one bulk request, each issue's entries concatenated across pages (oldest first). */
  const allPages = (req: ChangelogBulkRequest, maxResults: number) =>
    Effect.gen(function* () {
      const byIssue = new Map<string, Array<ChangeHistory>>()
      let token: string | undefined
      do {
        const page = yield* getJson(BulkChangelogPage, {
          method: "POST",
          path: api("changelog", "bulkfetch"),
          read: true,
          body: {
            issueIdsOrKeys: [...req.ids],
            ...(req.fieldIds.length === 0 ? {} : { fieldIds: [...req.fieldIds] }),
            maxResults,
            ...(token === undefined ? {} : { nextPageToken: token }),
          },
        }).pipe(Effect.mapError((error) => ({ error, continued: token !== undefined })))
        for (const log of page.issueChangeLogs) {
          const list = byIssue.get(log.issueId)
          if (list) list.push(...log.changeHistories)
          else byIssue.set(log.issueId, [...log.changeHistories])
        }
        token = page.nextPageToken === null || page.nextPageToken === "" ? undefined : page.nextPageToken
      } while (token !== undefined)
      return byIssue
    })

  /**
   * `POST /rest/api/3/changelog/bulkfetch` for up to 1,000 issues, read to the last page. Issues the
   * user cannot browse (or without changes to the asked fields) are absent from the map, as Jira
   * leaves them out.
   */
  const changelogBulk = Effect.fn("JiraClient.changelogBulk")(function* (req: ChangelogBulkRequest) {
    const path = "/rest/api/3/changelog/bulkfetch"
    if (req.ids.length === 0 || req.ids.length > CHANGELOG_BULK_MAX_ISSUES)
      return yield* badInput(path, `changelog bulkfetch takes 1 to ${CHANGELOG_BULK_MAX_ISSUES} issues.`)
    if (req.fieldIds.length > CHANGELOG_BULK_MAX_FIELDS)
      return yield* badInput(
        path,
        `changelog bulkfetch takes at most ${CHANGELOG_BULK_MAX_FIELDS} field ids.`,
      )
    const maxResults = Math.min(
      CHANGELOG_BULK_MAX_PAGE,
      Math.max(1, req.maxResults ?? CHANGELOG_BULK_MAX_PAGE),
    )
    let restarts = 0
    while (true) {
      const result = yield* Effect.either(allPages(req, maxResults))
      if (result._tag === "Right") return result.right
      const { error, continued } = result.left
      if (!(continued && error.reason === "BadRequest" && restarts < TOKEN_RESTARTS)) return yield* error
      restarts += 1
    }
  })

  /** Every entry of one issue's history, oldest first (`GET /issue/{id}/changelog`, offset paged). */
  const issueChangelog = Effect.fn("JiraClient.issueChangelog")(function* (issueIdOrKey: string) {
    if (!isSafeSegment(issueIdOrKey) || !/^[A-Za-z0-9_-]+$/.test(issueIdOrKey))
      return yield* badInput(
        "/rest/api/3/issue/{issueIdOrKey}/changelog",
        `"${issueIdOrKey.slice(0, 50)}" is not an issue id or key.`,
      )
    return yield* offsetPages((startAt) =>
      getJson(ChangelogPage, {
        method: "GET",
        path: api("issue", issueIdOrKey, "changelog"),
        query: [
          ["startAt", String(startAt)],
          ["maxResults", "100"],
        ],
      }).pipe(
        Effect.map((page) => ({
          items: page.values,
          last: page.isLast === true || lastByTotal(startAt, page.values.length, page.total),
        })),
      ),
    )
  })

  /** `GET /rest/api/3/status`: the statuses of active workflows, each with its category. */
  const statuses = Effect.fn("JiraClient.statuses")(function* () {
    return yield* getJson(Schema.Array(StatusDetails), { method: "GET", path: api("status") })
  })

  /**
   * `GET /rest/api/3/statuses/search`, every page: all the site's statuses, those no workflow uses
   * any more included. Jira needs the Administer projects or Administer Jira permission for it (and
   * an app the `manage:jira-configuration` scope); without them it answers 401 or 403.
   */
  const siteStatuses = Effect.fn("JiraClient.siteStatuses")(function* () {
    return yield* offsetPages((startAt) =>
      getJson(PageOfStatuses, {
        method: "GET",
        path: api("statuses", "search"),
        query: [
          ["startAt", String(startAt)],
          ["maxResults", String(STATUS_PAGE)],
        ],
      }).pipe(
        Effect.map((page) => ({
          items: page.values,
          last: page.isLast ?? lastByTotal(startAt, page.values.length, page.total),
        })),
      ),
    )
  })

  return { changelogBulk, issueChangelog, statuses, siteStatuses } as const
}
