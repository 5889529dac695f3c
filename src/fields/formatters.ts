/**
 * Formatters: field values (Jira REST v3 shapes, docs/jira-cloud.md §2.3) as cell text, one per kind
 * of value. Pure and total: any JSON gives a string, never a throw and never "[object Object]".
 * Which formatter a column uses is chosen in format.ts.
 */

import { adfToText, isAdfDoc } from "./adf.js"
import { formatDate, formatDateTime } from "./dates.js"
import { isObject, type Json, MAX_VALUE_DEPTH, nonEmpty } from "./json.js"
import { formatDuration, plainDecimal } from "./numbers.js"
import type { FormatOptions } from "./options.js"
import type { HistoryContext } from "./statusTimes.js"
import type { DirectoryUserLike } from "./users.js"

export interface FormatContext {
  /** Users known only by account id (mentions, id-only values), resolved before formatting. */
  readonly users: ReadonlyMap<string, DirectoryUserLike>
  readonly options: FormatOptions
  /** The site's base URL without a trailing slash, for the Issue URL column. */
  readonly siteUrl: string
  /** For the status-history columns: the export's as-of instant and the site's statuses. */
  readonly history?: HistoryContext
}

export type Formatter = (value: unknown, ctx: FormatContext) => string

const seconds = (u: unknown): number | undefined =>
  typeof u === "number" && Number.isFinite(u) ? u : undefined

/** A mention's current name; none for an account Jira did not return, whose stored name then stands. */
const namesFrom =
  (ctx: FormatContext) =>
  (accountId: string): string | undefined => {
    const user = ctx.users.get(accountId)
    return user === undefined || user.known === false ? undefined : user.displayName
  }

// ---------------------------------------------------------------------------------------------
// Building blocks

/** Rich text: ADF rendered, a v2 string kept. */
export const richText: Formatter = (value, ctx) => {
  if (value === null || value === undefined) return ""
  if (typeof value === "string") return value
  if (isAdfDoc(value)) return adfToText(value, namesFrom(ctx))
  return readable(value, ctx)
}

/** A user object (or a bare account id) per the user display option. */
export const user: Formatter = (value, ctx) => {
  if (typeof value === "string") return userById(value, ctx)
  if (!isObject(value)) return readable(value, ctx)
  const id = nonEmpty(value.accountId)
  const known = id === undefined ? undefined : ctx.users.get(id)
  const name = nonEmpty(value.displayName) ?? nonEmpty(known?.displayName)
  switch (ctx.options.userDisplay) {
    case "accountId":
      return id ?? name ?? readable(value, ctx)
    case "email":
      // Email is hidden by profile visibility more often than not; the name is the fallback.
      return nonEmpty(value.emailAddress) ?? nonEmpty(known?.emailAddress) ?? name ?? id ?? ""
    default:
      return name ?? id ?? readable(value, ctx)
  }
}

const userById = (accountId: string, ctx: FormatContext): string => {
  if (ctx.options.userDisplay === "accountId") return accountId
  const known = ctx.users.get(accountId)
  if (ctx.options.userDisplay === "email")
    return nonEmpty(known?.emailAddress) ?? known?.displayName ?? accountId
  return nonEmpty(known?.displayName) ?? accountId
}

/** Objects shown by their name (status, priority, issue type, resolution, component, version, …). */
export const named: Formatter = (value, ctx) => {
  if (isObject(value)) {
    const name = nonEmpty(value.name) ?? nonEmpty(value.value) ?? nonEmpty(value.title) ?? nonEmpty(value.key)
    if (name !== undefined) return name
  }
  return readable(value, ctx)
}

/** An issue reference (parent, sub-task, epic): its key. */
export const issueRef: Formatter = (value, ctx) => {
  if (isObject(value)) {
    const key = nonEmpty(value.key) ?? (isObject(value.data) ? nonEmpty(value.data.key) : undefined)
    if (key !== undefined) return key
  }
  return readable(value, ctx)
}

export const option: Formatter = (value, ctx) => {
  if (!isObject(value)) return readable(value, ctx)
  const own = nonEmpty(value.value) ?? nonEmpty(value.name)
  if (own === undefined) return readable(value, ctx)
  const child = isObject(value.child)
    ? (nonEmpty(value.child.value) ?? nonEmpty(value.child.name))
    : undefined
  return child === undefined ? own : `${own} > ${child}`
}

