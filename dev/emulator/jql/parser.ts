/**
 * Recursive-descent JQL parser producing a small AST. Grammar (precedence NOT > AND > OR):
 *   query   := [or] [ORDER BY sort (',' sort)*] EOF
 *   or      := and (OR and)*          and := not (AND not)*
 *   not     := (NOT | '!') not | '(' or ')' | clause
 *   clause  := field operator operand
 *   operand := value | function '(' args ')' | '(' operand (',' operand)* ')' | EMPTY | NULL
 * Messages follow Jira's wording (see Jira's own TestJqlParsing func test and docs/jira-cloud.md §4/§5).
 */
import { at, JqlSyntaxError, SYNTAX, type Token, tokenize } from "./tokens.js"

export interface FieldRef {
  /** Name as written, unquoted; `cf[10010]` for custom field ids. */
  readonly name: string
  /** As it can be written back into JQL. */
  readonly encoded: string
  readonly token: Token
}

export type Operand =
  | { readonly type: "value"; readonly value: string; readonly quoted: boolean; readonly token: Token }
  | { readonly type: "list"; readonly values: ReadonlyArray<Operand>; readonly token: Token }
  | {
      readonly type: "function"
      readonly name: string
      readonly args: ReadonlyArray<string>
      readonly token: Token
    }
  | { readonly type: "empty"; readonly token: Token }

export type Operator = "=" | "!=" | "<" | ">" | "<=" | ">=" | "~" | "!~" | "in" | "not in" | "is" | "is not"

export type Clause =
  | {
      readonly type: "terminal"
      readonly field: FieldRef
      readonly operator: Operator
      readonly operand: Operand
    }
  | { readonly type: "and" | "or"; readonly clauses: ReadonlyArray<Clause> }
  | { readonly type: "not"; readonly clause: Clause }

export interface SortKey {
  readonly field: FieldRef
  readonly direction: "asc" | "desc" | undefined
}

export interface Query {
  readonly where: Clause | undefined
  readonly orderBy: ReadonlyArray<SortKey>
}

const OPERATORS_HINT =
  "The valid operators are '=', '!=', '<', '>', '<=', '>=', '~', '!~', 'IN', 'NOT IN', 'IS' and 'IS NOT'."

/** Words Jira reserves (JqlStringSupportImpl, minus the ones valid in JQL): they must be quoted. */
const RESERVED_WORDS = new Set(
  (
    "abort access add alias all alter any as audit avg begin between boolean break byte catch char character check " +
    "checkpoint collate collation column commit connect continue count create current date decimal declare decrement " +
    "default defaults define delete delimiter difference distinct divide do double drop else encoding end equals " +
    "escape exclusive exec execute exists explain false fetch file field first float for function go goto grant " +
    "greater group having identified if immediate increment index initial inner inout input insert int integer " +
    "intersect intersection into isempty isnull join last left less like limit lock long max min minus mode modify " +
    "modulo more multiply next noaudit notin nowait number object of option outer output power previous prior " +
    "privileges public raise raw remainder rename resource return returns revoke right row rowid rownum rows select " +
    "session set share size sqrt start strict string subtract sum synonym table then trans transaction trigger true " +
    "uid union unique update user validate values view when whenever where while with"
  ).split(" "),
)
const KEYWORDS = new Set([
  "and",
  "or",
  "not",
  "in",
  "is",
  "empty",
  "null",
  "order",
  "by",
  "asc",
  "desc",
  "was",
  "changed",
])

/** Nesting of NOT and parentheses the parser accepts (the emulator's own limit; Jira's is unknown). */
const MAX_DEPTH = 200

const describe = (t: Token): string => (t.kind === "string" ? t.value : t.raw)

