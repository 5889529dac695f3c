/**
 * JQL tokenizer. Positions are 1-based line and character, as Jira prints them in
 * "Error in the JQL Query: … (line 1, character 9)".
 */

export type TokenKind =
  | "word"
  | "string"
  | "op"
  | "lparen"
  | "rparen"
  | "comma"
  | "lbracket"
  | "rbracket"
  | "bang"
  | "eof"

export interface Token {
  readonly kind: TokenKind
  /** The value: unescaped for strings, the operator for ops, the raw text otherwise. */
  readonly value: string
  /** As written (quotes included), for messages and encoded names. */
  readonly raw: string
  readonly line: number
  readonly column: number
}

export class JqlSyntaxError {
  readonly _tag = "JqlSyntaxError"
  constructor(readonly message: string) {}
}

export const SYNTAX = "Error in the JQL Query: "
export const at = (t: { readonly line: number; readonly column: number }): string =>
  ` (line ${t.line}, character ${t.column})`

/** Characters Jira reserves: they must be quoted or escaped. */
const RESERVED_CHARS = new Set(["{", "}", "#", "%", "^", ";", "?"])
const BREAKS = new Set([" ", "\t", "\n", "\r", "=", "!", "<", ">", "~", "(", ")", ",", "[", "]", '"', "'"])

const ESCAPES: Record<string, string> = {
  "'": "'",
  '"': '"',
  t: "\t",
  n: "\n",
  r: "\r",
  "\\": "\\",
  " ": " ",
}
const VALID_ESCAPES = "The valid escape sequences are \\', \\\", \\t, \\n, \\r, \\\\, '\\ ' and \\uXXXX."

export const tokenize = (input: string): ReadonlyArray<Token> => {
  const tokens: Array<Token> = []
  let i = 0
  let line = 1
  let lineStart = 0
  const pos = (index: number) => ({ line, column: index - lineStart + 1 })
  const push = (kind: TokenKind, value: string, start: number, end: number, p = pos(start)) =>
    tokens.push({ kind, value, raw: input.slice(start, end), line: p.line, column: p.column })

  while (i < input.length) {
    const c = input.charAt(i)
    if (c === "\n") {
      i++
      line++
      lineStart = i
      continue
    }
    if (c === " " || c === "\t" || c === "\r") {
      i++
      continue
    }
    const start = i
    if (c === '"' || c === "'") {
      const p = pos(start)
      let value = ""
      i++
      let closed = false
      while (i < input.length) {
        const d = input.charAt(i)
        if (d === c) {
          closed = true
          i++
          break
        }
        if (d === "\\") {
          const e = input.charAt(i + 1)
          if (e === "u" && /^[0-9a-fA-F]{4}$/.test(input.slice(i + 2, i + 6))) {
            value += String.fromCharCode(Number.parseInt(input.slice(i + 2, i + 6), 16))
            i += 6
            continue
          }
          const mapped = ESCAPES[e]
          if (mapped === undefined)
            throw new JqlSyntaxError(
              `${SYNTAX}'\\${e}' is an illegal JQL escape sequence. ${VALID_ESCAPES}${at(pos(i))}`,
            )
          value += mapped
          i += 2
          continue
        }
        // A newline inside a string is part of it; Jira shows it as a space in the message.
        value += d
        i++
      }
      if (!closed) {
        const shown = value.replace(/[\r\n]/g, " ")
        throw new JqlSyntaxError(
          shown === ""
            ? `${SYNTAX}The quoted string has not been completed.${at(p)}`
            : `${SYNTAX}The quoted string '${shown}' has not been completed.${at(p)}`,
        )
      }
      push("string", value, start, i, p)
      continue
    }
    if (c === "!" || c === "=" || c === "<" || c === ">" || c === "~") {
      const two = input.slice(i, i + 2)
      if (two === "!=" || two === "!~" || two === "<=" || two === ">=") {
        push("op", two, i, i + 2)
        i += 2
        continue
      }
      if (c === "!") {
        push("bang", "!", i, i + 1)
        i++
        continue
      }
      push("op", c, i, i + 1)
      i++
      continue
    }
    const single: Record<string, TokenKind> = {
      "(": "lparen",
      ")": "rparen",
      ",": "comma",
      "[": "lbracket",
      "]": "rbracket",
    }
    const kind = single[c]
    if (kind !== undefined) {
      push(kind, c, i, i + 1)
      i++
      continue
    }
    if (RESERVED_CHARS.has(c)) {
      const code = c.charCodeAt(0).toString(16).padStart(4, "0")
      throw new JqlSyntaxError(
        `${SYNTAX}The character '${c}' is a reserved JQL character. You must enclose it in a string or use the escape '\\u${code}' instead.${at(pos(i))}`,
      )
    }
    let value = ""
    while (i < input.length) {
      const d = input.charAt(i)
      if (BREAKS.has(d) || d === "\n") break
      if (RESERVED_CHARS.has(d)) {
        const code = d.charCodeAt(0).toString(16).padStart(4, "0")
        throw new JqlSyntaxError(
          `${SYNTAX}The character '${d}' is a reserved JQL character. You must enclose it in a string or use the escape '\\u${code}' instead.${at(pos(i))}`,
        )
      }
      value += d
      i++
    }
    push("word", value, start, i)
  }
  const end = pos(i)
  tokens.push({ kind: "eof", value: "", raw: "", line: end.line, column: end.column })
  return tokens
}
