/**
 * Which formatter a column uses, and an issue's row of cell text.
 *
 * Formatters (formatters.ts) turn field values into text; this file picks one per column from the
 * field's schema. Users known only by account id must be resolved first (users.ts) and passed in
 * `ctx.users`.
 */
import type { Issue } from "../jira/schemas.js"
import type { Column } from "./column.js"
import {
  attachment,
  comments,
  counted,
  date,
  dateTime,
  duration,
  type FormatContext,
  type Formatter,
  group,
  issueLink,
  issueRef,
  list,
  named,
  number,
  option,
  progress,
  readable,
  richText,
  text,
  timeTracking,
  user,
  worklogs,
} from "./formatters.js"
import { historyCell, isHistoryColumn } from "./historyColumns.js"
import { isObject } from "./json.js"
import {
  colour,
  development,
  issueRestriction,
  legacyTimeInStatus,
  parentLink,
  sla,
  workRatio,
} from "./siteFields.js"

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
  workratio: workRatio,
  issuerestriction: issueRestriction,
}

/** Custom field type keys after `…customfieldtypes:` or the app prefix. */
const byCustom: Readonly<Record<string, Formatter>> = {
  "com.pyxis.greenhopper.jira:gh-sprint": list(named),
  "com.pyxis.greenhopper.jira:gh-epic-link": (v, ctx) => (typeof v === "string" ? v : issueRef(v, ctx)),
  "com.pyxis.greenhopper.jira:gh-lexo-rank": text,
  "com.pyxis.greenhopper.jira:jsw-story-points": number,
  "com.atlassian.jpo:jpo-custom-field-parent": parentLink,
  "com.pyxis.greenhopper.jira:gh-epic-color": colour,
  "com.pyxis.greenhopper.jira:jsw-issue-color": colour,
  "com.atlassian.servicedesk:sd-sla-field": sla,
  "com.atlassian.jira.plugins.jira-development-integration-plugin:devsummarycf": development,
  "com.atlassian.jira.plugins.jira-development-integration-plugin:devsummary": development,
  "com.atlassian.jira.ext.charting:timeinstatus": legacyTimeInStatus,
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

/** One value of a multi-value system field (the column's own formatter is a `list` of it). */
const itemBySystem: Readonly<Record<string, Formatter>> = {
  labels: text,
  attachment,
  subtasks: issueRef,
  issuelinks: issueLink,
}

/**
 * The formatter of one value of a multi-value column (labels, versions, a multi-user picker, …), for
 * files that give each value a cell of its own (importer.ts).
 */
export const itemFormatterFor = (column: Column): Formatter => {
  const schema = column.field?.schema
  const system = schema?.system ?? (column.field?.custom === false ? column.field.id : undefined)
  const bySystemItem = system === undefined ? undefined : itemBySystem[system]
  if (bySystemItem !== undefined) return bySystemItem
  if (schema?.custom === "com.pyxis.greenhopper.jira:gh-sprint") return named
  const item = schema?.items === undefined ? undefined : byType[schema.items]
  return item ?? readable
}

/** One cell: the column's formatter over the issue's value, "" for null or absent values. */
export const formatCell = (issue: Issue, column: Column, ctx: FormatContext): string => {
  switch (column.id) {
    case "issuekey":
      return issue.key ?? ""
    case "issueid":
      return issue.id
    case "issueurl":
      return issue.key === undefined ? "" : `${ctx.siteUrl}/browse/${issue.key}`
    case "statuscategory": {
      const status = issue.fields?.status
      return isObject(status) ? named(status.statusCategory, ctx) : ""
    }
  }
  if (isHistoryColumn(column)) return historyCell(issue, column, ctx)
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
): ReadonlyArray<string> => columns.map((c) => formatCell(issue, c, ctx))

/** Formats one value as the column would; for previews and tests. */
export const formatValue = (value: unknown, column: Column, ctx: FormatContext): string =>
  value === null || value === undefined ? "" : formatterFor(column)(value, ctx)
