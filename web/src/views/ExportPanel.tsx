import { useEffect, useRef } from "preact/hooks"
import { MAX_VALUE_COLUMNS } from "../../../src/contract/constants.js"
import type { Delimiter, Preset, UserDisplay } from "../../../src/contract.js"
import { formatBytes, formatClock, formatCount, formatDuration, formatElapsed } from "../format.js"
import { type Activity, type ExportFile, MAX_CONSECUTIVE_FAILURES } from "../models/ExportModel.js"
import type { DateChoice } from "../models/OptionsModel.js"
import type { PageModel } from "../models/PageModel.js"
import { useValue } from "../state/signal.js"
import { ErrorNotice } from "./ErrorNotice.js"
import { ModeOption } from "./ModeOption.js"
import { Placement, ResumeOffer, RunOption } from "./RunPlace.js"

/** The current state in words. */
export const describeActivity = (activity: Activity, now: number, timeZone: string): string => {
  switch (activity.kind) {
    case "starting":
      return "Starting the export…"
    case "fetching":
      return activity.note === undefined
        ? "Fetching issues from Jira…"
        : `Fetching issues from Jira… ${activity.note}`
    case "waiting": {
      const seconds = Math.max(1, Math.ceil((activity.until - now) / 1000))
      return activity.reason === "rateLimit"
        ? `Waiting ${seconds} s for Jira's rate limit…`
        : `Jira is not answering; we keep trying: next try in ${seconds} s (attempt ${activity.attempt + 1} of ${MAX_CONSECUTIVE_FAILURES}).`
    }
    case "paused":
      if (activity.by === "steward")
        return `Paused to leave Jira's shared allowance to other users; continues at ${formatClock(new Date(activity.until), timeZone)}. Keep this page open.`
      return `Paused until ${formatClock(new Date(activity.until), timeZone)} because the app's hourly Jira quota is spent. The export resumes by itself; keep this page open.`
  }
}

/**
 * How long a call may stay unanswered before the page says Jira is silent: the first call does little
 * (a sample of ten issues), so 8 s is already long; a later call works for up to 15 s by design
 * (src/export chunk budget), so only past that.
 */
export const SILENT_START_MS = 8_000
export const SILENT_NEXT_MS = 18_000

/** Said under the state while Jira has not answered the call for longer than it should. */
export const silenceNotice = (activity: Activity, silentMs: number): string | undefined => {
  const limit =
    activity.kind === "starting" ? SILENT_START_MS : activity.kind === "fetching" ? SILENT_NEXT_MS : undefined
  if (limit === undefined || silentMs < limit) return undefined
  return `Jira has not answered for ${Math.floor(silentMs / 1000)} s; we keep waiting, and try again if it stays silent.`
}

/** Saves the file. Must run inside the user's click: the Forge iframe allows downloads on a user gesture. */
const download = (file: ExportFile) => {
  const url = URL.createObjectURL(file.blob)
  const link = document.createElement("a")
  link.href = url
  link.download = file.name
  link.hidden = true
  document.body.appendChild(link)
  link.click()
  link.remove()
  // Revoking at once can abort the download in some browsers; a minute is plenty.
  setTimeout(() => URL.revokeObjectURL(url), 60_000)
}

const presetHelp: Readonly<Record<Preset, string>> = {
  spreadsheet: "For Excel, Google Sheets and LibreOffice: dates they recognise, formulas disarmed.",
  data: "For scripts and databases: ISO dates, no BOM, cells as they are.",
  "jira-import":
    "For Jira's CSV importer: a column per value of multi-value fields, comments as date;author;body, account IDs, and dates to enter in the importer as yyyy-MM-dd HH:mm.",
}

const presetOf = (value: string): Preset =>
  value === "data" || value === "jira-import" ? value : "spreadsheet"

