/**
 * Cuts the rows of one page or batch into units of at most `maxBytes` of CSV text, so one
 * `export/next` answer never has to hold a whole page of very long rows (Forge answers at most 5 MB:
 * https://developer.atlassian.com/platform/forge/limits-invocation/). Pure: the phase a cut resumes
 * from comes from the caller's `resumeAt`, so this knows nothing of search pages or batches.
 */

import { utf8Length } from "./bytes.js"

/** Encoded CSV text of some rows; texts of consecutive rows concatenate exactly. */
export interface Encoded {
  readonly text: string
  readonly truncatedCells: number
}

/** An issue the source listed but could not read, at its position in the source. */
export interface Listed {
  readonly id: string
  /** Its key, when the listing gave one: the user knows issues by key. */
  readonly key?: string
  readonly position: number
}

/** How a missing issue is reported: by key, by id only when no key is known. */
const nameOf = (listed: Listed): string => listed.key ?? listed.id

export interface SplitInput<P, R = ReadonlyArray<string>> {
  /** Rows, or groups of rows that must stay in one unit (an issue's history rows). */
  readonly rows: ReadonlyArray<R>
  /** Position of each row in the source, strictly increasing. */
  readonly positions: ReadonlyArray<number>
  /** Listed but unreadable issues; each is reported by the unit whose span holds its position. */
  readonly missing: ReadonlyArray<Listed>
  /** Where the export stands after the whole source. */
  readonly after: P
  /** Where it stands when everything before `position` has been emitted. */
  readonly resumeAt: (position: number) => P
  readonly encode: (rows: ReadonlyArray<R>) => Encoded
  readonly maxBytes: number
}

/** Rows `[from, to)` of the input as one unit, with the phase after it. */
export interface Cut<P> extends Encoded {
  readonly from: number
  readonly to: number
  readonly missing: ReadonlyArray<string>
  readonly after: P
}

/**
 * The source as one unit when its text fits `maxBytes` (or it has at most one row); otherwise as
 * several, cut between rows, each as full as the budget allows and at least one row long. Every cut
 * but the last resumes just past its last row's position, so listed-but-missing issues between two
 * rows are reported by the earlier unit and never twice.
 */
export const splitRows = <P, R = ReadonlyArray<string>>(input: SplitInput<P, R>): ReadonlyArray<Cut<P>> => {
  const { rows, encode, maxBytes } = input
  const whole = encode(rows)
  if (rows.length <= 1 || utf8Length(whole.text) <= maxBytes)
    return [
      {
        from: 0,
        to: rows.length,
        text: whole.text,
        truncatedCells: whole.truncatedCells,
        missing: input.missing.map(nameOf),
        after: input.after,
      },
    ]

  const cuts: Array<Cut<P>> = []
  let from = 0
  let previousCut = Number.NEGATIVE_INFINITY
  while (from < rows.length) {
    let to = from
    let bytes = 0
    const texts: Array<string> = []
    let truncatedCells = 0
    while (to < rows.length) {
      const row = rows[to]
      if (row === undefined) break
      const encoded = encode([row])
      const size = utf8Length(encoded.text)
      if (to > from && bytes + size > maxBytes) break
      texts.push(encoded.text)
      truncatedCells += encoded.truncatedCells
      bytes += size
      to += 1
    }
    const last = to >= rows.length
    const cut = last ? Number.POSITIVE_INFINITY : (input.positions[to - 1] ?? 0) + 1
    const missing = input.missing.filter((m) => m.position >= previousCut && m.position < cut).map(nameOf)
    cuts.push({
      from,
      to,
      text: texts.join(""),
      truncatedCells,
      missing,
      after: last ? input.after : input.resumeAt(cut),
    })
    previousCut = cut
    from = to
  }
  return cuts
}
