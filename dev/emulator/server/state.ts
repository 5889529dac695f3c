/**
 * What every handler of the emulator's routes shares: the server's state, the parsed call and the
 * reply, and Jira's error body. Apart from routes.ts, which imports the handlers of other files, so
 * that those handlers import these without importing routes.ts back.
 */
import { createHash } from "node:crypto"
import type { ChangelogSource, Dataset, IssueRecord, JqlEngine, UserRecord } from "../model.js"
import type { ChaosDraw } from "./chaos.js"
import type { DatasetExtras } from "./miniature.js"
import type { PageTokens } from "./tokens.js"

/** Cheap lookups a data set may offer so id-only pages need not generate whole issues. */
export interface PositionLookups {
  /** Position of an issue id or key, or -1. */
  readonly indexOf: (idOrKey: string) => number
  /** Whether the issue at a position exists and is not deleted. */
  readonly isLive: (index: number) => boolean
  /** The issue at a position with only these fields (cheaper than generating all of them). */
  readonly issueWithFields: (index: number, fieldIds: ReadonlyArray<string>) => IssueRecord | undefined
}

/** A data set as the server needs it; comment/worklog lists, position lookups and histories are optional extras. */
export type EmulatorDataset = Dataset &
  Partial<DatasetExtras> &
  Partial<PositionLookups> &
  Partial<ChangelogSource>

export interface ServerState {
  readonly dataset: EmulatorDataset
  readonly jql: JqlEngine
  readonly fieldPageCap: number
  readonly site: () => string
  readonly tokens: PageTokens
  readonly searches: SearchCache
  /**
   * Generation per search key, bumped when chaos expires a search: its outstanding tokens become
   * invalid while a client that starts the search again gets fresh ones.
   */
  readonly searchGenerations: Map<string, number>
  /** Per search key, how far pages have been served: chaos deletes only issues not yet returned. */
  readonly servedUpTo: Map<string, number>
  /**
   * The scopes the app's manifest grants its Forge traffic (`app` and `frontend` sources): an endpoint
   * whose scope is missing answers Forge's refusal, as Jira does (forgeScopes.ts).
   */
  readonly forgeScopes: ReadonlySet<string>
}

/** Whose traffic a request is: the app's functions (`asUser()`), the page's `requestJira`, an API token. */
export type Source = "app" | "frontend" | "apiToken"

export interface Call {
  readonly method: string
  readonly url: URL
  readonly params: Readonly<Record<string, string>>
  readonly viewer: UserRecord | null
  /** Whose traffic it is: Forge's (scoped by the manifest) or an API token's (the user's own rights). */
  readonly source: Source
  readonly body: unknown
  readonly now: number
  readonly draw: ChaosDraw
}

export interface Reply {
  readonly status: number
  readonly json?: unknown
  readonly text?: string
  readonly contentType?: string
  readonly headers?: Readonly<Record<string, string>>
  /** Quota points beyond the 1 per request: 1 per issue/project, 2 per user on identity endpoints. */
  readonly objects?: number
  readonly issueCall?: boolean
  readonly issuesWithFields?: number
  readonly idOnlyIssues?: number
  /** Chaos kinds that shaped this reply (short page, deletion, token expiry). */
  readonly faults?: ReadonlyArray<string>
}

export const errorReply = (status: number, ...messages: ReadonlyArray<string>): Reply => ({
  status,
  json: { errorMessages: messages, errors: {} },
})

/**
 * Ordered id lists per (JQL, viewer), so paging a 200k-issue search evaluates the JQL once. Bounded:
 * the least recently used list is dropped, and a token whose list is gone re-runs the search.
 */
export class SearchCache {
  private readonly entries = new Map<string, ReadonlyArray<string>>()
  constructor(private readonly capacity: number) {}

  static keyOf(jql: string, viewer: UserRecord | null): string {
    return createHash("sha256")
      .update(`${viewer?.accountId ?? ""}\n${jql}`)
      .digest("base64url")
      .slice(0, 22)
  }

  get(key: string): ReadonlyArray<string> | undefined {
    const ids = this.entries.get(key)
    if (ids !== undefined) {
      this.entries.delete(key)
      this.entries.set(key, ids)
    }
    return ids
  }

  set(key: string, ids: ReadonlyArray<string>): void {
    this.entries.delete(key)
    this.entries.set(key, ids)
    while (this.entries.size > this.capacity) {
      const oldest = this.entries.keys().next()
      if (oldest.done) break
      this.entries.delete(oldest.value)
    }
  }

  clear(): void {
    this.entries.clear()
  }
}
