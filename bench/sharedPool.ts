/**
 * `npm run bench -- shared-pool` (issue 21): five sites, installations of one app, on one points pool,
 * scaled to run in minutes (by default 6,000 issues on site 1 against 5,000 points per 30 s window,
 * cloud latency profile). Site 1 exports while sites 2–5 each make an interactive call every 2 s, a
 * 50-issue preview and a JQL check in turn. Per mode: the interactive requests of sites 2–5 that were
 * refused, site 1's wall time and points, and whether its file is exact (byte for byte the file of an
 * export with no quota at all).
 *
 * A mode is one entry of MODES: how the emulator's pool is kept, whether the steward runs, whether the
 * page's own Jira reads (`requestJira`) draw on the pool, and how site 1 exports: through the resolvers
 * (the page's export loop through the local Forge host, as bench/pagePath.ts drives it), or in the
 * browser (the page runner in headless Chromium, bench/pageBrowser.ts).
 */
import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"
import type { EmulatorStats, QuotaMode } from "../dev/emulator/index.js"
import { type RunningHost, startHost } from "../dev/host.js"
import { systemClock } from "../web/src/clock.js"
import { ExportModel } from "../web/src/models/ExportModel.js"
import { queryOf } from "./emulatorThread.js"
import { browserExport } from "./pageBrowser.js"
import { hostBackend } from "./pagePath.js"
import { issuesWorkload, verdict } from "./targets.js"

export interface SharedPoolRun {
  readonly mode: string
  /** Interactive requests of sites 2–5 that did not get their answer (the pool was spent). */
  readonly refusedInteractive: number
  readonly interactive: number
  readonly wallMs: number
  /**
   * Points site 1's export drew from the app's pool: its resolver calls, and its page's own reads
   * when the pool charges them (`page-charged`).
   */
  readonly appPoints: number
  /** Points of site 1's page's own reads (`requestJira`), charged to the pool or not. */
  readonly frontendPoints: number
  /** Points every site drew from the pool during the run. */
  readonly poolPoints: number
  readonly stewardPauses: number
  readonly exact: boolean
}

export interface SharedPoolSettings {
  readonly issues: number
  readonly quota: number
  readonly windowMs: number
  readonly invokeLatencyMs: number
  readonly columns: ReadonlyArray<string>
}

/** One way of running the scenario. */
interface Mode {
  readonly name: string
  readonly quotaMode: QuotaMode
  readonly steward: boolean
  /** Whether the page's own reads draw on the pool (Jira's today, partners report: free). */
  readonly frontendPoints: "free" | "charged"
  /** Site 1's export in the browser: the host serves the built page (`web/dist`). */
  readonly page: boolean
  /**
   * Site 1's export; it awaits `begin` just before the export starts (the start of a quota window,
   * then the clock and the other sites' load).
   */
  readonly export: (
    host: RunningHost,
    jql: string,
    settings: SharedPoolSettings,
    begin: () => Promise<void>,
  ) => Promise<Site1Export>
}

interface Site1Export {
  readonly text: string
  readonly stewardPauses: number
}

const SITES = 5
const INTERACTIVE_EVERY_MS = 2000

const invoke = (host: RunningHost, site: number) => {
  const one = host.sites[site - 1]
  if (one === undefined) throw new Error(`The host has no site ${site}.`)
  return hostBackend(one.url, `http://127.0.0.1:${one.port}`)
}

/** Site 1's export through the resolvers, with the page's own loop (pauses, waits and repeats). */
const resolverExport: Mode["export"] = async (host, jql, settings, begin) => {
  const backend = invoke(host, 1)
  let stewardPauses = 0
  const counting: typeof backend = {
    ...backend,
    call: async (key, payload) => {
      const answer = await backend.call(key, payload)
      if (answer.ok && typeof answer.value === "object" && answer.value !== null)
        if (Reflect.get(answer.value, "pausedBy") === "steward") stewardPauses++
      return answer
    },
  }
  const model = new ExportModel(counting, systemClock)
  // On Atlassian's servers, as the user chose (automatically, an export this large runs in the browser).
  model.setRunIn("servers")
  await begin()
  await model.start({
    jql,
    columns: settings.columns,
    options: { strategy: "thrifty", preset: "data" },
    siteUrl: host.sites[0]?.siteUrl ?? "",
  })
  const state = model.state.peek()
  if (state.kind !== "done")
    throw new Error(
      `Site 1's export ended ${state.kind}${state.kind === "failed" ? `: ${state.error.message}` : ""}`,
    )
  return { text: await state.file.blob.text(), stewardPauses }
}

