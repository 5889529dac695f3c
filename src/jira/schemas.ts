/**
 * Domain shapes decoded from Jira's responses. They keep what the exporter needs and let the rest
 * through untyped where the formatters need the raw value (`Issue.fields`).
 * Shapes: docs/jira-cloud.md §1–§4 and the official OpenAPI document.
 */
import { Schema } from "effect"
import { ChangeHistory } from "./changelogSchemas.js"

const OptionalNullableString = Schema.optional(Schema.NullOr(Schema.String))

export const User = Schema.Struct({
  accountId: Schema.String,
  accountType: Schema.optional(Schema.String),
  displayName: Schema.optional(Schema.String),
  emailAddress: OptionalNullableString,
  active: Schema.optional(Schema.Boolean),
  timeZone: OptionalNullableString,
  locale: OptionalNullableString,
})
export type User = typeof User.Type

export const Myself = Schema.Struct({
  accountId: Schema.String,
  displayName: Schema.String,
  emailAddress: OptionalNullableString,
  timeZone: OptionalNullableString,
  locale: OptionalNullableString,
})
export type Myself = typeof Myself.Type

export const JsonType = Schema.Struct({
  type: Schema.String,
  items: Schema.optional(Schema.String),
  system: Schema.optional(Schema.String),
  custom: Schema.optional(Schema.String),
  customId: Schema.optional(Schema.Number),
})
export type JsonType = typeof JsonType.Type

/** One entry of `GET /rest/api/3/field`. */
export const FieldDetails = Schema.Struct({
  id: Schema.String,
  key: Schema.optional(Schema.String),
  name: Schema.String,
  custom: Schema.Boolean,
  orderable: Schema.optional(Schema.Boolean),
  navigable: Schema.optional(Schema.Boolean),
  searchable: Schema.optional(Schema.Boolean),
  clauseNames: Schema.optional(Schema.Array(Schema.String)),
  schema: Schema.optional(JsonType),
})
export type FieldDetails = typeof FieldDetails.Type

const isPlainObject = (u: unknown): u is { readonly [key: string]: unknown } =>
  typeof u === "object" && u !== null && !Array.isArray(u)

/**
 * An issue's field values, kept as Jira sent them (the formatters read them per field type). A guard
 * rather than `Schema.Record`: the values are `unknown` anyway, and copying 100 issues x 30 fields per
 * page made decoding cost three times the JSON parse.
 */
const FieldValues = Schema.declare(isPlainObject, {
  identifier: "FieldValues",
  description: "an object of field values",
})

/** An issue as search and bulkfetch return it; `fields` keeps Jira's raw values for the formatters. */
export const Issue = Schema.Struct({
  id: Schema.String,
  key: Schema.optional(Schema.String),
  fields: Schema.optional(FieldValues),
  /** With `expand=renderedFields`. */
  renderedFields: Schema.optional(FieldValues),
  /** Attached by the export from `changelog/bulkfetch` (Jira's own `expand=changelog` shape). */
  changelog: Schema.optional(Schema.Struct({ histories: Schema.Array(ChangeHistory) })),
})
export type Issue = typeof Issue.Type

/** `POST /rest/api/3/search/jql` (`SearchAndReconcileResults`). */
export const SearchResults = Schema.Struct({
  issues: Schema.optionalWith(Schema.Array(Issue), { default: () => [] }),
  nextPageToken: OptionalNullableString,
  isLast: Schema.optional(Schema.Boolean),
  names: Schema.optional(Schema.Record({ key: Schema.String, value: Schema.String })),
  schema: Schema.optional(Schema.Record({ key: Schema.String, value: Schema.Unknown })),
})

/** `POST /rest/api/3/search/jql` with `fields: ["id"]` or `["key"]`: only ids and keys are decoded. */
/** `[{ id: "10001", key?: "A-1" }, …]`: checked in one pass (a page holds up to 5000; a Struct each is slow). */
const IssueIds = Schema.declare(
  (u: unknown): u is ReadonlyArray<{ readonly id: string; readonly key?: string }> =>
    Array.isArray(u) &&
    u.every(
      (issue) =>
        isPlainObject(issue) &&
        typeof issue.id === "string" &&
        (issue.key === undefined || typeof issue.key === "string"),
    ),
  { identifier: "IssueIds", description: "an array of issues, each with a string id (and key)" },
)

export const SearchIdResults = Schema.Struct({
  issues: Schema.optionalWith(IssueIds, { default: () => [] }),
  nextPageToken: OptionalNullableString,
  isLast: Schema.optional(Schema.Boolean),
})

