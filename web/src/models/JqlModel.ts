/**
 * The query box: the text, Jira's verdict on it (jql/parse, debounced while typing), and suggestions for
 * field names (from jql/autocomplete, loaded once) and values (jql/suggestions, debounced).
 */
import { MAX_JQL_LENGTH } from "../../../src/contract/constants.js"
import type { JqlAutocomplete, JqlProblem } from "../../../src/contract.js"
import { type Backend, Key } from "../bridge.js"
import type { Clock } from "../clock.js"
import { caretContext, jqlLiteral, unquote } from "../jql/caret.js"
import { type ReadSignal, type Signal, signal } from "../state/signal.js"
import { Retries, type Wait } from "./retry.js"

/** Quiet time after the last keystroke before asking Jira to parse the query. */
export const PARSE_DEBOUNCE_MS = 400
/** Quiet time before asking Jira for value suggestions. */
export const SUGGEST_DEBOUNCE_MS = 200
export const MAX_SUGGESTIONS = 10

/** Past this share of the length limit the editor shows how long the query is. */
export const SHOW_LENGTH_FROM = 0.9

/**
 * Why a query cannot be sent as it is, before asking Jira: the app's length limit (the resolvers would
 * refuse it anyway, src/contract/constants.ts `MAX_JQL_LENGTH`).
 */
export const jqlTooLong = (text: string): string | undefined =>
  text.length > MAX_JQL_LENGTH
    ? `The query is ${text.length.toLocaleString("en-US")} characters long; the app accepts at most ${MAX_JQL_LENGTH.toLocaleString("en-US")}. Shorten it to run it.`
    : undefined

export type Validation =
  | { readonly kind: "empty" }
  /** Jira is checking it; `wait` while Jira asked us to wait before checking again. */
  | { readonly kind: "checking"; readonly wait?: Wait }
  | { readonly kind: "valid"; readonly warnings: ReadonlyArray<JqlProblem> }
  | {
      readonly kind: "invalid"
      readonly errors: ReadonlyArray<JqlProblem>
      readonly warnings: ReadonlyArray<JqlProblem>
    }
  /** The check itself failed (network); the query may still be fine. */
  | { readonly kind: "unknown"; readonly message: string }

export interface Suggestion {
  /** What is inserted into the query. */
  readonly insert: string
  /** What the list shows (plain text; Jira's <b> highlighting removed). */
  readonly label: string
  /** A hint shown beside the label, e.g. the field's types. */
  readonly hint: string
}

export interface Suggestions {
  readonly items: ReadonlyArray<Suggestion>
  readonly from: number
  readonly to: number
  readonly active: number
}

const noSuggestions: Suggestions = { items: [], from: 0, to: 0, active: 0 }

const stripTags = (html: string): string =>
  html
    .replace(/<[^>]*>/g, "")
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, "&")

/** `com.atlassian.jira.issue.status.Status` → `Status`: the class name is what a user recognises. */
const shortType = (type: string): string => type.slice(type.lastIndexOf(".") + 1)

export class JqlModel {
  readonly #text: Signal<string>
  readonly #validation: Signal<Validation>
  readonly #suggestions: Signal<Suggestions> = signal(noSuggestions)
  readonly #backend: Backend
  readonly #clock: Clock
  readonly #onChange: (jql: string) => void
  readonly #retries: Retries
  #autocomplete: JqlAutocomplete | undefined
  #cancelParse: () => void = () => undefined
  #cancelSuggest: () => void = () => undefined
  #parseGeneration = 0
  #suggestGeneration = 0

  constructor(backend: Backend, clock: Clock, initial: string, onChange: (jql: string) => void) {
    this.#backend = backend
    this.#clock = clock
    this.#retries = new Retries(clock)
    this.#onChange = onChange
    this.#text = signal(initial)
    this.#validation = signal<Validation>(initial.trim() === "" ? { kind: "empty" } : { kind: "checking" })
  }

  get text(): ReadSignal<string> {
    return this.#text
  }
  get validation(): ReadSignal<Validation> {
    return this.#validation
  }
  get suggestions(): ReadSignal<Suggestions> {
    return this.#suggestions
  }

  /** Gives the model Jira's field and function list for suggestions. */
  useAutocomplete(data: JqlAutocomplete): void {
    this.#autocomplete = data
  }

  /** Checks the current text now (used when the page opens with a remembered query). */
  validateNow(): Promise<void> {
    this.#cancelParse()
    return this.#parse(this.#text.peek())
  }

