/**
 * `npm run emulator -- [flags]`: runs the Jira Cloud emulator until interrupted and prints how to
 * reach it. Flags are parsed by hand so a wrong one gets a sentence and exit code 2.
 */
import {
  CHAOS_HELP,
  type ChaosSpec,
  PROFILES,
  type ProfileName,
  parseChaos,
  type QuotaMode,
  startEmulator,
} from "./index.js"
import { describeProfile } from "./server/profiles.js"

const HELP = `Jira Cloud emulator: Jira's REST v3 search, bulkfetch, users and JQL endpoints on 127.0.0.1,
with a generated data set, per-user permissions, rate limits, chaos and client statistics.

Usage: npm run emulator -- [options]

Options:
  --port N              port to listen on (default 8089; 0 picks a free one)
  --host HOST           interface to bind (default 127.0.0.1)
  --issues N            issues to generate (default 1000)
  --seed N              data set seed (default 1)
  --profile NAME        instant (no latency, no burst limits; default) or cloud
                        (120 ms + 3 ms per issue with fields, +0.1 ms per id-only issue,
                        80 ms other calls, 100 requests/s per endpoint+method (150 for GET issue,
                        GET user and approximate-count), 10 in flight per user)
  --chaos SPEC          inject faults, see below
  --quota POINTS        hourly points quota (default none: unlimited, like API-token traffic)
  --quota-window DUR    quota window, e.g. 90s, 10m, 1h, 500ms (default 1h)
  --sites N             sites served, each on its own port with its own data set (seed, seed+1, ...)
                        and cloud id, as installations of one app (default 1)
  --quota-mode MODE     global (default): the sites spend one app pool (Jira's Tier 1);
                        tenant: each site has its own pool of --quota points (Tier 2)
  --field-page-cap N    /search/jql page cap when fields are asked (default 100)
  --frontend-points free|charged
                        whether the page's own requestJira traffic (marked by the local host)
                        draws on the points quota (default free)
  --frontend-ratelimit-headers on|off
                        whether answers to that traffic carry the rate-limit headers (default on)
  --premium on|off      whether the site has Jira Premium (default off): Parent Link answers its
                        values, or the licence placeholder every site without Premium gets
  --help                this text

Statistics (points by source: app, frontend, API token): GET /__emulator/stats, reset with POST /__emulator/stats/reset.

${CHAOS_HELP}
`

export class UsageError extends Error {}

export interface MainOptions {
  readonly port: number
  readonly host: string
  readonly issues: number
  readonly seed: number
  readonly profile: ProfileName
  readonly chaos: ChaosSpec | undefined
  readonly quota: number | undefined
  readonly quotaWindowMs: number | undefined
  readonly fieldPageCap: number | undefined
  readonly sites: number
  readonly quotaMode: QuotaMode
  readonly frontendPoints: "free" | "charged"
  readonly frontendRateLimitHeaders: boolean
  readonly premium: boolean
}

const UNITS: Readonly<Record<string, number>> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 }

/** `90s`, `10m`, `1h`, `500ms` (a bare number is seconds) to milliseconds. */
export const parseDuration = (text: string): number => {
  const m = /^(\d+(?:\.\d+)?)(ms|s|m|h)?$/.exec(text.trim())
  if (!m) throw new UsageError(`--quota-window needs a duration such as 90s, 10m or 1h, not "${text}".`)
  const ms = Number(m[1]) * (UNITS[m[2] ?? "s"] ?? 1000)
  if (ms < 1) throw new UsageError("--quota-window must be at least 1 ms.")
  return ms
}

const whole = (flag: string, text: string | undefined, min: number): number => {
  if (text === undefined || !/^\d+$/.test(text) || Number(text) < min)
    throw new UsageError(`${flag} needs a whole number of at least ${min}.`)
  return Number(text)
}

/** Parses argv (without node and script); throws UsageError with a sentence when something is wrong. */
export const parseArgs = (argv: ReadonlyArray<string>): MainOptions | "help" => {
  let options: MainOptions = {
    port: 8089,
    host: "127.0.0.1",
    issues: 1000,
    seed: 1,
    profile: "instant",
    chaos: undefined,
    quota: undefined,
    quotaWindowMs: undefined,
    fieldPageCap: undefined,
    sites: 1,
    quotaMode: "global",
    frontendPoints: "free",
    frontendRateLimitHeaders: true,
    premium: false,
  }
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!
    const [flag, inline] =
      arg.startsWith("--") && arg.includes("=")
        ? [arg.slice(0, arg.indexOf("=")), arg.slice(arg.indexOf("=") + 1)]
        : [arg, undefined]
    if (flag === "--help" || flag === "-h") return "help"
    const value = () => {
      if (inline !== undefined) return inline
      const next = argv[++i]
      if (next === undefined) throw new UsageError(`${flag} needs a value.`)
      return next
    }
    switch (flag) {
      case "--port":
        options = { ...options, port: whole(flag, value(), 0) }
        break
      case "--host":
        options = { ...options, host: value() }
        break
      case "--issues":
        options = { ...options, issues: whole(flag, value(), 0) }
        break
      case "--seed":
        options = { ...options, seed: whole(flag, value(), 0) }
        break
      case "--profile": {
        const name = value()
        if (!Object.hasOwn(PROFILES, name))
          throw new UsageError(`--profile must be one of ${Object.keys(PROFILES).join(", ")}, not "${name}".`)
        options = { ...options, profile: name as ProfileName }
        break
      }
      case "--chaos":
        try {
          options = { ...options, chaos: parseChaos(value()) }
        } catch (cause) {
          throw cause instanceof UsageError
            ? cause
            : new UsageError(cause instanceof Error ? cause.message : String(cause))
        }
        break
      case "--quota":
        options = { ...options, quota: whole(flag, value(), 1) }
        break
      case "--quota-window":
        options = { ...options, quotaWindowMs: parseDuration(value()) }
        break
      case "--sites":
        options = { ...options, sites: whole(flag, value(), 1) }
        break
      case "--quota-mode": {
        const mode = value()
        if (mode !== "global" && mode !== "tenant")
          throw new UsageError(`--quota-mode must be global or tenant, not "${mode}".`)
        options = { ...options, quotaMode: mode }
        break
      }
      case "--field-page-cap":
        options = { ...options, fieldPageCap: whole(flag, value(), 1) }
        break
      case "--frontend-points": {
        const mode = value()
        if (mode !== "free" && mode !== "charged")
          throw new UsageError(`--frontend-points must be free or charged, not "${mode}".`)
        options = { ...options, frontendPoints: mode }
        break
      }
      case "--frontend-ratelimit-headers": {
        const mode = value()
        if (mode !== "on" && mode !== "off")
          throw new UsageError(`--frontend-ratelimit-headers must be on or off, not "${mode}".`)
        options = { ...options, frontendRateLimitHeaders: mode === "on" }
        break
      }
      case "--premium": {
        const mode = value()
        if (mode !== "on" && mode !== "off")
          throw new UsageError(`--premium must be on or off, not "${mode}".`)
        options = { ...options, premium: mode === "on" }
        break
      }
      default:
        throw new UsageError(`Unknown option "${arg}"; run with --help to see the options.`)
    }
  }
  return options
}

