/** `GET /jql/autocompletedata` and its `/suggestions`, built from the data set (docs/jira-cloud.md §4). */
import type { Dataset, FieldRecord } from "../model.js"

const OPERATORS: Readonly<Record<string, ReadonlyArray<string>>> = {
  string: ["~", "!~", "is", "is not"],
  number: ["=", "!=", ">", ">=", "<", "<=", "is", "is not", "in", "not in"],
  date: ["=", "!=", ">", ">=", "<", "<=", "is", "is not", "in", "not in"],
  datetime: ["=", "!=", ">", ">=", "<", "<=", "is", "is not", "in", "not in"],
  array: ["=", "!=", "is", "is not", "in", "not in"],
}
const DEFAULT_OPERATORS = [
  "=",
  "!=",
  "is",
  "is not",
  "in",
  "not in",
  "was",
  "was not",
  "was in",
  "was not in",
  "changed",
]

const TYPES: Readonly<Record<string, string>> = {
  string: "java.lang.String",
  number: "java.lang.Number",
  date: "java.util.Date",
  datetime: "java.util.Date",
  user: "com.atlassian.jira.user.ApplicationUser",
  project: "com.atlassian.jira.project.Project",
  status: "com.atlassian.jira.issue.status.Status",
  priority: "com.atlassian.jira.issue.priority.Priority",
  issuetype: "com.atlassian.jira.issue.issuetype.IssueType",
  option: "com.atlassian.jira.issue.customfields.option.Option",
}

const AUTO_TYPES = new Set(["user", "project", "status", "priority", "issuetype", "option", "array"])

const FUNCTIONS = [
  { value: "currentUser()", types: ["com.atlassian.jira.user.ApplicationUser"], isList: false },
  { value: 'membersOf("")', types: ["com.atlassian.jira.user.ApplicationUser"], isList: true },
  { value: "now()", types: ["java.util.Date"], isList: false },
  { value: "startOfDay()", types: ["java.util.Date"], isList: false },
  { value: "endOfDay()", types: ["java.util.Date"], isList: false },
  { value: "startOfWeek()", types: ["java.util.Date"], isList: false },
  { value: "startOfMonth()", types: ["java.util.Date"], isList: false },
  { value: "openSprints()", types: ["com.atlassian.greenhopper.service.sprint.Sprint"], isList: true },
  { value: "closedSprints()", types: ["com.atlassian.greenhopper.service.sprint.Sprint"], isList: true },
] as const

const RESERVED = [
  "and",
  "or",
  "not",
  "empty",
  "null",
  "order",
  "by",
  "asc",
  "desc",
  "in",
  "is",
  "was",
  "changed",
]

const bool = (b: boolean) => (b ? "true" : "false")

const fieldReference = (f: FieldRecord) => {
  const type = f.schema?.type ?? "string"
  const value = f.clauseNames[0] ?? f.id
  return {
    value,
    displayName: f.custom ? `${f.name} - ${value}` : f.name,
    orderable: bool(f.orderable),
    searchable: bool(f.searchable),
    auto: bool(AUTO_TYPES.has(type)),
    ...(f.schema?.customId === undefined ? {} : { cfid: `cf[${f.schema.customId}]` }),
    operators: [...(OPERATORS[type] ?? DEFAULT_OPERATORS)],
    types: [TYPES[f.schema?.items ?? type] ?? "java.lang.String"],
  }
}

export const autocompleteData = (dataset: Dataset) => ({
  visibleFieldNames: dataset.fields.filter((f) => f.searchable).map(fieldReference),
  visibleFunctionNames: FUNCTIONS.map((f) => ({
    value: f.value,
    displayName: f.value,
    ...(f.isList ? { isList: "true" } : {}),
    types: [...f.types],
  })),
  jqlReservedWords: RESERVED,
})

/** How many issues to scan for distinct values of issue fields (enough for a suggestion list). */
const SUGGESTION_SCAN = 500
const MAX_SUGGESTIONS = 15

const escapeHtml = (s: string) =>
  s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;")

const bolden = (text: string, typed: string): string | null => {
  if (typed === "") return escapeHtml(text)
  const at = text.toLowerCase().indexOf(typed.toLowerCase())
  if (at < 0) return null
  return `${escapeHtml(text.slice(0, at))}<b>${escapeHtml(text.slice(at, at + typed.length))}</b>${escapeHtml(text.slice(at + typed.length))}`
}

const nameOf = (value: unknown): string | null => {
  if (typeof value === "string") return value
  if (typeof value === "object" && value !== null) {
    const v = value as Record<string, unknown>
    for (const k of ["name", "value", "displayName"]) if (typeof v[k] === "string") return v[k]
  }
  return null
}

/** An issue key's project (`OPS-12` is in `OPS`), for values that are issue keys. */
const ISSUE_KEY = /^([A-Z][A-Z0-9_]*)-[1-9][0-9]*$/

/**
 * Suggestions for `fieldName` whose value contains `fieldValue`, the match wrapped in `<b>`. Like
 * Jira, only from what the viewer may browse: no hidden project, nothing read from its issues.
 */
export const suggestions = (
  dataset: Dataset,
  browsable: (projectKey: string) => boolean,
  fieldName: string,
  fieldValue: string,
) => {
  const name = fieldName.toLowerCase()
  const candidates = new Map<string, string>()
  if (name === "project") {
    for (const p of dataset.projects) if (browsable(p.key)) candidates.set(p.key, `${p.name} (${p.key})`)
  } else if (["assignee", "reporter", "creator"].includes(name)) {
    for (const u of dataset.users) candidates.set(u.accountId, u.displayName)
  } else {
    const field = dataset.fields.find(
      (f) => f.clauseNames.some((c) => c.toLowerCase() === name) || f.id === fieldName,
    )
    if (field)
      for (let i = 0; i < Math.min(dataset.issueCount, SUGGESTION_SCAN); i++) {
        const issue = dataset.issueAt(i)
        if (issue === undefined || !browsable(issue.projectKey)) continue
        const raw = issue.fields[field.id]
        for (const v of Array.isArray(raw) ? raw : [raw]) {
          const n = nameOf(v)
          const keyOf = n === null ? null : ISSUE_KEY.exec(n)
          if (n !== null && (keyOf === null || browsable(keyOf[1] ?? ""))) candidates.set(n, n)
        }
      }
  }
  const results: Array<{ value: string; displayName: string }> = []
  for (const [value, display] of candidates) {
    const displayName = bolden(display, fieldValue)
    if (displayName !== null) results.push({ value, displayName })
    if (results.length >= MAX_SUGGESTIONS) break
  }
  return { results }
}
