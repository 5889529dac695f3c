/**
 * The export run: `export/start`, then `export/next` one call at a time until the cursor is null,
 * collecting the CSV text as Blob parts (out of the JavaScript heap). The calls go to a runner
 * (runners.ts): Atlassian's servers, or the page runner in this browser, one unit per call; an
 * automatic run starts on the servers and moves to the browser when the export is large or the app's
 * points are short. After each part the run is kept in IndexedDB (savedExports.ts) to resume after a
 * reload. A failed call is repeated with the same cursor (the cursor is
 * self-contained, so nothing is lost or doubled): after Jira's `retryAfterMs`, at the quota's reset time,
 * or with exponential backoff for network and server errors. Calls are also spaced so the bridge's own
 * limit (500 invokes per 25 s, see docs/forge.md §2) is never reached.
 */
import type {
  ColumnInfo,
  ExportOptionsInput,
  ExportProgress,
  ResolverError,
  WorkbookInfo,
} from "../../../src/contract.js"
import type { Backend } from "../bridge.js"
import { type Clock, sleep } from "../clock.js"
import { canTryAgain, isRetryable } from "../errors.js"
import { fileNameFor } from "../format.js"
import { batch, computed, type ReadSignal, type Signal, signal } from "../state/signal.js"
import { workbookBlob } from "../workbook.js"
import {
  autoPlace,
  browserRunner,
  chosenPlace,
  type EngineLike,
  loadPageEngine,
  type Place,
  type RunChoice,
  type Runner,
  serversRunner,
} from "./runners.js"
import type { ExportStore, SavedExport } from "./savedExports.js"

export { MIN_CALL_SPACING_MS } from "./runners.js"

/** Backoff for network and server errors: 1 s, 2 s, 4 s, … capped at 30 s. */
export const BACKOFF_BASE_MS = 1_000
export const BACKOFF_CAP_MS = 30_000
/** Consecutive network/server failures before the run stops and offers "Try again". */
export const MAX_CONSECUTIVE_FAILURES = 6
/** When a quota error carries no reset time, look again after this long. */
export const QUOTA_RECHECK_MS = 60_000
/** How often the page refreshes countdowns while waiting, and the time a call has been out. */
const TICK_MS = 1_000

export interface ExportRequest {
  readonly jql: string
  readonly columns: ReadonlyArray<string>
  readonly options: ExportOptionsInput
  readonly siteUrl?: string
  readonly timeZone?: string
  /** Only these issues, in this order (the navigator's selection). */
  readonly issueKeys?: ReadonlyArray<string>
}

/** What the run is doing right now, in the terms the page words it. */
export type Activity =
  | { readonly kind: "starting" }
  /** `note`: the steward's word that this export will pause to leave Jira's shared allowance to others. */
  | { readonly kind: "fetching"; readonly note?: string }
  /** Jira asked to slow down (429), or a retry after a network/server error. */
  | {
      readonly kind: "waiting"
      readonly until: number
      readonly reason: "rateLimit" | "retry"
      readonly attempt: number
    }
  /**
   * The app's hourly quota is spent, or (`by: "steward"`) this export used what it may of the pool
   * Jira shares between every customer of the app; resumes by itself at `until`.
   */
  | { readonly kind: "paused"; readonly until: number; readonly by?: "steward" }

export interface ExportSummary {
  readonly issues: number
  readonly durationMs: number
  readonly missing: ReadonlyArray<string>
  readonly truncatedCells: number
  /** Times Jira's page token expired and the export found its place again. */
  readonly relocations: number
  /** The export's notes (the contract's `ExportProgress.notes`). */
  readonly notes: ReadonlyArray<string>
  /** Why the export read its pages one after another (its order cannot be cut into parts), when it did. */
  readonly sequentialReason?: string
}

export interface ExportFile {
  readonly name: string
  readonly blob: Blob
  readonly size: number
}

export type ExportState =
  | { readonly kind: "idle" }
  | { readonly kind: "running"; readonly activity: Activity }
  | { readonly kind: "cancelled" }
  | { readonly kind: "failed"; readonly error: ResolverError; readonly canResume: boolean }
  | { readonly kind: "done"; readonly file: ExportFile; readonly summary: ExportSummary }

const emptyProgress: ExportProgress = { done: 0, total: null, missing: [], truncatedCells: 0 }

