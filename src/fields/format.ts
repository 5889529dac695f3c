/**
 * Field values (Jira REST v3 shapes, docs/jira-cloud.md §2.3) as cell text.
 *
 * Formatters are pure and total: any JSON gives a string, never a throw and never "[object Object]".
 * Users known only by account id (ADF mentions, id-only values) are collected first by
 * {@link collectAccountIds}, resolved in one batch by the UserDirectory, and passed in `ctx.users`.
 */
import type { FormatOptions } from "../export/options.js"
import type { Issue } from "../jira/schemas.js"
import { adfToText, isAdfDoc, mentionIds } from "./adf.js"
import type { Column } from "./columns.js"
import { formatDate, formatDateTime } from "./dates.js"
import { formatDuration, plainDecimal } from "./numbers.js"

export interface DirectoryUserLike {
  readonly accountId: string
  readonly displayName: string
  readonly emailAddress?: string
}

export interface FormatContext {
  readonly users: ReadonlyMap<string, DirectoryUserLike>
  readonly options: FormatOptions
  /** The site's base URL without a trailing slash, for the Issue URL column. */
  readonly siteUrl: string
}

type Json = Readonly<Record<string, unknown>>
type Formatter = (value: unknown, ctx: FormatContext) => string

const isObject = (u: unknown): u is Json => typeof u === "object" && u !== null && !Array.isArray(u)
const nonEmpty = (u: unknown): string | undefined => (typeof u === "string" && u !== "" ? u : undefined)
const seconds = (u: unknown): number | undefined =>
  typeof u === "number" && Number.isFinite(u) ? u : undefined

const namesFrom =
  (ctx: FormatContext) =>
  (accountId: string): string | undefined =>
    ctx.users.get(accountId)?.displayName

// ---------------------------------------------------------------------------------------------
// Building blocks

/** Rich text: ADF rendered, a v2 string kept. */
const richText: Formatter = (value, ctx) => {
  if (value === null || value === undefined) return ""
  if (typeof value === "string") return value
  if (isAdfDoc(value)) return adfToText(value, namesFrom(ctx))
  return readable(value, ctx)
}

