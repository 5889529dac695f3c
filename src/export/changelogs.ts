/**
 * Changelogs for the issues of a unit, read with `changelog/bulkfetch` (docs/jira-cloud.md §10): one
 * request (plus its pages) per up to 1,000 issues, never one per issue. A unit that knows the ids that
 * follow it (the fast strategy's pending ids) reads theirs in the same request, so batches of 100 share
 * one request per 1,000 issues; the units that follow find their histories here, or wait for the
 * request already reading them.
 */
import { Deferred, Effect } from "effect"
import { CHANGELOG_BULK_MAX_ISSUES, CHANGELOG_BULK_MAX_PAGE } from "../jira/changelogRequests.js"
import type { ChangeHistory } from "../jira/changelogSchemas.js"
import type { JiraError } from "../jira/JiraError.js"
import type { ExportIssue, ExportJiraShape } from "./ports.js"

type Histories = ReadonlyMap<string, ReadonlyArray<ChangeHistory>>

/** Ids per re-check of issues the changelog answer left out (issue bulkfetch takes 100). */
const RECHECK_BATCH = 100

/**
 * A unit's issues with their histories, and those the changelog read did not return that a re-check
 * found gone (deleted, or no longer visible to the user, since their fields were read): they are
 * reported missing like any deleted issue, never written with an empty history (issue 24 item 4).
 */
export interface Attached {
  readonly issues: ReadonlyArray<ExportIssue>
  readonly gone: ReadonlyArray<ExportIssue>
}

export interface ChangelogReader {
  /**
   * The issues with their histories attached. `upcoming` are ids the export will ask for next, in
   * order: as many as fit are read in the same request. A failed read fails it: never an empty history.
   */
  readonly attach: (
    issues: ReadonlyArray<ExportIssue>,
    upcoming: ReadonlyArray<string>,
  ) => Effect.Effect<Attached, JiraError>
  /**
   * Claims the histories of issues the export holds but writes later (a part read ahead, parallel/),
   * at once, and gives the request that reads them, to run in the background: their units wait for it
   * instead of asking again. A failure is left for those units to meet: they read those ids again.
   */
  readonly prefetch: (ids: ReadonlyArray<string>) => Effect.Effect<Effect.Effect<void>>
}

type Reading = Deferred.Deferred<Histories, JiraError>

