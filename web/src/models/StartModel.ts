/**
 * Where the page starts: the place Jira opened it from (issue navigator, board, sprint, project: the
 * module's extension context, answered by `context/start`), the "Only the N selected issues" choice,
 * the saved-filter picker of the global page, and closing the dialog an action opened.
 */
import type { FilterSummary, ResolverError, StartingPoint } from "../../../src/contract.js"
import { type Backend, Key, type PageContext } from "../bridge.js"
import { type ReadSignal, type Signal, signal } from "../state/signal.js"

/** The extension's `type`, or "jira:globalPage" when there is none. */
export const moduleTypeOf = (context: PageContext): string => {
  const extension = context.extension
  if (typeof extension !== "object" || extension === null) return "jira:globalPage"
  const type: unknown = Reflect.get(extension, "type")
  return typeof type === "string" ? type : "jira:globalPage"
}

const MODAL_MODULES = ["jira:issueNavigatorAction", "jira:boardAction", "jira:sprintAction"]

export type FiltersState =
  | { readonly kind: "idle" }
  | { readonly kind: "loading" }
  | { readonly kind: "ready"; readonly filters: ReadonlyArray<FilterSummary> }
  | { readonly kind: "failed"; readonly error: ResolverError }

export class StartModel {
  readonly #backend: Backend
  readonly #context: PageContext
  readonly #point: Signal<StartingPoint | undefined> = signal<StartingPoint | undefined>(undefined)
  readonly #onlySelected: Signal<boolean> = signal(false)
  readonly #filters: Signal<FiltersState> = signal<FiltersState>({ kind: "idle" })
  /** The chosen saved filter's own columns, offered to the user (null: it has none). */
  readonly #filterColumns: Signal<ReadonlyArray<string> | null> = signal<ReadonlyArray<string> | null>(null)
  readonly #askClose: Signal<boolean> = signal(false)

  constructor(backend: Backend, context: PageContext) {
    this.#backend = backend
    this.#context = context
  }

  /** Opened from a place in Jira rather than from the Apps menu. */
  get fromPlace(): boolean {
    return moduleTypeOf(this.#context) !== "jira:globalPage"
  }
  /** Jira shows this module in a dialog: the page offers a Close button. */
  get modal(): boolean {
    return MODAL_MODULES.includes(moduleTypeOf(this.#context))
  }
  get point(): ReadSignal<StartingPoint | undefined> {
    return this.#point
  }
  get onlySelected(): ReadSignal<boolean> {
    return this.#onlySelected
  }
  get filters(): ReadSignal<FiltersState> {
    return this.#filters
  }
  get filterColumns(): ReadSignal<ReadonlyArray<string> | null> {
    return this.#filterColumns
  }
  get askClose(): ReadSignal<boolean> {
    return this.#askClose
  }

  /** Asks where to start; on success the selection choice is on when issues were selected. */
  async load(): Promise<{ ok: true; value: StartingPoint } | { ok: false; error: ResolverError }> {
    const result = await this.#backend.call(Key.contextStart, { extension: this.#context.extension })
    if (result.ok) {
      this.#point.value = result.value
      this.#onlySelected.value = result.value.selectedKeys.length > 0
    }
    return result
  }

  setOnlySelected(on: boolean): void {
    this.#onlySelected.value = on
  }

  /** The selected keys when the export is limited to them. */
  selectedKeys(): ReadonlyArray<string> | undefined {
    const keys = this.#point.peek()?.selectedKeys ?? []
    return this.#onlySelected.peek() && keys.length > 0 ? keys : undefined
  }

  /** The global page's picker: the user's starred and own filters first. */
  async loadFilters(): Promise<void> {
    this.#filters.value = { kind: "loading" }
    const result = await this.#backend.call(Key.filtersList, {})
    this.#filters.value = result.ok
      ? { kind: "ready", filters: result.value.filters }
      : { kind: "failed", error: result.error }
  }

  /** Looks up a chosen filter's own columns, to offer them. */
  async offerColumnsOf(filter: FilterSummary): Promise<void> {
    this.#filterColumns.value = null
    const result = await this.#backend.call(Key.contextStart, {
      extension: { type: "jira:issueNavigatorAction", jql: filter.jql, filterId: filter.id },
    })
    if (result.ok) this.#filterColumns.value = result.value.columns
  }

  dismissFilterColumns(): void {
    this.#filterColumns.value = null
  }

  /** Close was pressed: closes at once unless an export would be lost, then asks first. */
  requestClose(exporting: boolean): Promise<void> {
    if (exporting) {
      this.#askClose.value = true
      return Promise.resolve()
    }
    return this.close()
  }

  keepOpen(): void {
    this.#askClose.value = false
  }

  close(): Promise<void> {
    this.#askClose.value = false
    return this.#backend.close?.() ?? Promise.resolve()
  }
}
