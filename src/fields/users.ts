/**
 * The users formatting needs. Users known only by account id (ADF mentions, id-only values) are
 * collected first by {@link collectAccountIds}, resolved in one batch by the export engine (Jira's
 * `/user/bulk`), and handed to the formatters; users an issue shows in full are collected by
 * {@link collectKnownUsers} so they are never looked up. Pure.
 */
import type { Issue } from "../jira/schemas.js"
import { isAdfDoc, mentionIds } from "./adf.js"
import type { Column } from "./column.js"
import { isObject, MAX_VALUE_DEPTH, nonEmpty } from "./json.js"

/** A user as cells show it: the name, and the email when the viewer may see it. */
export interface DirectoryUserLike {
  readonly accountId: string
  readonly displayName: string
  readonly emailAddress?: string
  /**
   * False for the directory's placeholder of an account Jira did not return (deleted or hidden users
   * are absent from `/user/bulk`): its name is not the user's, so a mention keeps the name it stores.
   */
  readonly known?: boolean
}

const collectUserIds = (value: unknown, into: Set<string>, depth = 0): void => {
  if (depth > MAX_VALUE_DEPTH) return
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
  if (depth > MAX_VALUE_DEPTH) return
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
