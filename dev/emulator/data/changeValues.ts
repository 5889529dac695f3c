/**
 * How an issue's current field values read in a changelog item (`from`/`fromString`, `to`/`toString`),
 * and the earlier values a field may have had. A field's history is built backwards from its current
 * value, so replaying it from the creation value always ends at what the issue shows now.
 */
import type { ChangeItem, UserRecord } from "../model.js"
import { OPTIONS, PRIORITIES, RESOLUTIONS } from "./catalogue.js"
import { CUSTOM, FIELDS } from "./fields.js"
import type { Rng } from "./prng.js"

/** A value as a changelog item shows it: the raw id (or null) and its text (or null). */
export interface Shown {
  readonly raw: string | null
  readonly text: string | null
}

export const NONE: Shown = { raw: null, text: null }

export const same = (a: Shown, b: Shown): boolean => a.raw === b.raw && a.text === b.text

export interface FieldRef {
  readonly field: string
  readonly fieldtype: "jira" | "custom"
  readonly fieldId: string
}

const system = (id: string): FieldRef => ({ field: id, fieldtype: "jira", fieldId: id })
/** Custom fields appear under their name, which two fields may share ("Category"): only the id tells them apart. */
const custom = (id: string): FieldRef => ({
  field: FIELDS.find((f) => f.id === id)?.name ?? id,
  fieldtype: "custom",
  fieldId: id,
})

export const REFS = {
  status: system("status"),
  resolution: system("resolution"),
  assignee: system("assignee"),
  priority: system("priority"),
  labels: system("labels"),
  sprint: custom(CUSTOM.sprint),
  storyPoints: custom(CUSTOM.storyPoints),
  categoryA: custom(CUSTOM.categoryA),
  categoryB: custom(CUSTOM.categoryB),
  flagged: custom(CUSTOM.flagged),
  rank: custom(CUSTOM.rank),
  parent: { field: "Parent", fieldtype: "jira", fieldId: "parent" },
  timespent: system("timespent"),
} as const

export const changeItem = (ref: FieldRef, from: Shown, to: Shown): ChangeItem => ({
  field: ref.field,
  fieldtype: ref.fieldtype,
  fieldId: ref.fieldId,
  from: from.raw,
  fromString: from.text,
  to: to.raw,
  toString: to.text,
})

/**
 * The field's values oldest first, ending at `current`: up to `changes` earlier values drawn from `pool`,
 * each different from the one after it (a change to the same value is not a change).
 */
export const history = (
  rng: Rng,
  current: Shown,
  changes: number,
  pool: ReadonlyArray<Shown>,
): ReadonlyArray<Shown> => {
  const values: Array<Shown> = [current]
  for (let k = 0; k < changes; k++) {
    const later = values[0] ?? current
    const choices = pool.filter((v) => !same(v, later))
    if (choices.length === 0) break
    values.unshift(rng.pick(choices))
  }
  return values
}

type Json = Readonly<Record<string, unknown>>
const isJson = (v: unknown): v is Json => typeof v === "object" && v !== null && !Array.isArray(v)
const text = (v: unknown): string | null => (typeof v === "string" ? v : null)
const jsonList = (v: unknown): ReadonlyArray<Json> => (Array.isArray(v) ? v.filter(isJson) : [])

/** An `{id, name}` or `{id, value}` value (status, priority, resolution, select option). */
export const shownOption = (v: unknown): Shown =>
  isJson(v) ? { raw: text(v.id), text: text(v.name) ?? text(v.value) } : NONE

export const shownUser = (v: unknown): Shown =>
  isJson(v) ? { raw: text(v.accountId), text: text(v.displayName) } : NONE

/** Labels: no ids, the names joined by spaces ("" when none, as Jira writes it). */
export const shownLabels = (v: unknown): Shown => ({
  raw: null,
  text: Array.isArray(v) ? v.filter((x) => typeof x === "string").join(" ") : "",
})

/** Sprints: ids and names joined by ", " ("" when none). */
export const shownSprints = (sprints: ReadonlyArray<Json>): Shown => ({
  raw: sprints.map((s) => String(s.id)).join(", "),
  text: sprints.map((s) => String(s.name)).join(", "),
})

export const sprintsOf = (v: unknown): ReadonlyArray<Json> => jsonList(v)

export const shownNumber = (v: unknown): Shown =>
  typeof v === "number" ? { raw: null, text: String(v) } : NONE

/** A multi-checkbox: the option ids in brackets, the values joined by ", ". */
export const shownCheckboxes = (v: unknown): Shown => {
  const options = jsonList(v)
  return options.length === 0
    ? NONE
    : {
        raw: `[${options.map((o) => String(o.id)).join(", ")}]`,
        text: options.map((o) => String(o.value)).join(", "),
      }
}

/** Earlier values each field may have had. */
export const POOLS = {
  priority: PRIORITIES.map((p) => ({ raw: p.id, text: p.name })),
  labels: ["", "backend", "frontend", "needs-triage", "backend customer", "perf ux"].map((t) => ({
    raw: null,
    text: t,
  })),
  storyPoints: [NONE, ...[1, 2, 3, 5, 8, 13].map((n) => ({ raw: null, text: String(n) }))],
  categoryA: [NONE, ...OPTIONS.categoryA.map((o) => ({ raw: o.id, text: o.value }))],
  categoryB: [NONE, ...OPTIONS.categoryB.map((o) => ({ raw: o.id, text: o.value }))],
  flagged: [NONE, shownCheckboxes(OPTIONS.flagged)],
} as const

export const assigneePool = (users: ReadonlyArray<UserRecord>): ReadonlyArray<Shown> => [
  NONE,
  // App accounts cannot be assigned; every other account can, inactive and deleted ones too.
  ...users
    .filter((u) => u.json.accountType !== "app")
    .map((u) => ({ raw: u.accountId, text: u.displayName })),
]

/** The resolution set when an issue moves into a done status on the way to where it is now. */
export const resolutionFor = (rng: Rng, statusName: string): Shown => {
  const pick =
    statusName === "Won't Do"
      ? RESOLUTIONS[1]
      : rng.chance(0.8)
        ? RESOLUTIONS[0]
        : rng.pick(RESOLUTIONS.slice(2))
  return pick === undefined ? NONE : { raw: pick.id, text: pick.name }
}

const DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})\.(\d{3})([+-])(\d{2})(\d{2})$/

/** Jira's REST datetime ("2026-03-14T09:26:53.589+0530") as epoch ms and its offset in minutes. */
export const parseDateTime = (v: unknown): { readonly ms: number; readonly offset: number } | undefined => {
  const m = typeof v === "string" ? DATE_TIME.exec(v) : null
  if (m === null) return undefined
  const n = (i: number) => Number(m[i])
  const offset = (m[8] === "-" ? -1 : 1) * (n(9) * 60 + n(10))
  const local = Date.UTC(n(1), n(2) - 1, n(3), n(4), n(5), n(6), n(7))
  return { ms: local - offset * 60_000, offset }
}