/** Where a stopped run can go on from. */
interface Position {
  readonly request: ExportRequest
  readonly parts: Blob[]
  readonly runner: Runner
  readonly saved: SavedExport<ExportRequest> | undefined
  readonly cursor: string | null
  /** Said by export/start, which a resumed run does not call again. */
  readonly sequentialReason: string | undefined
  /** A workbook's columns and what zipping it needs (export/start's answer); absent for a CSV. */
  readonly workbook?: { readonly info: WorkbookInfo; readonly columns: ReadonlyArray<ColumnInfo> }
}

type Step<A> = { readonly ok: true; readonly value: A } | { readonly ok: false }

export class ExportModel {
  readonly #state: Signal<ExportState> = signal<ExportState>({ kind: "idle" })
  readonly #progress: Signal<ExportProgress> = signal(emptyProgress)
  readonly #now: Signal<number>
  /** How long the call now out has waited for its answer, in whole seconds' ticks; undefined between calls. */
  readonly #callWaitedMs: Signal<number | undefined> = signal<number | undefined>(undefined)
  readonly #clock: Clock
  #startedAt = 0
  /** Time spent waiting for Jira; excluded from the issues/s rate so a pause does not distort it. */
  #waitedMs = 0
  #run = 0
  #cancelWait: () => void = () => undefined
  #lastCallAt = Number.NEGATIVE_INFINITY
  #position: Position | undefined
  readonly #servers: Runner
  readonly #browser: Runner
  readonly #store: ExportStore<ExportRequest> | undefined
  readonly #runIn: Signal<RunChoice> = signal<RunChoice>("auto")
  /** Where the current run reads Jira, and why, in one line. */
  readonly #placement: Signal<{ readonly place: Place; readonly why: string } | undefined> = signal<
    { readonly place: Place; readonly why: string } | undefined
  >(undefined)
  /** An unfinished run kept from an earlier visit, offered for resuming. */
  readonly #saved: Signal<SavedExport<ExportRequest> | undefined> = signal<
    SavedExport<ExportRequest> | undefined
  >(undefined)

  constructor(
    backend: Backend,
    clock: Clock,
    deps: {
      readonly engine?: () => Promise<EngineLike>
      readonly store?: ExportStore<ExportRequest> | undefined
    } = {},
  ) {
    this.#clock = clock
    this.#now = signal(clock.now())
    this.#servers = serversRunner(backend)
    this.#browser = browserRunner(deps.engine ?? loadPageEngine)
    this.#store = deps.store
  }

  /** Options → "Run the export": automatically, in this browser, or on Atlassian's servers. */
  get runIn(): ReadSignal<RunChoice> {
    return this.#runIn
  }
  setRunIn(choice: RunChoice): void {
    this.#runIn.value = choice
  }
  get placement(): ReadSignal<{ readonly place: Place; readonly why: string } | undefined> {
    return this.#placement
  }
  get saved(): ReadSignal<SavedExport<ExportRequest> | undefined> {
    return this.#saved
  }

