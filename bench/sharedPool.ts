/**
 * `npm run bench -- shared-pool` (issue 21): five sites, installations of one app, on one points pool,
 * scaled to run in minutes (by default 6,000 issues on site 1 against 5,000 points per 30 s window,
 * cloud latency profile). Site 1 exports through the resolver path (the page's export loop through the
 * local Forge host, as bench/pagePath.ts drives it) while sites 2–5 each make an interactive call
 * every 2 s, a 50-issue preview and a JQL check in turn. Per mode: the interactive requests of sites
 * 2–5 that were refused, site 1's wall time and points, and whether its file is exact (byte for byte
 * the file of an export with no quota at all).
 *
 * A mode is one entry of MODES: how the emulator's pool is kept, whether the steward runs, and how
 * site 1 exports. `page-free` / `page-charged` (site 1 exporting in the browser, frontend traffic free
 * or charged) need the page runner of the page-engine branch: they are one entry each, left to the
 * integrator.
 */
import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"
import type { QuotaMode } from "../dev/emulator/index.js"
import { type RunningHost, startHost } from "../dev/host.js"
import { systemClock } from "../web/src/clock.js"
import { ExportModel } from "../web/src/models/ExportModel.js"
import { queryOf } from "./emulatorThread.js"
import { hostBackend } from "./pagePath.js"

export interface SharedPoolRun {
  readonly mode: string
  /** Interactive requests of sites 2–5 that did not get their answer (the pool was spent). */
  readonly refusedInteractive: number
  readonly interactive: number
  readonly wallMs: number
  /** Points site 1 spent (its export, start to end). */
  readonly appPoints: number
  /** Points every site spent during the run. */
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
  /** Site 1's export; the page runner's modes would export in the browser engine here. */
  readonly export: (host: RunningHost, jql: string, settings: SharedPoolSettings) => Promise<Site1Export>
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
const resolverExport: Mode["export"] = async (host, jql, settings) => {
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

export const MODES: ReadonlyArray<Mode> = [
  { name: "off", quotaMode: "global", steward: false, export: resolverExport },
  { name: "steward", quotaMode: "global", steward: true, export: resolverExport },
  { name: "tenant", quotaMode: "tenant", steward: true, export: resolverExport },
]

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
    distDir: dist,
    invokeLatencyMs: settings.invokeLatencyMs,
    sites: SITES,
    steward: mode?.steward ?? false,
    emulator: {
      issues: settings.issues,
      seed: 21,
      profile: "cloud",
      ...(mode === undefined
        ? {}
        : { quota: settings.quota, quotaWindowMs: settings.windowMs, quotaMode: mode.quotaMode }),
    },
  })

export const runSharedPoolBench = async (input: {
  readonly settings: SharedPoolSettings
  readonly say: (line: string) => void
}): Promise<{ readonly runs: ReadonlyArray<SharedPoolRun> } & SharedPoolSettings> => {
  const { settings, say } = input
  // The host serves a page; this one is never loaded, so a stub stands in for web/dist.
  const dist = fs.mkdtempSync(path.join(os.tmpdir(), "liquitim-bench-pool-"))
  fs.writeFileSync(path.join(dist, "index.html"), "<html><head></head><body></body></html>")
  try {
    // The exact file: the same export with no quota at all.
    const plain = await startFor(settings, dist, undefined)
    const jql = queryOf({ projects: await projectsOf(plain, 1) })
    const reference = await resolverExport(plain, jql, settings).finally(() => plain.close())
    say(
      `shared pool: ${SITES} sites of one app, ${settings.issues} issues on site 1, ${settings.quota} points per ${settings.windowMs / 1000} s window, cloud profile, ${settings.invokeLatencyMs} ms per invoke`,
    )
    const runs: Array<SharedPoolRun> = []
    for (const mode of MODES) {
      const host = await startFor(settings, dist, mode)
      try {
        const site1 = host.emulator?.sites[0]
        if (site1 === undefined) throw new Error("No emulated site 1.")
        const load = interactiveLoad(host)
        const started = performance.now()
        const result = await mode.export(host, jql, settings).finally(() => undefined)
        const wallMs = Math.round(performance.now() - started)
        const { calls, refused } = await load.stop()
        const run: SharedPoolRun = {
          mode: mode.name,
          refusedInteractive: refused,
          interactive: calls,
          wallMs,
          appPoints: site1.stats().points,
          poolPoints: (host.emulator?.sites ?? []).reduce((sum, s) => sum + s.stats().points, 0),
          stewardPauses: result.stewardPauses,
          exact: result.text === reference.text,
        }
        runs.push(run)
        say(
          `  ${run.mode.padEnd(8)} refused interactive ${run.refusedInteractive} of ${run.interactive}; site 1: ${run.wallMs} ms, ${run.appPoints} points (all sites ${run.poolPoints}), ${run.stewardPauses} steward pauses, file exact: ${run.exact ? "yes" : "NO"}`,
        )
      } finally {
        await host.close()
      }
    }
    say("  page-free, page-charged: not measured yet (one MODES entry each, driving the page runner).")
    return { ...settings, runs }
  } finally {
    fs.rmSync(dist, { recursive: true, force: true })
  }
}