const Options = ({ page, disabled }: { page: PageModel; disabled: boolean }) => {
  const o = useValue(page.options.options)
  const m = page.options
  const zone = page.me.peek()?.timeZone ?? page.context.timeZone
  return (
    <fieldset class="options" disabled={disabled}>
      <legend>Options</legend>
      <ModeOption page={page} />
      <RunOption page={page} />
      <div class="option">
        <label for="opt-preset">Preset</label>
        <select
          id="opt-preset"
          class="select"
          aria-describedby="opt-preset-help"
          value={o.preset}
          onChange={(e) => m.setPreset(presetOf(e.currentTarget.value))}
        >
          <option value="spreadsheet">Spreadsheet</option>
          <option value="data">Data</option>
          <option value="jira-import">Jira import</option>
        </select>
        <p id="opt-preset-help" class="help">
          {presetHelp[o.preset]}
        </p>
      </div>
      {o.preset === "jira-import" ? (
        <div class="option">
          <label for="opt-value-columns">Columns per multi-value field</label>
          <input
            id="opt-value-columns"
            type="number"
            min={1}
            max={MAX_VALUE_COLUMNS}
            step={1}
            value={o.valueColumns}
            onChange={(e) => {
              const n = e.currentTarget.valueAsNumber
              if (Number.isInteger(n) && n >= 1 && n <= MAX_VALUE_COLUMNS) m.set("valueColumns", n)
            }}
          />
        </div>
      ) : null}
      <div class="option">
        <label for="opt-file">File</label>
        <select
          id="opt-file"
          class="select"
          value={o.file}
          disabled={o.preset === "jira-import"}
          onChange={(e) => m.set("file", e.currentTarget.value === "xlsx" ? "xlsx" : "csv")}
        >
          <option value="csv">CSV</option>
          <option value="xlsx">Excel workbook</option>
        </select>
      </div>
      <div class="option">
        <label for="opt-delimiter">Delimiter</label>
        <select
          id="opt-delimiter"
          class="select"
          value={o.delimiter}
          onChange={(e) => {
            const value = e.currentTarget.value
            const d: Delimiter = value === ";" || value === "\t" || value === "|" ? value : ","
            m.set("delimiter", d)
          }}
        >
          <option value=",">Comma ( , )</option>
          <option value=";">Semicolon ( ; )</option>
          <option value={"\t"}>Tab</option>
          <option value="|">Pipe ( | )</option>
        </select>
      </div>
      <div class={o.preset === "jira-import" ? "option option-wide" : "option"}>
        <label for="opt-dates">Dates</label>
        <select
          id="opt-dates"
          class="select"
          value={o.dateFormat}
          onChange={(e) => {
            const value = e.currentTarget.value
            const d: DateChoice = value === "iso" || value === "importer" ? value : "spreadsheet"
            m.set("dateFormat", d)
          }}
        >
          {o.preset === "jira-import" ? (
            <option value="importer">For the importer (yyyy-MM-dd HH:mm)</option>
          ) : null}
          <option value="spreadsheet">2026-11-29 14:05</option>
          <option value="iso">ISO 8601</option>
        </select>
      </div>
      <div class="option">
        <label for="opt-zone">Time zone</label>
        <select
          id="opt-zone"
          class="select"
          value={o.timeZone}
          onChange={(e) => m.set("timeZone", e.currentTarget.value === "UTC" ? "UTC" : "user")}
        >
          <option value="user">Yours ({zone})</option>
          <option value="UTC">UTC</option>
        </select>
      </div>
      <div class="option">
        <label for="opt-users">People</label>
        <select
          id="opt-users"
          class="select"
          value={o.userDisplay}
          onChange={(e) => {
            const value = e.currentTarget.value
            const u: UserDisplay = value === "email" || value === "accountId" ? value : "displayName"
            m.set("userDisplay", u)
          }}
        >
          <option value="displayName">Display name</option>
          <option value="email">Email address (where visible)</option>
          <option value="accountId">Account ID</option>
        </select>
      </div>
      <div class="option option-check">
        <input
          id="opt-bom"
          type="checkbox"
          checked={o.bom}
          onChange={(e) => m.set("bom", e.currentTarget.checked)}
        />
        <label for="opt-bom">Byte order mark (lets Excel detect UTF-8)</label>
      </div>
      <div class="option option-check">
        <input
          id="opt-guard"
          type="checkbox"
          checked={o.formulaGuard}
          onChange={(e) => m.set("formulaGuard", e.currentTarget.checked)}
        />
        <label for="opt-guard">
          Formula protection (cells starting with = + - @ are not run as formulas)
        </label>
      </div>
    </fieldset>
  )
}

