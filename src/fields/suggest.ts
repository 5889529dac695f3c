/**
 * "Did you mean …?" for a column reference that names nothing: the closest name or id, compared
 * without case, spaces and punctuation (`storypoints` is Story Points), else by a few typos.
 */

const squash = (text: string): string => text.toLowerCase().replace(/[^\p{L}\p{N}]+/gu, "")

/** Edits (insert, delete, replace, swap of two neighbours) from `a` to `b`; stops counting past `limit`. */
const distance = (a: string, b: string, limit: number): number => {
  if (Math.abs(a.length - b.length) > limit) return limit + 1
  let before: ReadonlyArray<number> = []
  let previous: ReadonlyArray<number> = Array.from({ length: b.length + 1 }, (_, j) => j)
  for (let i = 1; i <= a.length; i++) {
    const current = [i]
    let best = i
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1
      let value = Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, (previous[j - 1] ?? 0) + cost)
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
        value = Math.min(value, (before[j - 2] ?? 0) + 1)
      current.push(value)
      best = Math.min(best, value)
    }
    if (best > limit) return limit + 1
    before = previous
    previous = current
  }
  return previous[b.length] ?? limit + 1
}

export interface Candidate {
  readonly id: string
  readonly name: string
}

/**
 * The candidate `ref` most likely meant, or undefined when none is close: an equal name or id once
 * squashed, else the fewest typos (at most one per four characters, and at most three).
 */
export const closestTo = <C extends Candidate>(ref: string, candidates: ReadonlyArray<C>): C | undefined => {
  const wanted = squash(ref)
  if (wanted === "") return undefined
  const exact = candidates.find((c) => squash(c.name) === wanted || squash(c.id) === wanted)
  if (exact !== undefined) return exact
  const limit = Math.min(3, Math.floor(wanted.length / 4))
  let best: { readonly candidate: C; readonly edits: number } | undefined
  for (const candidate of candidates)
    for (const text of [candidate.name, candidate.id]) {
      const edits = distance(wanted, squash(text), limit)
      if (edits <= limit && (best === undefined || edits < best.edits)) best = { candidate, edits }
    }
  return best?.candidate
}