/** `POST /rest/api/3/search/approximate-count`. */
export const ApproximateCount = Schema.Struct({ count: Schema.Number })

export const IssueError = Schema.Struct({ id: Schema.String, errorMessage: Schema.String })
export type IssueError = typeof IssueError.Type

/** `POST /rest/api/3/issue/bulkfetch` (`BulkIssueResults`). */
export const BulkFetchResults = Schema.Struct({
  issues: Schema.optionalWith(Schema.Array(Issue), { default: () => [] }),
  issueErrors: Schema.optionalWith(Schema.Array(IssueError), { default: () => [] }),
})

/** `GET /rest/api/3/issue/{id}/comment` (`PageOfComments`); comments stay raw for the formatters. */
export const CommentPage = Schema.Struct({
  startAt: Schema.optional(Schema.Number),
  maxResults: Schema.optional(Schema.Number),
  total: Schema.optional(Schema.Number),
  comments: Schema.optionalWith(Schema.Array(Schema.Unknown), { default: () => [] }),
})

/** `GET /rest/api/3/issue/{id}/worklog` (`PageOfWorklogs`). */
export const WorklogPage = Schema.Struct({
  startAt: Schema.optional(Schema.Number),
  maxResults: Schema.optional(Schema.Number),
  total: Schema.optional(Schema.Number),
  worklogs: Schema.optionalWith(Schema.Array(Schema.Unknown), { default: () => [] }),
})

/** `GET /rest/api/3/user/bulk` (`PageBeanUser`). */
export const UserPage = Schema.Struct({
  startAt: Schema.optional(Schema.Number),
  maxResults: Schema.optional(Schema.Number),
  total: Schema.optional(Schema.Number),
  isLast: Schema.optional(Schema.Boolean),
  values: Schema.optionalWith(Schema.Array(User), { default: () => [] }),
})

/** `POST /rest/api/3/jql/parse` (`ParsedJqlQueries`); the syntax tree is not needed. */
export const ParsedJqlQueries = Schema.Struct({
  queries: Schema.Array(
    Schema.Struct({
      query: Schema.String,
      errors: Schema.optionalWith(Schema.Array(Schema.String), { default: () => [] }),
      warnings: Schema.optionalWith(Schema.Array(Schema.String), { default: () => [] }),
    }),
  ),
})
export type ParsedJql = (typeof ParsedJqlQueries.Type)["queries"][number]

/** Jira sends these booleans as the strings `"true"` / `"false"`; accept real booleans too. */
const StringBoolean = Schema.Union(
  Schema.Boolean,
  Schema.transform(Schema.Literal("true", "false"), Schema.Boolean, {
    strict: true,
    decode: (s) => s === "true",
    encode: (b) => (b ? "true" : "false"),
  }),
)

const Strings = Schema.optionalWith(Schema.Array(Schema.String), { default: () => [] })

/** `GET /rest/api/3/jql/autocompletedata` (`JQLReferenceData`), booleans decoded. */
export const AutocompleteData = Schema.Struct({
  visibleFieldNames: Schema.optionalWith(
    Schema.Array(
      Schema.Struct({
        value: Schema.String,
        displayName: Schema.String,
        orderable: Schema.optional(StringBoolean),
        searchable: Schema.optional(StringBoolean),
        auto: Schema.optional(StringBoolean),
        deprecated: Schema.optional(StringBoolean),
        cfid: Schema.optional(Schema.String),
        operators: Strings,
        types: Strings,
      }),
    ),
    { default: () => [] },
  ),
  visibleFunctionNames: Schema.optionalWith(
    Schema.Array(
      Schema.Struct({
        value: Schema.String,
        displayName: Schema.String,
        isList: Schema.optional(StringBoolean),
        supportsListAndSingleValueOperators: Schema.optional(StringBoolean),
        types: Strings,
      }),
    ),
    { default: () => [] },
  ),
  jqlReservedWords: Strings,
})
export type AutocompleteData = typeof AutocompleteData.Type

/** `GET /rest/api/3/jql/autocompletedata/suggestions`. */
export const AutocompleteSuggestions = Schema.Struct({
  results: Schema.optionalWith(
    Schema.Array(Schema.Struct({ value: Schema.String, displayName: Schema.String })),
    { default: () => [] },
  ),
})
export type AutocompleteSuggestion = (typeof AutocompleteSuggestions.Type)["results"][number]