const Progress = ({ page, activity }: { page: PageModel; activity: Activity }) => {
  const exporter = page.exporter
  const progress = useValue(exporter.progress)
  const now = useValue(exporter.now)
  const rate = useValue(exporter.rate)
  const remaining = useValue(exporter.remainingMs)
  const locale = page.context.locale
  const zone = page.me.peek()?.timeZone ?? page.context.timeZone
  const total = progress.total === null ? undefined : Math.max(progress.total, progress.done)
  const percent = total === undefined || total === 0 ? undefined : Math.floor((progress.done / total) * 100)
  const waited = useValue(exporter.callWaitedMs)
  const placement = useValue(exporter.placement)
  const words = describeActivity(activity, now, zone)
  const silence = waited === undefined ? undefined : silenceNotice(activity, waited)
  // Screen readers hear the state and every tenth percent, not every chunk.
  const spoken = `${words}${percent === undefined ? "" : ` ${Math.floor(percent / 10) * 10}% done.`}`
  return (
    <div class="progress" data-testid="export-progress">
      <progress
        class="progress-bar"
        aria-label="Export progress"
        max={total ?? 1}
        value={total === undefined ? undefined : progress.done}
      />
      <p class="progress-figures" data-testid="export-figures">
        {formatCount(progress.done, locale)}
        {total === undefined ? " issues" : ` of about ${formatCount(total, locale)} issues`}
        {rate !== undefined && ` · ${formatCount(Math.round(rate), locale)} issues/s`}
        {remaining !== undefined &&
          activity.kind === "fetching" &&
          ` · about ${formatDuration(remaining)} left`}
      </p>
      <p class={`progress-state progress-${activity.kind}`} data-testid="export-state">
        {words}
      </p>
      {silence !== undefined && (
        <p class="progress-state progress-waiting" data-testid="export-silence">
          {silence}
        </p>
      )}
      <p class="sr-only" role="status" aria-live="polite">
        {spoken}
      </p>
      {activity.kind === "paused" && activity.by === "steward" && placement?.place === "servers" && (
        <button
          type="button"
          class="button button-primary"
          data-testid="run-here-button"
          onClick={() => void exporter.runHere()}
        >
          Run it in this browser now
        </button>
      )}
      <button type="button" class="button" data-testid="cancel-button" onClick={() => exporter.cancel()}>
        Cancel
      </button>
    </div>
  )
}

