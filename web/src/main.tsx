import { render } from "preact"
import { enableTheme, forgeBackend } from "./bridge.js"
import { systemClock } from "./clock.js"
import { PageModel } from "./models/PageModel.js"
import { browserStorage } from "./prefs.js"
import { App, ErrorBoundary } from "./views/App.js"
import "./theme.css"

const root = document.getElementById("root")

/** Shown when the page cannot start at all (no bridge: opened outside Jira, or a blocked script). */
const fatal = (element: HTMLElement) => {
  render(
    <div class="page">
      <div class="notice notice-error" role="alert">
        <p class="notice-heading">The page could not connect to Jira</p>
        <p>Reload the page; if it still fails, open it again from Jira's Apps menu.</p>
      </div>
    </div>,
    element,
  )
}

if (root) {
  forgeBackend().then(
    async (backend) => {
      void enableTheme()
      const page = await PageModel.create(backend, systemClock, browserStorage())
      render(
        <ErrorBoundary>
          <App page={page} />
        </ErrorBoundary>,
        root,
      )
      await page.init()
    },
    () => fatal(root),
  )
}