  /** Looks for an unfinished run of this user kept in the browser (offered as "Resume the export of …"). */
  async loadSaved(): Promise<void> {
    const saved = await this.#store?.latest().catch(() => undefined)
    if (saved !== undefined && this.#state.peek().kind === "idle") this.#saved.value = saved
  }

  /** Continues the kept run: its parts so far, its cursor, where it ran. */
  async resumeSaved(): Promise<void> {
    const saved = this.#saved.peek()
    if (saved === undefined || this.#store === undefined) return
    this.#stop()
    const run = ++this.#run
    const parts = [...(await this.#store.parts(saved.id))]
    if (run !== this.#run) return
    this.#saved.value = undefined
    this.#startedAt = this.#clock.now()
    this.#waitedMs = 0
    batch(() => {
      this.#now.value = this.#startedAt
      this.#progress.value = saved.progress
      this.#placement.value = { place: saved.place, why: saved.why }
    })
    // A kept record whose parts were not all written (a storage error) cannot give an exact file.
    if (parts.length !== saved.parts) {
      await this.dismissSaved()
      return
    }
    return this.#go(run, saved.request, {
      request: saved.request,
      parts,
      runner: saved.place === "browser" ? this.#browser : this.#servers,
      saved,
      cursor: saved.cursor,
      sequentialReason: saved.sequentialReason,
      ...(saved.workbook === undefined ? {} : { workbook: saved.workbook }),
    })
  }

  /** Forgets the kept run (nothing of it stays in the browser). */
  async dismissSaved(): Promise<void> {
    const saved = this.#saved.peek()
    this.#saved.value = undefined
    if (saved !== undefined) await this.#store?.remove(saved.id).catch(() => undefined)
  }

  get state(): ReadSignal<ExportState> {
    return this.#state
  }
  get progress(): ReadSignal<ExportProgress> {
    return this.#progress
  }
  /** The model's clock, ticking once a second while a run waits (for countdowns). */
  get now(): ReadSignal<number> {
    return this.#now
  }

  /**
   * How long the call now out has waited for its answer (the page says so when Jira stays silent).
   * Apart from `now`, so issues/s still changes once per chunk only.
   */
  get callWaitedMs(): ReadSignal<number | undefined> {
    return this.#callWaitedMs
  }

  /** Issues per second while fetching (undefined until there is something to measure). */
  readonly rate: ReadSignal<number | undefined> = computed(() => {
    const now = this.#now.value
    const { done } = this.#progress.value
    const active = now - this.#startedAt - this.#waitedMs
    return done > 0 && active > 0 ? (done * 1000) / active : undefined
  })

  /** Estimated time left, from the approximate total and the rate. */
  readonly remainingMs: ReadSignal<number | undefined> = computed(() => {
    const rate = this.rate.value
    const { done, total } = this.#progress.value
    if (rate === undefined || total === null) return undefined
    return (Math.max(0, total - done) / rate) * 1000
  })

  /** Starts a new export (any previous one is cancelled). */
  start(request: ExportRequest): Promise<void> {
    this.#stop()
    const run = ++this.#run
    this.#startedAt = this.#clock.now()
    this.#waitedMs = 0
    batch(() => {
      this.#now.value = this.#startedAt
      this.#progress.value = emptyProgress
    })
    this.#position = undefined
    void this.dismissSaved()
    return this.#go(run, request, undefined)
  }

  /** Continues a failed run from the cursor it stopped at. */
  resume(): Promise<void> {
    const state = this.#state.peek()
    const position = this.#position
    if (state.kind !== "failed" || !state.canResume || position === undefined) return Promise.resolve()
    const run = ++this.#run
    return this.#go(run, position.request, position)
  }

  /** Stops the run: no call is made after this, and an answer still on its way is dropped. */
  cancel(): void {
    if (this.#state.peek().kind !== "running") return
    this.#stop()
    this.#forget()
    this.#state.value = { kind: "cancelled" }
  }

  /** Back to the options (after done, cancelled or failed). */
  reset(): void {
    this.#stop()
    this.#forget()
    this.#position = undefined
    this.#progress.value = emptyProgress
    this.#state.value = { kind: "idle" }
  }

  #stop(): void {
    this.#run++
    this.#cancelWait()
    this.#position?.runner.stop()
  }

  /** Deletes what the browser keeps of the current run. */
  #forget(): void {
    const id = this.#position?.saved?.id
    if (id !== undefined) void this.#store?.remove(id).catch(() => undefined)
  }

  /** Keeps the run's record and its part `seq` in the browser; a storage failure only loses the resume. */
  async #keep(record: SavedExport<ExportRequest> | undefined, seq: number, text: string): Promise<void> {
    if (record === undefined) return
    await this.#store?.save(record, seq, text).catch(() => undefined)
  }

  async #go(run: number, request: ExportRequest, from: Position | undefined): Promise<void> {
    const live = () => run === this.#run
    let parts: Blob[]
    let cursor: string | null
    let sequentialReason: string | undefined
    let allowanceNote: string | undefined
    let workbook: Position["workbook"]
    let runner: Runner
    let saved: SavedExport<ExportRequest> | undefined
    if (from === undefined || (from.cursor === null && from.parts.length === 0)) {
      this.#state.value = { kind: "running", activity: { kind: "starting" } }
      const choice = this.#runIn.peek()
      // Automatic: the servers start it (count, plan, the app's points left), then it may move here.
      const first = choice === "browser" ? this.#browser : this.#servers
      const started = await this.#attempt(run, first, () =>
        first.start({
          jql: request.jql,
          columns: request.columns,
          options: request.options,
          ...(request.siteUrl === undefined ? {} : { siteUrl: request.siteUrl }),
          ...(request.issueKeys === undefined ? {} : { issueKeys: request.issueKeys }),
        }),
      )
      if (!started.ok) return
      const placement =
        choice === "auto" ? autoPlace(started.value) : { place: first.place, why: chosenPlace(first.place) }
      runner = placement.place === "browser" ? this.#browser : this.#servers
      parts = [new Blob([started.value.csv])]
      cursor = started.value.cursor
      sequentialReason = started.value.sequentialReason
      // The steward's word is about the servers' path only.
      allowanceNote = placement.place === "browser" ? undefined : started.value.allowanceNote
      const info = started.value.workbook
      workbook = info === undefined ? undefined : { info, columns: started.value.columns }
      const progress = { ...emptyProgress, total: started.value.approximateTotal }
      batch(() => {
        this.#progress.value = progress
        this.#placement.value = placement
      })
      saved =
        this.#store === undefined
          ? undefined
          : {
              id: `${this.#startedAt}-${run}`,
              accountId: "",
              request,
              place: placement.place,
              why: placement.why,
              cursor,
              progress,
              ...(sequentialReason === undefined ? {} : { sequentialReason }),
              parts: 1,
              startedAt: this.#startedAt,
              ...(workbook === undefined ? {} : { workbook }),
            }
      await this.#keep(saved, 0, started.value.csv)
    } else {
      parts = from.parts
      cursor = from.cursor
      sequentialReason = from.sequentialReason
      workbook = from.workbook
      runner = from.runner
      saved = from.saved
    }
    while (cursor !== null) {
      this.#position = {
        request,
        parts,
        runner,
        saved,
        cursor,
        sequentialReason,
        ...(workbook === undefined ? {} : { workbook }),
      }
      this.#state.value = {
        kind: "running",
        activity: { kind: "fetching", ...(allowanceNote === undefined ? {} : { note: allowanceNote }) },
      }
      const current = cursor
      const chunk = await this.#attempt(run, runner, () => runner.next(current))
      if (!chunk.ok) return
      const value = chunk.value
      if (value.csv !== "") {
        parts.push(new Blob([value.csv]))
        if (saved !== undefined) {
          saved = { ...saved, cursor: value.cursor ?? "", progress: value.progress, parts: parts.length }
          await this.#keep(saved, parts.length - 1, value.csv)
          if (!live()) return
        }
      }
      // Together, so the rate never divides this chunk's count by the previous chunk's time.
      batch(() => {
        this.#progress.value = value.progress
        this.#now.value = this.#clock.now()
      })
      cursor = value.cursor
      if (cursor === null) break
      const pausedUntil = value.pausedUntil === undefined ? Number.NaN : Date.parse(value.pausedUntil)
      if (!Number.isNaN(pausedUntil)) {
        if (!(await this.#pause(run, pausedUntil, value.pausedBy))) return
      } else if (value.retryAfterMs !== undefined && value.retryAfterMs > 0) {
        if (!(await this.#wait(run, value.retryAfterMs, "rateLimit", 1))) return
      }
    }
    if (!live()) return
    const end = this.#clock.now()
    const progress = this.#progress.peek()
    const blob =
      workbook === undefined
        ? new Blob(parts, { type: "text/csv;charset=utf-8" })
        : await workbookBlob(parts, workbook.info, workbook.columns, progress.done, progress.notes).catch(
            (cause: unknown) => new Error(cause instanceof Error ? cause.message : String(cause)),
          )
    if (!live()) return
    if (blob instanceof Error) {
      // Its code did not load, or zipping failed: the rows are all here, so Try again only zips.
      this.#position = {
        request,
        parts,
        runner,
        saved,
        cursor: null,
        sequentialReason,
        ...(workbook === undefined ? {} : { workbook }),
      }
      this.#state.value = {
        kind: "failed",
        error: {
          tag: "Transport",
          message: "The workbook could not be made; try again.",
          details: [blob.message],
        },
        canResume: true,
      }
      return
    }
    // The file is whole: nothing of it stays in the browser's storage.
    if (saved !== undefined) void this.#store?.remove(saved.id).catch(() => undefined)
    this.#position = undefined
    this.#state.value = {
      kind: "done",
      file: {
        name: fileNameFor(
          request.jql,
          new Date(end),
          request.timeZone,
          request.options.history !== undefined,
          workbook === undefined ? "csv" : "xlsx",
        ),
        blob,
        size: blob.size,
      },
      summary: {
        issues: progress.done,
        durationMs: end - this.#startedAt,
        missing: progress.missing,
        truncatedCells: progress.truncatedCells,
        relocations: progress.relocations ?? 0,
        notes: progress.notes ?? [],
        ...(sequentialReason === undefined ? {} : { sequentialReason }),
      },
    }
  }

  /**
   * One resolver call, repeated until it succeeds, the run is cancelled, or the error is final.
   * Rate limits and quota pauses are waited out for as long as they last (the user can cancel);
   * network and server errors get `MAX_CONSECUTIVE_FAILURES` tries with backoff.
   */
  async #attempt<A>(
    run: number,
    runner: Runner,
    call: () => Promise<{ ok: true; value: A } | { ok: false; error: ResolverError }>,
  ): Promise<Step<A>> {
    let failures = 0
    let limited = 0
    for (;;) {
      if (!(await this.#space(run, runner.spacingMs))) return { ok: false }
      this.#lastCallAt = this.#clock.now()
      const stopTicking = this.#tickDuringCall()
      const result = await call()
      stopTicking()
      if (run !== this.#run) return { ok: false }
      if (result.ok) return result
      const error = result.error
      if (error.tag === "QuotaExhausted") {
        const reset = error.resetAt === undefined ? Number.NaN : Date.parse(error.resetAt)
        const until = Number.isNaN(reset) ? this.#clock.now() + QUOTA_RECHECK_MS : reset
        if (!(await this.#pause(run, until))) return { ok: false }
      } else if (error.tag === "RateLimited") {
        limited++
        const wait = error.retryAfterMs ?? backoff(limited)
        if (!(await this.#wait(run, wait, "rateLimit", limited))) return { ok: false }
      } else if (isRetryable(error.tag) && failures + 1 < MAX_CONSECUTIVE_FAILURES) {
        failures++
        if (!(await this.#wait(run, backoff(failures), "retry", failures))) return { ok: false }
      } else {
        this.#state.value = {
          kind: "failed",
          error,
          canResume: canTryAgain(error.tag) && this.#position !== undefined,
        }
        return { ok: false }
      }
    }
  }

  /** Counts the time a call is out, every second, so a silent Jira can be told apart from a slow one. */
  #tickDuringCall(): () => void {
    const since = this.#clock.now()
    this.#callWaitedMs.value = 0
    let cancel: () => void = () => undefined
    const tick = () => {
      this.#callWaitedMs.value = this.#clock.now() - since
      cancel = this.#clock.after(TICK_MS, tick)
    }
    cancel = this.#clock.after(TICK_MS, tick)
    return () => {
      cancel()
      this.#callWaitedMs.value = undefined
    }
  }

  /** Keeps calls at least `spacingMs` apart (the bridge's invoke limit; none in the browser). */
  async #space(run: number, spacingMs: number): Promise<boolean> {
    const gap = this.#lastCallAt + spacingMs - this.#clock.now()
    if (gap <= 0) return run === this.#run
    const wait = sleep(this.#clock, gap)
    this.#cancelWait = wait.cancel
    await wait.done
    return run === this.#run
  }

  #wait(run: number, ms: number, reason: "rateLimit" | "retry", attempt: number): Promise<boolean> {
    const until = this.#clock.now() + ms
    this.#state.value = { kind: "running", activity: { kind: "waiting", until, reason, attempt } }
    return this.#sleepUntil(run, until)
  }

  #pause(run: number, until: number, by?: "steward"): Promise<boolean> {
    this.#state.value = {
      kind: "running",
      activity: { kind: "paused", until, ...(by === undefined ? {} : { by }) },
    }
    return this.#sleepUntil(run, until)
  }

  /** Sleeps until `until`, ticking `now` every second for countdowns; false when the run was stopped. */
  async #sleepUntil(run: number, until: number): Promise<boolean> {
    const began = this.#clock.now()
    while (run === this.#run) {
      const now = this.#clock.now()
      this.#now.value = now
      if (now >= until) break
      const wait = sleep(this.#clock, Math.min(TICK_MS, until - now))
      this.#cancelWait = wait.cancel
      await wait.done
    }
    this.#waitedMs += this.#clock.now() - began
    return run === this.#run
  }
}

/** Exponential backoff for the n-th consecutive failure (n ≥ 1). */
export const backoff = (n: number): number => Math.min(BACKOFF_CAP_MS, BACKOFF_BASE_MS * 2 ** (n - 1))
