/**
 * Benchmarks (npm run bench). Default: the export benchmark, all measured in one run against the
 * in-process emulator with the cloud latency profile:
 *
 * - `fast` and `thrifty` through the export engine (the code the app and the CLI run),
 * - a plain sequential loop: `/search/jql` 50 per page with the fields, one `GET /user` per account
 *   id met (each id once; one call per *mention* would take tens of minutes and measure nothing new),
 * - the lower bound the profile allows for the fast strategy (latency, burst limit, in-flight cap),
 * - peak RSS of command-line exports of 10,000 and 100,000 issues (child processes, instant profile,
 *   since memory does not depend on latency),
 * - start-up of the built exporter against the transpiled sources (bench/startup.ts).
 *
 * `npm run bench -- csv` runs bench/csv.ts instead, `npm run bench -- startup` only the start-up.
 * `--json`: the last line is one JSON object with every figure printed. `--issues N`,
 * `--rss-issues A,B`, `--skip-rss`, `--skip-sequential`, `--skip-startup`, `--skip-history` shrink runs.
 * The history section (bench/history.ts) runs both strategies again with `timeInStatus` added.
 */
import { spawn } from "node:child_process"
import * as path from "node:path"
import { parseArgs } from "node:util"
import { Worker } from "node:worker_threads"
import { Effect, Layer, ManagedRuntime, Stream } from "effect"
import {
  type EmulatorAccount,
  type EmulatorStats,
  PROFILES,
  type ProfileParams,
  startEmulator,
} from "../dev/emulator/index.js"
import { httpJira } from "../src/cli/jiraLayer.js"
import { DEFAULT_COLUMNS } from "../src/contract/constants.js"
import { encodeRows } from "../src/csv/encoder.js"
import { exportStream } from "../src/export/chunk.js"
import { ExportConfig } from "../src/export/ExportConfig.js"
import { cellKindOf, resolveOptions } from "../src/export/options.js"
import { defaultSettings, type PipelineSettings } from "../src/export/pipeline.js"
import { startExport } from "../src/export/start.js"
import { liveExportJira, livePlanner } from "../src/export/wiring.js"
import { fieldsToRequest, listFields, resolveColumns } from "../src/fields/columns.js"
import { formatRow } from "../src/fields/format.js"
import { collectAccountIds, type DirectoryUserLike } from "../src/fields/users.js"
import { JiraClient } from "../src/jira/JiraClient.js"
import { runHistoryBench } from "./history.js"
import { runStartupBench } from "./startup.js"

const COLUMN_COUNT = 30
/**
 * Old-space budget the command-line exporter runs with (proposed for the `export` npm script too):
 * the export keeps about 9 batches of 100 issues live, far below it; what it bounds is garbage.
 */
const CLI_HEAP_MB = 256

interface RunFigures {
  readonly wallMs: number
  readonly issues: number
  readonly issuesPerSecond: number
  readonly requests: number
  readonly pointsPerIssue: number
  readonly peakInFlight: number
  readonly bytes: number
  readonly rateLimited: number
  readonly byEndpoint: Readonly<Record<string, number>>
}

/** The emulator as the benchmark sees it: on its own thread, reached by messages and HTTP. */
interface BenchEmulator {
  readonly url: string
  readonly accounts: { readonly admin: EmulatorAccount }
  readonly apiToken: string
  readonly projects: ReadonlyArray<string>
  readonly stats: () => Promise<EmulatorStats>
  readonly resetStats: () => Promise<void>
  readonly warm: () => Promise<void>
  readonly close: () => Promise<void>
}

/** Starts the emulator in a worker thread of this process, so its CPU does not run on the client's loop. */
const startEmulatorThread = (options: { readonly issues: number; readonly profile: "cloud" | "instant" }) =>
  new Promise<BenchEmulator>((resolve, reject) => {
    const file = path.join(import.meta.dirname ?? __dirname, "emulatorWorker.ts")
    const worker = new Worker(`require("tsx/cjs/api").register(); require(${JSON.stringify(file)})`, {
      eval: true,
      workerData: { issues: options.issues, seed: 1, profile: options.profile },
    })
    const waiting = new Map<number, (value: unknown) => void>()
    let next = 1
    const ask = (op: string) =>
      new Promise<unknown>((done) => {
        const id = next++
        waiting.set(id, done)
        worker.postMessage({ id, op })
      })
    worker.on("error", reject)
    worker.on("message", (message: { readonly id: number; readonly value: unknown }) => {
      if (message.id === 0) {
        const v = message.value as Omit<BenchEmulator, "stats" | "resetStats" | "warm" | "close">
        resolve({
          ...v,
          stats: () => ask("stats") as Promise<EmulatorStats>,
          resetStats: async () => {
            await ask("resetStats")
          },
          warm: async () => {
            await ask("warm")
          },
          close: async () => {
            await ask("close")
            await worker.terminate()
          },
        })
        return
      }
      waiting.get(message.id)?.(message.value)
      waiting.delete(message.id)
    })
  })

