/**
 * The field filter of a history export (`history.fields`, `--history-fields`), resolved the way
 * columns are (columns.ts): a field's id or name in any case, or its header. Jira's changelog filter
 * takes field ids (docs/jira-cloud.md §10), and an unknown name would silently keep no change at all,
 * so an unknown or ambiguous name is refused with a sentence, and a near miss is suggested.
 */
import { Either } from "effect"
import type { FieldDetails } from "../jira/schemas.js"
import { type ColumnProblem, resolveColumns } from "./columns.js"

/** Letters and digits only, lower case: "Story Points", "story_points" and "storypoints" meet. */
const squash = (text: string) => text.toLowerCase().replace(/[^\p{L}\p{N}]+/gu, "")

/** Edits (insert, delete, replace) from `a` to `b`. */
const distance = (a: string, b: string): number => {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j)
  for (let i = 1; i <= a.length; i++) {
    const current = [i]
    for (let j = 1; j <= b.length; j++)
      current[j] = Math.min(
        (previous[j] ?? 0) + 1,
        (current[j - 1] ?? 0) + 1,
        (previous[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1),
      )
    previous = current
  }
  return previous[b.length] ?? 0
}

/** A field as a suggestion names it: its id when that is its name, else "Name (id)". */
const named = (field: FieldDetails) =>
  field.name.toLowerCase() === field.id.toLowerCase() ? field.id : `${field.name} (${field.id})`

/** The fields closest to `ref` (a third of its letters wrong at most), closest first, at most three. */
export const closestFields = (
  fields: ReadonlyArray<FieldDetails>,
  ref: string,
): ReadonlyArray<FieldDetails> => {
  const wanted = squash(ref)
  if (wanted === "") return []
  const allowed = Math.max(1, Math.floor(wanted.length / 3))
  return fields
    .map((field) => ({
      field,
      score: Math.min(distance(wanted, squash(field.name)), distance(wanted, squash(field.id))),
    }))
    .filter((c) => c.score <= allowed)
    .sort((a, b) => a.score - b.score || a.field.name.localeCompare(b.field.name))
    .slice(0, 3)
    .map((c) => c.field)
}

/** Field ids for the history filter, in the order given and each once; the first bad name stops it. */
export const resolveHistoryFields = (
  fields: ReadonlyArray<FieldDetails>,
  refs: ReadonlyArray<string>,
): Either.Either<ReadonlyArray<string>, ColumnProblem> => {
  const ids: Array<string> = []
  for (const ref of refs) {
    const resolved = resolveColumns(fields, [ref])
    if (Either.isLeft(resolved)) {
      const problem = resolved.left
      if (problem.reason === "AmbiguousColumn")
        return Either.left({
          ...problem,
          message: `"${ref.trim()}" names ${problem.candidates.length} fields; give one of their ids instead: ${problem.candidates.map((c) => c.id).join(", ")}.`,
        })
    }
    // Only Jira's own fields have changes: computed columns (time in status, the issue URL) do not.
    const field = Either.isRight(resolved) ? resolved.right[0]?.field : undefined
    if (field === undefined) {
      const near = closestFields(fields, ref)
      return Either.left({
        reason: "UnknownColumn",
        ref,
        message:
          near.length === 0
            ? `"${ref.trim()}" is not a field whose changes you can export; give a field's name or id as Jira lists it.`
            : `"${ref.trim()}" is not a field whose changes you can export; did you mean ${near.map(named).join(" or ")}?`,
      })
    }
    if (!ids.includes(field.id)) ids.push(field.id)
  }
  return Either.right(ids)
}
