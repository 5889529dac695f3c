/**
 * The page's only door to the backend. Models depend on the `Backend` interface; `forgeBackend` adapts
 * `@forge/bridge` to it, and tests pass a fake. Types come from the Schema contract (`import type`);
 * values only from its Effect-free constants, so Effect stays out of the bundle.
 */

import { ResolverKey } from "../../src/contract/constants.js"
import type { Answer, Payload, Result } from "../../src/contract.js"

export type { Answer, Payload } from "../../src/contract.js"

/** The resolver keys, as the contract defines them. */
export const Key = ResolverKey

/** What the page knows about where it runs (from `view.getContext()`). */
export interface PageContext {
  readonly accountId: string | undefined
  readonly siteUrl: string
  readonly locale: string
  readonly timeZone: string
  readonly colorMode: "light" | "dark"
  /** The module's extension context (which place opened the page); decoded by the `context/start` resolver. */
  readonly extension?: unknown
}

export interface Backend {
  /**
   * Calls a resolver. Never rejects: a thrown bridge error (network, or the bridge's own limit of 500
   * calls per 25 s) comes back as a retryable `Transport` error.
   */
  call<K extends ResolverKey>(key: K, payload: Payload<K>): Promise<Result<Answer<K>>>
  context(): Promise<PageContext>
  /** Opens the issue in Jira in a new tab. */
  openIssue(issueKey: string): Promise<void>
  /** Closes the dialog an action opened the page in (`view.close()`). */
  close?(): Promise<void>
}

/** The error a thrown `invoke` turns into. */
export const transportError = (cause: unknown) =>
  ({
    ok: false,
    error: {
      tag: "Transport",
      message: "The page could not reach the app; check your connection, then try again.",
      details: [cause instanceof Error ? cause.message : String(cause)],
    },
  }) as const

const isResult = (value: unknown): value is Result<never> =>
  typeof value === "object" && value !== null && "ok" in value && typeof value.ok === "boolean"

/** Lets Jira's theme (light or dark) style the page through `--ds-*` tokens. */
export const enableTheme = async (): Promise<void> => {
  const { theme } = await import("./forgeBridge.js")
  await theme.enable().catch(() => undefined)
}

/** Adapts `@forge/bridge` (loaded lazily: it needs the host's bridge object at import time). */
export const forgeBackend = async (): Promise<Backend> => {
  const { invoke, router, getContext, close } = await import("./forgeBridge.js")
  return {
    call: async (key, payload) => {
      try {
        const answer: unknown = await invoke(key, payload)
        if (isResult(answer)) return answer
        return transportError(new Error(`unexpected answer from ${key}`))
      } catch (cause) {
        return transportError(cause)
      }
    },
    context: async () => {
      const context = await getContext()
      return {
        accountId: context.accountId,
        siteUrl: context.siteUrl,
        locale: context.locale,
        timeZone: context.timezone,
        colorMode: context.theme?.colorMode === "dark" ? "dark" : "light",
        extension: context.extension,
      }
    },
    openIssue: (issueKey) => router.open({ target: "issue", issueKey }),
    close: () => close(),
  }
}
