import { historyFieldNames, MAX_HISTORY_FIELDS } from "../models/historyFields.js"
import type { PageModel } from "../models/PageModel.js"
import { useValue } from "../state/signal.js"

/** The columns of a history export, as the backend writes them. */
export const HISTORY_HEADER = "Issue key, Date, Author, Field, From, To"

/**
 * What one row of the file is: an issue (with the chosen columns) or one changed item of an issue's
 * history; in history mode, which fields' changes to keep.
 */
export const ModeOption = ({ page }: { page: PageModel }) => {
  const m = page.options
  const o = useValue(m.options)
  const text = useValue(m.historyText)
  const problem = useValue(m.historyProblem)
  const fields = useValue(page.columns.fields)
  const names = historyFieldNames(o.historyFields, fields)
  return (
    <>
      <div class="option option-wide">
        <label for="opt-mode">Mode</label>
        <select
          id="opt-mode"
          class="select"
          aria-describedby="opt-mode-help"
          value={o.mode}
          onChange={(e) => m.set("mode", e.currentTarget.value === "history" ? "history" : "issues")}
        >
          <option value="issues">Issues (one row per issue)</option>
          <option value="history">Change history (one row per changed item)</option>
        </select>
        <p id="opt-mode-help" class="help">
          {o.mode === "history"
            ? `Every change of every issue, oldest first within an issue, in the query's order. The file's columns are ${HISTORY_HEADER}; the columns chosen on the left are not used.`
            : "The columns chosen on the left, one row per issue in the query's order."}
        </p>
      </div>
      {o.mode === "history" && (
        <div class="option option-wide">
          <label for="opt-history-fields">Only changes of (optional)</label>
          <input
            id="opt-history-fields"
            class="text-input"
            type="text"
            autocomplete="off"
            spellcheck={false}
            placeholder="Status, Assignee, labels"
            aria-describedby="opt-history-fields-help"
            aria-invalid={problem !== undefined}
            value={text}
            onInput={(e) => m.setHistoryFields(e.currentTarget.value, fields)}
          />
          {problem === undefined ? (
            <p id="opt-history-fields-help" class="help" data-testid="history-fields-help">
              {names.length === 0
                ? `Field names or ids, separated by commas, up to ${MAX_HISTORY_FIELDS}. Empty: every field's changes.`
                : `Only changes of: ${names.join(", ")}.`}
            </p>
          ) : (
            <p
              id="opt-history-fields-help"
              class="help error-text"
              role="alert"
              data-testid="history-fields-problem"
            >
              {problem}
            </p>
          )}
        </div>
      )}
    </>
  )
}
