/**
 * The global page: who is signed in, and the four parts of the screen (query, columns, preview, export)
 * wired together and remembered per user.
 */
import { isSiteUrl, MAX_COLUMNS, siteBase } from "../../../src/contract/constants.js"
import type { FilterSummary, JqlProblem, ResolverError, Whoami } from "../../../src/contract.js"
import { type Backend, Key, type PageContext } from "../bridge.js"
import type { Clock } from "../clock.js"
import { type Prefs, storagePrefs } from "../prefs.js"
import { computed, type ReadSignal, type Signal, signal } from "../state/signal.js"
import { ColumnsModel } from "./ColumnsModel.js"
import { ExportModel } from "./ExportModel.js"
import { JqlModel, jqlTooLong } from "./JqlModel.js"
import { OptionsModel, restoreOptions, toInput } from "./OptionsModel.js"
import { PreviewModel, type PreviewRequest } from "./PreviewModel.js"
import { Retries, type Wait } from "./retry.js"
import { StartModel } from "./StartModel.js"
import { indexedDbExports } from "./savedExports.js"

/** Quiet time after a column or option change before the preview is refreshed. */
export const REFRESH_DEBOUNCE_MS = 300

export type PageStatus =
  /** `wait` while Jira asked us to wait before loading again. */
  | { readonly kind: "loading"; readonly wait?: Wait }
  | { readonly kind: "ready" }
  | { readonly kind: "failed"; readonly error: ResolverError }

const selected = (keys: ReadonlyArray<string> | undefined) => (keys === undefined ? {} : { issueKeys: keys })
/** A limit of the app the screen's request passes, in a sentence; the resolvers would refuse it. */
const limitProblem = (request: PreviewRequest): string | undefined =>
  jqlTooLong(request.jql) ??
  (request.columns.length > MAX_COLUMNS
    ? `Choose at most ${MAX_COLUMNS} columns; ${request.columns.length} are chosen.`
    : undefined)

/** Used when the host gives no context (never in Jira; keeps the page usable elsewhere). */
const fallbackContext: PageContext = {
  accountId: undefined,
  siteUrl: "",
  locale: "en-US",
  timeZone: "UTC",
  colorMode: "light",
}

export class PageModel {
  readonly #status: Signal<PageStatus> = signal<PageStatus>({ kind: "loading" })
  readonly #me: Signal<Whoami | undefined> = signal<Whoami | undefined>(undefined)
  /** A sentence shown near the Search button when the query cannot be run as it is. */
  readonly #hint: Signal<string | undefined> = signal<string | undefined>(undefined)
  readonly backend: Backend
  readonly context: PageContext
  readonly jql: JqlModel
  readonly columns: ColumnsModel
  readonly options: OptionsModel
  readonly preview: PreviewModel
  readonly exporter: ExportModel
  /** Where the page starts (the place in Jira that opened it), the selection, the filter picker. */
  readonly start: StartModel
  readonly #clock: Clock
  readonly #retries: Retries
  #loads = 0
  #cancelRefresh: () => void = () => undefined

  constructor(backend: Backend, clock: Clock, context: PageContext, prefs: Prefs) {
    this.backend = backend
    this.context = context
    this.#clock = clock
    this.#retries = new Retries(clock)
    const saved = prefs.load()
    this.jql = new JqlModel(backend, clock, saved.jql ?? "", (jql) => {
      prefs.save({ jql })
      this.#hint.value = undefined
    })
    this.columns = new ColumnsModel(saved.columns, (columns) => {
      prefs.save({ columns })
      this.#scheduleRefresh()
    })
    this.options = new OptionsModel(restoreOptions(saved.options), (options) => {
      prefs.save({ options: toInput(options) })
      this.#scheduleRefresh()
    })
    this.preview = new PreviewModel(backend, clock)
    this.exporter = new ExportModel(backend, clock, {
      store: indexedDbExports(context.accountId),
      ...(saved.runIn === undefined ? {} : { runIn: saved.runIn }),
      keepRunIn: (runIn) => prefs.save({ runIn }),
    })
    this.start = new StartModel(backend, context)
    this.preview.state.subscribe(() => {
      const shown = this.preview.state.peek()
      if (shown.kind === "ready") this.exporter.expectIssues(shown.table.approximateTotal)
    })
  }

  /** Builds the page model for the signed-in user (context from the host; storage may be absent). */
  static async create(backend: Backend, clock: Clock, storage: Storage | undefined): Promise<PageModel> {
    const context = await backend.context().catch(() => fallbackContext)
    const prefs = storagePrefs(storage, context.accountId)
    // A place's query and columns are that place's: they do not replace what the global page remembers.
    const fromPlace = new StartModel(backend, context).fromPlace
    return new PageModel(
      backend,
      clock,
      context,
      fromPlace ? { load: () => prefs.load(), save: () => undefined } : prefs,
    )
  }

  get status(): ReadSignal<PageStatus> {
    return this.#status
  }
  get me(): ReadSignal<Whoami | undefined> {
    return this.#me
  }
  get hint(): ReadSignal<string | undefined> {
    return this.#hint
  }

