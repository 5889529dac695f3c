/**
 * Validation and compilation of a parsed query against a data set and a viewer: resolves field
 * names, checks operators, operands and values with Jira's messages, and produces a row predicate
 * (over the column indexes) and a row comparator for ORDER BY.
 */
import type { FieldRecord, UserRecord } from "../model.js"
import type { Columns, EnumColumn } from "./columns.js"
import {
  type Clause,
  encodeOperand,
  type Operand,
  type Operator,
  type Query,
  type SortKey,
} from "./parser.js"
import type { RowSource } from "./source.js"
import { isEmptyValue, type Kind, queryTime, shift, textMatcher, textOf } from "./values.js"

export interface Field {
  readonly record: FieldRecord
  readonly kind: Kind
}

export interface Context {
  readonly source: RowSource
  readonly columns: Columns
  readonly fields: ReadonlyMap<string, ReadonlyArray<Field>>
  /** Text-searchable fields that `text ~` covers. */
  readonly textFields: ReadonlyArray<Field>
  readonly viewer: UserRecord | null
  readonly now: number
  /** Known values per validated kind (lowercased identifiers). */
  readonly known: (kind: Kind) => ReadonlySet<string> | undefined
  readonly browsable: (projectKey: string) => boolean
}

export interface Predicate {
  readonly test: (row: number) => boolean
  /** Relative cost, so AND evaluates cheap column tests before on-demand text reads. */
  readonly cost: number
}

const EQ_OPS: ReadonlySet<Operator> = new Set(["=", "!=", "in", "not in", "is", "is not"])
const ORDER_OPS: ReadonlySet<Operator> = new Set([...EQ_OPS, "<", ">", "<=", ">="])
const TEXT_OPS: ReadonlySet<Operator> = new Set(["~", "!~", "is", "is not"])
const OPS_BY_KIND: Partial<Record<Kind, ReadonlySet<Operator>>> = {
  issuekey: new Set(["=", "!=", "in", "not in", "<", ">", "<=", ">="]),
  priority: ORDER_OPS,
  date: ORDER_OPS,
  datetime: ORDER_OPS,
  number: ORDER_OPS,
  text: TEXT_OPS,
  attachments: new Set(["is", "is not"]),
  rank: new Set(),
  unsupported: new Set(),
}
/** Kinds whose values Jira checks, reporting unknown ones as not existing. */
const VALIDATED: ReadonlySet<Kind> = new Set([
  "project",
  "status",
  "priority",
  "issuetype",
  "resolution",
  "user",
])
const NOT_EMPTIABLE: ReadonlySet<string> = new Set([
  "project",
  "issuekey",
  "status",
  "statusCategory",
  "issuetype",
  "created",
  "updated",
  "summary",
])
const SORTABLE: ReadonlySet<Kind> = new Set([
  "issuekey",
  "project",
  "status",
  "statusCategory",
  "priority",
  "issuetype",
  "resolution",
  "date",
  "datetime",
  "number",
  "rank",
  "security",
  "epiclink",
])
const DATE_HELP =
  "Valid formats include: 'yyyy/MM/dd HH:mm', 'yyyy-MM-dd HH:mm', 'yyyy/MM/dd', 'yyyy-MM-dd', or a period format e.g. '-5d', '4w 2d'."
const KEY = /^([A-Za-z][A-Za-z0-9_]*)-(\d+)$/
const DAY = 86_400_000

const TIME_FUNCTIONS: Record<string, (now: number, arg: string | undefined) => number> = {
  now: (now) => now,
  startofday: (now, a) => shift(Math.floor(now / DAY) * DAY, a, "d"),
  endofday: (now, a) => shift(Math.floor(now / DAY) * DAY + DAY - 1, a, "d"),
  startofweek: (now, a) => {
    const day = Math.floor(now / DAY)
    // 1970-01-01 was a Thursday; weeks start on Sunday as in Jira's default locale.
    return shift((day - ((day + 4) % 7)) * DAY, a, "w")
  },
  endofweek: (now, a) => {
    const day = Math.floor(now / DAY)
    return shift((day - ((day + 4) % 7) + 7) * DAY - 1, a, "w")
  },
  startofmonth: (now, a) => {
    const d = new Date(now)
    return shift(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1), a, "M")
  },
  endofmonth: (now, a) => {
    const d = new Date(now)
    return shift(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1) - 1, a, "M")
  },
  startofyear: (now, a) => shift(Date.UTC(new Date(now).getUTCFullYear(), 0, 1), a, "y"),
  endofyear: (now, a) => shift(Date.UTC(new Date(now).getUTCFullYear() + 1, 0, 1) - 1, a, "y"),
}
const FUNCTION_NAMES: Record<string, string> = {
  now: "now",
  startofday: "startOfDay",
  endofday: "endOfDay",
  startofweek: "startOfWeek",
  endofweek: "endOfWeek",
  startofmonth: "startOfMonth",
  endofmonth: "endOfMonth",
  startofyear: "startOfYear",
  endofyear: "endOfYear",
  currentuser: "currentUser",
  opensprints: "openSprints",
  closedsprints: "closedSprints",
  futuresprints: "futureSprints",
  standardissuetypes: "standardIssueTypes",
  subtaskissuetypes: "subTaskIssueTypes",
}
const SPRINT_STATES: Record<string, string> = {
  opensprints: "active",
  closedsprints: "closed",
  futuresprints: "future",
}

