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

export interface ChangelogReader {
  /**
   * The issues with their histories attached. `upcoming` are ids the export will ask for next, in
   * order: as many as fit are read in the same request.
   */
  readonly attach: (
    issues: ReadonlyArray<ExportIssue>,
    upcoming: ReadonlyArray<string>,
  ) => Effect.Effect<ReadonlyArray<ExportIssue>, JiraError>
  /**
   * Claims the histories of issues the export holds but writes later (a part read ahead, parallel/),
   * at once, and gives the request that reads them, to run in the background: their units wait for it
   * instead of asking again. A failure is left for those units to meet.
   */
  readonly prefetch: (ids: ReadonlyArray<string>) => Effect.Effect<Effect.Effect<void>>
}

export const makeChangelogReader = (input: {
  readonly jira: Pick<ExportJiraShape, "changelogBulk">
  readonly fieldIds: ReadonlyArray<string>
  /** Runs a read under the export's limiter and deadline. */
  readonly call: <A>(effect: Effect.Effect<A, JiraError>) => Effect.Effect<A, JiraError>
}): ChangelogReader => {
  // Which request reads (or read) each id's history; an id leaves when its unit has taken it.
  const reading = new Map<string, Deferred.Deferred<Histories, JiraError>>()

  /** Claims the ids no request reads yet: these, then the upcoming ones, up to Jira's 1,000. */
  const claim = (ids: ReadonlyArray<string>, upcoming: ReadonlyArray<string>) =>
    Effect.gen(function* () {
      const group: Array<string> = []
      const seen = new Set<string>()
      for (const id of [...ids, ...upcoming]) {
        if (group.length >= CHANGELOG_BULK_MAX_ISSUES) break
        if (reading.has(id) || seen.has(id)) continue
        // Upcoming ids only fill a request that this unit needs anyway.
        if (group.length === 0 && !ids.includes(id)) break
        seen.add(id)
        group.push(id)
      }
      if (group.length === 0) return undefined
      const deferred = yield* Deferred.make<Histories, JiraError>()
      for (const id of group) reading.set(id, deferred)
      return { group, deferred }
    })

  /** Reads the histories of the ids `claim` gave a request; the units that need them wait on it. */
  const read = (claimed: {
    readonly group: ReadonlyArray<string>
    readonly deferred: Deferred.Deferred<Histories, JiraError>
  }) =>
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

  const attach: ChangelogReader["attach"] = (issues, upcoming) =>
    Effect.gen(function* () {
      const ids = issues.map((i) => i.id)
      const claimed = yield* claim(ids, upcoming)
      if (claimed !== undefined) yield* read(claimed)
      const attached: Array<ExportIssue> = []
      for (const issue of issues) {
        const deferred = reading.get(issue.id)
        const histories =
          deferred === undefined
            ? undefined
            : yield* Deferred.await(deferred).pipe(Effect.map((h) => h.get(issue.id)))
        attached.push({ ...issue, changelog: { histories: histories ?? [] } })
      }
      for (const id of ids) reading.delete(id)
      return attached
    })

  return { attach, prefetch }
}
