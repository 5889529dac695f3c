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
import type { ExportProgress, ResolverError } from "../../../src/contract.js"
import type { Backend } from "../bridge.js"
import type { Clock } from "../clock.js"
import { canTryAgain } from "../errors.js"
import { batch, computed, type ReadSignal, type Signal, signal } from "../state/signal.js"
import { RunCalls } from "./exportCalls.js"
import { finishedFile, summaryOf } from "./exportFile.js"
import { type ExportRequest, type ExportState, emptyProgress, type Position, type Step } from "./exportRun.js"
import {
  AUTO_BROWSER_ABOVE,
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

export {
  type Activity,
  BACKOFF_BASE_MS,
  BACKOFF_CAP_MS,
  backoff,
  type ExportFile,
  type ExportRequest,
  type ExportState,
  type ExportSummary,
  MAX_CONSECUTIVE_FAILURES,
  QUOTA_RECHECK_MS,
} from "./exportRun.js"
export { MIN_CALL_SPACING_MS } from "./runners.js"

export class ExportModel {
  readonly #state: Signal<ExportState> = signal<ExportState>({ kind: "idle" })
  readonly #progress: Signal<ExportProgress> = signal(emptyProgress)
  readonly #now: Signal<number>
  readonly #clock: Clock
  readonly #calls: RunCalls
  #startedAt = 0
  #run = 0
  #position: Position | undefined
  readonly #servers: Runner
  readonly #browser: Runner
  readonly #store: ExportStore<ExportRequest> | undefined
  readonly #runIn: Signal<RunChoice> = signal<RunChoice>("auto")
  readonly #keepRunIn: (choice: RunChoice) => void
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
      /** Where exports run, as the user last chose, and where a new choice is kept. */
      readonly runIn?: RunChoice
      readonly keepRunIn?: (choice: RunChoice) => void
    } = {},
  ) {
    this.#clock = clock
    this.#now = signal(clock.now())
    this.#calls = new RunCalls(clock, {
      live: (run) => run === this.#run,
      show: (activity) => {
        this.#state.value = { kind: "running", activity }
      },
      now: this.#now,
    })
    this.#servers = serversRunner(backend)
    this.#browser = browserRunner(deps.engine ?? loadPageEngine)
    this.#store = deps.store
    this.#runIn.value = deps.runIn ?? "auto"
    // A user who chose this browser before: its engine loads once the page is idle after its first load.
    if (deps.runIn === "browser") globalThis.requestIdleCallback?.(() => this.#browser.warm())
    this.#keepRunIn = deps.keepRunIn ?? (() => undefined)
  }

  /** Options → "Run the export": automatically, in this browser, or on Atlassian's servers. */
  get runIn(): ReadSignal<RunChoice> {
    return this.#runIn
  }
  setRunIn(choice: RunChoice): void {
    this.#runIn.value = choice
    this.#keepRunIn(choice)
    // The engine's file (about 220 KB gzip, 50 to 180 ms to evaluate) is loaded once the user says
    // exports run here, not on the click; the page's first load stays without it.
    if (choice === "browser") this.#browser.warm()
  }
  /**
   * The preview counted `total` issues: when the export would then run here by itself (automatic, more
   * than one answer from the servers carries), the engine's file loads now rather than after the click.
   */
  expectIssues(total: number | null): void {
    if (this.#runIn.peek() === "auto" && total !== null && total > AUTO_BROWSER_ABOVE) this.#browser.warm()
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
    this.#calls.resetWaited()
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
    return this.#calls.callWaitedMs
  }

  /** Issues per second while fetching (undefined until there is something to measure). */
  readonly rate: ReadSignal<number | undefined> = computed(() => {
    const now = this.#now.value
    const { done } = this.#progress.value
    const active = now - this.#startedAt - this.#calls.waitedMs
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
    this.#calls.resetWaited()
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

  /**
   * While the steward holds an export on Atlassian's servers back (to leave Jira's shared allowance
   * to others), the page can read the rest itself now: the same cursor, in this browser.
   */
  runHere(): Promise<void> {
    const state = this.#state.peek()
    const position = this.#position
    if (
      state.kind !== "running" ||
      state.activity.kind !== "paused" ||
      state.activity.by !== "steward" ||
      position === undefined ||
      position.runner.place !== "servers"
    )
      return Promise.resolve()
    this.#stop()
    const run = ++this.#run
    const why =
      "Running in this browser: asked during the pause, so as not to wait for Jira's shared allowance."
    this.#placement.value = { place: "browser", why }
    return this.#go(run, position.request, {
      ...position,
      runner: this.#browser,
      saved: position.saved === undefined ? undefined : { ...position.saved, place: "browser", why },
    })
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
    this.#calls.cancelWait()
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

  /**
   * `export/start` on the runner Options chose (automatic: the servers start it, then it may move here),
   * its header kept as the first part: where the run goes on from, or nothing when it did not start.
   */
  async #begin(
    run: number,
    request: ExportRequest,
  ): Promise<{ readonly position: Position; readonly allowanceNote: string | undefined } | undefined> {
    this.#state.value = { kind: "running", activity: { kind: "starting" } }
    const choice = this.#runIn.peek()
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
    if (!started.ok) return undefined
    const placement =
      choice === "auto" ? autoPlace(started.value) : { place: first.place, why: chosenPlace(first.place) }
    const { cursor, sequentialReason } = started.value
    const info = started.value.workbook
    const workbook = info === undefined ? undefined : { info, columns: started.value.columns }
    const progress = { ...emptyProgress, total: started.value.approximateTotal }
    batch(() => {
      this.#progress.value = progress
      this.#placement.value = placement
    })
    const saved: SavedExport<ExportRequest> | undefined =
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
    return {
      position: {
        request,
        parts: [new Blob([started.value.csv])],
        runner: placement.place === "browser" ? this.#browser : this.#servers,
        saved,
        cursor,
        sequentialReason,
        ...(workbook === undefined ? {} : { workbook }),
      },
      // The steward's word is about the servers' path only.
      allowanceNote: placement.place === "browser" ? undefined : started.value.allowanceNote,
    }
  }

  async #go(run: number, request: ExportRequest, from: Position | undefined): Promise<void> {
    const live = () => run === this.#run
    const begun =
      from === undefined || (from.cursor === null && from.parts.length === 0)
        ? await this.#begin(run, request)
        : { position: from, allowanceNote: undefined }
    if (begun === undefined) return
    const { allowanceNote } = begun
    const { parts, runner, sequentialReason, workbook } = begun.position
    let { cursor, saved } = begun.position
    // Where the run goes on from (Try again, Run it here now): the cursor after the parts it holds.
    const keepPosition = () => {
      this.#position = {
        request,
        parts,
        runner,
        saved,
        cursor,
        sequentialReason,
        ...(workbook === undefined ? {} : { workbook }),
      }
    }
    while (cursor !== null) {
      keepPosition()
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
      keepPosition()
      const pausedUntil = value.pausedUntil === undefined ? Number.NaN : Date.parse(value.pausedUntil)
      if (!Number.isNaN(pausedUntil)) {
        if (!(await this.#calls.pause(run, pausedUntil, value.pausedBy))) return
      } else if (value.retryAfterMs !== undefined && value.retryAfterMs > 0) {
        if (!(await this.#calls.wait(run, value.retryAfterMs, "rateLimit", 1))) return
      }
    }
    if (!live()) return
    const end = this.#clock.now()
    const progress = this.#progress.peek()
    const file = await finishedFile({
      request,
      parts,
      workbook,
      done: progress.done,
      notes: progress.notes ?? [],
      end,
    })
    if (!live()) return
    if (file instanceof Error) {
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
          details: [file.message],
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
      file,
      summary: summaryOf(progress, end - this.#startedAt, sequentialReason),
    }
  }

  /** One call through the run's waits and retries; a final error fails the run (resumable: errors.ts `canTryAgain`). */
  async #attempt<A>(
    run: number,
    runner: Runner,
    call: () => Promise<{ ok: true; value: A } | { ok: false; error: ResolverError }>,
  ): Promise<Step<A>> {
    const result = await this.#calls.attempt(run, runner.spacingMs, call)
    if (!result.ok && result.error !== undefined)
      this.#state.value = {
        kind: "failed",
        error: result.error,
        canResume: canTryAgain(result.error.tag) && this.#position !== undefined,
      }
    return result
  }
}
