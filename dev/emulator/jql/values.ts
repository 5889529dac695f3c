/**
 * How the engine reads REST values: field kinds, the identifiers a value answers to in JQL, text of
 * ADF documents, and Jira's date formats and relative periods.
 */
import type { FieldRecord } from "../model.js"

export type Kind =
  | "project"
  | "issuekey"
  | "parent"
  | "status"
  | "statusCategory"
  | "priority"
  | "issuetype"
  | "resolution"
  | "user"
  | "text"
  | "url"
  | "labels"
  | "option"
  | "cascade"
  | "version"
  | "component"
  | "group"
  | "team"
  | "sprint"
  | "epiclink"
  | "rank"
  | "date"
  | "datetime"
  | "number"
  | "security"
  | "attachments"
  | "unsupported"

const SYSTEM_KINDS: Record<string, Kind> = {
  project: "project",
  issuekey: "issuekey",
  parent: "parent",
  status: "status",
  statusCategory: "statusCategory",
  priority: "priority",
  issuetype: "issuetype",
  resolution: "resolution",
  assignee: "user",
  reporter: "user",
  creator: "user",
  summary: "text",
  description: "text",
  environment: "text",
  comment: "text",
  labels: "labels",
  components: "component",
  fixVersions: "version",
  versions: "version",
  duedate: "date",
  created: "datetime",
  updated: "datetime",
  resolutiondate: "datetime",
  lastViewed: "datetime",
  statuscategorychangedate: "datetime",
  timeoriginalestimate: "number",
  timeestimate: "number",
  timespent: "number",
  aggregatetimeoriginalestimate: "number",
  aggregatetimeestimate: "number",
  aggregatetimespent: "number",
  workratio: "number",
  votes: "number",
  watches: "number",
  security: "security",
  attachment: "attachments",
}

const CUSTOM_KINDS: Record<string, Kind> = {
  "gh-sprint": "sprint",
  float: "number",
  "jsw-story-points": "number",
  "atlassian-team": "team",
  "gh-epic-link": "epiclink",
  "gh-lexo-rank": "rank",
  select: "option",
  radiobuttons: "option",
  multiselect: "option",
  multicheckboxes: "option",
  cascadingselect: "cascade",
  userpicker: "user",
  multiuserpicker: "user",
  datepicker: "date",
  datetime: "datetime",
  textfield: "text",
  textarea: "text",
  readonlyfield: "text",
  url: "url",
  labels: "labels",
  version: "version",
  multiversion: "version",
  grouppicker: "group",
  multigrouppicker: "group",
  project: "project",
}

export const kindOf = (field: FieldRecord): Kind => {
  if (!field.custom) return SYSTEM_KINDS[field.id] ?? "unsupported"
  const custom = field.schema?.custom ?? ""
  return CUSTOM_KINDS[custom.slice(custom.lastIndexOf(":") + 1)] ?? "unsupported"
}

const isRecord = (v: unknown): v is Readonly<Record<string, unknown>> => typeof v === "object" && v !== null

const str = (v: unknown): string | undefined =>
  typeof v === "string" ? v : typeof v === "number" ? String(v) : undefined

/** The identifiers (lowercased) that a single REST value answers to in JQL. */
export const keysOf = (kind: Kind, v: unknown): ReadonlyArray<string> => {
  const out: Array<string> = []
  const add = (x: unknown) => {
    const s = str(x)
    if (s !== undefined) out.push(s.toLowerCase())
  }
  if (!isRecord(v)) {
    add(v)
    return out
  }
  switch (kind) {
    case "project":
      add(v.key)
      add(v.name)
      add(v.id)
      break
    case "user":
      add(v.accountId)
      add(v.displayName)
      add(v.emailAddress)
      break
    case "statusCategory": {
      const c = isRecord(v.statusCategory) ? v.statusCategory : v
      add(c.name)
      add(c.key)
      add(c.id)
      break
    }
    case "option":
      add(v.value)
      add(v.id)
      break
    case "cascade":
      add(v.value)
      add(v.id)
      if (isRecord(v.child)) {
        add(v.child.value)
        add(v.child.id)
      }
      break
    case "group":
      add(v.name)
      add(v.groupId)
      break
    case "team":
    case "sprint":
      add(v.id)
      add(v.name)
      break
    default:
      add(v.name)
      add(v.id)
  }
  return out
}

/** Display text of a value, for sorting. */
export const sortTextOf = (v: unknown): string => {
  if (!isRecord(v)) return str(v)?.toLowerCase() ?? ""
  return (str(v.displayName) ?? str(v.name) ?? str(v.value) ?? str(v.key) ?? str(v.id) ?? "").toLowerCase()
}

/** Plain text of an ADF document (or a string), for `~`. */
export const textOf = (v: unknown): string => {
  if (v === null || v === undefined) return ""
  if (typeof v === "string") return v
  const parts: Array<string> = []
  const walk = (node: unknown) => {
    if (Array.isArray(node)) {
      for (const n of node) walk(n)
      return
    }
    if (!isRecord(node)) return
    if (typeof node.text === "string") parts.push(node.text)
    if (isRecord(node.attrs)) {
      const a = node.attrs
      if (node.type === "mention" && typeof a.text === "string") parts.push(a.text)
      if (node.type === "emoji") parts.push(str(a.text) ?? str(a.shortName) ?? "")
      if (node.type === "status" && typeof a.text === "string") parts.push(a.text)
    }
    if (Array.isArray(node.content)) walk(node.content)
    // Comment pages: the bodies of the comments.
    if (Array.isArray(node.comments)) for (const c of node.comments) if (isRecord(c)) walk(c.body)
  }
  walk(v)
  return parts.join(" ")
}

