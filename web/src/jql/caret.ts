/**
 * Where the caret is in a JQL query, for suggestions: typing a field name, a value of a known field, or
 * neither. A small tolerant scanner (Jira validates the query itself through jql/parse); it never throws
 * on any input.
 */

export type CaretContext =
  | { readonly kind: "field"; readonly prefix: string; readonly from: number; readonly to: number }
  | {
      readonly kind: "value"
      readonly field: string
      readonly prefix: string
      readonly from: number
      readonly to: number
    }
  | { readonly kind: "none" }

type Token = { readonly text: string; readonly start: number; readonly end: number; readonly kind: TokenKind }
type TokenKind = "word" | "string" | "op" | "open" | "close" | "comma"

const tokenPattern = /"(?:[^"\\]|\\.)*"?|'(?:[^'\\]|\\.)*'?|!=|!~|>=|<=|[=~<>]|[(]|[)]|,|[^\s"'=!~<>(),]+|!/gy

const tokenize = (text: string): Token[] => {
  const tokens: Token[] = []
  let i = 0
  while (i < text.length) {
    const ch = text.charAt(i)
    if (/\s/.test(ch)) {
      i++
      continue
    }
    tokenPattern.lastIndex = i
    const m = tokenPattern.exec(text)
    const lexeme = m?.[0] ?? ch
    const kind: TokenKind =
      lexeme === "("
        ? "open"
        : lexeme === ")"
          ? "close"
          : lexeme === ","
            ? "comma"
            : lexeme.startsWith('"') || lexeme.startsWith("'")
              ? "string"
              : /^(!=|!~|>=|<=|[=~<>!])$/.test(lexeme)
                ? "op"
                : "word"
    tokens.push({ text: lexeme, start: i, end: i + lexeme.length, kind })
    i += lexeme.length
  }
  return tokens
}

type State =
  | "field"
  | "operator"
  | "value"
  | "opOrValue"
  | "list"
  | "listSep"
  | "afterValue"
  | "args"
  | "orderKw"
  | "orderField"
  | "orderDir"

const predicates = new Set(["AFTER", "BEFORE", "ON", "BY", "DURING", "FROM", "TO"])

/** Runs the tokens through a small JQL grammar; answers the state after them and the last field seen. */
const walk = (tokens: ReadonlyArray<Token>): { state: State; field: string | undefined } => {
  let state: State = "field"
  let field: string | undefined
  let depth = 0
  let resume: State = "afterValue"
  for (const t of tokens) {
    const upper = t.kind === "word" ? t.text.toUpperCase() : ""
    if (state === "args") {
      if (t.kind === "open") depth++
      else if (t.kind === "close" && --depth === 0) state = resume
      continue
    }
    switch (state) {
      case "field":
        if (upper === "ORDER") state = "orderKw"
        else if (t.kind === "open" || upper === "NOT") state = "field"
        else if (t.kind === "word" || t.kind === "string") {
          field = t.text
          state = "operator"
        }
        break
      case "operator":
        if (t.kind === "op") state = "value"
        else if (upper === "IN") state = "value"
        else if (upper === "NOT" || upper === "IS" || upper === "WAS") state = "opOrValue"
        else if (upper === "CHANGED") state = "afterValue"
        else state = "afterValue"
        break
      case "opOrValue":
      case "value":
        if (state === "opOrValue" && (upper === "IN" || upper === "NOT")) state = "opOrValue"
        else if (t.kind === "open") state = "list"
        else if (t.kind === "word" || t.kind === "string") state = "afterValue"
        else state = "afterValue"
        break
      case "list":
        if (t.kind === "close") state = "afterValue"
        else if (t.kind === "word" || t.kind === "string") state = "listSep"
        break
      case "listSep":
        if (t.kind === "comma") state = "list"
        else if (t.kind === "close") state = "afterValue"
        else if (t.kind === "open") {
          depth = 1
          resume = "listSep"
          state = "args"
        }
        break
      case "afterValue":
        if (upper === "AND" || upper === "OR") state = "field"
        else if (upper === "ORDER") state = "orderKw"
        else if (predicates.has(upper)) {
          field = undefined
          state = "value"
        } else if (t.kind === "open") {
          // A function call such as currentUser() or startOfDay(-1).
          depth = 1
          resume = "afterValue"
          state = "args"
        }
        break
      case "orderKw":
        state = upper === "BY" ? "orderField" : "afterValue"
        break
      case "orderField":
        state = "orderDir"
        break
      case "orderDir":
        if (t.kind === "comma") state = "orderField"
        break
    }
  }
  return { state, field }
}

/** The suggestion context at `caret` (clamped into the text). */
export const caretContext = (text: string, caret: number): CaretContext => {
  const at = Math.max(0, Math.min(caret, text.length))
  const tokens = tokenize(text.slice(0, at))
  const last = tokens[tokens.length - 1]
  const partial = last !== undefined && last.end === at && (last.kind === "word" || last.kind === "string")
  const before = partial ? tokens.slice(0, -1) : tokens
  const from = partial && last ? last.start : at
  const prefix = partial && last ? last.text : ""
  // Extend over the rest of the word the caret is in, so accepting replaces the whole word.
  const rest = /^[^\s"'=!~<>(),]*/.exec(text.slice(at))?.[0] ?? ""
  const to = at + rest.length
  const { state, field } = walk(before)
  if (state === "field" || state === "orderField") return { kind: "field", prefix, from, to }
  if ((state === "value" || state === "opOrValue" || state === "list") && field !== undefined)
    return { kind: "value", field, prefix, from, to }
  return { kind: "none" }
}

/** The text a suggestion is inserted as: quoted unless it is a plain word, a quoted string or a function. */
export const jqlLiteral = (value: string): string => {
  if (/^"/.test(value) || /^[A-Za-z0-9_.\-[\]]+(\(\))?$/.test(value)) return value
  return `"${value.replace(/\\/g, "\\\\").replace(/"/g, '\\"')}"`
}

/** A prefix as typed, without its opening quote, for matching and for Jira's suggestions endpoint. */
export const unquote = (prefix: string): string => prefix.replace(/^["']/, "").replace(/["']$/, "")
