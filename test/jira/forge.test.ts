/**
 * The Forge adapter through the real `@forge/api` code path: `asUser().requestJira` calls the global
 * `__forge_fetch__` hook the Forge runtime defines, which here forwards to the emulator (as the local
 * host does) or fakes a platform refusal (`forge-proxy-error`).
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from "@effect/vitest"
import { NeedsAuthenticationError } from "@forge/api"
import { Cause, Effect, Exit, Layer } from "effect"
import { createDataset } from "../../dev/emulator/data/index.js"
import { type RunningEmulator, startEmulator } from "../../dev/emulator/index.js"
import { JiraClient } from "../../src/jira/JiraClient.js"
import { defaultRetrySettings, JiraRetrySettings } from "../../src/jira/RetryPolicy.js"
import { ForgeInvocation, ForgeShared, forgeInvocationFor } from "../../src/runtime.js"

interface Descriptor {
  readonly type: string
  readonly provider: string
  readonly remote?: string
}
type ForgeFetch = (descriptor: Descriptor, path: string, init: RequestInit) => Promise<Response>

const hook = globalThis as { __forge_fetch__?: ForgeFetch }

let emulator: RunningEmulator
const seen: Array<{ readonly descriptor: Descriptor; readonly path: string }> = []

beforeAll(async () => {
  emulator = await startEmulator({ dataset: createDataset({ issues: 120, seed: 4 }), seed: 4 })
})
afterAll(async () => {
  await emulator.close()
})
afterEach(() => {
  delete hook.__forge_fetch__
  seen.length = 0
})

/** What the local host installs: every call reaches the emulator as the admin user. */
const viaEmulator: ForgeFetch = (descriptor, path, init) => {
  seen.push({ descriptor, path })
  return fetch(emulator.url + path, {
    ...init,
    headers: {
      ...Object.fromEntries(new Headers(init.headers).entries()),
      "x-emulator-forge-account-id": emulator.accounts.admin.accountId,
    },
  })
}

const quickRetries = Layer.succeed(JiraRetrySettings, { ...defaultRetrySettings, initialDelayMs: 10 })
// What src/runtime.ts runs: the invocation's services over ForgeTransport, the runtime's shared state.
const forgeClient = ForgeInvocation.pipe(Layer.provide(ForgeShared), Layer.provide(quickRetries))

describe("ForgeTransport", () => {
  it.live("reads run asUser() through @forge/api and reach Jira with safely built paths", () =>
    Effect.gen(function* () {
      hook.__forge_fetch__ = viaEmulator
      const me = yield* JiraClient.myself()
      expect(me.accountId).toBe(emulator.accounts.admin.accountId)
      const jql = "project = ALPHA ORDER BY key ASC"
      const page = yield* JiraClient.searchPage({ jql, fields: ["summary"], maxResults: 5 })
      expect(page.issues.map((i) => i.id)).toEqual(
        emulator.referenceSearch(jql, emulator.accounts.admin.accountId).slice(0, 5),
      )
      const suggestions = yield* JiraClient.autocompleteSuggestions({
        fieldName: "project",
        fieldValue: "a&b=c",
      })
      expect(Array.isArray(suggestions)).toBe(true)
      expect(seen.length).toBe(3)
      for (const call of seen) {
        expect(call.descriptor.provider).toBe("user")
        expect(call.descriptor.remote).toBe("jira")
      }
      expect(seen[2]?.path).toBe(
        "/rest/api/3/jql/autocompletedata/suggestions?fieldName=project&fieldValue=a%26b%3Dc",
      )
    }).pipe(Effect.provide(forgeClient)),
  )

  it.live("the runtime's Forge wiring (client, quota state, user directory) works over it", () =>
    Effect.gen(function* () {
      hook.__forge_fetch__ = viaEmulator
      const count = yield* JiraClient.approximateCount("project = BETA")
      expect(count).toBe(emulator.referenceSearch("project = BETA", emulator.accounts.admin.accountId).length)
      expect(seen.every((c) => c.descriptor.provider === "user")).toBe(true)
    }).pipe(
      Effect.provide(forgeInvocationFor(undefined)),
      Effect.provide(ForgeShared),
      Effect.provide(quickRetries),
    ),
  )

  it.live("a forge-proxy-error 429 becomes RateLimited and is retried", () =>
    Effect.gen(function* () {
      let calls = 0
      hook.__forge_fetch__ = async (descriptor, path, init) => {
        calls++
        if (calls === 1)
          return new Response("", { status: 429, headers: { "forge-proxy-error": "FETCH_LIMIT_EXCEEDED" } })
        return viaEmulator(descriptor, path, init)
      }
      const me = yield* JiraClient.myself()
      expect(me.accountId).toBe(emulator.accounts.admin.accountId)
      expect(calls).toBe(2)
    }).pipe(Effect.provide(forgeClient)),
  )

  it.live("other platform refusals map to typed errors with one-sentence messages", () =>
    Effect.gen(function* () {
      hook.__forge_fetch__ = async () =>
        new Response("", { status: 500, headers: { "forge-proxy-error": "INVALID_SERVICE_KEY" } })
      const transport = yield* Effect.flip(JiraClient.fields())
      expect(transport.reason).toBe("Transport")
      expect(transport.details).toEqual(["INVALID_SERVICE_KEY (500)"])
      expect(transport.message).toMatch(/^[A-Z][^.]*\.$/)

      hook.__forge_fetch__ = async () =>
        new Response("", { status: 403, headers: { "forge-proxy-error": "FORBIDDEN_PATH" } })
      const refused = yield* Effect.flip(JiraClient.fields())
      expect(refused.reason).toBe("Forbidden")

      hook.__forge_fetch__ = async () =>
        new Response("", { status: 401, headers: { "forge-proxy-error": "NEEDS_AUTHENTICATION_ERR" } })
      // A missing consent is no JiraError: it leaves as @forge/api threw it, for Forge's "Allow access"
      // prompt (docs/forge.md §4); the handler's edge rethrows it (test/resolvers/forgeHandler.test.ts).
      const auth = yield* Effect.exit(JiraClient.myself())
      expect(Exit.isFailure(auth) && Cause.squash(auth.cause)).toBeInstanceOf(NeedsAuthenticationError)
    }).pipe(Effect.provide(forgeClient)),
  )
})