/** A resolved operand: literal strings (lowercased where matched), EMPTY, or times/rows already computed. */
interface Resolved {
  readonly values: ReadonlyArray<string>
  readonly empty: boolean
  readonly list: boolean
}

export class Compiler {
  readonly errors: Array<string> = []
  constructor(private readonly ctx: Context) {}

  private error(message: string): Predicate {
    if (!this.errors.includes(message)) this.errors.push(message)
    return { test: () => false, cost: 0 }
  }

  resolveField(name: string): ReadonlyArray<Field> | undefined {
    return this.ctx.fields.get(name.toLowerCase())
  }

  private fieldMissing(name: string): string {
    return this.ctx.viewer === null
      ? `Field '${name}' does not exist or this field cannot be viewed by anonymous users.`
      : `Field '${name}' does not exist or you do not have permission to view it.`
  }

  clause(c: Clause): Predicate {
    switch (c.type) {
      case "and": {
        const parts = c.clauses.map((x) => this.clause(x)).sort((a, b) => a.cost - b.cost)
        return {
          test: (row) => {
            for (const p of parts) if (!p.test(row)) return false
            return true
          },
          cost: parts.reduce((s, p) => s + p.cost, 0),
        }
      }
      case "or": {
        const parts = c.clauses.map((x) => this.clause(x)).sort((a, b) => a.cost - b.cost)
        return {
          test: (row) => {
            for (const p of parts) if (p.test(row)) return true
            return false
          },
          cost: parts.reduce((s, p) => s + p.cost, 0),
        }
      }
      case "not": {
        const inner = this.clause(c.clause)
        return { test: (row) => !inner.test(row), cost: inner.cost }
      }
      case "terminal":
        return this.terminal(c.field.name, c.operator, c.operand)
    }
  }

  private terminal(name: string, op: Operator, operand: Operand): Predicate {
    const lower = name.toLowerCase()
    if (this.ctx.viewer === null) return this.error(this.fieldMissing(name))
    if (lower === "text") {
      if (op !== "~" && op !== "!~")
        return this.error(`The operator '${op}' is not supported by the '${name}' field.`)
      return this.textPredicate(name, op, operand, this.ctx.textFields)
    }
    const fields = this.resolveField(name)
    if (fields === undefined) return this.error(this.fieldMissing(name))
    const parts = fields.map((f) => this.fieldPredicate(name, f, op, operand))
    if (parts.length === 1) return parts[0]!
    // Same-named custom fields: the clause holds when it holds for any of them.
    return { test: (row) => parts.some((p) => p.test(row)), cost: parts.reduce((s, p) => s + p.cost, 0) }
  }

  private resolve(name: string, field: Field, op: Operator, operand: Operand): Resolved | undefined {
    const listOp = op === "in" || op === "not in"
    if (operand.type === "list") {
      if (!listOp) {
        this.error(
          `Operator '${op}' does not support the list value '${encodeOperand(operand)}' for field '${name}'.`,
        )
        return undefined
      }
    } else if (listOp && operand.type !== "function") {
      this.error(
        `Operator '${op}' does not support the non-list value '${encodeOperand(operand)}' for field '${name}'.`,
      )
      return undefined
    }
    if (op === "is" || op === "is not") {
      if (operand.type !== "empty") {
        this.error(`The operator '${op}' only supports searching for EMPTY values.`)
        return undefined
      }
    }
    const values: Array<string> = []
    let empty = false
    const flat: ReadonlyArray<Operand> = operand.type === "list" ? flattenList(operand) : [operand]
    for (const o of flat) {
      if (o.type === "empty") empty = true
      // Jira's special resolution value: no resolution.
      else if (o.type === "value" && field.kind === "resolution" && o.value.toLowerCase() === "unresolved")
        empty = true
      else if (o.type === "value") values.push(o.value)
      else if (o.type === "function") {
        const produced = this.callFunction(name, field, o.name, o.args)
        if (produced === undefined) return undefined
        values.push(...produced)
      }
    }
    return { values, empty, list: operand.type === "list" }
  }

