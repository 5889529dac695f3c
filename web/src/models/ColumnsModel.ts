/**
 * The column picker: every field the user can see, a search over them, and the chosen columns in order.
 * Remembered per user (through `onChange`).
 */

import { DEFAULT_COLUMNS, fieldTypeWord } from "../../../src/contract/constants.js"
import type { FieldInfo } from "../../../src/contract.js"
import { computed, type ReadSignal, type Signal, signal } from "../state/signal.js"

/** The default set when Jira's list does not say otherwise: the backend's own defaults. */
export { DEFAULT_COLUMNS }

const MAX_MATCHES = 200

/** 0 when every word is in the name, 1 with the id too, 2 with the type too; undefined: no match. */
const matchRank = (f: FieldInfo, words: ReadonlyArray<string>): 0 | 1 | 2 | undefined => {
  const name = f.name.toLowerCase()
  if (words.every((w) => name.includes(w))) return 0
  const withId = `${name} ${f.id.toLowerCase()}`
  if (words.every((w) => withId.includes(w))) return 1
  const withType = `${withId} ${f.type.toLowerCase()} ${fieldTypeWord(f.type).toLowerCase()}`
  return words.every((w) => withType.includes(w)) ? 2 : undefined
}

export class ColumnsModel {
  readonly #fields: Signal<ReadonlyArray<FieldInfo>> = signal([])
  readonly #defaults: Signal<ReadonlyArray<string>> = signal(DEFAULT_COLUMNS)
  readonly #selected: Signal<ReadonlyArray<string>>
  readonly #search: Signal<string> = signal("")
  readonly #onChange: (columns: ReadonlyArray<string>) => void
  /** True once the user (now or on an earlier visit) chose columns; until then Jira's defaults apply. */
  #chosen: boolean

  constructor(
    initial: ReadonlyArray<string> | undefined,
    onChange: (columns: ReadonlyArray<string>) => void,
  ) {
    this.#chosen = initial !== undefined && initial.length > 0
    this.#selected = signal(initial && initial.length > 0 ? initial : DEFAULT_COLUMNS)
    this.#onChange = onChange
  }

  get fields(): ReadSignal<ReadonlyArray<FieldInfo>> {
    return this.#fields
  }
  get selected(): ReadSignal<ReadonlyArray<string>> {
    return this.#selected
  }
  get search(): ReadSignal<string> {
    return this.#search
  }

  /** The chosen columns with what is known about them (an id Jira no longer lists shows as itself). */
  readonly selectedFields: ReadSignal<ReadonlyArray<FieldInfo>> = computed(() => {
    const byId = new Map(this.#fields.value.map((f) => [f.id, f]))
    return this.#selected.value.map(
      (id) => byId.get(id) ?? { id, name: id, header: id, custom: false, type: "unknown" },
    )
  })

  /**
   * Fields not chosen yet that match the search: those whose name matches first, then those matched
   * by their id, then by their type (so "story" finds Story Points before the history columns, whose
   * type contains the word); Jira's order within each.
   */
  readonly available: ReadSignal<ReadonlyArray<FieldInfo>> = computed(() => {
    const chosen = new Set(this.#selected.value)
    const words = this.#search.value.toLowerCase().split(/\s+/).filter(Boolean)
    const ranked: Array<Array<FieldInfo>> = [[], [], []]
    for (const f of this.#fields.value) {
      if (chosen.has(f.id)) continue
      const rank = matchRank(f, words)
      if (rank !== undefined) ranked[rank]?.push(f)
    }
    return ranked.flat().slice(0, MAX_MATCHES)
  })

  /** Takes Jira's field list; drops remembered columns that no longer exist. */
  load(fields: ReadonlyArray<FieldInfo>, defaults: ReadonlyArray<string>): void {
    this.#fields.value = fields
    if (defaults.length > 0) this.#defaults.value = defaults
    const known = new Set(fields.map((f) => f.id))
    if (!this.#chosen) {
      this.#selected.value = this.#defaults.peek().filter((id) => known.has(id))
      return
    }
    const kept = this.#selected.peek().filter((id) => known.has(id))
    if (kept.length !== this.#selected.peek().length)
      this.#set(kept.length > 0 ? kept : this.#defaults.peek().filter((id) => known.has(id)))
  }

  setSearch(text: string): void {
    this.#search.value = text
  }

  add(id: string): void {
    if (this.#selected.peek().includes(id)) return
    this.#set([...this.#selected.peek(), id])
  }

  remove(id: string): void {
    this.#set(this.#selected.peek().filter((c) => c !== id))
  }

  /** Moves the column at `from` to position `to` (both clamped). */
  move(from: number, to: number): void {
    const list = [...this.#selected.peek()]
    if (from < 0 || from >= list.length) return
    const target = Math.max(0, Math.min(to, list.length - 1))
    if (target === from) return
    const [item] = list.splice(from, 1)
    if (item === undefined) return
    list.splice(target, 0, item)
    this.#set(list)
  }

  /** The columns of the place the page started from ("as on screen"); unknown ids are left out. */
  useColumns(ids: ReadonlyArray<string>): void {
    const known = new Set(this.#fields.peek().map((f) => f.id))
    const kept = ids.filter((id) => known.has(id))
    if (kept.length > 0) this.#set(kept)
  }

  resetToDefaults(): void {
    this.#set(this.#defaults.peek())
  }

  #set(columns: ReadonlyArray<string>): void {
    this.#chosen = true
    this.#selected.value = columns
    this.#onChange(columns)
  }
}
