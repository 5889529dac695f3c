/**
 * Forge's scopes, as the emulator applies them to the app's own traffic (requests marked with the
 * Forge account header: the resolvers' `asUser()` and the page's `requestJira`). Jira answers a Forge
 * request whose scope the manifest does not grant with an ordinary 401 (docs/jira-cloud.md §10):
 * `{"code":401,"message":"Unauthorized; scope does not match"}`. API-token traffic has the user's own
 * rights and no scopes.
 *
 * Only the endpoints the emulator serves beyond `read:jira-work` and `read:jira-user` are listed.
 */
import type { Call, Reply } from "./state.js"

/** What this project's manifest.yml grants (a test holds the two equal). */
export const MANIFEST_SCOPES: ReadonlyArray<string> = [
  "read:jira-work",
  "read:jira-user",
  "read:board-scope.admin:jira-software",
  "read:project:jira",
  "read:sprint:jira-software",
  "storage:app",
]

/** Any one of these lets an app call `GET /rest/api/3/statuses/search` (classic, or granular). */
export const STATUS_SEARCH_SCOPES: ReadonlyArray<string> = ["manage:jira-configuration", "read:workflow:jira"]

const SCOPE_REFUSAL: Reply = {
  status: 401,
  json: { code: 401, message: "Unauthorized; scope does not match" },
}

/** Forge's refusal when the call is the app's and its manifest grants none of `scopes`; else undefined. */
export const missingScope = (
  granted: ReadonlySet<string>,
  call: Pick<Call, "source">,
  scopes: ReadonlyArray<string>,
): Reply | undefined =>
  call.source === "apiToken" || scopes.some((s) => granted.has(s)) ? undefined : SCOPE_REFUSAL