  private callFunction(
    name: string,
    field: Field,
    fn: string,
    args: ReadonlyArray<string>,
  ): ReadonlyArray<string> | undefined {
    const key = fn.toLowerCase()
    const proper = FUNCTION_NAMES[key]
    if (proper === undefined) {
      this.error(`Unable to find JQL function '${fn}()'.`)
      return undefined
    }
    const invalid = () => {
      this.error(`A value provided by the function '${proper}' is invalid for the field '${name}'.`)
      return undefined
    }
    const arity = (max: number) => {
      if (args.length > max) {
        this.error(`Function '${proper}' expected '${max}' arguments but received '${args.length}'.`)
        return false
      }
      return true
    }
    if (key === "currentuser") {
      if (field.kind !== "user") return invalid()
      if (!arity(0)) return undefined
      return this.ctx.viewer === null ? [] : [this.ctx.viewer.accountId]
    }
    const state = SPRINT_STATES[key]
    if (state !== undefined) {
      if (field.kind !== "sprint") return invalid()
      if (!arity(0)) return undefined
      const column = this.ctx.columns.enumColumn(field.record.id, field.kind)
      return column.entries.flatMap((e) => {
        const raw = e.raw
        return typeof raw === "object" && raw !== null && "state" in raw && raw.state === state && "id" in raw
          ? [String(raw.id)]
          : []
      })
    }
    if (key === "standardissuetypes" || key === "subtaskissuetypes") {
      if (field.kind !== "issuetype") return invalid()
      if (!arity(0)) return undefined
      const wantSubtask = key === "subtaskissuetypes"
      return this.ctx.columns.enumColumn(field.record.id, field.kind).entries.flatMap((e) => {
        const raw = e.raw
        const subtask = typeof raw === "object" && raw !== null && "subtask" in raw && raw.subtask === true
        return subtask === wantSubtask && typeof raw === "object" && raw !== null && "id" in raw
          ? [String(raw.id)]
          : []
      })
    }
    const time = TIME_FUNCTIONS[key]
    if (time !== undefined) {
      if (field.kind !== "date" && field.kind !== "datetime") return invalid()
      if (!arity(key === "now" ? 0 : 1)) return undefined
      const ms = time(this.ctx.now, args[0])
      if (Number.isNaN(ms)) {
        this.error(
          `Duration for function '${proper}' should have the format (+/-)n(yMwdm), e.g -1M for 1 month earlier.`,
        )
        return undefined
      }
      return [`@${ms}`]
    }
    return invalid()
  }

  private fieldPredicate(name: string, field: Field, op: Operator, operand: Operand): Predicate {
    const { kind } = field
    const allowed = OPS_BY_KIND[kind] ?? EQ_OPS
    if (!allowed.has(op)) return this.error(`The operator '${op}' is not supported by the '${name}' field.`)
    if ((op === "is" || op === "is not" || operand.type === "empty") && NOT_EMPTIABLE.has(field.record.id))
      return this.error(`The field '${name}' does not support searching for EMPTY values.`)
    const resolved = this.resolve(name, field, op, operand)
    if (resolved === undefined) return { test: () => false, cost: 0 }
    if (
      (op === "<" || op === ">" || op === "<=" || op === ">=" || op === "~" || op === "!~") &&
      resolved.empty
    )
      return this.error(`The operator '${op}' does not support searching for EMPTY values.`)
    if (kind === "text") return this.textPredicate(name, op, operand, [field])
    if (kind === "issuekey") return this.keyPredicate(name, op, resolved)
    if (kind === "parent") return this.parentPredicate(name, op, resolved)
    if (kind === "date" || kind === "datetime" || kind === "number")
      return this.numberPredicate(name, field, op, resolved)
    if (kind === "attachments") {
      const want = op === "is"
      return { test: (row) => isEmptyValue(this.ctx.source.valueAt(row, field.record.id)) === want, cost: 20 }
    }
    return this.enumPredicate(name, field, op, resolved)
  }

