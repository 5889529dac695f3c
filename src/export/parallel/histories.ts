/**
 * Changelogs of a parallel thrifty export (docs/jira-cloud.md §10): the parts read pages at once, so
 * the ids of the pages read are gathered across parts and their histories read 1,000 to a request as
 * soon as that many are waiting, or earlier when the part being written needs some of them. Units
 * then find their histories read or being read (changelogs.ts), with about as few requests as one
 * chain of pages makes.
 */
import { Effect, type Scope } from "effect"
import { CHANGELOG_BULK_MAX_ISSUES } from "../../jira/changelogRequests.js"
import type { ExportContext } from "../types.js"

export interface HistoryBatcher {
  /** Ids of a page just read. */
  readonly add: (ids: ReadonlyArray<string>) => Effect.Effect<void>
  /** Ids about to be written: those still waiting are sent now, with everything waiting. */
  readonly need: (ids: ReadonlyArray<string>) => Effect.Effect<void>
}

/** A batcher whose requests run in `scope`; undefined when no column needs changelogs. */
export const historyBatcher = (ctx: ExportContext, scope: Scope.Scope): HistoryBatcher | undefined => {
  const changelogs = ctx.changelogs
  if (changelogs === undefined) return undefined
  let waiting: Array<string> = []
  let waitingIds = new Set<string>()
  const flush = Effect.suspend(() => {
    const ids = waiting
    waiting = []
    waitingIds = new Set()
    const groups: Array<ReadonlyArray<string>> = []
    for (let i = 0; i < ids.length; i += CHANGELOG_BULK_MAX_ISSUES)
      groups.push(ids.slice(i, i + CHANGELOG_BULK_MAX_ISSUES))
    // Claimed here, read in the background: a unit about to be written finds them claimed.
    return Effect.forEach(
      groups,
      (group) => changelogs.prefetch(group).pipe(Effect.flatMap((reading) => Effect.forkIn(reading, scope))),
      { discard: true },
    )
  })
  return {
    add: (ids) =>
      Effect.gen(function* () {
        // A page that would overfill the request waiting goes to the next: no request of a few ids.
        if (waiting.length + ids.length > CHANGELOG_BULK_MAX_ISSUES) yield* flush
        for (const id of ids) {
          waiting.push(id)
          waitingIds.add(id)
        }
        if (waiting.length >= CHANGELOG_BULK_MAX_ISSUES) yield* flush
      }),
    need: (ids) => Effect.suspend(() => (ids.some((id) => waitingIds.has(id)) ? flush : Effect.void)),
  }
}
