/**
 * The preview: the first page of results with exactly the cells the CSV will hold, and "load more".
 * A newer request makes the answer of an older one irrelevant (it is dropped when it arrives). A page
 * Jira asks us to wait for is asked again after the wait (retry.ts), and the wait shows meanwhile.
 */
import type { ColumnInfo, ExportOptionsInput, ResolverError } from "../../../src/contract.js"
import { type Backend, Key } from "../bridge.js"
import { type Clock, systemClock } from "../clock.js"
import { type ReadSignal, type Signal, signal } from "../state/signal.js"
import { Retries, type Wait } from "./retry.js"

export const PREVIEW_PAGE_SIZE = 50
/** Empty pages with a next token followed before the preview shows what it has. */
export const MAX_EMPTY_PAGES_FOLLOWED = 3

export interface PreviewRequest {
  readonly jql: string
  readonly columns: ReadonlyArray<string>
  readonly options: ExportOptionsInput
  readonly siteUrl?: string
  /** Only these issues, in this order (the navigator's selection). */
  readonly issueKeys?: ReadonlyArray<string>
}

export interface PreviewTable {
  readonly request: PreviewRequest
  readonly columns: ReadonlyArray<ColumnInfo>
  readonly rows: ReadonlyArray<ReadonlyArray<string>>
  readonly issueKeys: ReadonlyArray<string>
  readonly nextPageToken: string | null
  readonly approximateTotal: number | null
}

export type PreviewState =
  | { readonly kind: "idle" }
  | { readonly kind: "loading"; readonly request: PreviewRequest; readonly wait?: Wait }
  | {
      readonly kind: "ready"
      readonly table: PreviewTable
      readonly loadingMore: boolean
      /** While the next page waits for Jira. */
      readonly wait?: Wait
    }
  | { readonly kind: "failed"; readonly request: PreviewRequest; readonly error: ResolverError }
  /** The first page loaded but a later one failed: the rows stay, the error shows under them. */
  | { readonly kind: "moreFailed"; readonly table: PreviewTable; readonly error: ResolverError }

export class PreviewModel {
  readonly #state: Signal<PreviewState> = signal<PreviewState>({ kind: "idle" })
  readonly #backend: Backend
  readonly #retries: Retries
  #generation = 0

  constructor(backend: Backend, clock: Clock = systemClock) {
    this.#backend = backend
    this.#retries = new Retries(clock)
  }

  get state(): ReadSignal<PreviewState> {
    return this.#state
  }

  /** Loads the first page for `request`. */
  async load(request: PreviewRequest): Promise<void> {
    const generation = this.#restart()
    this.#state.value = { kind: "loading", request }
    const page = (token: string | undefined) =>
      this.#retries.run(() => this.#backend.call(Key.preview, this.#payload(request, token)), {
        isCurrent: () => generation === this.#generation,
        onWait: (wait) => {
          this.#state.value = { kind: "loading", request, wait }
        },
      })
    let result = await page(undefined)
    // Jira may answer a page with no issues but a token (e.g. issues hidden from this user); follow it a
    // few times rather than saying "no issues" while there are some.
    for (let hop = 0; hop < MAX_EMPTY_PAGES_FOLLOWED; hop++) {
      if (result === undefined || !result.ok) break
      const token = result.value.nextPageToken
      if (result.value.rows.length > 0 || token === null) break
      const total = result.value.approximateTotal
      const next = await page(token)
      if (next === undefined) return
      result = next.ok
        ? { ok: true, value: { ...next.value, approximateTotal: total ?? next.value.approximateTotal } }
        : next
    }
    if (result === undefined || generation !== this.#generation) return
    this.#state.value = result.ok
      ? {
          kind: "ready",
          loadingMore: false,
          table: {
            request,
            columns: result.value.columns,
            rows: result.value.rows,
            issueKeys: result.value.issueKeys,
            nextPageToken: result.value.nextPageToken,
            approximateTotal: result.value.approximateTotal,
          },
        }
      : { kind: "failed", request, error: result.error }
  }

  /** Appends the next page to the table. */
  async loadMore(): Promise<void> {
    const state = this.#state.peek()
    if (state.kind !== "ready" && state.kind !== "moreFailed") return
    if (state.kind === "ready" && state.loadingMore) return
    const table = state.table
    if (table.nextPageToken === null) return
    const token = table.nextPageToken
    const generation = this.#restart()
    this.#state.value = { kind: "ready", table, loadingMore: true }
    const result = await this.#retries.run(
      () => this.#backend.call(Key.preview, this.#payload(table.request, token)),
      {
        isCurrent: () => generation === this.#generation,
        onWait: (wait) => {
          this.#state.value = { kind: "ready", table, loadingMore: true, wait }
        },
      },
    )
    if (result === undefined || generation !== this.#generation) return
    this.#state.value = result.ok
      ? {
          kind: "ready",
          loadingMore: false,
          table: {
            ...table,
            rows: [...table.rows, ...result.value.rows],
            issueKeys: [...table.issueKeys, ...result.value.issueKeys],
            nextPageToken: result.value.nextPageToken,
            approximateTotal: result.value.approximateTotal ?? table.approximateTotal,
          },
        }
      : { kind: "moreFailed", table, error: result.error }
  }

  /** Forgets the table (e.g. the query was cleared). */
  clear(): void {
    this.#restart()
    this.#state.value = { kind: "idle" }
  }

  /** Stops the request under way (the Cancel of a wait): no further call, and its answer is dropped. */
  cancel(): void {
    const state = this.#state.peek()
    if (state.kind === "loading") {
      this.#restart()
      this.#state.value = { kind: "idle" }
    } else if (state.kind === "ready" && state.loadingMore) {
      this.#restart()
      this.#state.value = { kind: "ready", table: state.table, loadingMore: false }
    }
  }

  /** Makes every earlier request stale and ends its wait; answers the new request's generation. */
  #restart(): number {
    const generation = ++this.#generation
    this.#retries.cancel()
    return generation
  }

  #payload(request: PreviewRequest, nextPageToken: string | undefined) {
    return {
      jql: request.jql,
      columns: request.columns,
      ...(request.issueKeys === undefined ? {} : { issueKeys: request.issueKeys }),
      options: request.options,
      pageSize: PREVIEW_PAGE_SIZE,
      ...(nextPageToken === undefined ? {} : { nextPageToken }),
      ...(request.siteUrl === undefined ? {} : { siteUrl: request.siteUrl }),
    }
  }
}
