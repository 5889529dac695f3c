/**
 * Atlassian Document Format (rich text in description, environment, textarea fields, comment and
 * worklog bodies) rendered as readable plain text for a CSV cell.
 *
 * Structure: https://developer.atlassian.com/cloud/jira/platform/apis/document/structure/ and the
 * rendering rules of docs/jira-cloud.md §7. Input is untrusted JSON: every access is checked, unknown nodes
 * fall back to their content, and nothing here throws.
 */
import { isObject, type Json } from "./json.js"

/** The one thing rendering needs from outside: a mention's current display name. */
export type MentionName = (accountId: string) => string | undefined

const str = (u: unknown): string | undefined => (typeof u === "string" ? u : undefined)
const children = (node: Json): ReadonlyArray<unknown> => (Array.isArray(node.content) ? node.content : [])
const attrs = (node: Json): Json => (isObject(node.attrs) ? node.attrs : {})

/** Deeper nesting than any editor produces; past it a hostile document is cut, not recursed into. */
const MAX_DEPTH = 64

/** Whether a value looks like an ADF document (`{type: "doc", content: [...]}`). */
export const isAdfDoc = (u: unknown): boolean => isObject(u) && u.type === "doc" && Array.isArray(u.content)

const INLINE_TYPES = new Set([
  "text",
  "hardBreak",
  "mention",
  "emoji",
  "inlineCard",
  "date",
  "status",
  "placeholder",
  "mediaInline",
  "inlineExtension",
])

const linkOf = (node: Json): string | undefined => {
  if (!Array.isArray(node.marks)) return undefined
  for (const mark of node.marks) {
    if (isObject(mark) && mark.type === "link" && isObject(mark.attrs)) return str(mark.attrs.href)
  }
  return undefined
}

const pad2 = (n: number) => String(n).padStart(2, "0")

/** An ADF `date` node holds epoch milliseconds (as a string) of a UTC midnight. */
const dateText = (timestamp: unknown): string => {
  const ms = typeof timestamp === "number" ? timestamp : Number(str(timestamp) ?? Number.NaN)
  if (!Number.isFinite(ms) || Math.abs(ms) > 8.64e15) return str(timestamp) ?? ""
  const d = new Date(ms)
  return `${d.getUTCFullYear()}-${pad2(d.getUTCMonth() + 1)}-${pad2(d.getUTCDate())}`
}

const inlineNode = (node: Json, names: MentionName, depth: number): string => {
  const a = attrs(node)
  switch (node.type) {
    case "text":
      return str(node.text) ?? ""
    case "hardBreak":
      return "\n"
    case "mention": {
      const id = str(a.id)
      const name = (id === undefined ? undefined : names(id)) ?? str(a.text)?.replace(/^@/, "") ?? id ?? ""
      return name === "" ? "" : `@${name}`
    }
    case "emoji":
      return str(a.text) ?? str(a.shortName) ?? ""
    case "inlineCard":
      return str(a.url) ?? (isObject(a.data) ? (str(a.data.url) ?? str(a.data.name) ?? "") : "")
    case "date":
      return dateText(a.timestamp)
    case "status": {
      const text = str(a.text)
      return text === undefined || text === "" ? "" : `[${text}]`
    }
    case "mediaInline":
      return "[attachment]"
    case "placeholder":
    case "inlineExtension":
      return ""
    default:
      return depth < MAX_DEPTH ? inline(children(node), names, depth + 1) || (str(node.text) ?? "") : ""
  }
}

/** Inline content; consecutive text with the same link becomes `text (url)` once. */
const inline = (nodes: ReadonlyArray<unknown>, names: MentionName, depth: number): string => {
  let out = ""
  let linkText = ""
  let href: string | undefined
  const flush = () => {
    if (href !== undefined) out += linkText === href || linkText === "" ? href : `${linkText} (${href})`
    else out += linkText
    linkText = ""
    href = undefined
  }
  for (const n of nodes) {
    if (!isObject(n)) continue
    const link = n.type === "text" ? linkOf(n) : undefined
    if (link !== href) flush()
    href = link
    if (link === undefined) {
      out += inlineNode(n, names, depth)
    } else linkText += str(n.text) ?? ""
  }
  flush()
  return out
}

const indent = (text: string, first: string, rest: string): string =>
  text
    .split("\n")
    .map((line, i) => (i === 0 ? first : line === "" ? "" : rest) + line)
    .join("\n")

const listItems = (node: Json, names: MentionName, depth: number, ordered: boolean): string => {
  const start = Number(attrs(node).order)
  let n = Number.isInteger(start) && start > 0 ? start : 1
  const lines: Array<string> = []
  for (const item of children(node)) {
    if (!isObject(item)) continue
    const body = blocks(children(item), names, depth + 1, "\n")
    const prefix = ordered ? `${n++}. ` : "- "
    lines.push(indent(body, prefix, "  "))
  }
  return lines.join("\n")
}

