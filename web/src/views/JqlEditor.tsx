import { useRef } from "preact/hooks"
import { MAX_JQL_LENGTH } from "../../../src/contract/constants.js"
import type { JqlProblem } from "../../../src/contract.js"
import { formatCount } from "../format.js"
import { SHOW_LENGTH_FROM, type Validation } from "../models/JqlModel.js"
import type { PageModel } from "../models/PageModel.js"
import { waitText } from "../models/retry.js"
import { useValue } from "../state/signal.js"

/** Where Jira says the problem is: the line, with a marker under the character. */
const Pointer = ({ text, problem }: { text: string; problem: JqlProblem }) => {
  if (problem.line === undefined || problem.character === undefined) return null
  const line = text.split("\n")[problem.line - 1]
  if (line === undefined) return null
  return (
    <pre class="jql-pointer" aria-hidden="true">
      {line}
      {"\n"}
      {" ".repeat(Math.max(0, problem.character - 1))}^
    </pre>
  )
}

/** Jira's own message usually names the position already; add it only when it does not. */
const position = (p: JqlProblem) =>
  p.line !== undefined && p.character !== undefined && !/\bline\b/i.test(p.message)
    ? ` (line ${p.line}, character ${p.character})`
    : ""

const ValidationMessage = ({ validation }: { validation: Validation }) => {
  switch (validation.kind) {
    case "empty":
      return null
    case "checking":
      return (
        <p class="jql-state muted" data-testid="jql-checking">
          {validation.wait === undefined
            ? "Checking the query…"
            : `Checking the query… ${waitText(validation.wait)}`}
        </p>
      )
    case "unknown":
      return <p class="jql-state muted">The query could not be checked right now: {validation.message}</p>
    case "valid":
      return (
        <div class="jql-state">
          <p class="ok">The query is valid.</p>
          {validation.warnings.map((w) => (
            <p key={w.message} class="warning">
              {w.message}
              {position(w)}
            </p>
          ))}
        </div>
      )
    case "invalid":
      // Shown by QueryErrors, with what a search or an export was refused with.
      return null
  }
}

/** The query's one error message, where the query is. */
const QueryErrors = ({ errors, text }: { errors: ReadonlyArray<JqlProblem>; text: string }) => (
  <div class="jql-state" data-testid="jql-error">
    {errors.map((e) => (
      <div key={e.message}>
        <p class="error-text">
          {e.message}
          {position(e)}
        </p>
        <Pointer text={text} problem={e} />
      </div>
    ))}
  </div>
)

/** The JQL box: Ctrl/Cmd+Enter searches, suggestions follow the caret, Jira checks the query as you type. */
export const JqlEditor = ({ page }: { page: PageModel }) => {
  const model = page.jql
  const text = useValue(model.text)
  const validation = useValue(model.validation)
  const errors = useValue(page.queryErrors)
  const suggestions = useValue(model.suggestions)
  const hint = useValue(page.hint)
  const locale = page.context.locale
  const input = useRef<HTMLTextAreaElement>(null)
  const open = suggestions.items.length > 0

  const placeCaret = (caret: number | undefined) => {
    const el = input.current
    if (caret === undefined || el === null) return
    // Write the new text and caret now, not on the next render: keys typed in between would otherwise
    // land before a caret that is moved back afterwards.
    el.value = model.text.peek()
    el.focus()
    el.setSelectionRange(caret, caret)
  }

  const onKeyDown = (e: KeyboardEvent) => {
    if (e.key === "Enter" && (e.ctrlKey || e.metaKey)) {
      e.preventDefault()
      model.closeSuggestions()
      void page.search()
      return
    }
    if (!open) {
      if (e.key === " " && e.ctrlKey) {
        e.preventDefault()
        model.suggestAt(input.current?.selectionStart ?? text.length)
      }
      return
    }
    if (e.key === "ArrowDown" || e.key === "ArrowUp") {
      e.preventDefault()
      model.moveActive(e.key === "ArrowDown" ? 1 : -1)
    } else if (e.key === "Enter" || e.key === "Tab") {
      e.preventDefault()
      placeCaret(model.accept())
    } else if (e.key === "Escape") {
      e.preventDefault()
      model.closeSuggestions()
    }
  }

  const invalid = errors !== undefined
  return (
    <section class="panel" aria-labelledby="query-heading">
      <h2 id="query-heading">Query</h2>
      <label class="field-label" for="jql">
        JQL
      </label>
      <div class="jql-box">
        <textarea
          id="jql"
          ref={input}
          class={`jql-input${invalid ? " invalid" : ""}`}
          data-testid="jql-input"
          rows={3}
          spellcheck={false}
          autocomplete="off"
          placeholder="project = ABC AND status = Done ORDER BY created DESC"
          role="combobox"
          aria-autocomplete="list"
          aria-expanded={open}
          aria-controls="jql-suggestions"
          aria-activedescendant={open ? `jql-suggestion-${suggestions.active}` : undefined}
          aria-describedby="jql-help jql-status"
          aria-invalid={invalid}
          value={text}
          onInput={(e) => model.setText(e.currentTarget.value, e.currentTarget.selectionStart)}
          onKeyDown={onKeyDown}
          onClick={(e) => model.suggestAt(e.currentTarget.selectionStart)}
          onBlur={() => model.closeSuggestions()}
        />
        {open && (
          <div id="jql-suggestions" class="suggestions" role="listbox" aria-label="Suggestions">
            {suggestions.items.map((s, i) => (
              <div
                key={`${s.insert}-${i}`}
                tabIndex={-1}
                id={`jql-suggestion-${i}`}
                role="option"
                aria-selected={i === suggestions.active}
                class={i === suggestions.active ? "active" : undefined}
                // mousedown, not click: a click would blur the box first and close the list.
                onMouseDown={(e) => {
                  e.preventDefault()
                  placeCaret(model.accept(i))
                }}
              >
                <span>{s.label}</span>
                {s.hint !== "" && <span class="suggestion-hint">{s.hint}</span>}
              </div>
            ))}
          </div>
        )}
      </div>
      <p id="jql-help" class="help">
        Press Ctrl+Enter (⌘+Enter on a Mac) to search. Ctrl+Space shows suggestions.
        {text.length > MAX_JQL_LENGTH * SHOW_LENGTH_FROM && (
          <span class={text.length > MAX_JQL_LENGTH ? "error-text" : undefined} data-testid="jql-length">
            {` ${formatCount(text.length, locale)} of at most ${formatCount(MAX_JQL_LENGTH, locale)} characters.`}
          </span>
        )}
      </p>
      <div id="jql-status" aria-live="polite">
        {errors === undefined ? (
          <ValidationMessage validation={validation} />
        ) : (
          <QueryErrors errors={errors} text={text} />
        )}
      </div>
      <div class="actions">
        <button
          type="button"
          class="button button-primary"
          data-testid="search-button"
          onClick={() => void page.search()}
        >
          Search
        </button>
        {hint !== undefined && (
          <p class="hint-text" role="status">
            {hint}
          </p>
        )}
      </div>
    </section>
  )
}
