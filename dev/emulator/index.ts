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
import { MANIFEST_SCOPES } from "./server/forgeScopes.js"
import { type QuotaMode, QuotaPool, RateLimits } from "./server/limits.js"
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
export type { QuotaMode } from "./server/limits.js"
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
  /**
   * Sites served by this one process, each on its own port with its own data set (seed `seed + i`),
   * users and cloud id (default 1). They are installations of one app: in `global` quota mode (the
   * default, Jira's Tier 1) they spend one points pool, in `tenant` mode each its own.
   */
  readonly sites?: number
  readonly quotaMode?: QuotaMode
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
  /**
   * Whether the generated sites have Jira Premium (default false): Parent Link then answers its values,
   * else the licence placeholder Jira sends every site without Premium.
   */
  readonly premium?: boolean
  /**
   * The scopes the app's Forge traffic has (default: this project's manifest.yml): an endpoint whose
   * scope is missing answers Forge's 401 "scope does not match" to it (server/forgeScopes.ts).
   */
  readonly forgeScopes?: ReadonlyArray<string>
  /** Clock in epoch ms (default `Date.now`): tests move it to expire tokens and roll quota windows. */
  readonly now?: () => number
}

export interface EmulatorAccount {
  readonly accountId: string
  readonly email: string
  readonly displayName: string
}

/** One site of the emulator. */
export interface EmulatorSite {
  readonly url: string
  readonly port: number
  /** 1-based position among the emulator's sites. */
  readonly site: number
  /** The site's cloud id, as Forge's context names it. */
  readonly cloudId: string
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
  /** Stops every site of the emulator. */
  readonly close: () => Promise<void>
}

/** The emulator: its first site's view, and every site (`sites[0]` is the first). */
export interface RunningEmulator extends EmulatorSite {
  readonly sites: ReadonlyArray<EmulatorSite>
  readonly quotaMode: QuotaMode
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

/** A deterministic cloud id per site, shaped like Atlassian's (a UUID). */
export const cloudIdOf = (site: number): string =>
  `00000000-0000-4000-8000-${(0xc10d + site - 1).toString(16).padStart(12, "0")}`

interface Shared {
  readonly options: EmulatorOptions
  readonly profile: ProfileParams
  readonly now: () => number
  readonly chaos: { current: Chaos }
  readonly poolOf: () => QuotaPool
}

type Listening = EmulatorSite & { readonly stop: () => Promise<void> }

const startSite = (shared: Shared, site: number): Promise<Listening> => {
  const { options, profile, now } = shared
  const seed = (options.seed ?? 1) + site - 1
  // A given data set (tests) is the first site's; other sites generate theirs.
  const given = site === 1 ? options.dataset : undefined
  const dataset =
    given ?? createDataset({ issues: options.issues ?? 1000, seed, premium: options.premium === true })
  const jql = site === 1 && options.jql !== undefined ? options.jql : createJqlEngine(dataset)
  let base = "http://127.0.0.1"
  const state: ServerState = {
    dataset,
    jql,
    fieldPageCap: options.fieldPageCap ?? DEFAULT_FIELD_PAGE_CAP,
    site: () => base,
    tokens: new PageTokens(`emulator-${seed}-${process.pid}`),
    searches: new SearchCache(SEARCH_CACHE_ENTRIES),
    searchGenerations: new Map(),
    servedUpTo: new Map(),
    forgeScopes: new Set(options.forgeScopes ?? MANIFEST_SCOPES),
  }
  const limits = new RateLimits(profile, options.quota ?? null, shared.poolOf())
  const loop = new EventLoopProbe()
  // The probe measures real time: under an injected clock (tests) real lag says nothing of that clock.
  const stats = new StatsRecorder(options.now === undefined ? () => loop.delayMs() : () => 0)
  const pipeline: Pipeline = {
    state,
    limits,
    stats,
    chaos: () => shared.chaos.current,
    now,
    frontend: {
      charged: options.frontendPoints === "charged",
      rateLimitHeaders: options.frontendRateLimitHeaders ?? true,
    },
    quotaLimit: () => {
      const after = shared.chaos.current.spec.quotaAfter
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
    // Only the first site takes the asked port; the others pick free ones.
    server.listen(site === 1 ? (options.port ?? 0) : 0, options.host ?? "127.0.0.1", () => {
      loop.start()
      const { port } = server.address() as AddressInfo
      base = `http://127.0.0.1:${port}`
      resolve({
        url: base,
        port,
        site,
        cloudId: cloudIdOf(site),
        accounts: { admin, restricted },
        apiToken: API_TOKEN,
        dataset,
        profile,
        stats: () => stats.snapshot(),
        resetStats: () => stats.reset(),
        setChaos: (spec) => {
          shared.chaos.current = shared.chaos.current.next(toSpec(spec))
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
        close: () => Promise.resolve(),
        stop: () =>
          new Promise((done) => {
            loop.stop()
            server.close(() => done())
            server.closeAllConnections()
          }),
      })
    })
  })
}

export const startEmulator = async (options: EmulatorOptions = {}): Promise<RunningEmulator> => {
  const count = options.sites ?? 1
  if (!Number.isInteger(count) || count < 1) throw new Error("An emulator serves at least one site.")
  const quotaMode = options.quotaMode ?? "global"
  const windowMs = options.quotaWindowMs ?? DEFAULT_QUOTA_WINDOW_MS
  const appPool = new QuotaPool("global", windowMs)
  const shared: Shared = {
    options,
    profile: resolveProfile(options.profile),
    now: options.now ?? (() => Date.now()),
    chaos: { current: new Chaos(toSpec(options.chaos)) },
    poolOf: () => (quotaMode === "global" ? appPool : new QuotaPool("tenant", windowMs)),
  }
  const listening: Array<Listening> = []
  for (let site = 1; site <= count; site++) listening.push(await startSite(shared, site))
  const close = async () => {
    await Promise.all(listening.map((one) => one.stop()))
  }
  const sites = listening.map(({ stop: _, ...site }): EmulatorSite => ({ ...site, close }))
  const first = sites[0]
  if (first === undefined) throw new Error("An emulator serves at least one site.")
  return { ...first, sites, quotaMode }
}
