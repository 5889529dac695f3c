/**
 * Jira Cloud emulator: a loopback HTTP server with Jira's REST v3 shapes, rate limits, seeded chaos
 * and client statistics (issue #3). `startEmulator` is what the local host, tests and benchmarks use.
 */
import { createServer, type IncomingMessage, type ServerResponse } from "node:http"
import type { AddressInfo } from "node:net"
import { userInRole } from "./data/accounts.js"
import { createDataset } from "./data/index.js"
import { createJqlEngine } from "./jql/index.js"
import type { JqlEngine } from "./model.js"
import { Chaos, type ChaosSpec, NO_CHAOS, parseChaos } from "./server/chaos.js"
import { EventLoopProbe } from "./server/eventloop.js"
import { RateLimits } from "./server/limits.js"
import { type ProfileName, type ProfileParams, resolveProfile } from "./server/profiles.js"
import { bulkIssues, stillExists } from "./server/routes.js"
import {
  API_TOKEN,
  createListener,
  FORGE_ACCOUNT_HEADER,
  type Pipeline,
  SOURCE_HEADER,
} from "./server/server.js"
import { type EmulatorDataset, SearchCache, type ServerState } from "./server/state.js"
import { type EmulatorStats, StatsRecorder } from "./server/stats.js"
import { PageTokens } from "./server/tokens.js"

export { CHAOS_HELP, type ChaosSpec, parseChaos } from "./server/chaos.js"
export { PROFILES, type ProfileName, type ProfileParams } from "./server/profiles.js"
export type { EmulatorDataset } from "./server/state.js"
export type { EmulatorStats, RetryAfterViolation } from "./server/stats.js"
export { API_TOKEN, FORGE_ACCOUNT_HEADER, SOURCE_HEADER }

export interface EmulatorOptions {
  readonly port?: number
  readonly host?: string
  /** Issues to generate when no `dataset` is given (default 1000). */
  readonly issues?: number
  readonly seed?: number
  readonly profile?: ProfileName | ProfileParams
  readonly chaos?: string | ChaosSpec
  /** Points per quota window; default none (unlimited, like API-token traffic). */
  readonly quota?: number
  readonly quotaWindowMs?: number
  /** Defaults to the generated data set of `./data`; tests may pass a small one (`server/miniature.ts`). */
  readonly dataset?: EmulatorDataset
  /** Defaults to the JQL engine of `./jql` over the data set. */
  readonly jql?: JqlEngine
  /** Page cap of `/search/jql` when real fields are asked (default 100). */
  readonly fieldPageCap?: number
  /**
   * Whether the page's own `requestJira` traffic (marked by the local host) draws on the points quota:
   * `free` (default; what partners report of Jira today) or `charged`.
   */
  readonly frontendPoints?: "free" | "charged"
  /** Whether answers to the page's own traffic carry the rate-limit headers (default true). */
  readonly frontendRateLimitHeaders?: boolean
  /** Clock in epoch ms (default `Date.now`): tests move it to expire tokens and roll quota windows. */
  readonly now?: () => number
}

export interface EmulatorAccount {
  readonly accountId: string
  readonly email: string
  readonly displayName: string
}

export interface RunningEmulator {
  readonly url: string
  readonly port: number
  /** `admin` browses every project; `restricted` has hidden projects. */
  readonly accounts: { readonly admin: EmulatorAccount; readonly restricted: EmulatorAccount }
  readonly apiToken: string
  readonly dataset: EmulatorDataset
  readonly profile: ProfileParams
  readonly stats: () => EmulatorStats
  readonly resetStats: () => void
  readonly setChaos: (spec: string | ChaosSpec) => void
  /** The ids the JQL matches for that user, in order, no paging (unbounded queries allowed). */
  readonly referenceSearch: (jql: string, accountId: string) => ReadonlyArray<string>
  /** What bulkfetch would return for that issue and those fields, or undefined if the user cannot see it. */
  readonly issueJson: (
    id: string,
    fields: ReadonlyArray<string>,
    accountId: string,
  ) => Readonly<Record<string, unknown>> | undefined
  readonly close: () => Promise<void>
}

const DEFAULT_QUOTA_WINDOW_MS = 3_600_000
const DEFAULT_FIELD_PAGE_CAP = 100
/** Search id lists kept at once (each up to the whole data set's ids). */
const SEARCH_CACHE_ENTRIES = 16

const account = (dataset: EmulatorDataset, hidden: boolean): EmulatorAccount => {
  const user = userInRole(dataset, hidden ? "restricted" : "admin")
  if (!user || user.loginEmail === null) throw new Error("The data set has no user who can log in.")
  return { accountId: user.accountId, email: user.loginEmail, displayName: user.displayName }
}

