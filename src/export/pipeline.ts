/**
 * The export as a Stream of units: issues -> completed comment/worklog lists -> account ids resolved
 * in one batch per unit -> rows -> encoded CSV text. Every unit carries the phase *after* it, a point
 * from which the export can resume with nothing lost and nothing doubled (see cursor.ts).
 *
 * - thrifty: sequential `/search/jql` pages with the needed fields; the next page is fetched while the
 *   current one is formatted. About 1 point per issue.
 * - fast: id pages (`fields=id`, up to 5000) feed `bulkfetch` batches of 100 run with a bounded,
 *   adaptive concurrency, while the next id page is listed. Bulkfetch answers in id order and omits
 *   issues it cannot return, so each batch is put back in search order and the omitted ids reported.
 */
import { Clock, Effect, Option, Stream } from "effect"
import { JiraError } from "../jira/JiraError.js"
import type { Phase } from "./cursor.js"
import { decodeIds, encodeIds } from "./cursor.js"
import type { Gate } from "./gate.js"
import { type Limiter, makeLimiter } from "./limiter.js"
import type { ExportIssue, ExportJira, ExportUser, RowFormat } from "./ports.js"

export interface PipelineSettings {
  /** Issues per `/search/jql` page with fields (Jira caps these at about 100). */
  readonly searchPageSize: number
  /** Ids per id page (Jira's cap for `fields=id`). */
  readonly idPageSize: number
  /** Ids per bulkfetch (Jira's cap). */
  readonly bulkSize: number
  /** Most Jira requests of one export in flight at once. */
  readonly requestConcurrency: number
  /** Most issues whose comments or worklogs are completed at once (each still takes a request permit). */
  readonly completionConcurrency: number
  /** How often a batch is retried for ids bulkfetch listed as retriable `issueErrors`. */
  readonly issueErrorRetries: number
  /**
   * Largest unit, in bytes of CSV text (default {@link MAX_UNIT_BYTES}). A page or batch whose rows
   * are larger is cut into several units, each with a phase to resume from, so one `export/next`
   * answer never has to hold a whole page of very long rows (Forge answers at most 5 MB).
   */
  readonly maxUnitBytes?: number
}

/** Default {@link PipelineSettings.maxUnitBytes}: a fifth of Forge's 5 MB response limit. */
export const MAX_UNIT_BYTES = 1_000_000

export const defaultSettings: PipelineSettings = {
  searchPageSize: 100,
  idPageSize: 5000,
  bulkSize: 100,
  requestConcurrency: 8,
  completionConcurrency: 4,
  issueErrorRetries: 2,
}

/** Output of one step of the export. */
export interface Unit {
  readonly text: string
  readonly rows: number
  readonly truncatedCells: number
  /** Ids of issues listed by the search but no longer readable (deleted or moved since). */
  readonly missing: ReadonlyArray<string>
  /** Where the export stands after this unit; null when it is complete. */
  readonly after: Phase | null
  /** The cells and issue keys of the rows, only when asked for (`keepCells`, for the preview). */
  readonly cells?: ReadonlyArray<ReadonlyArray<string>>
  readonly keys?: ReadonlyArray<string>
}

export interface PipelineInput {
  readonly jira: ExportJira
  readonly format: RowFormat
  readonly jql: string
  readonly phase: Phase
  readonly gate: Gate
  readonly settings?: PipelineSettings
  /** Epoch ms by which every Jira read must be done (retry waits that do not fit fail fast). */
  readonly deadlineMs?: number
  /** Keep each unit's cells and issue keys (the preview shows them). */
  readonly keepCells?: boolean
}

const completeList = (fields: { readonly [k: string]: unknown } | undefined, field: string, list: string) => {
  const page = fields?.[field]
  if (typeof page !== "object" || page === null) return false
  const items: unknown = Reflect.get(page, list)
  const total: unknown = Reflect.get(page, "total")
  return typeof total === "number" && Array.isArray(items) && total > items.length
}

const withList = (
  issue: ExportIssue,
  field: string,
  list: string,
  items: ReadonlyArray<unknown>,
): ExportIssue => {
  const page = issue.fields?.[field]
  const base = typeof page === "object" && page !== null ? page : {}
  return {
    ...issue,
    fields: { ...issue.fields, [field]: { ...base, [list]: items, total: items.length } },
  }
}

