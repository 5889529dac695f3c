/**
 * The plain values the backend (`src/`), the Custom UI (`web/`) and the local Forge host (`dev/`) share:
 * resolver keys, the default columns, the bounds of a payload and Forge's limits.
 *
 * This module imports nothing. The page imports its values directly, so the browser bundle stays free
 * of Effect; the Schema contract (`src/contract.ts`) re-exports them for the backend.
 */

/** Resolver function keys, as `manifest.yml`'s resolver and the page's `invoke` name them. */
export const ResolverKey = {
  whoami: "session/whoami",
  fields: "fields/list",
  jqlParse: "jql/parse",
  jqlAutocomplete: "jql/autocomplete",
  jqlSuggestions: "jql/suggestions",
  preview: "preview/page",
  exportStart: "export/start",
  exportNext: "export/next",
  contextStart: "context/start",
  filtersList: "filters/list",
} as const
export type ResolverKey = (typeof ResolverKey)[keyof typeof ResolverKey]

/**
 * Forge's limits on one resolver invocation and on the page's bridge (docs/forge.md §2,
 * https://developer.atlassian.com/platform/forge/platform-quotas-and-limits/). The local host enforces
 * them; the export's per-call budgets are fractions of them.
 */
export const FORGE_LIMITS = {
  /** Largest `invoke` payload the page may send: 500 KB. */
  invokePayloadBytes: 500 * 1024,
  /** Largest resolver answer the page may receive: 5 MB. */
  invokeResponseBytes: 5 * 1024 * 1024,
  /** Forge stops a resolver after 25 s, whatever the manifest says. */
  invocationMs: 25_000,
  /** `@forge/bridge` throws on the 501st `invoke` within 25 s (it does not queue). */
  bridgeInvokes: 500,
  bridgeWindowMs: 25_000,
} as const

/**
 * The columns a new user starts with: ids as `fields/list` lists them (`issuekey` is the issue key
 * pseudo-column; `key` is only its JQL alias), so the page's picker keeps every one of them.
 */
export const DEFAULT_COLUMNS: ReadonlyArray<string> = [
  "issuekey",
  "summary",
  "status",
  "assignee",
  "priority",
  "created",
  "updated",
]

// Bounds of a payload. Each keeps its field far below Forge's 500 KB invoke payload.

/**
 * Longest JQL we accept (Jira itself has no documented limit; 10k characters is generous). The page
 * stops a longer query before sending it; the resolvers refuse one with a sentence that names the limit.
 */
export const MAX_JQL_LENGTH = 10_000
/** Most columns one export may ask for. */
export const MAX_COLUMNS = 200
/** Longest column reference (a field id or name). */
export const MAX_COLUMN_REF_LENGTH = 255
/** Longest cursor (cursors are self-contained; see src/export/cursor.ts); its payload fits the invoke limit. */
export const MAX_CURSOR_LENGTH = 400_000
/**
 * Most selected issues an export of "only the selected issues" takes: far more than a navigator page
 * shows (Jira's issue navigator lists 50 issues a page), and the keys stay a few KB in the payload
 * and the cursor.
 */
export const MAX_SELECTED_ISSUES = 1000
/** Most saved filters the global page's picker lists. */
export const MAX_LISTED_FILTERS = 500
/**
 * Most columns one multi-value field may get in a `jira-import` file (every row carries them all), and
 * how many it gets unless the user says otherwise.
 */
export const MAX_VALUE_COLUMNS = 1000
export const DEFAULT_VALUE_COLUMNS = 20

/**
 * The date pattern of `jira-import` files, to be typed into the importer's date format step: digits
 * only, so the month and AM/PM names of the importing user's language do not matter, and the same in
 * every date column (docs/jira-cloud.md §12).
 */
export const JIRA_IMPORT_DATE_PATTERN = "yyyy-MM-dd HH:mm"

/** Jira's defaults for time tracking (Settings > Time tracking): 8-hour days, 5-day weeks. */
const TIME_TRACKING = { hoursPerDay: 8, daysPerWeek: 5 } as const

/**
 * The presets, defined here once in the contract's terms (`ExportOptionsInput`, a type test holds
 * them to it): a file for Excel/LibreOffice users, a file for programs, and a file for Jira's own CSV
 * importer (docs/jira-cloud.md §12). The backend completes the user's choices from them
 * (src/export/options.ts); the page shows them (web/src/models/OptionsModel.ts). The importer reads
 * cells as text: a formula guard's apostrophe would become part of the value, and a cut cell would
 * lose data, so neither is on; users are account ids, which it maps.
 */