const taskItems = (node: Json, names: MentionName, depth: number): string => {
  const lines: Array<string> = []
  for (const item of children(node)) {
    if (!isObject(item)) continue
    if (item.type === "taskList") {
      lines.push(indent(taskItems(item, names, depth + 1), "  ", "  "))
      continue
    }
    const box = attrs(item).state === "DONE" ? "[x] " : "[ ] "
    lines.push(indent(inline(children(item), names, depth + 1), box, "  "))
  }
  return lines.join("\n")
}

const table = (node: Json, names: MentionName, depth: number): string =>
  children(node)
    .filter(isObject)
    .map((row) =>
      children(row)
        .filter(isObject)
        .map((cell) => blocks(children(cell), names, depth + 1, " ").replace(/\s*\n\s*/g, " "))
        .join(" | "),
    )
    .join("\n")

const block = (node: Json, names: MentionName, depth: number): string => {
  if (depth > MAX_DEPTH) return ""
  const a = attrs(node)
  switch (node.type) {
    case "paragraph":
    case "heading":
    case "codeBlock":
      return inline(children(node), names, depth + 1)
    case "bulletList":
      return listItems(node, names, depth, false)
    case "orderedList":
      return listItems(node, names, depth, true)
    case "taskList":
      return taskItems(node, names, depth)
    case "decisionList":
      return children(node)
        .filter(isObject)
        .map((item) => indent(inline(children(item), names, depth + 1), "- ", "  "))
        .join("\n")
    case "table":
      return table(node, names, depth)
    case "rule":
      return "---"
    case "expand":
    case "nestedExpand": {
      const title = str(a.title) ?? ""
      const body = blocks(children(node), names, depth + 1, "\n\n")
      return title === "" ? body : body === "" ? title : `${title}\n${body}`
    }
    case "mediaSingle":
    case "mediaGroup":
      return children(node)
        .filter(isObject)
        .map((m) => block(m, names, depth + 1))
        .filter((s) => s !== "")
        .join("\n")
    case "media": {
      const alt = str(a.alt)
      return alt === undefined || alt === "" ? "[attachment]" : `[attachment: ${alt}]`
    }
    case "blockCard":
    case "embedCard":
      return str(a.url) ?? (isObject(a.data) ? (str(a.data.url) ?? "") : "")
    case "extension":
      return ""
    default:
      if (typeof node.type === "string" && INLINE_TYPES.has(node.type))
        return inline([node], names, depth + 1)
      return blocks(children(node), names, depth + 1, "\n\n")
  }
}

/** Block content separated by `separator`; runs of inline nodes at block level are kept together. */
const blocks = (
  nodes: ReadonlyArray<unknown>,
  names: MentionName,
  depth: number,
  separator: string,
): string => {
  const parts: Array<string> = []
  let run: Array<unknown> = []
  const flush = () => {
    if (run.length > 0) parts.push(inline(run, names, depth))
    run = []
  }
  for (const n of nodes) {
    if (!isObject(n)) continue
    if (typeof n.type === "string" && INLINE_TYPES.has(n.type)) {
      run.push(n)
      continue
    }
    flush()
    parts.push(block(n, names, depth))
  }
  flush()
  return parts.filter((p) => p.trim() !== "").join(separator)
}

/**
 * ADF as plain text: blocks separated by a blank line, list items one per line (`- `, `1. `, nested by
 * two spaces), tasks as `[ ]`/`[x]`, table rows one per line with cells joined by ` | `, links as
 * `text (url)`, mentions as `@Name` (the current name from `names`, else the name stored in the
 * document), emoji, status `[TEXT]`, dates `YYYY-MM-DD`. Line ends are `\n` and trailing spaces go.
 * A plain string (the v2 wiki text, or a textarea read through v2) is returned as it is.
 */
export const adfToText = (doc: unknown, names: MentionName): string => {
  if (typeof doc === "string") return doc
  if (!isObject(doc)) return ""
  const text = isAdfDoc(doc) ? blocks(children(doc), names, 0, "\n\n") : block(doc, names, 0)
  return text
    .replace(/\r\n?/g, "\n")
    .replace(/[ \t]+$/gm, "")
    .replace(/^\n+|\n+$/g, "")
}

/** Account ids of every mention in a document (depth-bounded like the renderer). */
export const mentionIds = (doc: unknown, into: Set<string>, depth = 0): void => {
  if (depth > MAX_DEPTH) return
  if (Array.isArray(doc)) {
    for (const n of doc) mentionIds(n, into, depth + 1)
    return
  }
  if (!isObject(doc)) return
  if (doc.type === "mention") {
    const id = str(attrs(doc).id)
    if (id !== undefined && id !== "") into.add(id)
    return
  }
  if (Array.isArray(doc.content)) mentionIds(doc.content, into, depth + 1)
}
