/**
 * Where the export runs (Options → "Run the export"), the one line that says where a run went and
 * why, and the offer to resume an export left unfinished in this browser.
 */
import { formatCount } from "../format.js"
import type { PageModel } from "../models/PageModel.js"
import type { RunChoice } from "../models/runners.js"
import { useValue } from "../state/signal.js"

const choiceOf = (value: string): RunChoice => (value === "browser" || value === "servers" ? value : "auto")

export const RunOption = ({ page }: { page: PageModel }) => {
  const choice = useValue(page.exporter.runIn)
  return (
    <div class="option">
      <label for="opt-run">Run the export</label>
      <select
        id="opt-run"
        class="select"
        data-testid="run-in"
        value={choice}
        onChange={(e) => page.exporter.setRunIn(choiceOf(e.currentTarget.value))}
      >
        <option value="auto">Automatically</option>
        <option value="browser">In this browser</option>
        <option value="servers">On Atlassian's servers</option>
      </select>
    </div>
  )
}

export const Placement = ({ page }: { page: PageModel }) => {
  const placement = useValue(page.exporter.placement)
  return placement === undefined ? null : (
    <p class="help" data-testid="export-placement">
      {placement.why}
    </p>
  )
}

export const ResumeOffer = ({ page }: { page: PageModel }) => {
  const saved = useValue(page.exporter.saved)
  if (saved === undefined) return null
  const locale = page.context.locale
  const { done, total } = saved.progress
  const of = total === null ? "" : ` of ${formatCount(total, locale)}`
  const percent = total === null || total === 0 ? "" : `${Math.floor((done / total) * 100)}%, `
  return (
    <div class="notice" data-testid="resume-offer">
      <p>
        Resume the export of {saved.request.jql} ({percent}
        {formatCount(done, locale)}
        {of} issues)?
      </p>
      <div class="actions">
        <button
          type="button"
          class="button button-primary"
          data-testid="resume-button"
          onClick={() => void page.exporter.resumeSaved()}
        >
          Resume
        </button>
        <button
          type="button"
          class="button button-subtle"
          data-testid="dismiss-button"
          onClick={() => void page.exporter.dismissSaved()}
        >
          Dismiss
        </button>
      </div>
    </div>
  )
}