/** Quotes a field name or value when JQL needs it. */
export const encode = (value: string): string =>
  /^[\p{L}\p{N}_.\-@:/*+]+$/u.test(value) &&
  !KEYWORDS.has(value.toLowerCase()) &&
  !RESERVED_WORDS.has(value.toLowerCase())
    ? value
    : `"${value.replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/\n/g, "\\n").replace(/\r/g, "\\r").replace(/\t/g, "\\t")}"`

class Parser {
  private i = 0
  constructor(private readonly tokens: ReadonlyArray<Token>) {}

  private peek(offset = 0): Token {
    return this.tokens[Math.min(this.i + offset, this.tokens.length - 1)]!
  }
  private next(): Token {
    const t = this.peek()
    if (t.kind !== "eof") this.i++
    return t
  }
  private isWord(t: Token, word: string): boolean {
    return t.kind === "word" && t.value.toLowerCase() === word
  }
  private fail(message: string): never {
    throw new JqlSyntaxError(`${SYNTAX}${message}`)
  }

  query(): Query {
    let where: Clause | undefined
    if (this.peek().kind !== "eof" && !this.isWord(this.peek(), "order")) where = this.or()
    const orderBy: Array<SortKey> = []
    const t = this.peek()
    if (this.isWord(t, "order")) {
      this.next()
      const by = this.peek()
      if (by.kind === "eof") this.fail("Expecting 'by' before the end of the query.")
      if (!this.isWord(by, "by")) this.fail(`Expecting 'by' but got '${describe(by)}'.${at(by)}`)
      this.next()
      for (;;) {
        const field = this.field()
        let direction: "asc" | "desc" | undefined
        const d = this.peek()
        if (this.isWord(d, "asc") || this.isWord(d, "desc")) {
          direction = d.value.toLowerCase() === "asc" ? "asc" : "desc"
          this.next()
        }
        orderBy.push({ field, direction })
        const sep = this.peek()
        if (sep.kind === "comma") {
          this.next()
          continue
        }
        if (sep.kind === "eof") break
        if (direction === undefined)
          this.fail(`Expecting either 'ASC' or 'DESC' but got '${describe(sep)}'.${at(sep)}`)
        this.fail(`Expecting ',' but got '${describe(sep)}'.${at(sep)}`)
      }
    } else if (t.kind !== "eof") {
      this.fail(`Expecting either 'OR' or 'AND' but got '${describe(t)}'.${at(t)}`)
    }
    return { where, orderBy }
  }

  private or(): Clause {
    const clauses = [this.and()]
    while (
      this.isWord(this.peek(), "or") ||
      this.isWord(this.peek(), "||") ||
      this.isWord(this.peek(), "|")
    ) {
      this.next()
      clauses.push(this.and())
    }
    return clauses.length === 1 ? clauses[0]! : { type: "or", clauses }
  }

  private and(): Clause {
    const clauses = [this.not()]
    while (
      this.isWord(this.peek(), "and") ||
      this.isWord(this.peek(), "&&") ||
      this.isWord(this.peek(), "&")
    ) {
      this.next()
      clauses.push(this.not())
    }
    return clauses.length === 1 ? clauses[0]! : { type: "and", clauses }
  }

  private depth = 0

  private not(): Clause {
    // Guards the call stack against hostile input such as ten thousand opening parentheses.
    if (++this.depth > MAX_DEPTH) this.fail("The query is nested too deeply.")
    try {
      return this.notInner()
    } finally {
      this.depth--
    }
  }

  private notInner(): Clause {
    const t = this.peek()
    if (this.isWord(t, "not") || t.kind === "bang") {
      this.next()
      return { type: "not", clause: this.not() }
    }
    if (t.kind === "lparen") {
      this.next()
      const inner = this.or()
      const close = this.peek()
      if (close.kind === "eof") this.fail("Expecting ')' before the end of the query.")
      if (close.kind !== "rparen") this.fail(`Expecting ')' but got '${describe(close)}'.${at(close)}`)
      this.next()
      return inner
    }
    return this.clause()
  }

  private field(): FieldRef {
    const t = this.peek()
    if (t.kind === "eof") this.fail("Expecting a field name at the end of the query.")
    if (t.kind === "lbracket") this.fail(`Expecting a field name but got '['. Did you mean 'cf['?${at(t)}`)
    if (t.kind === "string") {
      if (t.value === "") this.fail(`A field name cannot be empty.${at(t)}`)
      this.next()
      return { name: t.value, encoded: encode(t.value), token: t }
    }
    if (t.kind !== "word" || KEYWORDS.has(t.value.toLowerCase()))
      this.fail(
        `Expecting a field name but got '${describe(t)}'. You must surround '${describe(t)}' in quotation marks to use it as a field name.${at(t)}`,
      )
    if (RESERVED_WORDS.has(t.value.toLowerCase()))
      this.fail(
        `'${t.value}' is a reserved JQL word. You must surround it in quotation marks to use it in a query.${at(t)}`,
      )
    this.next()
    if (t.value.toLowerCase() === "cf") {
      const open = this.peek()
      if (open.kind === "eof") this.fail("Expecting '[' before the end of the query.")
      if (open.kind !== "lbracket") this.fail(`Expecting '[' but got '${describe(open)}'.${at(open)}`)
      this.next()
      const id = this.peek()
      if (id.kind === "eof")
        this.fail("Expecting a custom field id (a positive number) before the end of the query.")
      if (id.kind !== "word" || !/^\d+$/.test(id.value))
        this.fail(`Expecting a custom field id (a positive number) but got '${describe(id)}'.${at(id)}`)
      this.next()
      const close = this.peek()
      if (close.kind === "eof") this.fail("Expecting ']' before the end of the query.")
      if (close.kind !== "rbracket") this.fail(`Expecting ']' but got '${describe(close)}'.${at(close)}`)
      this.next()
      const name = `cf[${Number(id.value)}]`
      return { name, encoded: name, token: t }
    }
    return { name: t.value, encoded: encode(t.value), token: t }
  }

  private operator(): Operator {
    const t = this.peek()
    if (t.kind === "eof") this.fail(`Expecting operator before the end of the query. ${OPERATORS_HINT}`)
    if (t.kind === "op") {
      this.next()
      switch (t.value) {
        case "=":
        case "!=":
        case "<":
        case ">":
        case "<=":
        case ">=":
        case "~":
        case "!~":
          return t.value
      }
    }
    if (this.isWord(t, "in")) {
      this.next()
      return "in"
    }
    if (this.isWord(t, "not")) {
      this.next()
      const n = this.peek()
      if (n.kind === "eof") this.fail("Expecting 'IN' before the end of the query.")
      if (!this.isWord(n, "in")) this.fail(`Expecting 'IN' but got '${describe(n)}'.${at(n)}`)
      this.next()
      return "not in"
    }
    if (this.isWord(t, "is")) {
      this.next()
      const n = this.peek()
      if (this.isWord(n, "not")) {
        this.next()
        return "is not"
      }
      if (n.kind === "bang") this.fail(`Expecting 'NOT' but got '!'.${at(n)}`)
      return "is"
    }
    this.fail(`Expecting operator but got '${describe(t)}'. ${OPERATORS_HINT}${at(t)}`)
  }

  private clause(): Clause {
    const field = this.field()
    const operator = this.operator()
    const operand = this.operand("value")
    return { type: "terminal", field, operator, operand }
  }

  private operand(what: "value"): Operand {
    const t = this.peek()
    if (t.kind === "eof")
      this.fail(`Expecting either a ${what}, list or function before the end of the query.`)
    if (t.kind === "lparen") {
      if (++this.depth > MAX_DEPTH) this.fail("The query is nested too deeply.")
      this.next()
      const values: Array<Operand> = [this.operand(what)]
      for (;;) {
        const sep = this.peek()
        if (sep.kind === "comma") {
          this.next()
          values.push(this.operand(what))
          continue
        }
        if (sep.kind === "rparen") {
          this.next()
          this.depth--
          return { type: "list", values, token: t }
        }
        if (sep.kind === "eof") this.fail("Expecting ')' before the end of the query.")
        this.fail(`Expecting ')' but got '${describe(sep)}'.${at(sep)}`)
      }
    }
    const bad = () =>
      this.fail(
        `Expecting either a ${what}, list or function but got '${describe(t)}'. You must surround '${describe(t)}' in quotation marks to use it as a ${what}.${at(t)}`,
      )
    if (t.kind !== "word" && t.kind !== "string") bad()
    if (t.kind === "word") {
      const lower = t.value.toLowerCase()
      if (lower === "empty" || lower === "null") {
        this.next()
        return { type: "empty", token: t }
      }
      if (KEYWORDS.has(lower)) bad()
      if (RESERVED_WORDS.has(lower))
        this.fail(
          `'${t.value}' is a reserved JQL word. You must surround it in quotation marks to use it in a query.${at(t)}`,
        )
    }
    this.next()
    if (this.peek().kind === "lparen") {
      if (t.value === "") this.fail(`A function name cannot be empty.${at(t)}`)
      this.next()
      const args: Array<string> = []
      if (this.peek().kind === "rparen") {
        this.next()
        return { type: "function", name: t.value, args, token: t }
      }
      for (let first = true; ; first = false) {
        const a = this.peek()
        if (a.kind === "eof")
          this.fail(
            first
              ? "Expecting ')' before the end of the query."
              : "Expecting a function argument at the end of the query.",
          )
        if (a.kind === "rparen") this.fail(`Function argument must be specified.${at(a)}`)
        if (a.kind !== "word" && a.kind !== "string")
          this.fail(
            `Expecting a function argument but got '${describe(a)}'. You must surround '${describe(a)}' in quotation marks to use it as an argument.${at(a)}`,
          )
        this.next()
        args.push(a.value)
        const sep = this.peek()
        if (sep.kind === "comma") {
          this.next()
          continue
        }
        if (sep.kind === "rparen") {
          this.next()
          return { type: "function", name: t.value, args, token: t }
        }
        if (sep.kind === "eof") this.fail("Expecting ')' before the end of the query.")
        this.fail(`Expecting ')' or ',' but got '${describe(sep)}'.${at(sep)}`)
      }
    }
    return { type: "value", value: t.value, quoted: t.kind === "string", token: t }
  }
}

/** Parses JQL; throws `JqlSyntaxError` with Jira's message on bad syntax. */
export const parseJql = (jql: string): Query => new Parser(tokenize(jql)).query()

/** The operand as JQL text (Jira's `encodedOperand`/`encodedValue`). */
export const encodeOperand = (o: Operand): string => {
  switch (o.type) {
    case "value":
      return o.quoted ? `"${o.value.replace(/\\/g, "\\\\").replace(/"/g, '\\"')}"` : o.value
    case "empty":
      return "EMPTY"
    case "function":
      return `${o.name}(${o.args.map((a) => encode(a)).join(", ")})`
    case "list":
      return `(${o.values.map(encodeOperand).join(", ")})`
  }
}
