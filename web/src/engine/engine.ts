/**
 * The export engine driven by the page itself (issue 20): the same start and unit stream as the
 * resolvers and the command line, reading Jira through the frame's product fetch (what `requestJira`
 * sends; productFetch.ts) as the signed-in user. It answers in the resolvers' terms (`ExportStarted`,
 * one `ExportChunk` per unit, `ResolverError`s), so the page's export model drives it exactly as it
 * drives `export/start` and `export/next`: the same progress, cancel, pauses and retries, and the same
 * cursor, which is why a run started on Atlassian's servers can continue here.
 *
 * Between two `next` calls the stream keeps running (reading ahead a few units), so asking for one
 * unit at a time costs no restart; a cursor other than the one last handed out (a retry, a resume)
 * starts a new stream from it.
 *
 * When Jira charges the page's reads to the app's pool shared by every customer, the page's steward
 * holds the stream's reads at the pool's reserve until the reset (pageSteward.ts, readHold.ts), and
 * `next` answers its pause.
 */
import {
  Cause,
  Clock,
  type Context,
  Effect,
  Exit,
  Fiber,
  Layer,
  ManagedRuntime,
  Option,
  Queue,
  Stream,
} from "effect"
import {
  type ExportChunk,
  type ExportStarted,
  ExportStartPayload,
  type ResolverError,
  type Result,
} from "../../../src/contract.js"
import { type Counters, type CursorContent, decodeCursor, encodeCursor } from "../../../src/export/cursor.js"
import { ExportJira } from "../../../src/export/ExportJira.js"
import { type CursorUnit, exportStream, planOf, progressOf, startExport } from "../../../src/export/engine.js"
import { pauseFor } from "../../../src/export/pause.js"
import { livePlanner, readProfileAndFields, timeZoneFor } from "../../../src/export/planner.js"
import { directSettings, type ExportFailure } from "../../../src/export/types.js"
import { isWorkbook, workbookInfoOf } from "../../../src/export/xlsx.js"
import { BridgeTransport, type ProductFetch } from "../../../src/jira/BridgeTransport.js"
import { JiraClient } from "../../../src/jira/JiraClient.js"
import { RateLimitState } from "../../../src/jira/RateLimitState.js"
import { UserDirectory } from "../../../src/jira/UserDirectory.js"
import { decodePayload } from "../../../src/resolvers/payload.js"
import { internalError, type ResolverFailure, toResolverError } from "../../../src/resolvers/respond.js"
import { pageSteward } from "./pageSteward.js"
import { asStreamReads, readHolds } from "./readHold.js"
import { slicedScheduler } from "./scheduler.js"

export interface PageEngine {
  /** `export/start` in the page: checks the query, plans the columns, picks the strategy, first cursor. */
  readonly start: (payload: unknown) => Promise<Result<ExportStarted>>
  /** The next unit from `cursor` (its text, the cursor after it, the counters), or a pause. */
  readonly next: (cursor: string) => Promise<Result<ExportChunk>>
  /** Stops the stream under way (cancel): nothing more is read. */
  readonly stop: () => void
}

/**
 * Units read ahead of the page: several answers' worth, so that reading goes on while the page stores
 * what it was handed (with 3, after Jira's last answer the page still took some 40 units one by one).
 * At most 12 units of at most 1 MB each are held: the 100,000-issue heap stays far under its bound.
 */
const READ_AHEAD_UNITS = 12

/**
 * Most text handed out in one answer. Units read ahead while the page stored the last answer go out
 * together, as one part with the cursor after the last of them: the page's work per answer (its record
 * in IndexedDB, the progress shown) is paid per answer, not per unit, and the file is the same. About
 * one unit's largest size, so that no task of the page grows with the batch.
 */
const MAX_ANSWER_CHARS = 1_000_000

/**
 * What the stream queued: a unit; a failure, which ends it; or the steward's hold of its reads
 * beginning (readHold.ts), after the units read before it.
 */