/** One sentence for a server that could not listen, instead of Node's stack trace. */
export const listenFailure = (cause: unknown, host: string, port: number): string => {
  const code = typeof cause === "object" && cause !== null ? Reflect.get(cause, "code") : undefined
  switch (code) {
    case "EADDRINUSE":
      return `Port ${port} on ${host} is already in use; stop what runs there or pick another with --port N (0 picks a free one).`
    case "EACCES":
      return `Listening on port ${port} of ${host} is not permitted; pick a port above 1023 with --port N.`
    case "EADDRNOTAVAIL":
    case "ENOTFOUND":
      return `${host} is not an address of this machine; use --host 127.0.0.1.`
    default:
      return `The emulator could not listen on ${host}:${port}: ${cause instanceof Error ? cause.message : String(cause)}.`
  }
}

const main = async () => {
  let parsed: MainOptions | "help"
  try {
    parsed = parseArgs(process.argv.slice(2))
  } catch (cause) {
    process.stderr.write(`${cause instanceof Error ? cause.message : String(cause)}\n`)
    process.exit(2)
  }
  if (parsed === "help") {
    process.stdout.write(HELP)
    return
  }
  const emulator = await startEmulator({
    port: parsed.port,
    host: parsed.host,
    issues: parsed.issues,
    seed: parsed.seed,
    profile: parsed.profile,
    ...(parsed.chaos === undefined ? {} : { chaos: parsed.chaos }),
    ...(parsed.quota === undefined ? {} : { quota: parsed.quota }),
    ...(parsed.quotaWindowMs === undefined ? {} : { quotaWindowMs: parsed.quotaWindowMs }),
    ...(parsed.fieldPageCap === undefined ? {} : { fieldPageCap: parsed.fieldPageCap }),
    sites: parsed.sites,
    quotaMode: parsed.quotaMode,
    frontendPoints: parsed.frontendPoints,
    frontendRateLimitHeaders: parsed.frontendRateLimitHeaders,
    premium: parsed.premium,
  }).catch((cause: unknown) => {
    process.stderr.write(`${listenFailure(cause, parsed.host, parsed.port)}\n`)
    process.exit(1)
  })
  const { admin, restricted } = emulator.accounts
  process.stdout.write(
    [
      `Jira Cloud emulator listening on ${emulator.url}`,
      `  data set: ${emulator.dataset.issueCount} issues, seed ${emulator.dataset.seed}`,
      `  profile ${describeProfile(emulator.profile)}`,
      `  quota: ${parsed.quota === undefined ? "none (unlimited)" : `${parsed.quota} points per ${(parsed.quotaWindowMs ?? 3_600_000) / 1000} s, ${parsed.quotaMode === "global" ? "one pool for every site" : "a pool per site"}`}`,
      ...emulator.sites
        .slice(1)
        .map(
          (site) => `  site ${site.site}: ${site.url} (seed ${site.dataset.seed}, cloud id ${site.cloudId})`,
        ),
      `  page traffic (requestJira): points ${parsed.frontendPoints}, rate-limit headers ${parsed.frontendRateLimitHeaders ? "on" : "off"}`,
      `  Jira Premium: ${parsed.premium ? "on (Parent Link has values)" : "off (Parent Link answers the licence placeholder)"}`,
      `  chaos: ${parsed.chaos === undefined ? "none" : JSON.stringify(parsed.chaos)}`,
      `  log in with Basic auth, API token "${emulator.apiToken}":`,
      `    ${admin.email} (${admin.displayName}, every project)`,
      `    ${restricted.email} (${restricted.displayName}, some projects hidden)`,
      `  stats: ${emulator.url}/__emulator/stats`,
      "",
    ].join("\n"),
  )
  const stop = () => {
    emulator.close().then(() => process.exit(0))
  }
  process.on("SIGINT", stop)
  process.on("SIGTERM", stop)
}

if (require.main === module) main()