export const number: Formatter = (value, ctx) => {
  if (typeof value === "number") return plainDecimal(value)
  if (typeof value === "string" && /^-?\d+(\.\d+)?$/.test(value.trim())) return value.trim()
  return readable(value, ctx)
}

export const date: Formatter = (value, ctx) =>
  typeof value === "string" ? formatDate(value, ctx.options) : readable(value, ctx)
export const dateTime: Formatter = (value, ctx) =>
  typeof value === "string" ? formatDateTime(value, ctx.options) : readable(value, ctx)

export const duration: Formatter = (value, ctx) => {
  const s = seconds(value)
  return s === undefined ? readable(value, ctx) : formatDuration(s, ctx.options)
}

export const list =
  (item: Formatter): Formatter =>
  (value, ctx) => {
    if (!Array.isArray(value)) return value === null || value === undefined ? "" : item(value, ctx)
    return value
      .map((v) => item(v, ctx))
      .filter((s) => s !== "")
      .join(ctx.options.multiValueSeparator)
  }

/** One line per entry: comments and worklogs, whose own line breaks are folded into spaces. */
const oneLine = (text: string): string => text.replace(/\s*[\r\n]+\s*/g, " ").trim()

const entryHead = (when: unknown, author: unknown, ctx: FormatContext): string => {
  const at = typeof when === "string" ? formatDateTime(when, ctx.options) : ""
  const who = author === undefined || author === null ? "" : user(author, ctx)
  return [at, who].filter((s) => s !== "").join(" ")
}

/** `2026-11-02 10:17 Jane Doe: text`, one comment per line, oldest first as Jira lists them. */
export const comments: Formatter = (value, ctx) => {
  const entries =
    isObject(value) && Array.isArray(value.comments) ? value.comments : Array.isArray(value) ? value : null
  if (entries === null) return value === null || value === undefined ? "" : readable(value, ctx)
  return entries
    .map((c) => {
      if (!isObject(c)) return readable(c, ctx)
      const head = entryHead(c.created, c.author, ctx)
      const body = oneLine(richText(c.body, ctx))
      return head === "" ? body : `${head}: ${body}`
    })
    .filter((s) => s !== "")
    .join("\n")
}

/** `2026-11-02 10:17 Jane Doe: 3h, text`, one worklog per line (started time). */
export const worklogs: Formatter = (value, ctx) => {
  const entries =
    isObject(value) && Array.isArray(value.worklogs) ? value.worklogs : Array.isArray(value) ? value : null
  if (entries === null) return value === null || value === undefined ? "" : readable(value, ctx)
  return entries
    .map((w) => {
      if (!isObject(w)) return readable(w, ctx)
      const head = entryHead(w.started ?? w.created, w.author, ctx)
      const spent = seconds(w.timeSpentSeconds)
      const time = spent === undefined ? (nonEmpty(w.timeSpent) ?? "") : formatDuration(spent, ctx.options)
      const text = oneLine(richText(w.comment, ctx))
      const body = [time, text].filter((s) => s !== "").join(", ")
      return head === "" ? body : `${head}: ${body}`
    })
    .filter((s) => s !== "")
    .join("\n")
}

/** `Original: 1w; Remaining: 2d; Spent: 3h`, the parts Jira has. */
export const timeTracking: Formatter = (value, ctx) => {
  if (!isObject(value)) return value === null || value === undefined ? "" : readable(value, ctx)
  const parts: Array<string> = []
  const part = (label: string, s: unknown, text: unknown) => {
    const n = seconds(s)
    const shown = n === undefined ? nonEmpty(text) : formatDuration(n, ctx.options)
    if (shown !== undefined) parts.push(`${label}: ${shown}`)
  }
  part("Original", value.originalEstimateSeconds, value.originalEstimate)
  part("Remaining", value.remainingEstimateSeconds, value.remainingEstimate)
  part("Spent", value.timeSpentSeconds, value.timeSpent)
  return parts.join(ctx.options.multiValueSeparator)
}

/** Progress as a percentage of the total (`50%`, which spreadsheets read as 0.5). */
export const progress: Formatter = (value, ctx) => {
  if (!isObject(value)) return readable(value, ctx)
  const percent = seconds(value.percent)
  if (percent !== undefined) return `${plainDecimal(percent)}%`
  const done = seconds(value.progress)
  const total = seconds(value.total)
  if (done === undefined || total === undefined) return readable(value, ctx)
  return total > 0 ? `${plainDecimal(Math.round((done / total) * 100))}%` : ""
}