export const PRESET_DEFAULTS = {
  spreadsheet: {
    delimiter: ",",
    lineEnding: "crlf",
    bom: true,
    formulaGuard: true,
    truncateLongCells: true,
    dateFormat: "spreadsheet",
    timeZone: "user",
    userDisplay: "displayName",
    multiValueSeparator: "; ",
    durationFormat: "jira",
    ...TIME_TRACKING,
    strategy: "auto",
  },
  data: {
    delimiter: ",",
    lineEnding: "lf",
    bom: false,
    formulaGuard: false,
    truncateLongCells: false,
    dateFormat: "iso",
    timeZone: "user",
    userDisplay: "displayName",
    multiValueSeparator: "; ",
    durationFormat: "jira",
    ...TIME_TRACKING,
    strategy: "auto",
  },
  "jira-import": {
    delimiter: ",",
    lineEnding: "crlf",
    bom: false,
    formulaGuard: false,
    truncateLongCells: false,
    dateFormat: { pattern: JIRA_IMPORT_DATE_PATTERN },
    timeZone: "user",
    userDisplay: "accountId",
    multiValueSeparator: "; ",
    durationFormat: "seconds",
    ...TIME_TRACKING,
    strategy: "auto",
    valueColumns: DEFAULT_VALUE_COLUMNS,
  },
} as const
/** Most field ids a history export may keep: Jira's changelog bulk fetch takes at most 10. */
export const MAX_HISTORY_FIELDS = 10
/**
 * Deepest nesting of objects and arrays a payload may have. The contract's deepest field is three levels
 * down (`options.dateFormat.pattern`); a payload nested thousands deep would exhaust the stack of the
 * decoder, so it is refused before decoding.
 */
export const MAX_PAYLOAD_DEPTH = 16

/** Longest site URL accepted. */
export const MAX_SITE_URL_LENGTH = 2048

/** What a Jira site URL looks like: http(s), a host, an optional path, no spaces. */
export const SITE_URL_PATTERN = /^https?:\/\/[^\s/]+(\/[^\s]*)?$/

/**
 * Whether `url` can be a Jira site's URL (the contract's `SiteUrl`, the CLI's `--site`, a resolver's
 * context, the page's context and the local host all check it here).
 */
export const isSiteUrl = (url: string): boolean =>
  url.length <= MAX_SITE_URL_LENGTH && SITE_URL_PATTERN.test(url)

/**
 * A Jira site's base URL as the app uses it everywhere (Issue URL cells, requests, comparing sites):
 * without the trailing slashes people paste. Applied where a site enters (the page's context, a
 * resolver's context, the CLI's `--site`, the local host), so nothing downstream strips again.
 */
export const siteBase = (url: string): string => url.replace(/\/+$/, "")

/**
 * The picker's type labels (`string`, `array<user>`, `comments-page`, the columns' `FieldInfo.type`)
 * in the words Jira's own field screens use, for the page's badges and `--list-columns`.
 */
const FIELD_TYPE_WORDS: Readonly<Record<string, string>> = {
  string: "Text",
  number: "Number",
  votes: "Number",
  watches: "Number",
  date: "Date",
  datetime: "Date & time",
  user: "User",
  "array<user>": "Users",
  group: "Group",
  "array<group>": "Groups",
  "array<string>": "Labels",
  "comments-page": "Comments",
  "array<issuelinks>": "Links",
  issuelink: "Issue",
  "array<attachment>": "Attachments",
  "array<worklog>": "Work log",
  "array<component>": "Components",
  version: "Version",
  "array<version>": "Versions",
  option: "Select",
  "array<option>": "Checkboxes",
  "option-with-child": "Cascading",
  status: "Status",
  statusCategory: "Status",
  statuscategory: "Status",
  priority: "Priority",
  issuetype: "Issue type",
  project: "Project",
  resolution: "Resolution",
  securitylevel: "Security",
  timetracking: "Time",
  progress: "Progress",
  team: "Team",
  url: "URL",
  history: "History",
  "array<json>": "List",
}

/** A picker type label in Jira's words; a type Jira adds later shows as "Other" (its label in the tooltip). */
export const fieldTypeWord = (type: string): string =>
  FIELD_TYPE_WORDS[type] ?? (type.startsWith("array<") ? "List" : "Other")

/** Two site URLs name the same site when their bases match, the scheme and host in any case. */
export const sameSite = (a: string, b: string): boolean => {
  const key = (site: string) => {
    const trimmed = siteBase(site)
    const host = /^[a-z]+:\/\/[^/]+/i.exec(trimmed)?.[0] ?? trimmed
    return `${host.toLowerCase()}${trimmed.slice(host.length)}`
  }
  return key(a) === key(b)
}

/**
 * The error tags (`ErrorTag`, src/contract/errors.ts) after which the same call from the same cursor
 * may go through: Jira asked for a wait, Jira or the network failed for a moment, or the invocation ran
 * out of time. The page repeats such calls by itself. The backend's side of the same decision is
 * `retryKind` (src/jira/JiraError.ts); a test holds the two together.
 */
export const RETRYABLE_ERROR_TAGS: ReadonlyArray<string> = [
  "RateLimited",
  "QuotaExhausted",
  "ServerError",
  "Transport",
  "Timeout",
]