/** Whether a REST value counts as EMPTY in JQL. */
export const isEmptyValue = (v: unknown): boolean => {
  if (v === null || v === undefined || v === "") return true
  if (Array.isArray(v)) return v.length === 0
  if (isRecord(v)) {
    if (Array.isArray(v.comments)) return v.comments.length === 0
    if (v.type === "doc") return textOf(v).trim() === ""
    return Object.keys(v).length === 0
  }
  return false
}

const DATETIME =
  /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,3}))?(?:([+-])(\d{2}):?(\d{2})|Z)?$/
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/

/** Milliseconds of a REST date ("2026-07-17", UTC midnight) or datetime ("…T09:26:53.589+0530"). */
export const restTime = (v: unknown): number => {
  if (typeof v !== "string") return Number.NaN
  const d = DATE.exec(v)
  if (d !== null) return Date.UTC(Number(d[1]), Number(d[2]) - 1, Number(d[3]))
  const m = DATETIME.exec(v)
  if (m === null) return Number.NaN
  const local = Date.UTC(
    Number(m[1]),
    Number(m[2]) - 1,
    Number(m[3]),
    Number(m[4]),
    Number(m[5]),
    Number(m[6]),
    Number((m[7] ?? "0").padEnd(3, "0")),
  )
  if (m[8] === undefined) return local
  const offset = (Number(m[9]) * 60 + Number(m[10])) * 60_000
  return m[8] === "+" ? local - offset : local + offset
}

const UNIT_MS: Record<string, number> = { w: 7 * 86_400_000, d: 86_400_000, h: 3_600_000, m: 60_000 }
const QUERY_DATE = /^(\d{4})[/-](\d{1,2})[/-](\d{1,2})(?:\s+(\d{1,2}):(\d{2}))?$/
const PERIOD = /^([+-])?\s*((?:\d+\s*[wdhm]\s*)+)$/i

/**
 * A JQL date value: 'yyyy/MM/dd HH:mm', 'yyyy-MM-dd HH:mm', 'yyyy/MM/dd', 'yyyy-MM-dd', a period
 * relative to now ("-5d", "4w 2d", "-1h", "30m"), or epoch milliseconds. Absolute dates are read in
 * UTC (Jira uses the searching user's time zone). NaN when invalid.
 */
export const queryTime = (value: string, now: number): number => {
  const v = value.trim()
  const d = QUERY_DATE.exec(v)
  if (d !== null)
    return Date.UTC(Number(d[1]), Number(d[2]) - 1, Number(d[3]), Number(d[4] ?? 0), Number(d[5] ?? 0))
  const p = PERIOD.exec(v)
  if (p !== null) {
    let total = 0
    for (const part of (p[2] ?? "").matchAll(/(\d+)\s*([wdhm])/gi))
      total += Number(part[1]) * (UNIT_MS[(part[2] ?? "d").toLowerCase()] ?? 0)
    return p[1] === "-" ? now - total : now + total
  }
  if (/^-?\d+$/.test(v)) return Number(v)
  return Number.NaN
}

/** Applies a function increment such as "-1", "+2d", "-1M" (unit defaults to the function's own). */
export const shift = (ms: number, increment: string | undefined, unit: "d" | "w" | "M" | "y"): number => {
  if (increment === undefined) return ms
  const m = /^([+-]?)(\d+)([yMwdhm]?)$/.exec(increment.trim())
  if (m === null) return Number.NaN
  const n = Number(m[2]) * (m[1] === "-" ? -1 : 1)
  const u = m[3] === "" || m[3] === undefined ? unit : m[3]
  const date = new Date(ms)
  switch (u) {
    case "y":
      return date.setUTCFullYear(date.getUTCFullYear() + n)
    case "M":
      return date.setUTCMonth(date.getUTCMonth() + n)
    default:
      return ms + n * (UNIT_MS[u] ?? 86_400_000)
  }
}

/** Word matching for `~`: see `textMatcher`. */
const TERM = /[\p{L}\p{N}]+/gu

/**
 * JQL `~` as the emulator does it: case-insensitive; a query in inner double quotes is a phrase
 * (substring); otherwise every word of the query (letters and digits; a trailing `*` is a prefix
 * wildcard, which substring matching already covers) must occur as a substring of the text.
 * A query without any word matches nothing.
 */
export const textMatcher = (query: string): ((text: string) => boolean) => {
  const q = query.trim().toLowerCase()
  if (q.length >= 2 && q.startsWith('"') && q.endsWith('"')) {
    const phrase = q.slice(1, -1)
    return (text) => phrase !== "" && text.toLowerCase().includes(phrase)
  }
  const terms = q.match(TERM) ?? []
  if (terms.length === 0) return () => false
  return (text) => {
    const t = text.toLowerCase()
    for (const term of terms) if (!t.includes(term)) return false
    return true
  }
}