const jqlOf = (emulator: { readonly projects: ReadonlyArray<string> }) =>
  `project in (${emulator.projects.join(", ")}) ORDER BY key ASC`

const figures = async (
  emulator: BenchEmulator,
  wallMs: number,
  issues: number,
  bytes: number,
): Promise<RunFigures> => {
  const stats = await emulator.stats()
  return {
    wallMs: Math.round(wallMs),
    issues,
    issuesPerSecond: Math.round((issues * 1000) / wallMs),
    requests: stats.requests.total,
    pointsPerIssue: Number((stats.points / Math.max(1, issues)).toFixed(4)),
    peakInFlight: stats.peakInFlightPerUser,
    bytes,
    rateLimited: stats.rateLimited.total,
    byEndpoint: stats.requests.byEndpoint,
  }
}

/** The 30 columns: the app's defaults, then the other fields in `/field` order (no pseudo-columns). */
const pickColumns = async (emulator: BenchEmulator): Promise<Array<string>> => {
  const layer = httpJira({
    baseUrl: emulator.url,
    email: emulator.accounts.admin.email,
    apiToken: emulator.apiToken,
  })
  const fields = await Effect.runPromise(JiraClient.fields().pipe(Effect.provide(layer)))
  const ids = new Set<string>(DEFAULT_COLUMNS)
  const known = new Set(fields.map((f) => f.id))
  for (const info of listFields(fields)) {
    if (ids.size >= COLUMN_COUNT) break
    if (known.has(info.id)) ids.add(info.id)
  }
  return [...ids]
}

/** One export through the engine, text counted and dropped. */
const engineRun = async (
  emulator: BenchEmulator,
  columns: ReadonlyArray<string>,
  strategy: "thrifty" | "fast",
  settings: PipelineSettings,
): Promise<RunFigures> => {
  const runtime = ManagedRuntime.make(
    Layer.mergeAll(
      httpJira({
        baseUrl: emulator.url,
        email: emulator.accounts.admin.email,
        apiToken: emulator.apiToken,
      }),
      ExportConfig.layer({ apiToken: true, settings }),
    ),
  )
  await emulator.resetStats()
  const started = performance.now()
  const result = await runtime.runPromise(
    Effect.gen(function* () {
      const jira = yield* liveExportJira
      const me = yield* JiraClient.myself()
      const begun = yield* startExport({
        jira,
        planner: livePlanner,
        payload: { jql: jqlOf(emulator), columns, options: { strategy, preset: "data" } },
        timeZone: me.timeZone ?? "UTC",
        siteUrl: emulator.url,
        apiToken: true,
      })
      let bytes = begun.header.length
      let issues = 0
      yield* exportStream({ jira, format: begun.format, content: begun.content, settings }).pipe(
        Stream.runForEach(({ text, counters }) =>
          Effect.sync(() => {
            bytes += text.length
            issues = counters.done
          }),
        ),
      )
      return { bytes, issues }
    }),
  )
  const wallMs = performance.now() - started
  await runtime.dispose()
  return figures(emulator, wallMs, result.issues, result.bytes)
}