/**
 * Site 1's export run by its page in Chromium (Options → "Run the export: in this browser"), as its
 * user would click it. The page runner has no steward: it reads as fast as Jira lets it, and a spent
 * pool is a pause until the reset, as on the resolver path before the steward.
 */
const pageExport: Mode["export"] = async (host, jql, settings, begin) => {
  const site = host.sites[0]
  if (site === undefined) throw new Error("The host has no site 1.")
  const run = await browserExport({
    url: site.url,
    accountId: site.accountId,
    jql,
    columns: settings.columns,
    options: { strategy: "thrifty", preset: "data" },
    beforeClick: begin,
  })
  // Decoded as the resolver path's `Blob.text()` decodes its file.
  return { text: new TextDecoder().decode(run.file), stewardPauses: run.stewardPauses }
}

const resolverMode = { frontendPoints: "free", page: false, export: resolverExport } as const
const pageMode = { quotaMode: "global", steward: true, page: true, export: pageExport } as const

export const MODES: ReadonlyArray<Mode> = [
  { name: "off", quotaMode: "global", steward: false, ...resolverMode },
  { name: "steward", quotaMode: "global", steward: true, ...resolverMode },
  { name: "tenant", quotaMode: "tenant", steward: true, ...resolverMode },
  { name: "page-free", frontendPoints: "free", ...pageMode },
  { name: "page-charged", frontendPoints: "charged", ...pageMode },
]

/** Points a site drew from the app's pool: its functions', and its page's when the pool charges them. */
const poolPointsOf = (stats: EmulatorStats, mode: Mode) =>
  stats.pointsBySource.app + (mode.frontendPoints === "charged" ? stats.pointsBySource.frontend : 0)

