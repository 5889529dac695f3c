/**
 * Domain shapes decoded from Jira's responses. They keep what the exporter needs and let the rest
 * through untyped where the formatters need the raw value (`Issue.fields`).
 * Shapes: ../shared/reference/jira-cloud-api.md §2, §3 and the official OpenAPI document.
 */
import { Schema } from "effect"

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
  navigable: Schema.optional(Schema.Boolean),
  searchable: Schema.optional(Schema.Boolean),
  clauseNames: Schema.optional(Schema.Array(Schema.String)),
  schema: Schema.optional(JsonType),
})
export type FieldDetails = typeof FieldDetails.Type

/** An issue as search and bulkfetch return it; `fields` keeps Jira's raw values for the formatters. */
export const Issue = Schema.Struct({
  id: Schema.String,
  key: Schema.optional(Schema.String),
  fields: Schema.optional(Schema.Record({ key: Schema.String, value: Schema.Unknown })),
})
export type Issue = typeof Issue.Type
