/**
 * The site's saved filters and Jira Software boards: where users start exports from (docs/jira-cloud.md
 * §11). Fixed definitions over the catalogue's projects and sprints (board 1 is ALPHA's, board 2 BETA's,
 * as the issues' Sprint values say); owners are roles, resolved to the data set's users at request time.
 */
import type { AccountRole } from "./accounts.js"

export type Share =
  | { readonly type: "global" }
  | { readonly type: "project"; readonly projectKey: string }
  /** Not shared: only the owner sees it. */
  | { readonly type: "private" }

export interface FilterDef {
  readonly id: string
  readonly name: string
  readonly description: string
  readonly jql: string
  readonly owner: AccountRole
  readonly share: Share
  /** Who starred it. */
  readonly starredBy: ReadonlyArray<AccountRole>
  /** The filter's own column layout (field ids); absent: Jira answers 404 for its columns. */
  readonly columns?: ReadonlyArray<string>
}

export const FILTERS: ReadonlyArray<FilterDef> = [
  {
    id: "10000",
    name: "Alpha: everything by key",
    description: "All of Alpha, the way the team reviews it.",
    jql: "project = ALPHA ORDER BY key ASC",
    owner: "admin",
    share: { type: "project", projectKey: "ALPHA" },
    starredBy: ["admin", "restricted"],
    columns: ["issuekey", "summary", "status", "priority", "updated"],
  },
  {
    id: "10001",
    name: "Ops incidents, newest first",
    description: "Shared with the Operations project only.",
    jql: "project = OPS ORDER BY created DESC",
    owner: "admin",
    share: { type: "project", projectKey: "OPS" },
    starredBy: ["admin"],
    columns: ["issuekey", "summary", "assignee", "created"],
  },
  {
    id: "10002",
    name: "Rita's Beta list",
    description: "",
    jql: "project = BETA ORDER BY key DESC",
    owner: "restricted",
    share: { type: "private" },
    starredBy: ["restricted"],
  },
  {
    id: "10003",
    name: 'Recently updated; "all teams"',
    description: "Everything that moved lately.",
    jql: "project in (ALPHA, BETA, GAMMA) ORDER BY updated DESC, key ASC",
    owner: "admin",
    share: { type: "global" },
    starredBy: [],
  },
  {
    id: "10010",
    name: "Filter for ALPHA board",
    description: "",
    jql: "project = ALPHA ORDER BY Rank ASC",
    owner: "admin",
    share: { type: "project", projectKey: "ALPHA" },
    starredBy: [],
  },
  {
    id: "10011",
    name: "Filter for BETA board",
    description: "",
    jql: "project = BETA ORDER BY Rank ASC",
    owner: "admin",
    share: { type: "project", projectKey: "BETA" },
    starredBy: [],
  },
  {
    id: "10012",
    name: "Filter for OPS board",
    description: "",
    jql: "project = OPS ORDER BY Rank ASC",
    owner: "admin",
    share: { type: "project", projectKey: "OPS" },
    starredBy: [],
  },
]

export interface BoardDef {
  readonly id: number
  readonly name: string
  readonly type: "scrum" | "kanban"
  readonly filterId: string
  readonly projectKey: string
}

/** Scrum boards 1 and 2 own the catalogue's sprints (`SprintDef.boardId`). */
export const BOARDS: ReadonlyArray<BoardDef> = [
  { id: 1, name: "ALPHA board", type: "scrum", filterId: "10010", projectKey: "ALPHA" },
  { id: 2, name: "BETA board", type: "scrum", filterId: "10011", projectKey: "BETA" },
  { id: 3, name: "OPS board", type: "kanban", filterId: "10012", projectKey: "OPS" },
]