/** A user object (or a bare account id) per the user display option. */
const user: Formatter = (value, ctx) => {
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
const named: Formatter = (value, ctx) => {
  if (isObject(value)) {
    const name = nonEmpty(value.name) ?? nonEmpty(value.value) ?? nonEmpty(value.title) ?? nonEmpty(value.key)
    if (name !== undefined) return name
  }
  return readable(value, ctx)
}

/** An issue reference (parent, sub-task, epic): its key. */
const issueRef: Formatter = (value, ctx) => {
  if (isObject(value)) {
    const key = nonEmpty(value.key) ?? (isObject(value.data) ? nonEmpty(value.data.key) : undefined)
    if (key !== undefined) return key
  }
  return readable(value, ctx)
}

const option: Formatter = (value, ctx) => {
  if (!isObject(value)) return readable(value, ctx)
  const own = nonEmpty(value.value) ?? nonEmpty(value.name)
  if (own === undefined) return readable(value, ctx)
  const child = isObject(value.child)
    ? (nonEmpty(value.child.value) ?? nonEmpty(value.child.name))
    : undefined
  return child === undefined ? own : `${own} > ${child}`
}

const number: Formatter = (value, ctx) => {
  if (typeof value === "number") return plainDecimal(value)
  if (typeof value === "string" && /^-?\d+(\.\d+)?$/.test(value.trim())) return value.trim()
  return readable(value, ctx)
}

const date: Formatter = (value, ctx) =>
  typeof value === "string" ? formatDate(value, ctx.options) : readable(value, ctx)
const dateTime: Formatter = (value, ctx) =>
  typeof value === "string" ? formatDateTime(value, ctx.options) : readable(value, ctx)

const duration: Formatter = (value, ctx) => {
  const s = seconds(value)
  return s === undefined ? readable(value, ctx) : formatDuration(s, ctx.options)
}

const list =
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
const comments: Formatter = (value, ctx) => {
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
const worklogs: Formatter = (value, ctx) => {
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
const timeTracking: Formatter = (value, ctx) => {
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
const progress: Formatter = (value, ctx) => {
  if (!isObject(value)) return readable(value, ctx)
  const percent = seconds(value.percent)
  if (percent !== undefined) return `${plainDecimal(percent)}%`
  const done = seconds(value.progress)
  const total = seconds(value.total)
  if (done === undefined || total === undefined) return readable(value, ctx)
  return total > 0 ? `${plainDecimal(Math.round((done / total) * 100))}%` : ""
}

const counted =
  (key: string): Formatter =>
  (value, ctx) => {
    if (isObject(value) && typeof value[key] === "number") return number(value[key], ctx)
    return readable(value, ctx)
  }

/** `blocks ABC-1; is blocked by ABC-2`: the link type's phrase seen from this issue. */
const issueLink: Formatter = (value, ctx) => {
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

const attachment: Formatter = (value, ctx) =>
  isObject(value) && nonEmpty(value.filename) !== undefined ? String(value.filename) : readable(value, ctx)

const group: Formatter = (value, ctx) =>
  isObject(value)
    ? (nonEmpty(value.name) ?? nonEmpty(value.groupId) ?? readable(value, ctx))
    : readable(value, ctx)

const text: Formatter = (value, ctx) => (typeof value === "string" ? value : richText(value, ctx))

// ---------------------------------------------------------------------------------------------
// The readable fallback

const MAX_FALLBACK_DEPTH = 8

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
    if (depth >= MAX_FALLBACK_DEPTH) return compactJson(value)
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
  return label ?? compactJson(value)
}

const compactJson = (value: unknown): string => {
  const json = JSON.stringify(value, (_k, v: unknown) => (typeof v === "bigint" ? v.toString() : v))
  return typeof json === "string" ? json : ""
}

// ---------------------------------------------------------------------------------------------
// Dispatch: system field, custom type key, schema type

const bySystem: Readonly<Record<string, Formatter>> = {
  description: richText,
  environment: richText,
  comment: comments,
  worklog: worklogs,
  timetracking: timeTracking,
  timeoriginalestimate: duration,
  timeestimate: duration,
  timespent: duration,
  aggregatetimeoriginalestimate: duration,
  aggregatetimeestimate: duration,
  aggregatetimespent: duration,
  progress,
  aggregateprogress: progress,
  votes: counted("votes"),
  watches: counted("watchCount"),
  parent: issueRef,
  subtasks: list(issueRef),
  issuelinks: list(issueLink),
  attachment: list(attachment),
  labels: list(text),
  workratio: number,
}

/** Custom field type keys after `…customfieldtypes:` or the app prefix. */
const byCustom: Readonly<Record<string, Formatter>> = {
  "com.pyxis.greenhopper.jira:gh-sprint": list(named),
  "com.pyxis.greenhopper.jira:gh-epic-link": (v, ctx) => (typeof v === "string" ? v : issueRef(v, ctx)),
  "com.pyxis.greenhopper.jira:gh-lexo-rank": text,
  "com.pyxis.greenhopper.jira:jsw-story-points": number,
  "com.atlassian.jpo:jpo-custom-field-parent": issueRef,
  "com.atlassian.jira.plugin.system.customfieldtypes:textarea": richText,
  "com.atlassian.jira.plugin.system.customfieldtypes:cascadingselect": option,
  "com.atlassian.jira.plugin.system.customfieldtypes:atlassian-team": named,
  "com.atlassian.jira.plugin.system.customfieldtypes:float": number,
  "com.atlassian.jira.plugin.system.customfieldtypes:url": text,
}

const byType: Readonly<Record<string, Formatter>> = {
  string: richText,
  number,
  date,
  datetime: dateTime,
  status: named,
  priority: named,
  issuetype: named,
  project: named,
  resolution: named,
  securitylevel: named,
  component: named,
  version: named,
  user,
  group,
  option,
  "option-with-child": option,
  team: named,
  timetracking: timeTracking,
  progress,
  votes: counted("votes"),
  watches: counted("watchCount"),
  "comments-page": comments,
  issuelink: issueRef,
  issuelinks: issueLink,
  attachment,
  worklog: worklogs,
  sprint: named,
  json: readable,
  any: readable,
}

const byKind: Readonly<Record<Column["kind"], Formatter>> = {
  text: readable,
  number,
  date,
  datetime: dateTime,
}

// Formatters are looked up once per column, not once per cell.
const formatterCache = new WeakMap<Column, Formatter>()

/** The formatter of a column: pseudo-column, system field, custom type, schema type, then its kind. */
export const formatterFor = (column: Column): Formatter => {
  const cached = formatterCache.get(column)
  if (cached !== undefined) return cached
  const found = pickFormatter(column)
  formatterCache.set(column, found)
  return found
}

const pickFormatter = (column: Column): Formatter => {
  const schema = column.field?.schema
  const system = schema?.system ?? (column.field?.custom === false ? column.field.id : undefined)
  const systemFormatter = system === undefined ? undefined : bySystem[system]
  if (systemFormatter !== undefined) return systemFormatter
  const customFormatter = schema?.custom === undefined ? undefined : byCustom[schema.custom]
  if (customFormatter !== undefined) return customFormatter
  if (schema?.type === "array") {
    const item = schema.items === undefined ? undefined : byType[schema.items]
    return list(item ?? readable)
  }
  const typeFormatter = schema?.type === undefined ? undefined : byType[schema.type]
  return typeFormatter ?? byKind[column.kind]
}

const cellOf = (issue: Issue, column: Column, ctx: FormatContext): string => {
  switch (column.id) {
    case "issuekey":
      return issue.key ?? ""
    case "issueid":
      return issue.id
    case "issueurl":
      return issue.key === undefined ? "" : `${ctx.siteUrl.replace(/\/+$/, "")}/browse/${issue.key}`
    case "statuscategory": {
      const status = issue.fields?.status
      return isObject(status) ? named(status.statusCategory, ctx) : ""
    }
  }
  if (column.fieldId === null) return ""
  const value = issue.fields?.[column.fieldId]
  if (value === null || value === undefined) return ""
  return formatterFor(column)(value, ctx)
}

/**
 * One row of cell text for an issue: numbers as plain decimals ("4", "2.5"), dates per the options,
 * "" for null or absent values. Comments and worklogs are formatted from what the issue holds (the
 * export engine completes Jira's truncated lists first).
 */
export const formatRow = (
  issue: Issue,
  columns: ReadonlyArray<Column>,
  ctx: FormatContext,
): ReadonlyArray<string> => columns.map((c) => cellOf(issue, c, ctx))

/** Formats one value as the column would; for previews and tests. */
export const formatValue = (value: unknown, column: Column, ctx: FormatContext): string =>
  value === null || value === undefined ? "" : formatterFor(column)(value, ctx)

// ---------------------------------------------------------------------------------------------
// Account ids to resolve before formatting

const collectUserIds = (value: unknown, into: Set<string>, depth = 0): void => {
  if (depth > MAX_FALLBACK_DEPTH) return
  if (Array.isArray(value)) {
    for (const v of value) collectUserIds(v, into, depth + 1)
    return
  }
  if (!isObject(value)) return
  if (isAdfDoc(value)) {
    mentionIds(value, into)
    return
  }
  const id = nonEmpty(value.accountId)
  // A user object without a display name is only an id: it needs the directory.
  if (id !== undefined && nonEmpty(value.displayName) === undefined) into.add(id)
  for (const key of ["author", "body", "comment", "comments", "worklogs"]) {
    if (key in value) collectUserIds(value[key], into, depth + 1)
  }
}

/**
 * The account ids formatting this issue needs from the UserDirectory: mentions in rich text and
 * users present only by account id, over the given columns. Pure; each id once.
 */
export const collectAccountIds = (issue: Issue, columns: ReadonlyArray<Column>): ReadonlyArray<string> => {
  const ids = new Set<string>()
  for (const column of columns) {
    if (column.fieldId === null) continue
    const value = issue.fields?.[column.fieldId]
    if (value === null || value === undefined) continue
    const custom = column.field?.schema?.custom
    const type = column.field?.schema?.items ?? column.field?.schema?.type
    if (typeof value === "string") {
      // Bare account ids appear in user-typed fields of some apps.
      if (type === "user") ids.add(value)
      continue
    }
    if (custom === "com.pyxis.greenhopper.jira:gh-sprint") continue
    collectUserIds(value, ids)
  }
  return [...ids]
}

const collectUsers = (value: unknown, into: Map<string, DirectoryUserLike>, depth = 0): void => {
  if (depth > MAX_FALLBACK_DEPTH) return
  if (Array.isArray(value)) {
    for (const v of value) collectUsers(v, into, depth + 1)
    return
  }
  if (!isObject(value) || isAdfDoc(value)) return
  const accountId = nonEmpty(value.accountId)
  const displayName = nonEmpty(value.displayName)
  if (accountId !== undefined && displayName !== undefined && !into.has(accountId)) {
    const email = nonEmpty(value.emailAddress)
    into.set(
      accountId,
      email === undefined ? { accountId, displayName } : { accountId, displayName, emailAddress: email },
    )
  }
  for (const v of Object.values(value))
    if (typeof v === "object" && v !== null) collectUsers(v, into, depth + 1)
}

/**
 * Users the issue already shows in full (assignee, reporter, authors, pickers, …) over the given
 * columns. Jira sends current names and visible emails in these objects, so a mention of the same
 * user needs no `/user/bulk` lookup (identity objects cost 2 points each under Jira's quota). Pure.
 */
export const collectKnownUsers = (
  issue: Issue,
  columns: ReadonlyArray<Column>,
): ReadonlyArray<DirectoryUserLike> => {
  const users = new Map<string, DirectoryUserLike>()
  for (const column of columns) {
    if (column.fieldId === null) continue
    const value = issue.fields?.[column.fieldId]
    if (typeof value === "object" && value !== null) collectUsers(value, users)
  }
  return [...users.values()]
}
