/**
 * Guards for field values, which are untrusted JSON as Jira sent them: every access is checked, so
 * formatting never throws on a shape it did not expect.
 */

export type Json = Readonly<Record<string, unknown>>

/** A JSON object (not an array, not null). */
export const isObject = (u: unknown): u is Json => typeof u === "object" && u !== null && !Array.isArray(u)

/** A string with something in it; Jira writes "" and null alike for "not set". */
export const nonEmpty = (u: unknown): string | undefined =>
  typeof u === "string" && u !== "" ? u : undefined

/**
 * How deep formatting and user collection walk into a value. Jira's field values nest a few levels;
 * past this a value is written as compact JSON (or not searched for users) instead of recursed into.
 */
export const MAX_VALUE_DEPTH = 8