  private enumPredicate(name: string, field: Field, op: Operator, r: Resolved): Predicate {
    const column = this.ctx.columns.enumColumn(field.record.id, field.kind)
    const known = VALIDATED.has(field.kind) ? this.ctx.known(field.kind) : undefined
    const wanted = new Set<string>()
    for (const v of r.values) {
      const lower = v.toLowerCase()
      if (known !== undefined && !known.has(lower))
        this.error(`The value '${v}' does not exist for the field '${name}'.`)
      wanted.add(lower)
    }
    const hit = new Uint8Array(column.entries.length)
    column.entries.forEach((e, i) => {
      if (e.keys.some((k) => wanted.has(k))) hit[i] = 1
    })
    if (field.kind === "priority" && (op === "<" || op === ">" || op === "<=" || op === ">=")) {
      return this.priorityCompare(column, op, hit)
    }
    return enumTest(column, hit, op, r.empty)
  }

  private priorityCompare(column: EnumColumn, op: Operator, hit: Uint8Array): Predicate {
    const order = this.ctx.source.priorityOrder ?? []
    // Higher priority = earlier in Jira's priority list = larger rank.
    const rankOf = (e: { raw: unknown }) => {
      const id = typeof e.raw === "object" && e.raw !== null && "id" in e.raw ? String(e.raw.id) : ""
      const i = order.indexOf(id)
      return i < 0 ? -Number(id) : order.length - i
    }
    const ranks = column.entries.map(rankOf)
    const pivot = ranks.find((_, i) => hit[i] === 1)
    if (pivot === undefined) return { test: () => false, cost: 0 }
    const ok = ranks.map((rank) =>
      op === ">" ? rank > pivot : op === ">=" ? rank >= pivot : op === "<" ? rank < pivot : rank <= pivot,
    )
    const { offsets, values } = column
    return {
      test: (row) => {
        const s = offsets[row]!
        return s < offsets[row + 1]! && ok[values[s]!] === true
      },
      cost: 1,
    }
  }

  private numberPredicate(name: string, field: Field, op: Operator, r: Resolved): Predicate {
    const column = this.ctx.columns.numberColumn(field.record.id, field.kind)
    const time = field.kind !== "number"
    const nums: Array<number> = []
    for (const v of r.values) {
      const n = v.startsWith("@") ? Number(v.slice(1)) : time ? queryTime(v, this.ctx.now) : Number(v)
      if (Number.isNaN(n)) {
        return this.error(
          time
            ? `Date value '${v}' for field '${name}' is invalid. ${DATE_HELP}`
            : `The value '${v}' is not a valid number for the field '${name}'.`,
        )
      }
      // Date-only fields compare whole days.
      nums.push(field.kind === "date" ? Math.floor(n / DAY) * DAY : n)
    }
    const pivot = nums[0] ?? Number.NaN
    const set = new Set(nums)
    const empty = r.empty
    const test = (x: number): boolean => {
      switch (op) {
        case "=":
        case "in":
          return Number.isNaN(x) ? empty : set.has(x)
        case "!=":
        case "not in":
          return !Number.isNaN(x) && !set.has(x)
        case "is":
          return Number.isNaN(x)
        case "is not":
          return !Number.isNaN(x)
        case "<":
          return x < pivot
        case "<=":
          return x <= pivot
        case ">":
          return x > pivot
        case ">=":
          return x >= pivot
        default:
          return false
      }
    }
    return { test: (row) => test(column[row]!), cost: 1 }
  }

  private rowsOf(name: string, values: ReadonlyArray<string>): Array<number> {
    const rows: Array<number> = []
    for (const v of values) {
      const numeric = /^\d+$/.test(v)
      if (!numeric && !KEY.test(v)) {
        this.error(`The issue key '${v}' for field '${name}' is invalid.`)
        continue
      }
      const row = this.ctx.source.rowOf(v)
      const project = row < 0 ? "" : (this.ctx.source.keyAt(row).split("-")[0] ?? "")
      if (row < 0 || !this.ctx.browsable(project)) {
        this.error(`An issue with key '${v}' does not exist for field '${name}'.`)
        continue
      }
      rows.push(row)
    }
    return rows
  }

