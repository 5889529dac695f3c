/**
 * The emulator's internal contract between its data set + JQL engine (`data/`, `jql/`) and its HTTP
 * layer (`server/`, `index.ts`). Values are Jira Cloud REST v3 shapes (see
 * docs/jira-cloud.md §2.3) so the HTTP layer can send them as they are.
 */

/** A user as `/user`, `/user/bulk` and issue fields show it (REST shape), plus what the emulator needs. */
export interface UserRecord {
  /** REST `User` JSON (accountId, accountType, active, displayName, emailAddress?, timeZone, locale, avatarUrls, self). */
  readonly json: Readonly<Record<string, unknown>>
  readonly accountId: string
  /** Login email for Basic auth; null for app accounts and the deleted user (they cannot log in). */
  readonly loginEmail: string | null
  readonly displayName: string
  /** Projects this user may NOT browse (keys). */
  readonly hiddenProjects: ReadonlySet<string>
}

/** `/field` entry (REST `FieldDetails`). */
export interface FieldRecord {
  readonly id: string
  readonly key: string
  readonly name: string
  readonly custom: boolean
  readonly orderable: boolean
  readonly navigable: boolean
  readonly searchable: boolean
  readonly clauseNames: ReadonlyArray<string>
  readonly schema?: {
    readonly type: string
    readonly items?: string
    readonly system?: string
    readonly custom?: string
    readonly customId?: number
  }
}

export interface ProjectRecord {
  /** REST project JSON as it appears in `fields.project`. */
  readonly json: Readonly<Record<string, unknown>>
  readonly id: string
  readonly key: string
  readonly name: string
}

/** One issue, with every field's REST v3 value (null where empty). */
export interface IssueRecord {
  readonly id: string
  /** Numeric form of `id`, for ordering. */
  readonly numericId: number
  readonly key: string
  readonly projectKey: string
  readonly fields: Readonly<Record<string, unknown>>
}

export interface Dataset {
  readonly seed: number
  /** Issues generated (deleted ones included). */
  readonly issueCount: number
  readonly users: ReadonlyArray<UserRecord>
  readonly projects: ReadonlyArray<ProjectRecord>
  readonly fields: ReadonlyArray<FieldRecord>
  /** Issue by position 0..issueCount-1 in ascending id order; undefined if deleted. Generated lazily. */
  readonly issueAt: (index: number) => IssueRecord | undefined
  readonly issueByIdOrKey: (idOrKey: string) => IssueRecord | undefined
  /** Removes an issue (for "deleted mid-export" chaos and tests). */
  readonly deleteIssue: (idOrKey: string) => boolean
  readonly userByAccountId: (accountId: string) => UserRecord | undefined
  readonly userByEmail: (email: string) => UserRecord | undefined
  /** Whether `viewer` (null = anonymous) may browse the project. */
  readonly canBrowse: (viewer: UserRecord | null, projectKey: string) => boolean
}

/** One change of one field (REST `ChangeDetails`); ids and texts are null where Jira sends null. */
export interface ChangeItem {
  readonly field: string
  readonly fieldtype: "jira" | "custom"
  /** Absent on items that are not a field's change (`IssueParentAssociation`, `WorklogId`), as in Jira. */
  readonly fieldId?: string
  readonly from: string | null
  readonly fromString: string | null
  readonly to: string | null
  readonly toString: string | null
}

/** One entry of an issue's history (REST `Changelog`). */
export interface ChangeHistory {
  readonly id: string
  /** REST `UserDetails` of whoever made the change. */
  readonly author: Readonly<Record<string, unknown>>
  readonly created: string
  readonly items: ReadonlyArray<ChangeItem>
}

/** An issue's whole history, oldest first; `at` holds each entry's instant (epoch ms) for ordering. */
export interface IssueChangelog {
  readonly issueId: string
  readonly numericId: number
  readonly projectKey: string
  readonly histories: ReadonlyArray<ChangeHistory>
  readonly at: ReadonlyArray<number>
}

/** What a data set offers for the changelog and status endpoints (docs/jira-cloud.md §10). */
export interface ChangelogSource {
  /** The issue's history, or undefined if it does not exist or was deleted (permissions are the caller's). */
  readonly changelogOf: (idOrKey: string) => IssueChangelog | undefined
  /** REST `StatusDetails` of every status the issues use, with its category. */
  readonly statuses: ReadonlyArray<Readonly<Record<string, unknown>>>
  /**
   * REST `JiraStatus` of every status of the site (`/statuses/search`), those no workflow uses any
   * more included; absent: the statuses of `statuses`.
   */
  readonly siteStatuses?: ReadonlyArray<Readonly<Record<string, unknown>>>
}

/** A JQL problem with Jira's exact wording (e.g. "Error in the JQL Query: … (line 1, character 9)"). */
export interface JqlMessage {
  readonly message: string
}

export type JqlSearchOutcome =
  | { readonly ok: true; readonly ids: ReadonlyArray<string>; readonly warnings: ReadonlyArray<string> }
  | { readonly ok: false; readonly errors: ReadonlyArray<string> }

/** The JQL engine: parse, validate against the data set and the viewer, filter and order. */
export interface JqlEngine {
  /**
   * Runs a search: issue ids (strings) in result order (ORDER BY, ties broken by id), only issues the
   * viewer may browse. `requireBounded` makes an unrestricted query an error with Jira's message.
   */
  readonly search: (
    jql: string,
    viewer: UserRecord | null,
    options: { readonly requireBounded: boolean; readonly now: Date },
  ) => JqlSearchOutcome
  /** For `POST /jql/parse`: Jira's `ParsedJqlQuery` JSON for one query (structure or errors). */
  readonly parse: (jql: string, viewer: UserRecord | null) => Readonly<Record<string, unknown>>
}