export const makeChangelogReader = (input: {
  readonly jira: Pick<ExportJiraShape, "changelogBulk" | "bulkFetch">
  readonly fieldIds: ReadonlyArray<string>
  /** Runs a read under the export's limiter and deadline. */
  readonly call: <A>(effect: Effect.Effect<A, JiraError>) => Effect.Effect<A, JiraError>
}): ChangelogReader => {
  // Which request reads (or read) each id's history; an id leaves when its unit has taken it.
  const reading = new Map<string, Reading>()

  /** Claims the ids no request reads yet: these, then the upcoming ones, up to Jira's 1,000. */
  const claim = (ids: ReadonlyArray<string>, upcoming: ReadonlyArray<string>) =>
    Effect.gen(function* () {
      const group: Array<string> = []
      const seen = new Set<string>()
      const own = new Set(ids)
      for (const id of [...ids, ...upcoming]) {
        if (group.length >= CHANGELOG_BULK_MAX_ISSUES) break
        if (reading.has(id) || seen.has(id)) continue
        // Upcoming ids only fill a request that this unit needs anyway.
        if (group.length === 0 && !own.has(id)) break
        seen.add(id)
        group.push(id)
      }
      if (group.length === 0) return undefined
      const deferred = yield* Deferred.make<Histories, JiraError>()
      for (const id of group) reading.set(id, deferred)
      return { group, deferred }
    })

  /** Reads the histories of the ids `claim` gave a request; the units that need them wait on it. */
  const read = (claimed: { readonly group: ReadonlyArray<string>; readonly deferred: Reading }) =>
    input
      .call(
        input.jira.changelogBulk({
          ids: claimed.group,
          fieldIds: input.fieldIds,
          maxResults: CHANGELOG_BULK_MAX_PAGE,
        }),
      )
      .pipe(
        Effect.onExit((exit) =>
          Effect.gen(function* () {
            // A failed read is not kept: whoever needs those ids next reads them again.
            if (exit._tag === "Failure")
              for (const id of claimed.group) if (reading.get(id) === claimed.deferred) reading.delete(id)
            yield* Deferred.done(claimed.deferred, exit)
          }),
        ),
        // Its failure reaches every unit waiting on it through the deferred.
        Effect.ignore,
      )

  const prefetch: ChangelogReader["prefetch"] = (ids) =>
    claim(ids, []).pipe(Effect.map((claimed) => (claimed === undefined ? Effect.void : read(claimed))))

  /**
   * The histories of `ids`, undefined for ids the answer left out. Ids a request already reads (a
   * prefetch) wait for it, and are read again here if it failed; the rest are read here, several
   * requests past 1,000 ids, and a failure of those fails the unit.
   */
  const historiesOf = (ids: ReadonlyArray<string>, upcoming: ReadonlyArray<string>) =>
    Effect.gen(function* () {
      const found = new Map<string, ReadonlyArray<ChangeHistory> | undefined>()
      let wanted = ids
      while (wanted.length > 0) {
        const mine: Array<{ readonly group: ReadonlyArray<string>; readonly deferred: Reading }> = []
        for (;;) {
          const unclaimed = wanted.filter((id) => !reading.has(id))
          const claimed = unclaimed.length === 0 ? undefined : yield* claim(unclaimed, upcoming)
          if (claimed === undefined) break
          mine.push(claimed)
        }
        // Taken before the reads: a failed read leaves `reading`, and its ids must meet its failure.
        const waits = wanted.flatMap((id) => {
          const deferred = reading.get(id)
          return deferred === undefined ? [] : [[id, deferred] as const]
        })
        for (const claimed of mine) yield* read(claimed)
        const own = new Set(mine.map((claimed) => claimed.deferred))
        const again: Array<string> = []
        for (const [id, deferred] of waits) {
          if (own.has(deferred)) {
            found.set(id, (yield* Deferred.await(deferred)).get(id))
            continue
          }
          const exit = yield* Effect.exit(Deferred.await(deferred))
          if (exit._tag === "Success") found.set(id, exit.value.get(id))
          else again.push(id)
        }
        wanted = again
      }
      return found
    })
  /**
   * Of issues the changelog answer left out (Jira leaves out issues without changes to the asked
   * fields, and those it cannot return), the ones issue bulkfetch no longer returns either: gone
   * since their fields were read. Ids it lists as retriable errors still exist.
   */
  const goneOf = (ids: ReadonlyArray<string>) =>
    Effect.gen(function* () {
      const present = new Set<string>()
      for (let i = 0; i < ids.length; i += RECHECK_BATCH) {
        const batch = ids.slice(i, i + RECHECK_BATCH)
        const result = yield* input.call(input.jira.bulkFetch({ ids: batch, fields: ["status"] }))
        for (const issue of result.issues) present.add(issue.id)
        for (const error of result.issueErrors) present.add(error.id)
      }
      return new Set(ids.filter((id) => !present.has(id)))
    })

  const attach: ChangelogReader["attach"] = (issues, upcoming) =>
    Effect.gen(function* () {
      const ids = issues.map((i) => i.id)
      const found = yield* historiesOf(ids, upcoming).pipe(
        Effect.ensuring(
          Effect.sync(() => {
            for (const id of ids) reading.delete(id)
          }),
        ),
      )
      const absent = ids.filter((id) => found.get(id) === undefined)
      const gone = absent.length === 0 ? new Set<string>() : yield* goneOf(absent)
      return {
        issues: issues
          .filter((issue) => !gone.has(issue.id))
          .map((issue) => ({ ...issue, changelog: { histories: found.get(issue.id) ?? [] } })),
        gone: issues.filter((issue) => gone.has(issue.id)),
      }
    })

  return { attach, prefetch }
}
