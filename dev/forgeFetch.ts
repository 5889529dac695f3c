/**
 * The Forge platform's fetch hook as the local host plays it: `@forge/api` calls the global
 * `__forge_fetch__` for every product request and for Forge storage; the host sends Jira requests to
 * the emulator as the signed-in user (or a real site with the API token), and storage to its in-memory
 * KVS, each for the installation of the invocation under way.
 */
import { AsyncLocalStorage } from "node:async_hooks"
import { consentMissing } from "./consent.js"
import type { MemoryKvs } from "./kvs.js"

interface ForgeFetchDescriptor {
  readonly type?: string
  readonly provider?: string
  readonly remote?: string
}

export interface FetchTarget {
  readonly baseUrl: string
  readonly headers: Record<string, string>
  readonly consented: () => boolean
  /** The invocation's installation (its storage). */
  readonly installContext: string
  readonly kvs: MemoryKvs
}

/**
 * Which Jira the current invocation talks to. Several hosts may run in one process (tests do), and
 * `__forge_fetch__` is one global, so each invocation carries its target in async context.
 */
export const currentTarget = new AsyncLocalStorage<FetchTarget>()

/**
 * Installs the Forge platform's fetch hook so `@forge/api` reaches the emulator as the signed-in user
 * (or a real site with the API token). Only product requests to Jira are supported, as on Forge.
 */
export const installForgeFetch = () => {
  const forgeFetch = async (descriptor: ForgeFetchDescriptor, path: string, init?: RequestInit) => {
    const target = currentTarget.getStore()
    if (!target) throw new Error("A Forge product request was made outside a resolver invocation.")
    if (descriptor.type === "kvs") return target.kvs.answer(target.installContext, path, init)
    if (descriptor.remote !== "jira")
      throw new Error(`The local Forge host only reaches Jira, not ${descriptor.remote}.`)
    if (descriptor.provider === "user" && !target.consented()) return consentMissing()
    const headers = new Headers(init?.headers)
    for (const [name, value] of Object.entries(target.headers)) headers.set(name, value)
    headers.set("x-forge-provider", String(descriptor.provider))
    return fetch(`${target.baseUrl}${path}`, { ...init, headers })
  }
  Object.assign(globalThis, { __forge_fetch__: forgeFetch })
}