  /**
   * What is wrong with the query, shown once, under the query box: Jira's check as the user types, or
   * else what a search or an export of it was refused with (until the check of a new text says it is
   * valid). The preview and the Export panel show no copy of their own.
   */
  readonly queryErrors: ReadSignal<ReadonlyArray<JqlProblem> | undefined> = computed(() => {
    const validation = this.jql.validation.value
    if (validation.kind === "invalid") return validation.errors
    if (validation.kind === "valid") return undefined
    const preview = this.preview.state.value
    const run = this.exporter.state.value
    const refused =
      preview.kind === "failed" && preview.error.tag === "InvalidJql"
        ? preview.error
        : run.kind === "failed" && run.error.tag === "InvalidJql"
          ? run.error
          : undefined
    return refused === undefined ? undefined : [{ message: refused.message }]
  })

  /** Loads the user, the field list and the JQL autocomplete data; runs the remembered query. */
  async init(): Promise<void> {
    const load = ++this.#loads
    this.#retries.cancel()
    this.#status.value = { kind: "loading" }
    const control = {
      isCurrent: () => load === this.#loads,
      onWait: (wait: Wait) => {
        this.#status.value = { kind: "loading", wait }
      },
    }
    const [me, fields, autocomplete] = await Promise.all([
      this.#retries.run(() => this.backend.call(Key.whoami, {}), control),
      this.#retries.run(() => this.backend.call(Key.fields, {}), control),
      this.#retries.run(() => this.backend.call(Key.jqlAutocomplete, {}), control),
    ])
    // An export this user left unfinished in this browser is offered for resuming.
    void this.exporter.loadSaved()
    if (me === undefined || fields === undefined || autocomplete === undefined) return
    if (me.ok) this.#me.value = me.value
    if (autocomplete.ok) this.jql.useAutocomplete(autocomplete.value)
    if (!fields.ok) {
      this.#status.value = { kind: "failed", error: fields.error }
      return
    }
    this.columns.load(fields.value.fields, fields.value.defaults)
    if (this.start.fromPlace) return this.#startFromPlace()
    void this.start.loadFilters()
    this.#status.value = { kind: "ready" }
    if (this.jql.text.peek().trim() !== "") {
      void this.jql.validateNow()
      await this.search()
    }
  }

  /** What a preview or an export of the current screen asks for. */
  request(): PreviewRequest {
    const siteUrl = this.context.siteUrl
    return {
      jql: this.jql.text.peek(),
      columns: this.columns.selected.peek(),
      options: toInput(this.options.options.peek()),
      // The resolver's context has no site URL; the "Issue URL" column needs it.
      ...(isSiteUrl(siteUrl) ? { siteUrl: siteBase(siteUrl) } : {}),
      ...selected(this.start.selectedKeys()),
    }
  }

  /** Starts where Jira opened the page: that place's query (previewed) and columns; a hidden place fails. */
  async #startFromPlace(): Promise<void> {
    const point = await this.start.load()
    if (!point.ok) {
      this.#status.value = { kind: "failed", error: point.error }
      return
    }
    this.jql.setText(point.value.jql, point.value.jql.length)
    this.jql.closeSuggestions()
    if (point.value.columns !== null) this.columns.useColumns(point.value.columns)
    this.#status.value = { kind: "ready" }
    void this.jql.validateNow()
    await this.search()
  }

  /** Only the selected issues, or all of the query's (the choice changes what the preview shows). */
  setOnlySelected(on: boolean): Promise<void> {
    this.start.setOnlySelected(on)
    return this.search()
  }

  /** A saved filter chosen in the picker: its query, previewed; its own columns offered. */
  useFilter(filter: FilterSummary): Promise<void> {
    this.jql.setText(filter.jql, filter.jql.length)
    this.jql.closeSuggestions()
    void this.start.offerColumnsOf(filter)
    return this.search()
  }

  /** Close (in a dialog): asks first while an export runs, and stops it when the user closes anyway. */
  requestClose(): Promise<void> {
    return this.start.requestClose(this.exporter.state.peek().kind === "running")
  }
  closeAnyway(): Promise<void> {
    this.exporter.cancel()
    return this.start.close()
  }

  /** Runs the query into the preview (Search button, Ctrl/Cmd+Enter). */
  search(): Promise<void> {
    this.#cancelRefresh()
    const request = this.request()
    if (request.jql.trim() === "") {
      this.#hint.value = "Type a JQL query first, for example: project = ABC ORDER BY created DESC"
      return Promise.resolve()
    }
    const limit = limitProblem(request)
    if (limit !== undefined) {
      this.#hint.value = limit
      return Promise.resolve()
    }
    // A change history has its own columns; the chosen ones do not apply.
    if (request.columns.length === 0 && request.options.history === undefined) {
      this.#hint.value = "Choose at least one column."
      return Promise.resolve()
    }
    this.#hint.value = undefined
    return this.preview.load(request)
  }

  /** Starts the export of everything the query matches. */
  export(): Promise<void> {
    const request = this.request()
    const noColumns = request.columns.length === 0 && request.options.history === undefined
    // A history filter the page cannot use is shown under its box; the file would not match the screen.
    const unusable = noColumns || this.options.historyProblem.peek() !== undefined
    if (request.jql.trim() === "" || unusable || limitProblem(request) !== undefined) return this.search()
    if (this.queryErrors.peek() !== undefined) return Promise.resolve()
    return this.exporter.start({ ...request, timeZone: this.#me.peek()?.timeZone ?? this.context.timeZone })
  }

  /** Refreshes a shown preview after the columns or options changed. */
  #scheduleRefresh(): void {
    this.#cancelRefresh()
    if (this.preview.state.peek().kind === "idle") return
    this.#cancelRefresh = this.#clock.after(REFRESH_DEBOUNCE_MS, () => void this.search())
  }
}
