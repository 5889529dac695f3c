/**
 * Shapes of the changelog and status endpoints (docs/jira-cloud.md §10), decoded to what the history
 * columns and the history export read; everything else of an entry is let through untouched.
 */
import { ParseResult, Schema } from "effect"

/**
 * Plain optional, not a default: Schema tracks transformed keys in an object, where `toString`
 * already exists, and would refuse the struct.
 */
const nullableString = () => Schema.optional(Schema.NullOr(Schema.String))

/** One changed field of a changelog entry; for status, `from`/`to` are status ids. */
export const ChangeItem = Schema.Struct({
  field: Schema.String,
  fieldId: Schema.optional(Schema.String),
  fieldtype: Schema.optional(Schema.String),
  from: nullableString(),
  fromString: nullableString(),
  to: nullableString(),
  toString: nullableString(),
})
export type ChangeItem = typeof ChangeItem.Type

/** The author as the entry carries it; a deleted or anonymous author may come without a name. */
export const ChangeAuthor = Schema.Struct({
  accountId: Schema.optional(Schema.String),
  displayName: Schema.optional(Schema.String),
  emailAddress: Schema.optional(Schema.NullOr(Schema.String)),
})

/**
 * Below this an epoch number is in seconds, above in milliseconds: 1e11 seconds is the year 5138,
 * 1e11 milliseconds 1973, before any Jira issue.
 */
const EPOCH_SECONDS_BELOW = 1e11
const MAX_EPOCH_MS = 8.64e15

/**
 * When an entry was made: Jira sends a datetime string, but Atlassian's own bulkfetch example
 * (docs/jira-cloud.md §10) sends epoch seconds, and some answers epoch milliseconds; numbers become
 * the ISO instant, so everything after decoding reads one form.
 */
export const ChangeInstant = Schema.Union(
  Schema.String,
  Schema.transformOrFail(Schema.Finite, Schema.String, {
    strict: true,
    decode: (n, _, ast) => {
      const ms = Math.abs(n) < EPOCH_SECONDS_BELOW ? n * 1000 : n
      // Past ±8.64e15 ms a Date is invalid: not an instant.
      return Math.abs(ms) <= MAX_EPOCH_MS
        ? ParseResult.succeed(new Date(ms).toISOString())
        : ParseResult.fail(new ParseResult.Type(ast, n, "not an instant"))
    },
    encode: (text) => ParseResult.succeed(new Date(text).getTime()),
  }),
)

/** One entry of an issue's history (REST `Changelog`). */
export const ChangeHistory = Schema.Struct({
  id: Schema.String,
  author: Schema.optional(ChangeAuthor),
  created: ChangeInstant,
  items: Schema.Array(ChangeItem),
})
export type ChangeHistory = typeof ChangeHistory.Type

/** `POST /rest/api/3/changelog/bulkfetch` (`BulkChangelogResponseBean`). */
export const BulkChangelogPage = Schema.Struct({
  issueChangeLogs: Schema.optionalWith(
    Schema.Array(Schema.Struct({ issueId: Schema.String, changeHistories: Schema.Array(ChangeHistory) })),
    { default: () => [] },
  ),
  nextPageToken: Schema.optional(Schema.NullOr(Schema.String)),
})

/** `GET /rest/api/3/issue/{issueIdOrKey}/changelog` (`PageBeanChangelog`). */
export const ChangelogPage = Schema.Struct({
  values: Schema.optionalWith(Schema.Array(ChangeHistory), { default: () => [] }),
  startAt: Schema.optional(Schema.Number),
  total: Schema.optional(Schema.Number),
  isLast: Schema.optional(Schema.Boolean),
})

/** One entry of `GET /rest/api/3/status` (`StatusDetails`): the category is what the columns rely on. */
export const StatusDetails = Schema.Struct({
  id: Schema.String,
  name: Schema.String,
  statusCategory: Schema.optional(
    Schema.Struct({
      id: Schema.optional(Schema.Number),
      key: Schema.String,
      name: Schema.optional(Schema.String),
    }),
  ),
})
export type StatusDetails = typeof StatusDetails.Type

/**
 * One entry of `GET /rest/api/3/statuses/search` (`JiraStatus`): every status of the site, whether a
 * workflow uses it or not; its category is `TODO`, `IN_PROGRESS` or `DONE`, not `/status`'s key.
 */
export const JiraStatus = Schema.Struct({
  id: Schema.String,
  name: Schema.String,
  statusCategory: Schema.optional(Schema.String),
})
export type JiraStatus = typeof JiraStatus.Type

/** `GET /rest/api/3/statuses/search` (`PageOfStatuses`), offset paged. */
export const PageOfStatuses = Schema.Struct({
  values: Schema.optionalWith(Schema.Array(JiraStatus), { default: () => [] }),
  startAt: Schema.optional(Schema.Number),
  total: Schema.optional(Schema.Number),
  isLast: Schema.optional(Schema.Boolean),
})