/** The plain loop a first version would write: sequential pages of 50, one user call per account id. */
const sequentialRun = async (
  emulator: BenchEmulator,
  columnIds: ReadonlyArray<string>,
): Promise<RunFigures> => {
  const auth = `Basic ${Buffer.from(`${emulator.accounts.admin.email}:${emulator.apiToken}`).toString("base64")}`
  const call = async (method: "GET" | "POST", url: string, body?: unknown) => {
    for (;;) {
      const response = await fetch(`${emulator.url}${url}`, {
        method,
        headers: { Authorization: auth, Accept: "application/json", "Content-Type": "application/json" },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      })
      if (response.status === 429 || response.status === 503) {
        const wait = Number(response.headers.get("retry-after") ?? "1") * 1000
        await response.arrayBuffer()
        await new Promise((resolve) => setTimeout(resolve, wait + 5))
        continue
      }
      if (!response.ok) throw new Error(`${method} ${url}: ${response.status}`)
      return response.json()
    }
  }
  await emulator.resetStats()
  const started = performance.now()
  const fields = await call("GET", "/rest/api/3/field")
  const resolved = resolveColumns(fields, columnIds)
  if (resolved._tag === "Left") throw new Error(resolved.left.message)
  const columns = resolved.right
  const options = resolveOptions({ preset: "data" }, "UTC")
  if (options._tag === "Left") throw new Error(options.left)
  const users = new Map<string, DirectoryUserLike>()
  let token: string | undefined
  let issues = 0
  let bytes = 0
  for (;;) {
    const page = await call("POST", "/rest/api/3/search/jql", {
      jql: jqlOf(emulator),
      fields: [...fieldsToRequest(columns)],
      maxResults: 50,
      ...(token === undefined ? {} : { nextPageToken: token }),
    })
    const rows: Array<ReadonlyArray<string>> = []
    for (const issue of page.issues) {
      for (const id of collectAccountIds(issue, columns)) {
        if (users.has(id)) continue
        const user = await call("GET", `/rest/api/3/user?accountId=${encodeURIComponent(id)}`)
        users.set(id, user)
      }
      rows.push(formatRow(issue, columns, { users, options: options.right.format, siteUrl: emulator.url }))
    }
    bytes += encodeRows(
      rows,
      columns.map((c) => cellKindOf(c.kind)),
      options.right.csv,
    ).text.length
    issues += rows.length
    token = page.nextPageToken ?? undefined
    if (page.isLast || !token) break
  }
  return figures(emulator, performance.now() - started, issues, bytes)
}

/**
 * What the profile allows the fast strategy at best: the start calls, the first id page, then every
 * bulkfetch at the in-flight cap and the burst rate, whichever binds.
 */
const lowerBoundMs = (profile: ProfileParams, issues: number, concurrency: number): number => {
  const startCalls = 3 * profile.otherCallLatencyMs // myself, /field, approximate-count
  const firstIds = profile.issueCallLatencyMs + profile.perIdOnlyIssueLatencyMs * Math.min(issues, 5000)
  const batches = Math.ceil(issues / 100)
  const batchMs = profile.issueCallLatencyMs + profile.perIssueLatencyMs * 100
  const inFlight = Math.min(concurrency, profile.maxInFlightPerUser ?? concurrency)
  const byInFlight = (batches / inFlight) * batchMs
  const byBurst =
    profile.burstRequestsPerSecond === null
      ? 0
      : (Math.max(0, batches - (profile.burstCapacity ?? 0)) / profile.burstRequestsPerSecond) * 1000
  return Math.round(startCalls + firstIds + Math.max(byInFlight, byBurst))
}

/** Peak RSS of a CLI export in a child process (its own `--stats` line). */
const cliRss = async (issues: number): Promise<{ issues: number; maxRssKb: number; wallMs: number }> => {
  const emulator = await startEmulator({ issues, seed: 1, profile: "instant" })
  try {
    const cli = path.join(import.meta.dirname ?? __dirname, "..", "src", "cli", "main.ts")
    const output = await new Promise<string>((resolve, reject) => {
      const child = spawn(
        process.execPath,
        [
          // The exporter's memory budget (see CLI_HEAP_MB): without it V8 lets garbage pile up to
          // several hundred MB when issues arrive fast, though the live set stays small.
          `--max-old-space-size=${CLI_HEAP_MB}`,
          "--import",
          "tsx",
          cli,
          "--jql",
          jqlOf({ projects: emulator.dataset.projects.map((p) => p.key) }),
          "--strategy",
          "fast",
          "--out",
          "/dev/null",
          "--quiet",
          "--stats",
        ],
        {
          env: {
            ...process.env,
            JIRA_SITE: emulator.url,
            JIRA_EMAIL: emulator.accounts.admin.email,
            JIRA_API_TOKEN: emulator.apiToken,
          },
          stdio: ["ignore", "ignore", "pipe"],
        },
      )
      let stderr = ""
      child.stderr.on("data", (data) => {
        stderr += String(data)
      })
      child.on("error", reject)
      child.on("close", (code) =>
        code === 0 ? resolve(stderr) : reject(new Error(`CLI exit ${code}: ${stderr}`)),
      )
    })
    const line = output.trim().split("\n").at(-1) ?? "{}"
    const stats = JSON.parse(line)
    return { issues: stats.issues, maxRssKb: stats.maxRssKb, wallMs: stats.ms }
  } finally {
    await emulator.close()
  }
}