/** Sites 2–5 each: every 2 s a 50-issue preview or a JQL check, as a user looking around would. */
const interactiveLoad = (host: RunningHost) => {
  let running = true
  let calls = 0
  let refused = 0
  const loops = host.sites.slice(1).map(async (site, i) => {
    const backend = invoke(host, site.site)
    const jql = `project = ${(await projectsOf(host, site.site))[0]} ORDER BY key`
    // Staggered, so the sites do not all ask in the same millisecond.
    await sleep((i * INTERACTIVE_EVERY_MS) / (SITES - 1))
    for (let turn = 0; running; turn++) {
      const answer =
        turn % 2 === 0
          ? await backend.call("preview/page", { jql, columns: ["issuekey", "summary"], pageSize: 50 })
          : await backend.call("jql/parse", { jql })
      calls++
      if (!answer.ok) refused++
      await sleep(INTERACTIVE_EVERY_MS)
    }
  })
  return {
    stop: async () => {
      running = false
      await Promise.all(loops)
      return { calls, refused }
    },
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

const projectsOf = async (host: RunningHost, site: number): Promise<ReadonlyArray<string>> => {
  const emulated = host.emulator?.sites[site - 1]
  if (emulated === undefined) throw new Error(`No emulated site ${site}.`)
  return emulated.dataset.projects.map((p) => p.key)
}

const startFor = async (settings: SharedPoolSettings, dist: string, mode: Mode | undefined) =>
  startHost({
    // The resolver modes never load the page: a stub stands in for web/dist there.
    ...(mode?.page === true ? {} : { distDir: dist }),
    invokeLatencyMs: settings.invokeLatencyMs,
    sites: SITES,
    steward: mode?.steward ?? false,
    emulator: {
      issues: settings.issues,
      seed: 21,
      profile: "cloud",
      ...(mode === undefined
        ? {}
        : {
            quota: settings.quota,
            quotaWindowMs: settings.windowMs,
            quotaMode: mode.quotaMode,
            frontendPoints: mode.frontendPoints,
          }),
    },
  })

/** How long until just after the next quota window starts (a window is `[k·windowMs, (k+1)·windowMs)`). */
export const untilNextWindowMs = (windowMs: number, nowMs: number): number =>
  windowMs - (nowMs % windowMs) + 100

/** One mode's run: site 1's export against the other sites' interactive load. */
const runMode = async (
  mode: Mode,
  settings: SharedPoolSettings,
  dist: string,
  jql: string,
  reference: string,
): Promise<SharedPoolRun> => {
  const host = await startFor(settings, dist, mode)
  try {
    const site1 = host.emulator?.sites[0]
    if (site1 === undefined) throw new Error("No emulated site 1.")
    let load: ReturnType<typeof interactiveLoad> | undefined
    let started = 0
    // From here on the figures are the export's (a page's own load before the click is not). Every
    // mode starts as a quota window does (the emulator's windows fall on multiples of their length):
    // started late in one, an export that empties a window's pool spreads over two and may empty
    // neither, and the baseline's refusals would depend on the moment the bench was run.
    const begin = async () => {
      await new Promise((resolve) => setTimeout(resolve, untilNextWindowMs(settings.windowMs, Date.now())))
      site1.resetStats()
      load = interactiveLoad(host)
      started = performance.now()
    }
    const result = await mode.export(host, jql, settings, begin)
    const wallMs = Math.round(performance.now() - started)
    const { calls, refused } = (await load?.stop()) ?? { calls: 0, refused: 0 }
    const site1Stats = site1.stats()
    return {
      mode: mode.name,
      refusedInteractive: refused,
      interactive: calls,
      wallMs,
      appPoints: poolPointsOf(site1Stats, mode),
      frontendPoints: site1Stats.pointsBySource.frontend,
      poolPoints: (host.emulator?.sites ?? []).reduce((sum, s) => sum + poolPointsOf(s.stats(), mode), 0),
      stewardPauses: result.stewardPauses,
      exact: result.text === reference,
    }
  } finally {
    await host.close()
  }
}

/** Each run's figures, and what it is held to (issue 21's done-when; issue 20's for the page). */
const showRun = (run: SharedPoolRun, runs: ReadonlyArray<SharedPoolRun>, issues: number): string => {
  const workload = `${issuesWorkload(issues)} on site 1`
  const figures =
    `  ${run.mode.padEnd(12)} refused interactive ${run.refusedInteractive} of ${run.interactive}; ` +
    `site 1: ${run.wallMs} ms, ${run.appPoints} app points (page's own reads ${run.frontendPoints}; all sites ${run.poolPoints}), ` +
    `${run.stewardPauses} steward pauses, file exact: ${run.exact ? "yes" : "NO"}`
  const steward = runs.find((r) => r.mode === "steward")
  switch (run.mode) {
    case "off":
      return `${figures} (the baseline: refusals expected above 0)`
    case "steward":
      return `${figures} ${verdict(run.refusedInteractive, "<=", 0, workload)}`
    case "tenant": {
      if (steward === undefined) return figures
      const speedup = Number((steward.wallMs / run.wallMs).toFixed(2))
      return `${figures}; ${speedup}x faster than steward ${verdict(speedup, ">=", 1.5, workload)}`
    }
    case "page-free": {
      const perIssue = Number((run.appPoints / issues).toFixed(4))
      return `${figures} ${verdict(run.refusedInteractive, "<=", 0, workload)}; app points/issue ${perIssue} ${verdict(perIssue, "<=", 0.01, workload)}`
    }
    default: {
      // Jira does not charge the page's reads today; if it does, the page's own steward holds its
      // reads at the reserve, and it should read nothing twice (the page-free run's points).
      const free = runs.find((r) => r.mode === "page-free")
      const reread =
        free === undefined
          ? ""
          : `; points vs page-free ${Number((run.appPoints / free.frontendPoints).toFixed(3))}`
      return `${figures} ${verdict(run.refusedInteractive, "<=", 0, workload)}${reread}`
    }
  }
}

export const runSharedPoolBench = async (input: {
  readonly settings: SharedPoolSettings
  /** Only these modes (default all). */
  readonly modes?: ReadonlyArray<string>
  readonly say: (line: string) => void
}): Promise<{ readonly runs: ReadonlyArray<SharedPoolRun> } & SharedPoolSettings> => {
  const { settings, say } = input
  const modes = MODES.filter((m) => input.modes === undefined || input.modes.includes(m.name))
  // The host serves a page; the resolver modes never load it, so a stub stands in for web/dist.
  const dist = fs.mkdtempSync(path.join(os.tmpdir(), "liquitim-bench-pool-"))
  fs.writeFileSync(path.join(dist, "index.html"), "<html><head></head><body></body></html>")
  try {
    // The exact file: the same export with no quota at all.
    const plain = await startFor(settings, dist, undefined)
    const jql = queryOf({ projects: await projectsOf(plain, 1) })
    const reference = await resolverExport(plain, jql, settings, async () => undefined).finally(() =>
      plain.close(),
    )
    say(
      `shared pool: ${SITES} sites of one app, ${settings.issues} issues on site 1, ${settings.quota} points per ${settings.windowMs / 1000} s window, cloud profile, ${settings.invokeLatencyMs} ms per invoke`,
    )
    const runs: Array<SharedPoolRun> = []
    for (const mode of modes) {
      const run = await runMode(mode, settings, dist, jql, reference.text)
      runs.push(run)
      say(showRun(run, runs, settings.issues))
    }
    return { ...settings, runs }
  } finally {
    fs.rmSync(dist, { recursive: true, force: true })
  }
}