export const counted =
  (key: string): Formatter =>
  (value, ctx) => {
    if (isObject(value) && typeof value[key] === "number") return number(value[key], ctx)
    return readable(value, ctx)
  }

/** `blocks ABC-1; is blocked by ABC-2`: the link type's phrase seen from this issue. */
export const issueLink: Formatter = (value, ctx) => {
  if (!isObject(value)) return readable(value, ctx)
  const type = isObject(value.type) ? value.type : {}
  const outward = isObject(value.outwardIssue) ? value.outwardIssue : undefined
  const inward = isObject(value.inwardIssue) ? value.inwardIssue : undefined
  const other = outward ?? inward
  if (other === undefined) return readable(value, ctx)
  const phrase = outward !== undefined ? nonEmpty(type.outward) : nonEmpty(type.inward)
  const key = issueRef(other, ctx)
  return phrase === undefined ? key : `${phrase} ${key}`
}

export const attachment: Formatter = (value, ctx) =>
  isObject(value) && nonEmpty(value.filename) !== undefined ? String(value.filename) : readable(value, ctx)

export const group: Formatter = (value, ctx) =>
  isObject(value)
    ? (nonEmpty(value.name) ?? nonEmpty(value.groupId) ?? readable(value, ctx))
    : readable(value, ctx)

export const text: Formatter = (value, ctx) => (typeof value === "string" ? value : richText(value, ctx))

// ---------------------------------------------------------------------------------------------
// The readable fallback

/**
 * Any value as readable text: strings as they are, numbers as plain decimals, objects by their
 * display name/name/value/key when they have one, ADF as text, lists joined, anything else as
 * compact JSON. Never "[object Object]".
 */
export const readable = (value: unknown, ctx: FormatContext, depth = 0): string => {
  if (value === null || value === undefined) return ""
  if (typeof value === "string") return value
  if (typeof value === "number") return plainDecimal(value)
  if (typeof value === "boolean") return value ? "true" : "false"
  if (Array.isArray(value)) {
    if (depth >= MAX_VALUE_DEPTH) return ctx.options.jsonForUnknown === true ? compactJson(value) : ""
    return value
      .map((v) => readable(v, ctx, depth + 1))
      .filter((s) => s !== "")
      .join(ctx.options.multiValueSeparator)
  }
  if (!isObject(value)) return compactJson(value)
  if (isAdfDoc(value)) return adfToText(value, namesFrom(ctx))
  if (nonEmpty(value.accountId) !== undefined) return user(value, ctx)
  const label =
    nonEmpty(value.displayName) ??
    nonEmpty(value.name) ??
    (nonEmpty(value.value) !== undefined ? option(value, ctx) : undefined) ??
    nonEmpty(value.title) ??
    nonEmpty(value.key)
  if (label !== undefined) return label
  return ctx.options.jsonForUnknown === true ? compactJson(value) : humanText(value, ctx, depth)
}

/** Keys whose text says what an unknown object is, best first, after the labels `readable` tries. */
const TEXT_KEYS = ["message", "errorMessage", "text", "label", "summary", "description", "id"] as const

/**
 * An object no formatter knows, for people: its first telling text, else its entries as `key: value`
 * (links left out, nested entries in parentheses), never a JSON object; "" when it holds nothing.
 */
const humanText = (value: Json, ctx: FormatContext, depth: number): string => {
  for (const key of TEXT_KEYS) {
    const own = value[key]
    const text = typeof own === "number" ? plainDecimal(own) : nonEmpty(own)
    if (text !== undefined) return text
  }
  if (depth >= MAX_VALUE_DEPTH) return ""
  const parts: Array<string> = []
  for (const [key, inner] of Object.entries(value)) {
    if (key === "self" || key.endsWith("Url") || key.endsWith("Urls")) continue
    const text = readable(inner, ctx, depth + 1)
    if (text === "") continue
    // A nested object's own entries go in parentheses, so the pairs stay readable.
    parts.push(isObject(inner) && text.includes(": ") ? `${key} (${text})` : `${key}: ${text}`)
  }
  return parts.join(", ")
}

const compactJson = (value: unknown): string => {
  const json = JSON.stringify(value, (_k, v: unknown) => (typeof v === "bigint" ? v.toString() : v))
  return typeof json === "string" ? json : ""
}
