import { Component, type ComponentChildren } from "preact"
import { useEffect, useRef } from "preact/hooks"
import type { PageModel } from "../models/PageModel.js"
import { waitText } from "../models/retry.js"
import { useValue } from "../state/signal.js"
import { ColumnPicker } from "./ColumnPicker.js"
import { ErrorNotice } from "./ErrorNotice.js"
import { ExportPanel } from "./ExportPanel.js"
import { JqlEditor } from "./JqlEditor.js"
import { PreviewPanel } from "./PreviewTable.js"
import { StartBar } from "./StartBar.js"

/** A rendering bug shows a sentence and a way out, never a blank page. */
export class ErrorBoundary extends Component<{ children: ComponentChildren }, { failed: boolean }> {
  override state = { failed: false }
  override componentDidCatch(error: unknown): void {
    console.error("page error", error)
    this.setState({ failed: true })
  }
  override render() {
    if (!this.state.failed) return this.props.children
    return (
      <ErrorNotice
        error={{ tag: "Internal", message: "Something went wrong on this page." }}
        action={{ label: "Reload the page", run: () => location.reload() }}
      />
    )
  }
}

export const App = ({ page }: { page: PageModel }) => {
  const status = useValue(page.status)
  const me = useValue(page.me)
  const mode = useValue(page.options.options).mode
  const main = useRef<HTMLElement>(null)
  const ready = status.kind === "ready"
  // A dialog opens at its top with the focus on its first control, like Jira's own dialogs; moving
  // the focus must not scroll the title, the origin and Close out of sight.
  useEffect(() => {
    if (!ready || !page.start.modal) return
    if (document.activeElement !== null && document.activeElement !== document.body) return
    main.current
      ?.querySelector<HTMLElement>("input:not([disabled]), select, textarea, button:not([disabled])")
      ?.focus({ preventScroll: true })
  }, [ready])
  return (
    <main class="page" ref={main}>
      <header class="page-header">
        <h1>Export issues to CSV</h1>
        {me !== undefined && (
          <p class="muted" data-testid="whoami">
            Signed in as {me.displayName}
          </p>
        )}
      </header>
      <StartBar page={page} />
      {status.kind === "loading" && (
        <p class="muted" role="status" data-testid="page-loading">
          Loading your fields…{status.wait !== undefined && ` ${waitText(status.wait)}`}
        </p>
      )}
      {status.kind === "failed" && (
        <ErrorNotice
          error={status.error}
          testId="page-error"
          action={{ label: "Try again", run: () => void page.init() }}
        />
      )}
      <JqlEditor page={page} />
      {status.kind === "ready" && (
        <div class="grid">
          <ColumnPicker model={page.columns} ignored={mode === "history"} />
          <ExportPanel page={page} />
        </div>
      )}
      <PreviewPanel page={page} />
    </main>
  )
}