type Item =
  | ({ readonly _tag: "unit" } & CursorUnit)
  | { readonly _tag: "failed"; readonly error: ExportFailure }
  | { readonly _tag: "held"; readonly untilMs: number }

interface Running {
  /** The cursor the page will ask with next: the one after the last unit handed out. */
  cursor: string
  counters: Counters
  /** A failure met while gathering units for the last answer: the next `next` answers it. */
  failed?: Extract<Item, { readonly _tag: "failed" }>
  readonly items: Queue.Queue<Item>
  readonly fiber: Fiber.RuntimeFiber<void>
}

export interface PageEngineOptions {
  /** The engine's clock (tests move it on by a quota window); the page's own by default. */
  readonly clock?: Clock.Clock
}

export const makePageEngine = (fetchProduct: ProductFetch, options: PageEngineOptions = {}): PageEngine => {
  // The quota state is the page session's: a Retry-After or a spent quota holds for every export. So
  // is the steward's knowledge of whether Jira charges the page's reads to the app's shared pool.
  const runtime = ManagedRuntime.make(RateLimitState.layer)
  const steward = pageSteward()
  const holds = readHolds(steward)
  // The Jira client and the user directory are one export's, as the command line has them for one
  // run: the profile, the fields and the users read for an export are not kept for the next, so a
  // field created while the page stays open is known to the next export.
  const exportServices = ExportJira.layer.pipe(
    Layer.provideMerge(UserDirectory.layer()),
    Layer.provideMerge(JiraClient.layer),
    Layer.provide(holds.transport(BridgeTransport.layer(fetchProduct))),
  )
  let services: Context.Context<ExportJira | JiraClient | UserDirectory> | undefined
  /** The current export's services, or new ones (their layers hold no resources for a scope to release). */
  const servicesFor = (fresh: boolean) =>
    fresh || services === undefined
      ? Layer.build(exportServices).pipe(
          Effect.scoped,
          Effect.tap((built) => {
            services = built
          }),
        )
      : Effect.succeed(services)
  const scheduler = slicedScheduler()
  let running: Running | undefined

  /**
   * Runs an effect in the page's runtime to a Result: failures as the resolvers word them. `fresh`:
   * with new export services (a start), else the current export's.
   */
  const settle = <A>(
    effect: Effect.Effect<A, ResolverFailure, ExportJira | JiraClient | UserDirectory | RateLimitState>,
    fresh = false,
  ): Promise<Result<A>> =>
    runtime
      .runPromiseExit(
        servicesFor(fresh).pipe(
          Effect.flatMap((context) => Effect.provide(effect, context)),
          Effect.withScheduler(scheduler),
          (run) => (options.clock === undefined ? run : Effect.withClock(run, options.clock)),
        ),
      )
      .then((exit): Result<A> => {
        if (Exit.isSuccess(exit)) return { ok: true, value: exit.value }
        const failure = Cause.failureOption(exit.cause)
        if (Option.isSome(failure)) return { ok: false, error: toResolverError(failure.value) }
        console.error("page engine defect", Cause.pretty(exit.cause))
        return { ok: false, error: internalError }
      })

  const stop = () => {
    const current = running
    running = undefined
    holds.reset()
    // Shutting the queue down also ends a `next` still waiting on it.
    if (current !== undefined)
      runtime.runFork(Effect.zipRight(Fiber.interrupt(current.fiber), Queue.shutdown(current.items)))
  }

  const start = (payload: unknown) =>
    settle(
      Effect.gen(function* () {
        stop()
        const input = yield* decodePayload(ExportStartPayload)(payload)
        const jira = yield* ExportJira
        const zone = input.options?.timeZone
        yield* readProfileAndFields(zone)
        const timeZone = yield* timeZoneFor(zone)
        const started = yield* startExport({
          jira,
          planner: livePlanner,
          payload: input,
          timeZone,
          siteUrl: input.siteUrl ?? "",
          apiToken: false,
        })
        const answer: ExportStarted = {
          csv: started.header,
          columns: started.columns,
          approximateTotal: started.approximateTotal,
          strategy: started.strategy,
          ...(started.sequentialReason === undefined ? {} : { sequentialReason: started.sequentialReason }),
          cursor: encodeCursor(started.content),
          ...(isWorkbook(started.content.options) ? { workbook: workbookInfoOf(started.content) } : {}),
        }
        return answer
      }),
      true,
    )

  /** Tells the steward how far the export has read, with the quota its answers left. */
  const observe = (unit: CursorUnit, strategy: CursorContent["strategy"]) =>
    Effect.gen(function* () {
      steward.observe({
        snapshot: yield* RateLimitState.get,
        nowMs: yield* Clock.currentTimeMillis,
        rows: unit.counters.done,
        strategy,
      })
    })

  /**
   * The next item to answer from: a hold that has ended (the page asked again, the reset passed) is
   * passed over; the reads it held look at the pool again and queue a new one if they are held still.
   */
  const take = (items: Queue.Queue<Item>): Effect.Effect<Item> =>
    Queue.take(items).pipe(
      Effect.flatMap((item) => (item._tag === "held" && !holds.held() ? take(items) : Effect.succeed(item))),
    )

  /** A new stream from `cursor`, read ahead into a small queue. */
  const open = (cursor: string) =>
    Effect.gen(function* () {
      const content = yield* decodeCursor(cursor)
      const jira = yield* ExportJira
      const { format } = yield* livePlanner(planOf(content))
      const items = yield* Queue.bounded<Item>(READ_AHEAD_UNITS)
      const fiber = yield* exportStream({ jira, format, content, settings: directSettings }).pipe(
        Stream.runForEach((unit) =>
          Queue.offer(items, { _tag: "unit", ...unit }).pipe(
            Effect.zipRight(observe(unit, content.strategy)),
          ),
        ),
        Effect.catchAll((error) => Queue.offer(items, { _tag: "failed", error })),
        Effect.asVoid,
        asStreamReads((untilMs) => Queue.offer(items, { _tag: "held", untilMs })),
        Effect.forkDaemon,
      )
      const opened: Running = { cursor, counters: content.counters, items, fiber }
      return opened
    })

  const next = (cursor: string) =>
    settle(
      Effect.gen(function* () {
        if (running === undefined || running.cursor !== cursor) {
          stop()
          running = yield* open(cursor)
        }
        const current = running
        // Asked again (at the reset, or sooner): reads the steward held look at the pool again.
        yield* holds.lookAgain
        const item = current.failed ?? (yield* take(current.items))
        delete current.failed
        if (item._tag === "held") {
          const paused: ExportChunk = {
            csv: "",
            cursor,
            progress: progressOf(current.counters),
            pausedUntil: new Date(item.untilMs).toISOString(),
            pausedBy: "steward",
          }
          return paused
        }
        if (item._tag === "failed") {
          running = undefined
          const pause = pauseFor(item.error)
          // A wait Jira asks for is a pause from the same cursor, as export/next answers it.
          if (pause === undefined) return yield* Effect.fail(item.error)
          const paused: ExportChunk = { csv: "", cursor, progress: progressOf(current.counters), ...pause }
          return paused
        }
        // With the units already read after it (none is waited for).
        const texts = [item.text]
        let size = item.text.length
        let last: CursorUnit = item
        while (last.next !== null && size < MAX_ANSWER_CHARS) {
          const more = yield* Queue.poll(current.items)
          if (Option.isNone(more)) break
          // A hold met here is answered by the next call, which finds it again if it still stands.
          if (more.value._tag === "held") break
          if (more.value._tag === "failed") {
            current.failed = more.value
            break
          }
          texts.push(more.value.text)
          size += more.value.text.length
          last = more.value
        }
        const after = last.next === null ? null : encodeCursor(last.next)
        current.counters = last.counters
        if (after === null) running = undefined
        else current.cursor = after
        const chunk: ExportChunk = { csv: texts.join(""), cursor: after, progress: progressOf(last.counters) }
        return chunk
      }),
    )

  return { start, next, stop }
}

export type { ResolverError }
