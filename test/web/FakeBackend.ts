/** A scripted Backend for model and view tests: answers per resolver key and records every call. */
import type { ResolverKey, Result } from "../../src/contract.js"
import type { Answer, Backend, PageContext, Payload } from "../../web/src/bridge.js"

export type Handler<K extends ResolverKey> = (
  payload: Payload<K>,
) => Result<Answer<K>> | Promise<Result<Answer<K>>>
export type Handlers = { [K in ResolverKey]?: Handler<K> }

export interface Call {
  readonly key: ResolverKey
  readonly payload: unknown
  readonly at: number
}

export const testContext: PageContext = {
  accountId: "acc-1",
  siteUrl: "https://example.atlassian.net",
  locale: "en-US",
  timeZone: "Europe/Berlin",
  colorMode: "light",
}

export const fakeBackend = (handlers: Handlers, context: PageContext = testContext) => {
  const calls: Call[] = []
  const opened: string[] = []
  const backend: Backend = {
    call: async (key, payload) => {
      calls.push({ key, payload, at: Date.now() })
      const handler: Handler<typeof key> | undefined = handlers[key]
      if (handler === undefined)
        return { ok: false, error: { tag: "NotFound", message: `No resolver ${key} in this test.` } }
      return handler(payload)
    },
    context: async () => context,
    openIssue: async (key) => {
      opened.push(key)
    },
  }
  return { backend, calls, opened, callsTo: (key: ResolverKey) => calls.filter((c) => c.key === key) }
}

export const ok = <A>(value: A) => ({ ok: true, value }) as const
export const fail = (error: {
  tag:
    | "RateLimited"
    | "Timeout"
    | "QuotaExhausted"
    | "Transport"
    | "ServerError"
    | "Forbidden"
    | "InvalidJql"
    | "BadCursor"
  message: string
  retryAfterMs?: number
  resetAt?: string
  details?: string[]
}) => ({ ok: false, error }) as const

/** A promise the test resolves by hand, for calls still "in flight". */
export const deferred = <A>() => {
  let resolve: (value: A) => void = () => undefined
  const promise = new Promise<A>((r) => {
    resolve = r
  })
  return { promise, resolve }
}