const main = async () => {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      json: { type: "boolean", default: false },
      issues: { type: "string", default: "10000" },
      "rss-issues": { type: "string", default: "10000,100000" },
      "skip-rss": { type: "boolean", default: false },
      "skip-sequential": { type: "boolean", default: false },
      "skip-startup": { type: "boolean", default: false },
      "skip-history": { type: "boolean", default: false },
    },
  })
  if (positionals[0] === "csv") {
    const csv = await import("./csv.js").catch(() => undefined)
    if (csv === undefined) throw new Error("bench/csv.ts is not there yet.")
    await csv.runCsvBench({ json: values.json })
    return
  }
  if (positionals[0] === "startup") {
    await runStartupBench({ json: values.json })
    return
  }
  const issues = Number(values.issues)
  const profile = PROFILES.cloud
  const emulator = await startEmulatorThread({ issues, profile: "cloud" })
  const out: Record<string, unknown> = { issues, columns: COLUMN_COUNT, profile: profile.name }
  const say = (line: string) => process.stdout.write(`${line}\n`)
  try {
    await emulator.warm()
    const columns = await pickColumns(emulator)
    out.columns = columns.length
    const settings: PipelineSettings = {
      ...defaultSettings,
      // Use what the profile allows: its in-flight cap per user.
      requestConcurrency: profile.maxInFlightPerUser ?? defaultSettings.requestConcurrency,
    }
    const show = (name: string, f: RunFigures) =>
      say(
        `${name.padEnd(10)} ${String(f.wallMs).padStart(7)} ms  ${String(f.issuesPerSecond).padStart(6)} issues/s  ` +
          `${String(f.requests).padStart(6)} requests  ${f.pointsPerIssue.toFixed(3)} points/issue  peak in flight ${f.peakInFlight}`,
      )
    say(`Export of ${issues} issues x ${columns.length} columns, emulator profile "${profile.name}"`)
    const fast = await engineRun(emulator, columns, "fast", settings)
    show("fast", fast)
    const thrifty = await engineRun(emulator, columns, "thrifty", settings)
    show("thrifty", thrifty)
    out.fast = fast
    out.thrifty = thrifty
    const bound = lowerBoundMs(profile, fast.issues, settings.requestConcurrency)
    out.lowerBoundMs = bound
    say(
      `lower bound for fast: ${bound} ms; fast / lower bound = ${(fast.wallMs / bound).toFixed(2)} (target <= 1.25)`,
    )
    out.fastOverLowerBound = Number((fast.wallMs / bound).toFixed(3))
    say(
      `points per issue: thrifty ${thrifty.pointsPerIssue} (target <= 1.02), fast ${fast.pointsPerIssue} (target <= 2.02)`,
    )
    if (!values["skip-sequential"]) {
      const sequential = await sequentialRun(emulator, columns)
      show("sequential", sequential)
      out.sequential = sequential
      out.fastSpeedup = Number((sequential.wallMs / fast.wallMs).toFixed(2))
      out.thriftySpeedup = Number((sequential.wallMs / thrifty.wallMs).toFixed(2))
      say(`fast is ${out.fastSpeedup}x the sequential loop (target >= 8); thrifty ${out.thriftySpeedup}x`)
    }
    if (!values["skip-history"])
      out.history = await runHistoryBench({
        columns,
        baselines: { fast, thrifty },
        run: (withColumns, strategy) => engineRun(emulator, withColumns, strategy, settings),
        say,
      })
  } finally {
    await emulator.close()
  }
  if (!values["skip-rss"]) {
    const counts = values["rss-issues"].split(",").map(Number)
    const rss: Array<{ issues: number; maxRssKb: number; wallMs: number }> = []
    for (const count of counts) {
      const r = await cliRss(count)
      rss.push(r)
      say(`CLI export of ${r.issues} issues: peak RSS ${(r.maxRssKb / 1024).toFixed(1)} MB in ${r.wallMs} ms`)
    }
    out.cliRss = rss
    const [small, large] = [rss[0], rss.at(-1)]
    if (small !== undefined && large !== undefined && rss.length > 1) {
      out.rssRatio = Number((large.maxRssKb / small.maxRssKb).toFixed(3))
      say(`peak RSS ${large.issues} / ${small.issues} issues = ${out.rssRatio} (target <= 1.3)`)
    }
  }
  if (!values["skip-startup"]) out.cliStartup = await runStartupBench()
  if (values.json) say(JSON.stringify(out))
}

main().catch((error) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`)
  process.exitCode = 1
})