/** Builds the unit stream for one export, starting at `phase`. */
export const exportUnits = (input: PipelineInput): Stream.Stream<Unit, JiraError> =>
  Stream.unwrap(
    Effect.gen(function* () {
      const settings = input.settings ?? defaultSettings
      const limiter = yield* makeLimiter(settings.requestConcurrency)
      const { jira, format } = input
      const call = <A>(effect: Effect.Effect<A, JiraError>) =>
        limiter.run(input.deadlineMs === undefined ? effect : jira.withDeadline(effect, input.deadlineMs))

      /** Comments/worklogs that search truncated, completed from their own endpoints. */
      const complete = (issue: ExportIssue) =>
        Effect.gen(function* () {
          let current = issue
          if (format.needsComments && completeList(issue.fields, "comment", "comments")) {
            const comments = yield* call(jira.issueComments(issue.id))
            current = withList(current, "comment", "comments", comments)
          }
          if (format.needsWorklogs && completeList(issue.fields, "worklog", "worklogs")) {
            const worklogs = yield* call(jira.issueWorklogs(issue.id))
            current = withList(current, "worklog", "worklogs", worklogs)
          }
          return current
        })

      const maxUnitBytes = settings.maxUnitBytes ?? MAX_UNIT_BYTES

      /**
       * The units of one page or batch: usually one; several when its text is larger than
       * `maxUnitBytes`, each ending at a position of the source from which the export can resume.
       */
      const toUnits = (source: Source): Effect.Effect<ReadonlyArray<Unit>, JiraError> =>
        Effect.gen(function* () {
          const completed =
            format.needsComments || format.needsWorklogs
              ? yield* Effect.forEach(source.issues, complete, {
                  concurrency: settings.completionConcurrency,
                })
              : source.issues
          // Users shown in full in these issues need no lookup; only the rest go to the directory.
          const known = new Map<string, ExportUser>()
          for (const issue of completed)
            for (const [id, user] of format.knownUsers(issue)) known.set(id, user)
          const ids = new Set<string>()
          for (const issue of completed)
            for (const id of format.accountIds(issue)) if (!known.has(id)) ids.add(id)
          if (known.size > 0) yield* jira.rememberUsers([...known])
          const looked =
            ids.size === 0 ? new Map<string, ExportUser>() : yield* call(jira.resolveUsers([...ids]))
          const users = looked.size === 0 ? known : new Map([...known, ...looked])
          const rows = completed.map((issue) => format.formatRow(issue, users))
          const unitOf = (
            from: number,
            to: number,
            encoded: { readonly text: string; readonly truncatedCells: number },
            missing: ReadonlyArray<string>,
            after: Phase | null,
          ): Unit => {
            const unit: Unit = {
              text: encoded.text,
              rows: to - from,
              truncatedCells: encoded.truncatedCells,
              missing,
              after,
            }
            // The preview shows the cells as the file holds them (formula guard included).
            return input.keepCells
              ? {
                  ...unit,
                  cells: rows.slice(from, to).map(format.cellTexts),
                  keys: completed.slice(from, to).map((i) => i.key ?? i.id),
                }
              : unit
          }
          const whole = format.encodeRows(rows)
          if (rows.length <= 1 || Buffer.byteLength(whole.text) <= maxUnitBytes)
            return [
              unitOf(
                0,
                rows.length,
                whole,
                source.missing.map((m) => m.id),
                source.after,
              ),
            ]

          // Too large for one answer: cut between rows (at least one row a unit).
          const units: Array<Unit> = []
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
              const encoded = format.encodeRows([row])
              const size = Buffer.byteLength(encoded.text)
              if (to > from && bytes + size > maxUnitBytes) break
              texts.push(encoded.text)
              truncatedCells += encoded.truncatedCells
              bytes += size
              to += 1
            }
            const last = to >= rows.length
            const cut = last ? Number.POSITIVE_INFINITY : (source.positions[to - 1] ?? 0) + 1
            const missing = source.missing
              .filter((m) => m.position >= previousCut && m.position < cut)
              .map((m) => m.id)
            units.push(
              unitOf(
                from,
                to,
                { text: texts.join(""), truncatedCells },
                missing,
                last ? source.after : source.resumeAt(cut),
              ),
            )
            previousCut = cut
            from = to
          }
          return units
        })

      const phase = input.phase
      if (phase._tag === "thrifty")
        return thriftyUnits(input, settings, call, toUnits, phase.token, phase.skip ?? 0)
      const pending = decodeIds(phase.pending)
      if (pending._tag === "Left")
        return Stream.fail(new JiraError({ reason: "Decode", message: "The export position is damaged." }))
      return fastUnits(input, settings, call, toUnits, limiter, {
        ids: pending.right,
        token: phase.token,
        more: phase.more,
      })
    }),
  )

