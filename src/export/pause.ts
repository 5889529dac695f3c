/**
 * "A wait is a pause, not a failure": when a Jira read fails with something a later call from the
 * same cursor may get past (a 429, a spent quota, Jira or the network down for a moment; the one
 * classification is `retryKind`, src/jira/JiraError.ts), a runner hands back its cursor and how long
 * to wait instead of failing. The Forge chunk runner (src/resolvers/chunk.ts) and the page decide it
 * here.
 */
import { type JiraError, retryKind } from "../jira/JiraError.js"
import type { ExportFailure } from "./types.js"

/** How long the caller should wait before asking again from the same cursor. */
export interface Pause {
  readonly retryAfterMs?: number
  /** A spent quota's reset (ISO 8601), when Jira named it. */
  readonly pausedUntil?: string
}

/** Waits without a figure from Jira: a 429 without `Retry-After`, a spent quota, a failure. */
const DEFAULT_WAIT_MS = { rateLimited: 1000, quota: 60_000, transient: 2000 } as const

const pauseForJira = (error: JiraError): Pause | undefined => {
  switch (retryKind(error)) {
    case "wait":
      if (error.reason === "RateLimited")
        return { retryAfterMs: error.retryAfterMs ?? DEFAULT_WAIT_MS.rateLimited }
      return error.resetAt === undefined
        ? { retryAfterMs: error.retryAfterMs ?? DEFAULT_WAIT_MS.quota }
        : { pausedUntil: error.resetAt }
    case "transient":
      return { retryAfterMs: DEFAULT_WAIT_MS.transient }
    default:
      return undefined
  }
}

/** The pause after `error`, or undefined when it is a failure (asking again would meet it again). */
export const pauseFor = (error: ExportFailure): Pause | undefined =>
  error._tag === "JiraError" ? pauseForJira(error) : undefined
