/**
 * `npm start`: the local Forge host with the bundled Jira emulator (or a real site), printing the URL.
 *
 *   npm start -- [--port 8080] [--user admin|restricted] [--issues 1000] [--seed 1]
 *                [--profile instant|cloud] [--chaos SPEC] [--consent required] [--invoke-latency MS]
 *                [--sites N] [--quota POINTS] [--quota-window SECONDS] [--quota-mode global|tenant]
 *                [--frontend-points free|charged] [--frontend-ratelimit-headers on|off] [--http2]
 *                [--site https://x.atlassian.net --email E --token T]
 *
 * The site, email and token can also come from JIRA_SITE, JIRA_EMAIL and JIRA_API_TOKEN; the port
 * from PORT.
 */
import { spawnSync } from "node:child_process"
import { resolve } from "node:path"
import { parseArgs } from "node:util"
import { isSiteUrl } from "../src/contract/constants.js"
import { listenFailure } from "./emulator/main.js"
import { startHost } from "./host.js"
import { entryPointUrls } from "./hostModules.js"

const usage = `Usage: npm start -- [options]
  --port N             port on 127.0.0.1 (default: $PORT or 8080)
  --user NAME          emulator user the page runs as: admin (default) or restricted
  --issues N           issues in the emulator's data set (default 1000)
  --seed N             data set seed (default 1)
  --profile NAME       emulator latency profile: instant (default) or cloud
  --chaos SPEC         emulator fault injection (see npm run emulator -- --help)
  --frontend-points free|charged
                       whether the page's own requestJira reads draw on the app's points quota
                       in the emulator (default free)
  --frontend-ratelimit-headers on|off
                       whether the emulator's answers to them carry rate-limit headers (default on)
  --consent MODE       granted (default), or required: Forge's "Allow access" prompt comes first
  --invoke-latency MS  Forge's overhead added to every resolver call (default 0; the benchmark uses 300)
  --http2              serve the page over HTTPS with HTTP/2, as Jira does (a local self-signed
                       certificate: the browser warns once); the page's own Jira reads are then
                       not held to the browser's six HTTP/1.1 connections
  --sites N            installations of the app, each a page URL over its own emulated site (default 1)
  --quota POINTS       the emulator's points quota per window (default none)
  --quota-window S     its window in seconds (default 3600)
  --quota-mode MODE    global (default): one pool for every site; tenant: a pool per site
  --site URL           use a real Jira Cloud site instead of the emulator (or JIRA_SITE)
  --email E            Atlassian account email for --site (or JIRA_EMAIL)
  --token T            API token for --site (or JIRA_API_TOKEN)
`

const fail = (message: string): never => {
  process.stderr.write(`${message}\n\n${usage}`)
  process.exit(2)
}