type Call = <A>(effect: Effect.Effect<A, JiraError>) => Effect.Effect<A, JiraError>
/** Issues read in one step (a search page or a bulkfetch batch), with where they stand in it. */
interface Source {
  readonly issues: ReadonlyArray<ExportIssue>
  /** Position of each issue in the page or batch, in order. */
  readonly positions: ReadonlyArray<number>
  /** Listed but unreadable issues, with their positions. */
  readonly missing: ReadonlyArray<{ readonly id: string; readonly position: number }>
  /** Where the export stands after the whole step. */
  readonly after: Phase | null
  /** Where it stands when everything before `position` has been emitted. */
  readonly resumeAt: (position: number) => Phase
}

type ToUnits = (source: Source) => Effect.Effect<ReadonlyArray<Unit>, JiraError>

const thriftyUnits = (
  input: PipelineInput,
  settings: PipelineSettings,
  call: Call,
  toUnits: ToUnits,
  start: string | null,
  skip: number,
): Stream.Stream<Unit, JiraError> =>
  Stream.unfoldEffect(Option.some({ token: start, skip }), (next) =>
    Option.isNone(next)
      ? Effect.succeed(Option.none())
      : Effect.gen(function* () {
          if (!(yield* input.gate.admit(settings.searchPageSize))) return Option.none()
          const { token, skip } = next.value
          const page = yield* call(
            input.jira.searchPage({
              jql: input.jql,
              fields: input.format.fields,
              maxResults: settings.searchPageSize,
              ...(token === null ? {} : { nextPageToken: token }),
            }),
          )
          const following = page.isLast || !page.nextPageToken ? null : page.nextPageToken
          return Option.some([
            { token, skip, issues: page.issues, following },
            following === null ? Option.none() : Option.some({ token: following, skip: 0 }),
          ] as const)
        }),
  ).pipe(
    // The next page is read while this one is formatted.
    Stream.buffer({ capacity: 1 }),
    Stream.mapEffect(({ token, skip, issues, following }) =>
      toUnits({
        // A cursor inside a page (a page cut into several units) skips what was emitted.
        issues: issues.slice(skip),
        positions: issues.slice(skip).map((_, i) => skip + i),
        missing: [],
        after: following === null ? null : { _tag: "thrifty", token: following },
        resumeAt: (position) => ({ _tag: "thrifty", token, skip: position }),
      }),
    ),
    Stream.flattenIterables,
  )

interface IdPage {
  readonly ids: ReadonlyArray<string>
  /** Token of the id page after this one. */
  readonly token: string | null
  readonly more: boolean
}

interface Batch {
  readonly ids: ReadonlyArray<string>
  readonly after: Phase | null
  /** Where the export stands when the batch's ids before `position` have been emitted. */
  readonly resumeAt: (position: number) => Phase
}

const batchesOf = (page: IdPage, size: number): ReadonlyArray<Batch> => {
  const batches: Array<Batch> = []
  for (let start = 0; start < page.ids.length; start += size) {
    const end = Math.min(start + size, page.ids.length)
    const rest = page.ids.slice(end)
    batches.push({
      ids: page.ids.slice(start, end),
      resumeAt: (position) => ({
        _tag: "fast",
        pending: encodeIds(page.ids.slice(Math.min(start + position, end))),
        token: page.token,
        more: page.more,
      }),
      after:
        rest.length === 0 && !page.more
          ? null
          : { _tag: "fast", pending: encodeIds(rest), token: page.token, more: page.more },
    })
  }
  return batches
}