  /** The user typed: remember, re-check after a pause, and refresh suggestions at the caret. */
  setText(text: string, caret: number): void {
    this.#text.value = text
    this.#onChange(text)
    this.#cancelParse()
    this.#parseGeneration++
    this.#retries.cancel()
    const tooLong = jqlTooLong(text)
    if (text.trim() === "") {
      this.#validation.value = { kind: "empty" }
    } else if (tooLong !== undefined) {
      this.#validation.value = { kind: "invalid", errors: [{ message: tooLong }], warnings: [] }
    } else {
      this.#validation.value = { kind: "checking" }
      this.#cancelParse = this.#clock.after(PARSE_DEBOUNCE_MS, () => void this.#parse(text))
    }
    this.suggestAt(caret)
  }

  /** Works out suggestions for the caret position. */
  suggestAt(caret: number): void {
    this.#cancelSuggest()
    const generation = ++this.#suggestGeneration
    const text = this.#text.peek()
    const context = caretContext(text, caret)
    if (context.kind === "none") {
      this.#suggestions.value = noSuggestions
      return
    }
    const typed = unquote(context.prefix).toLowerCase()
    if (context.kind === "field") {
      const fields = this.#autocomplete?.fields ?? []
      const items = fields
        .filter(
          (f) =>
            typed === "" ||
            unquote(f.displayName).toLowerCase().includes(typed) ||
            unquote(f.value).toLowerCase().startsWith(typed),
        )
        .slice(0, MAX_SUGGESTIONS)
        .map((f) => ({
          insert: jqlLiteral(f.value),
          label: stripTags(f.displayName),
          hint: f.types.map(shortType).join(", "),
        }))
      // Nothing to suggest when the only match is what is already typed.
      const exact = items.length === 1 && items[0]?.insert === context.prefix
      this.#suggestions.value = exact
        ? noSuggestions
        : { items, from: context.from, to: context.to, active: 0 }
      return
    }
    const field = context.field
    const from = context.from
    const to = context.to
    this.#cancelSuggest = this.#clock.after(SUGGEST_DEBOUNCE_MS, () => {
      void this.#backend
        .call(Key.jqlSuggestions, { fieldName: unquote(field), fieldValue: unquote(context.prefix) })
        .then((result) => {
          if (generation !== this.#suggestGeneration) return
          const items = result.ok
            ? result.value.results.slice(0, MAX_SUGGESTIONS).map((r) => ({
                insert: jqlLiteral(r.value),
                label: stripTags(r.displayName),
                hint: "",
              }))
            : []
          this.#suggestions.value = { items, from, to, active: 0 }
        })
    })
  }

  /** Moves the highlighted suggestion (wraps around). */
  moveActive(delta: number): void {
    const s = this.#suggestions.peek()
    if (s.items.length === 0) return
    this.#suggestions.value = { ...s, active: (s.active + delta + s.items.length) % s.items.length }
  }

  closeSuggestions(): void {
    this.#cancelSuggest()
    this.#suggestGeneration++
    this.#suggestions.value = noSuggestions
  }

  /** Puts the suggestion into the query; answers the new caret position. */
  accept(index?: number): number | undefined {
    const s = this.#suggestions.peek()
    const item = s.items[index ?? s.active]
    if (item === undefined) return undefined
    const text = this.#text.peek()
    const after = text.slice(s.to)
    const spacer = after.startsWith(" ") ? "" : " "
    const next = `${text.slice(0, s.from)}${item.insert}${spacer}${after}`
    const caret = s.from + item.insert.length + 1
    this.closeSuggestions()
    this.setText(next, caret)
    this.closeSuggestions()
    return caret
  }

  async #parse(text: string): Promise<void> {
    const generation = ++this.#parseGeneration
    this.#retries.cancel()
    if (text.trim() === "") {
      this.#validation.value = { kind: "empty" }
      return
    }
    const tooLong = jqlTooLong(text)
    if (tooLong !== undefined) {
      this.#validation.value = { kind: "invalid", errors: [{ message: tooLong }], warnings: [] }
      return
    }
    this.#validation.value = { kind: "checking" }
    const result = await this.#retries.run(() => this.#backend.call(Key.jqlParse, { jql: text }), {
      isCurrent: () => generation === this.#parseGeneration,
      onWait: (wait) => {
        this.#validation.value = { kind: "checking", wait }
      },
    })
    if (result === undefined) return
    if (!result.ok) {
      this.#validation.value =
        result.error.tag === "InvalidJql"
          ? {
              kind: "invalid",
              errors: (result.error.details ?? [result.error.message]).map((message) => ({ message })),
              warnings: [],
            }
          : { kind: "unknown", message: result.error.message }
      return
    }
    this.#validation.value = result.value.valid
      ? { kind: "valid", warnings: result.value.warnings }
      : { kind: "invalid", errors: result.value.errors, warnings: result.value.warnings }
  }
}