const toSpec = (chaos: string | ChaosSpec | undefined): ChaosSpec =>
  chaos === undefined ? NO_CHAOS : typeof chaos === "string" ? parseChaos(chaos) : chaos

export const startEmulator = (options: EmulatorOptions = {}): Promise<RunningEmulator> => {
  const seed = options.seed ?? 1
  const dataset = options.dataset ?? createDataset({ issues: options.issues ?? 1000, seed })
  const jql = options.jql ?? createJqlEngine(dataset)
  const profile = resolveProfile(options.profile)
  const now = options.now ?? (() => Date.now())
  let chaos = new Chaos(toSpec(options.chaos))
  let site = "http://127.0.0.1"
  const state: ServerState = {
    dataset,
    jql,
    fieldPageCap: options.fieldPageCap ?? DEFAULT_FIELD_PAGE_CAP,
    site: () => site,
    tokens: new PageTokens(`emulator-${seed}-${process.pid}`),
    searches: new SearchCache(SEARCH_CACHE_ENTRIES),
    searchGenerations: new Map(),
    servedUpTo: new Map(),
  }
  const limits = new RateLimits(
    profile,
    options.quota ?? null,
    options.quotaWindowMs ?? DEFAULT_QUOTA_WINDOW_MS,
  )
  const loop = new EventLoopProbe()
  // The probe measures real time: under an injected clock (tests) real lag says nothing of that clock.
  const stats = new StatsRecorder(options.now === undefined ? () => loop.delayMs() : () => 0)
  const pipeline: Pipeline = {
    state,
    limits,
    stats,
    chaos: () => chaos,
    now,
    frontend: {
      charged: options.frontendPoints === "charged",
      rateLimitHeaders: options.frontendRateLimitHeaders ?? true,
    },
    quotaLimit: () => {
      const after = chaos.spec.quotaAfter
      const quota = options.quota ?? null
      return after === null ? quota : quota === null ? after : Math.min(quota, after)
    },
  }
  const special = (req: IncomingMessage, res: ServerResponse, url: URL): boolean => {
    if (!url.pathname.startsWith("/__emulator/")) return false
    if (url.pathname === "/__emulator/stats" && req.method === "GET") {
      res.writeHead(200, { "content-type": "application/json;charset=UTF-8" })
      res.end(JSON.stringify(stats.snapshot()))
    } else if (url.pathname === "/__emulator/memory" && req.method === "GET") {
      // For benchmarks that measure the emulator's own footprint from outside its process.
      const { rss, heapUsed } = process.memoryUsage()
      res.writeHead(200, { "content-type": "application/json;charset=UTF-8" })
      res.end(JSON.stringify({ rssBytes: rss, heapUsedBytes: heapUsed, issues: dataset.issueCount }))
    } else if (url.pathname === "/__emulator/stats/reset" && req.method === "POST") {
      stats.reset()
      req.resume()
      res.writeHead(204)
      res.end()
    } else {
      res.writeHead(404, { "content-type": "application/json;charset=UTF-8" })
      res.end(JSON.stringify({ errorMessages: [`No emulator resource at ${url.pathname}.`], errors: {} }))
    }
    return true
  }
  const admin = account(dataset, false)
  const restricted = account(dataset, true)
  const viewerOf = (accountId: string) => {
    const user = dataset.userByAccountId(accountId)
    if (!user) throw new Error(`No user with accountId ${accountId} in the data set.`)
    return user
  }
  return new Promise((resolve, reject) => {
    const server = createServer(createListener(pipeline, special))
    // Longer than typical client pools' idle time, so keep-alive sockets are not cut mid-reuse.
    server.keepAliveTimeout = 65_000
    server.on("error", reject)
    server.listen(options.port ?? 0, options.host ?? "127.0.0.1", () => {
      loop.start()
      const { port } = server.address() as AddressInfo
      site = `http://127.0.0.1:${port}`
      resolve({
        url: site,
        port,
        accounts: { admin, restricted },
        apiToken: API_TOKEN,
        dataset,
        profile,
        stats: () => stats.snapshot(),
        resetStats: () => stats.reset(),
        setChaos: (spec) => {
          chaos = chaos.next(toSpec(spec))
        },
        referenceSearch: (query, accountId) => {
          const outcome = jql.search(query, viewerOf(accountId), {
            requireBounded: false,
            now: new Date(now()),
          })
          if (!outcome.ok) throw new Error(outcome.errors.join(" "))
          return outcome.ids.filter((id) => stillExists(dataset, id))
        },
        issueJson: (id, fields, accountId) => bulkIssues(state, viewerOf(accountId), [id], fields, [])[0],
        close: () =>
          new Promise((done) => {
            loop.stop()
            server.close(() => done())
            server.closeAllConnections()
          }),
      })
    })
  })
}