const main = async () => {
  let values: Record<string, string | boolean | undefined>
  try {
    values = parseArgs({
      options: {
        port: { type: "string" },
        user: { type: "string" },
        issues: { type: "string" },
        seed: { type: "string" },
        profile: { type: "string" },
        chaos: { type: "string" },
        consent: { type: "string" },
        "invoke-latency": { type: "string" },
        "frontend-points": { type: "string" },
        "frontend-ratelimit-headers": { type: "string" },
        http2: { type: "boolean" },
        site: { type: "string" },
        sites: { type: "string" },
        quota: { type: "string" },
        "quota-window": { type: "string" },
        "quota-mode": { type: "string" },
        email: { type: "string" },
        token: { type: "string" },
        help: { type: "boolean", short: "h" },
      },
    }).values
  } catch (error) {
    return fail(error instanceof Error ? error.message : String(error))
  }
  if (values.help) {
    process.stdout.write(usage)
    return
  }
  const text = (name: string) => {
    const value = values[name]
    return typeof value === "string" ? value : undefined
  }
  const int = (name: string, fallback: number, min: number, max: number) => {
    const raw = text(name) ?? (name === "port" ? process.env.PORT : undefined)
    if (raw === undefined || raw === "") return fallback
    const n = Number(raw)
    if (!Number.isInteger(n) || n < min || n > max)
      return fail(`--${name} must be a whole number from ${min} to ${max}.`)
    return n
  }
  const port = int("port", 8080, 0, 65535)
  const invokeLatencyMs = int("invoke-latency", 0, 0, 10_000)
  const user = text("user") ?? "admin"
  if (user !== "admin" && user !== "restricted") return fail("--user must be admin or restricted.")
  const profile = text("profile") ?? "instant"
  if (profile !== "instant" && profile !== "cloud") return fail("--profile must be instant or cloud.")
  const consent = text("consent") ?? "granted"
  if (consent !== "granted" && consent !== "required") return fail("--consent must be granted or required.")
  const frontendPoints = text("frontend-points") ?? "free"
  if (frontendPoints !== "free" && frontendPoints !== "charged")
    return fail("--frontend-points must be free or charged.")
  const frontendHeaders = text("frontend-ratelimit-headers") ?? "on"
  if (frontendHeaders !== "on" && frontendHeaders !== "off")
    return fail("--frontend-ratelimit-headers must be on or off.")
  const siteUrl = text("site") ?? process.env.JIRA_SITE
  const email = text("email") ?? process.env.JIRA_EMAIL
  const token = text("token") ?? process.env.JIRA_API_TOKEN
  if (siteUrl && (!email || !token))
    return fail("--site needs --email and --token (or JIRA_EMAIL and JIRA_API_TOKEN).")
  if (siteUrl && !isSiteUrl(siteUrl))
    return fail("--site must be a URL like https://your-site.atlassian.net.")

  const sites = int("sites", 1, 1, 20)
  const quotaMode = text("quota-mode") ?? "global"
  if (quotaMode !== "global" && quotaMode !== "tenant") return fail("--quota-mode must be global or tenant.")
  const quota = text("quota") === undefined ? undefined : int("quota", 0, 1, 10_000_000)
  const quotaWindowMs = int("quota-window", 3600, 1, 86_400) * 1000
  if (siteUrl && sites > 1) return fail("--sites needs the emulator; a real --site is one installation.")

  const chaos = text("chaos")
  // Built here, after the flags are read, so that --help and a bad flag answer at once; its lines
  // are shown only when the build fails.
  const build = spawnSync(process.execPath, [resolve(__dirname, "..", "esbuild.config.mjs"), "--web"], {
    encoding: "utf8",
  })
  if (build.status !== 0) {
    process.stderr.write(`${build.stdout}${build.stderr}The UI could not be built; see above.\n`)
    process.exit(1)
  }
  const host = await startHost({
    port,
    user,
    consent,
    invokeLatencyMs,
    http2: values.http2 === true,
    ...(siteUrl && email && token
      ? { site: { url: siteUrl, email, apiToken: token } }
      : {
          emulator: {
            issues: int("issues", 1000, 1, 200_000),
            seed: int("seed", 1, 0, 2 ** 31),
            profile,
            frontendPoints,
            frontendRateLimitHeaders: frontendHeaders === "on",
            ...(chaos ? { chaos } : {}),
            ...(quota === undefined ? {} : { quota, quotaWindowMs }),
            quotaMode,
          },
          sites,
        }),
  }).catch((cause: unknown) => {
    process.stderr.write(`${listenFailure(cause, "127.0.0.1", port)}\n`)
    process.exit(1)
  })
  const target = host.emulator ? `the Jira emulator at ${host.emulator.url}` : siteUrl
  const places = entryPointUrls(host.url)
  const width = Math.max(...places.map(([label]) => label.length))
  process.stdout.write(
    [
      `Liquitim Export is running against ${target}. Open it as Jira would:`,
      ...places.map(([label, url]) => `  ${label.padEnd(width)}  ${url}`),
      ...(host.emulator
        ? []
        : ["(the board, sprint, filter and issues above are the emulator's; use your site's ids)"]),
      "",
    ].join("\n"),
  )
  for (const site of host.sites.slice(1))
    process.stdout.write(
      `Site ${site.site} (cloud id ${site.cloudId}, Jira at ${site.siteUrl}): open ${site.url}\n`,
    )
  const stop = () => {
    host.close().then(() => process.exit(0))
  }
  process.on("SIGINT", stop)
  process.on("SIGTERM", stop)
}

main().catch((error: unknown) => {
  process.stderr.write(`npm start failed: ${error instanceof Error ? error.message : String(error)}\n`)
  process.exit(1)
})