/** Options, the Export button, progress while it runs, and the Download button at the end. */
export const ExportPanel = ({ page }: { page: PageModel }) => {
  const state = useValue(page.exporter.state)
  const { mode, file } = useValue(page.options.options)
  const action = file === "xlsx" ? "Export workbook" : "Export CSV"
  const historyProblem = useValue(page.options.historyProblem)
  // An unusable history filter is shown under its field; exporting then would ignore what is on screen.
  const historyBlocked = mode === "history" && historyProblem !== undefined
  // An invalid query is said once, under the query box; Export waits until it is corrected.
  const queryInvalid = useValue(page.queryErrors) !== undefined
  const blocked = historyBlocked || queryInvalid
  const locale = page.context.locale
  const running = state.kind === "running"
  const panel = useRef<HTMLElement>(null)
  const shownKind = useRef(state.kind)
  // The button that had the focus (Export, Cancel) disappears when the run changes phase; hand the
  // focus to the next thing to press instead of dropping it on the page body. Not on the first render:
  // focusing Export then would scroll a dialog away from its top (App focuses the dialog's first control).
  useEffect(() => {
    if (shownKind.current === state.kind) return
    shownKind.current = state.kind
    const focused = document.activeElement
    if (focused !== null && focused !== document.body) return
    const next =
      state.kind === "running"
        ? "cancel-button"
        : state.kind === "done"
          ? "download-button"
          : state.kind === "idle" || state.kind === "cancelled"
            ? "export-button"
            : undefined
    if (next !== undefined) panel.current?.querySelector<HTMLElement>(`[data-testid="${next}"]`)?.focus()
  }, [state.kind])
  return (
    <section class="panel" aria-labelledby="export-heading" ref={panel}>
      <h2 id="export-heading">Export</h2>
      <ResumeOffer page={page} />
      <Options page={page} disabled={running} />
      {!running && state.kind !== "done" && (
        <div class="actions">
          <button
            type="button"
            class="button button-primary"
            data-testid="export-button"
            disabled={blocked}
            aria-describedby={
              historyBlocked ? "opt-history-fields-help" : queryInvalid ? "jql-status" : undefined
            }
            onClick={() => void page.export()}
          >
            {action}
          </button>
        </div>
      )}
      {(running || state.kind === "done") && <Placement page={page} />}
      {running && <Progress page={page} activity={state.activity} />}
      {state.kind === "cancelled" && (
        <p class="notice" role="status" data-testid="export-cancelled">
          Export cancelled. No file was created; press {action} to start again.
        </p>
      )}
      {state.kind === "failed" && state.error.tag !== "InvalidJql" && (
        <ErrorNotice
          error={state.error}
          testId="export-error"
          action={
            state.canResume ? { label: "Try again", run: () => void page.exporter.resume() } : undefined
          }
        />
      )}
      {state.kind === "done" && (
        <div class="notice notice-success" data-testid="export-done">
          <p class="notice-heading" role="status">
            {state.summary.issues === 0
              ? "Export complete: no issues match this query, so the file holds only the header."
              : mode === "history"
                ? `Export complete: the change history of ${formatCount(state.summary.issues, locale)} issues in ${formatElapsed(state.summary.durationMs)}.`
                : `Export complete: ${formatCount(state.summary.issues, locale)} issues in ${formatElapsed(state.summary.durationMs)}.`}
          </p>
          {state.summary.missing.length > 0 && (
            <p data-testid="export-missing">
              {formatCount(state.summary.missing.length, locale)} issues matched but could not be read any
              more (deleted or moved during the export): {state.summary.missing.slice(0, 20).join(", ")}
              {state.summary.missing.length > 20 ? ", …" : ""}
            </p>
          )}
          {state.summary.notes.map((note) => (
            <p key={note} data-testid="export-note">
              {note}
            </p>
          ))}
          {state.summary.relocations > 0 && (
            <p data-testid="export-relocations">
              Jira's page token expired{" "}
              {state.summary.relocations === 1 ? "once" : `${state.summary.relocations} times`} during the
              export; it found its place again and continued, with nothing missed or doubled.
            </p>
          )}
          {state.summary.sequentialReason !== undefined && (
            // The page has no strategy choice to offer; the order is what the user can change.
            <p data-testid="export-sequential">
              This query's pages could not be read in parallel ({state.summary.sequentialReason}), so the
              export read them one after another. A query ordered first by key, created or updated, or by Rank
              alone, is read in parallel.
            </p>
          )}
          {state.summary.truncatedCells > 0 && (
            <p>
              {formatCount(state.summary.truncatedCells, locale)} cells were longer than Excel's 32,767
              characters and were shortened.
            </p>
          )}
          <div class="actions">
            <button
              type="button"
              class="button button-primary"
              data-testid="download-button"
              onClick={() => download(state.file)}
            >
              Download {state.file.name} ({formatBytes(state.file.size)})
            </button>
            <button type="button" class="button button-subtle" onClick={() => page.exporter.reset()}>
              New export
            </button>
          </div>
        </div>
      )}
    </section>
  )
}
