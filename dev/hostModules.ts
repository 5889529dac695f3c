/**
 * The module a local page plays, from its URL: `/?module=jira:issueNavigatorAction&jql=…&issueKeys=A-1,A-2&filterId=10000`,
 * `/?module=jira:boardAction&boardId=1`, `/?module=jira:sprintAction&boardId=1&sprintId=2`,
 * `/?module=jira:projectPage&projectKey=ALPHA`; `/` is the global page. The host answers
 * `getContext` with the extension context Jira gives that module (docs/forge.md §3) and shows the
 * action modules in a dialog frame, as Jira does, which `view.close()` closes.
 */

export interface HostModule {
  readonly moduleKey: string
  readonly extension: Readonly<Record<string, unknown>>
  /** Jira opens the action modules in a modal dialog. */
  readonly modal: boolean
}

const list = (value: string | null) =>
  (value ?? "")
    .split(",")
    .map((s) => s.trim())
    .filter((s) => s !== "")

const projectOfKey = (key: string) => ({ key, id: "10000", type: "software" })

/** The module and its extension context for a page URL's query string. */
export const hostModule = (search: string, siteUrl: string): HostModule => {
  const q = new URLSearchParams(search)
  const location = `${siteUrl}/jira/apps/local/local`
  const boardId = q.get("boardId") ?? "1"
  switch (q.get("module")) {
    case "jira:issueNavigatorAction":
      return {
        moduleKey: "issue-export-navigator",
        modal: true,
        extension: {
          type: "jira:issueNavigatorAction",
          jql: q.get("jql") ?? "",
          issueKeys: list(q.get("issueKeys")),
          ...(q.get("filterId") === null ? {} : { filterId: q.get("filterId") }),
          location: `${siteUrl}/issues/?jql=${encodeURIComponent(q.get("jql") ?? "")}`,
        },
      }
    case "jira:boardAction":
      return {
        moduleKey: "issue-export-board",
        modal: true,
        extension: {
          type: "jira:boardAction",
          board: { id: boardId, type: "scrum" },
          project: projectOfKey(q.get("projectKey") ?? "ALPHA"),
          location,
        },
      }
    case "jira:sprintAction":
      return {
        moduleKey: "issue-export-sprint",
        modal: true,
        extension: {
          type: "jira:sprintAction",
          board: { id: boardId, type: "scrum" },
          sprint: { id: q.get("sprintId") ?? "1", state: "active" },
          project: projectOfKey(q.get("projectKey") ?? "ALPHA"),
          location,
        },
      }
    case "jira:projectPage":
      return {
        moduleKey: "issue-export-project",
        modal: false,
        extension: {
          type: "jira:projectPage",
          project: projectOfKey(q.get("projectKey") ?? "ALPHA"),
          location,
        },
      }
    default:
      return {
        moduleKey: "issue-export-page",
        modal: false,
        extension: { type: "jira:globalPage", location },
      }
  }
}

/**
 * Where `npm start` can be opened as each place in Jira opens the page: the module URLs above, with
 * values the emulator's data set has (a query with selected issues and a saved filter, board 1,
 * sprint 2 of board 1, project ALPHA).
 */
export const entryPointUrls = (base: string): ReadonlyArray<readonly [string, string]> => {
  const url = (query: string) => `${base}${base.endsWith("/") ? "" : "/"}?${query}`
  return [
    ["global page (Apps → Issue Export)", base],
    [
      "issue navigator, 3 issues selected",
      url(
        `module=jira:issueNavigatorAction&jql=${encodeURIComponent("project = ALPHA ORDER BY key ASC")}&issueKeys=ALPHA-1,ALPHA-2,ALPHA-3&filterId=10000`,
      ),
    ],
    ["board", url("module=jira:boardAction&boardId=1")],
    ["sprint", url("module=jira:sprintAction&boardId=1&sprintId=2")],
    ["project page", url("module=jira:projectPage&projectKey=ALPHA")],
    ["dark theme", url("theme=dark")],
  ]
}

/**
 * Jira's modal frame around an action's page: a dimmed backdrop and a dialog box the page fills.
 * Inserted into the served HTML (styles only: Forge's CSP allows no inline script).
 */
export const MODAL_FRAME_CSS = `
body.host-modal { margin: 0; background: rgba(9, 30, 66, 0.54); min-height: 100vh; }
body.host-modal #root { box-sizing: border-box; width: min(1200px, 96vw); height: 92vh; margin: 4vh auto 0;
  padding: 16px 24px;
  overflow: auto; background: var(--ds-surface-overlay, #fff); border-radius: 3px;
  box-shadow: 0 8px 12px rgba(9,30,66,.15), 0 0 1px rgba(9,30,66,.31); }
body.host-modal.host-closed #root { display: none; }
`

/** The served index.html as the module shows it: in a modal frame for the actions. */
export const framedHtml = (html: string, module: HostModule): string => {
  if (!module.modal) return html
  return html
    .replace("</head>", '    <link rel="stylesheet" href="./__host/modal.css">\n  </head>')
    .replace(/<body([^>]*)>/, `<body$1 class="host-modal" data-module="${module.moduleKey}">`)
}

/** The page URL's query string the shim sends with `getContext` (which module it plays). */
export const contextSearch = (body: string): string => {
  try {
    const parsed: unknown = JSON.parse(body)
    const search = typeof parsed === "object" && parsed !== null ? Reflect.get(parsed, "search") : undefined
    return typeof search === "string" ? search : ""
  } catch {
    return ""
  }
}