const fastUnits = (
  input: PipelineInput,
  settings: PipelineSettings,
  call: Call,
  toUnits: ToUnits,
  limiter: Limiter,
  first: IdPage,
): Stream.Stream<Unit, JiraError> => {
  type Next =
    | { readonly _tag: "page"; readonly page: IdPage }
    | { readonly _tag: "list"; readonly token: string | null }
  const after = (page: IdPage): Option.Option<Next> =>
    page.more ? Option.some({ _tag: "list", token: page.token }) : Option.none()
  const start: Next =
    first.ids.length === 0 && first.more
      ? { _tag: "list", token: first.token }
      : { _tag: "page", page: first }
  const idPages = Stream.unfoldEffect(
    Option.some(start),
    (next): Effect.Effect<Option.Option<readonly [IdPage, Option.Option<Next>]>, JiraError> =>
      Effect.gen(function* () {
        if (Option.isNone(next)) return Option.none()
        if (next.value._tag === "page") return Option.some([next.value.page, after(next.value.page)] as const)
        // Listing costs points too, so it only starts while the gate is open.
        if (!(yield* input.gate.admit(0))) return Option.none()
        const token = next.value.token
        const listed = yield* call(
          input.jira.searchIds({
            jql: input.jql,
            maxResults: settings.idPageSize,
            ...(token === null ? {} : { nextPageToken: token }),
          }),
        )
        const following = listed.isLast || !listed.nextPageToken ? null : listed.nextPageToken
        const page: IdPage = { ids: listed.ids, token: following, more: following !== null }
        return Option.some([page, after(page)] as const)
      }),
  )

  const fetchBatch = (batch: Batch): Effect.Effect<ReadonlyArray<Unit>, JiraError> =>
    Effect.gen(function* () {
      const found = new Map<string, ExportIssue>()
      let wanted: ReadonlyArray<string> = batch.ids
      for (let attempt = 0; attempt <= settings.issueErrorRetries && wanted.length > 0; attempt++) {
        const result = yield* bulkFetchAdaptive({ ids: wanted, fields: input.format.fields })
        for (const issue of result.issues) found.set(issue.id, issue)
        const retriable = new Set(result.issueErrors.map((e) => e.id))
        wanted = wanted.filter((id) => retriable.has(id) && !found.has(id))
      }
      const ordered: Array<ExportIssue> = []
      const positions: Array<number> = []
      const missing: Array<{ readonly id: string; readonly position: number }> = []
      batch.ids.forEach((id, position) => {
        const issue = found.get(id)
        if (issue === undefined) missing.push({ id, position })
        else {
          ordered.push(issue)
          positions.push(position)
        }
      })
      return yield* toUnits({
        issues: ordered,
        positions,
        missing,
        after: batch.after,
        resumeAt: batch.resumeAt,
      })
    })

  const bulkFetchAdaptive = (request: {
    readonly ids: ReadonlyArray<string>
    readonly fields: ReadonlyArray<string>
  }) =>
    Effect.gen(function* () {
      for (;;) {
        const before = (yield* input.jira.quota).pausedUntil ?? 0
        const result = yield* call(input.jira.bulkFetch(request)).pipe(Effect.either)
        if (result._tag === "Right") {
          // The client waits out 429s itself; a new pause during this call means Jira pushed back.
          const after = (yield* input.jira.quota).pausedUntil ?? 0
          yield* after > before ? limiter.slowDown : limiter.succeeded
          return result.right
        }
        const error = result.left
        if (error.reason !== "RateLimited") return yield* Effect.fail(error)
        // A rate limit that got past the client's retries: fewer requests in flight, then wait it out
        // if the wait fits the deadline.
        yield* limiter.slowDown
        const wait = error.retryAfterMs ?? 1000
        const now = yield* Clock.currentTimeMillis
        if (input.deadlineMs !== undefined && now + wait >= input.deadlineMs) return yield* Effect.fail(error)
        yield* Effect.sleep(wait)
      }
    })

  return idPages.pipe(
    // The next id page is listed while bulkfetches of this one run.
    Stream.buffer({ capacity: 1 }),
    Stream.flatMap((page) => Stream.fromIterable(batchesOf(page, settings.bulkSize))),
    Stream.mapEffect((batch) =>
      input.gate
        .admit(batch.ids.length)
        .pipe(Effect.map((open) => (open ? Option.some(batch) : Option.none()))),
    ),
    Stream.takeWhile(Option.isSome),
    Stream.map((batch) => batch.value),
    // One batch in progress per request allowed in flight, plus one: more only holds more issues in
    // memory (each batch is 100 issues of raw, parsed and formatted data) for no measurable speed.
    Stream.mapEffect(fetchBatch, { concurrency: settings.requestConcurrency + 1 }),
    Stream.flattenIterables,
  )
}