  private keyPredicate(name: string, op: Operator, r: Resolved): Predicate {
    if (op === "<" || op === ">" || op === "<=" || op === ">=") {
      const v = r.values[0] ?? ""
      const cmp = (a: number, b: number) =>
        op === "<" ? a < b : op === "<=" ? a <= b : op === ">" ? a > b : a >= b
      if (/^\d+$/.test(v)) {
        const pivot = Number(v)
        return { test: (row) => cmp(this.ctx.source.numericIdAt(row), pivot), cost: 2 }
      }
      const m = KEY.exec(v)
      if (m === null) return this.error(`The issue key '${v}' for field '${name}' is invalid.`)
      const project = (m[1] ?? "").toUpperCase()
      if (!this.ctx.browsable(project))
        return this.error(`An issue with key '${v}' does not exist for field '${name}'.`)
      const pivot = Number(m[2])
      const prefix = `${project}-`
      return {
        test: (row) => {
          const key = this.ctx.source.keyAt(row)
          return key.startsWith(prefix) && cmp(Number(key.slice(prefix.length)), pivot)
        },
        cost: 2,
      }
    }
    const rows = new Set(this.rowsOf(name, r.values))
    const positive = op === "=" || op === "in"
    return { test: (row) => rows.has(row) === positive, cost: 1 }
  }

  private parentPredicate(name: string, op: Operator, r: Resolved): Predicate {
    const parents = this.ctx.columns.parentColumn()
    const rows = new Set(this.rowsOf(name, r.values))
    switch (op) {
      case "is":
        return { test: (row) => parents[row]! < 0, cost: 1 }
      case "is not":
        return { test: (row) => parents[row]! >= 0, cost: 1 }
      case "=":
      case "in":
        return { test: (row) => (parents[row]! < 0 ? r.empty : rows.has(parents[row]!)), cost: 1 }
      default:
        return { test: (row) => parents[row]! >= 0 && !rows.has(parents[row]!), cost: 1 }
    }
  }

  private textPredicate(
    name: string,
    op: Operator,
    operand: Operand,
    fields: ReadonlyArray<Field>,
  ): Predicate {
    if (op === "is" || op === "is not") {
      if (operand.type !== "empty")
        return this.error(`The operator '${op}' only supports searching for EMPTY values.`)
      const want = op === "is"
      return {
        test: (row) => fields.every((f) => isEmptyValue(this.ctx.source.valueAt(row, f.record.id))) === want,
        cost: fields.length * 20,
      }
    }
    if (operand.type === "list")
      return this.error(
        `Operator '${op}' does not support the list value '${encodeOperand(operand)}' for field '${name}'.`,
      )
    if (operand.type !== "value")
      return this.error(`The operator '${op}' does not support searching for EMPTY values.`)
    const matches = textMatcher(operand.value)
    const texts = fields.map((f) =>
      f.record.id === "summary"
        ? (row: number) => this.ctx.columns.stringColumn("summary")[row] ?? ""
        : (row: number) => textOf(this.ctx.source.valueAt(row, f.record.id)),
    )
    const cost = fields.reduce((s, f) => s + (f.record.id === "summary" ? 3 : 50), 0)
    if (op === "~") return { test: (row) => texts.some((t) => matches(t(row))), cost }
    // `!~` holds for rows with some text, none of which matches (Jira skips empty fields as for `!=`).
    return {
      test: (row) => {
        let any = false
        for (const t of texts) {
          const s = t(row)
          if (s === "") continue
          any = true
          if (matches(s)) return false
        }
        return any
      },
      cost,
    }
  }

  /** A comparator over rows for ORDER BY, ties broken by id ascending; undefined after errors. */
  sorter(orderBy: ReadonlyArray<SortKey>): ((a: number, b: number) => number) | undefined {
    const keys: Array<(a: number, b: number) => number> = []
    for (const s of orderBy) {
      const name = s.field.name
      const fields = this.resolveField(name)
      if (fields === undefined) {
        this.error(this.fieldMissing(name))
        continue
      }
      const field = fields[0]!
      const sortable =
        SORTABLE.has(field.kind) ||
        field.record.id === "summary" ||
        ((field.kind === "user" || field.kind === "option" || field.kind === "version") &&
          field.record.schema?.type !== "array")
      if (!sortable) {
        this.error(`Not able to sort using field '${name}'.`)
        continue
      }
      const sign = s.direction === "desc" ? -1 : 1
      // `id` orders by the numeric issue id; key/issuekey by project key, then number.
      keys.push(
        name.toLowerCase() === "id"
          ? (a, b) => (this.ctx.source.numericIdAt(a) - this.ctx.source.numericIdAt(b)) * sign
          : this.sortKey(field, sign),
      )
    }
    if (this.errors.length > 0) return undefined
    return (a, b) => {
      for (const k of keys) {
        const c = k(a, b)
        if (c !== 0) return c
      }
      return a - b
    }
  }

  private sortKey(field: Field, sign: number): (a: number, b: number) => number {
    const { source, columns } = this.ctx
    // Empty values sort as the greatest: last ascending, first descending.
    const byNumber = (get: (row: number) => number) => (a: number, b: number) => {
      const x = get(a)
      const y = get(b)
      const xe = Number.isNaN(x)
      const ye = Number.isNaN(y)
      if (xe || ye) return xe === ye ? 0 : (xe ? 1 : -1) * sign
      return x === y ? 0 : (x < y ? -1 : 1) * sign
    }
    const byText = (get: (row: number) => string | undefined) => (a: number, b: number) => {
      const x = get(a)
      const y = get(b)
      if (x === undefined || y === undefined) return x === y ? 0 : (x === undefined ? 1 : -1) * sign
      return x === y ? 0 : (x < y ? -1 : 1) * sign
    }
    switch (field.kind) {
      case "issuekey": {
        const order = columns.keyOrderColumn()
        return byNumber((row) => order[row]!)
      }
      case "date":
      case "datetime":
      case "number": {
        const column = columns.numberColumn(field.record.id, field.kind)
        return byNumber((row) => column[row]!)
      }
      case "text":
      case "rank": {
        const column = columns.stringColumn(field.record.id)
        return byText((row) => (column[row] === "" ? undefined : column[row]))
      }
      default: {
        const column = columns.enumColumn(field.record.id, field.kind)
        const order =
          field.kind === "priority"
            ? source.priorityOrder
            : field.kind === "status"
              ? source.statusOrder
              : undefined
        if (order !== undefined) {
          const rank = column.entries.map((e) => {
            const id = typeof e.raw === "object" && e.raw !== null && "id" in e.raw ? String(e.raw.id) : ""
            // Priorities sort highest-first when descending, as in Jira.
            return field.kind === "priority" ? order.length - order.indexOf(id) : order.indexOf(id)
          })
          return byNumber((row) => {
            const s = column.offsets[row]!
            return s < column.offsets[row + 1]! ? rank[column.values[s]!]! : Number.NaN
          })
        }
        if (field.kind === "priority") {
          // Without a priority scheme, lower ids are higher priorities (Jira's defaults are 1..5).
          const rank = column.entries.map((e) =>
            typeof e.raw === "object" && e.raw !== null && "id" in e.raw ? -Number(e.raw.id) : Number.NaN,
          )
          return byNumber((row) => {
            const s = column.offsets[row]!
            return s < column.offsets[row + 1]! ? rank[column.values[s]!]! : Number.NaN
          })
        }
        return byText((row) => {
          const s = column.offsets[row]!
          return s < column.offsets[row + 1]! ? column.entries[column.values[s]!]?.sortText : undefined
        })
      }
    }
  }

  compile(query: Query): {
    predicate: Predicate | undefined
    sorter: ((a: number, b: number) => number) | undefined
  } {
    const predicate = query.where === undefined ? undefined : this.clause(query.where)
    const sorter = this.sorter(query.orderBy)
    return { predicate, sorter }
  }
}

const flattenList = (o: Operand): ReadonlyArray<Operand> =>
  o.type === "list" ? o.values.flatMap(flattenList) : [o]

const enumTest = (column: EnumColumn, hit: Uint8Array, op: Operator, empty: boolean): Predicate => {
  const { offsets, values } = column
  switch (op) {
    case "is":
      return { test: (row) => offsets[row] === offsets[row + 1], cost: 1 }
    case "is not":
      return { test: (row) => offsets[row] !== offsets[row + 1], cost: 1 }
    case "=":
    case "in":
      return {
        test: (row) => {
          const s = offsets[row]!
          const e = offsets[row + 1]!
          if (s === e) return empty
          for (let i = s; i < e; i++) if (hit[values[i]!] === 1) return true
          return false
        },
        cost: 1,
      }
    default:
      // `!=` and NOT IN hold only for rows that have a value, none of them listed (Jira's rule).
      return {
        test: (row) => {
          const s = offsets[row]!
          const e = offsets[row + 1]!
          if (s === e) return false
          for (let i = s; i < e; i++) if (hit[values[i]!] === 1) return false
          return true
        },
        cost: 1,
      }
  }
}
