/**
 * Benchmarks (npm run bench). Default: the export benchmark, all measured in one run against the
 * emulator (on its own thread) with the cloud latency profile:
 *
 * - `fast` and `thrifty` through the export engine (the code the app and the CLI run), `ORDER BY key`,
 * - `runs`: thrifty for more orders (bench/orders.ts), each against the lower bound the profile
 *   allows (latency, burst limit, in-flight cap; bench/figures.ts),
 * - a plain sequential loop (bench/sequential.ts),
 * - the history section (bench/history.ts): both strategies again with `timeInStatus` added,
 * - the page path (bench/pagePath.ts): the page's export loop through the local Forge host with
 *   Forge's invoke latency, next to the built command-line exporter on the same export,
 * - the page engine (bench/pageEngine.ts): the export run by the page in headless Chromium over
 *   `requestJira`, next to the command line, and its JS heap for 100,000 issues,
 * - peak RSS of command-line exports of 10,000 and 100,000 issues, fast and thrifty (bench/rss.ts),
 * - start-up of the built exporter against the transpiled sources (bench/startup.ts),
 * - Excel workbooks against CSV: rows per second, bytes, peak RSS at two sizes (bench/xlsx.ts),
 * - the command line end to end against the bound (bench/cliEndToEnd.ts, `cliEndToEnd`).
 *
 * `npm run bench -- csv` runs bench/csv.ts instead, `npm run bench -- startup` only the start-up,
 * `npm run bench -- shared-pool` the shared points pool scenario (bench/sharedPool.ts; `--issues`
 * defaults to 6,000 there, `--quota` 5,000 points, `--quota-window` 30 seconds, `--modes A,B` some of
 * off, steward, tenant, page-free, page-charged).
 * `npm run bench -- page-engine` only the page engine (`--page-heap-issues N`, default 100000; 0 skips).
 * `--json`: the last line is one JSON object with every figure printed. `--issues N`,
 * `--rss-issues A,B`, `--invoke-latency MS` (default 300) and `--skip-engine` (fast, thrifty and
 * everything compared with them), `--skip-orders`, `--skip-sequential`, `--skip-history`,
 * `--skip-page`, `--skip-page-engine`, `--skip-rss`, `--skip-startup`, `--skip-xlsx` let parts run alone.
 */
import { parseArgs } from "node:util"
import { PROFILES } from "../dev/emulator/index.js"
import { defaultSettings, type PipelineSettings } from "../src/export/types.js"
import { CLI_END_TO_END_TARGET, runCliEndToEnd } from "./cliEndToEnd.js"
import { type BenchEmulator, queryOf, startEmulatorThread } from "./emulatorThread.js"
import { COLUMN_COUNT, engineRun, pickColumns } from "./engine.js"
import { lowerBoundMs, type RunFigures } from "./figures.js"
import { runHistoryBench } from "./history.js"
import { type OrderRun, orderRun, showOrderRun, THRIFTY_ORDERS } from "./orders.js"
import { runPageEngineBench, runPageEngineHeap } from "./pageEngine.js"
import { runPagePathBench } from "./pagePath.js"
import { cliRss } from "./rss.js"
import { sequentialRun } from "./sequential.js"
import { runSharedPoolBench } from "./sharedPool.js"
import { runStartupBench } from "./startup.js"
import { BENCH_USAGE, issuesWorkload, verdict } from "./targets.js"
import { runXlsxBench } from "./xlsx.js"

const main = async () => {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      json: { type: "boolean", default: false },
      issues: { type: "string" },
      quota: { type: "string", default: "5000" },
      "quota-window": { type: "string", default: "30" },
      modes: { type: "string" },
      "rss-issues": { type: "string", default: "10000,100000" },
      "invoke-latency": { type: "string", default: "300" },
      "skip-engine": { type: "boolean", default: false },
      "skip-orders": { type: "boolean", default: false },
      "skip-rss": { type: "boolean", default: false },
      "skip-sequential": { type: "boolean", default: false },
      "skip-startup": { type: "boolean", default: false },
      "skip-history": { type: "boolean", default: false },
      "skip-page": { type: "boolean", default: false },
      "skip-xlsx": { type: "boolean", default: false },
      "skip-cli": { type: "boolean", default: false },
      help: { type: "boolean", short: "h", default: false },
      "skip-page-engine": { type: "boolean", default: false },
      "page-heap-issues": { type: "string", default: "100000" },
    },
  })
  if (values.help) {
    process.stdout.write(BENCH_USAGE)
    return
  }
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
  if (positionals[0] === "shared-pool") {
    const say = (line: string) => process.stdout.write(`${line}\n`)
    const sharedPool = await runSharedPoolBench({
      settings: {
        issues: Number(values.issues ?? 6000),
        quota: Number(values.quota),
        windowMs: Number(values["quota-window"]) * 1000,
        invokeLatencyMs: Number(values["invoke-latency"]),
        columns: ["issuekey", "summary", "status", "assignee", "created"],
      },
      ...(values.modes === undefined ? {} : { modes: values.modes.split(",") }),
      say,
    })
    if (values.json) say(JSON.stringify({ sharedPool }))
    return
  }
  const say = (line: string) => process.stdout.write(`${line}\n`)
  const pageEngine = async (
    out: Record<string, unknown>,
    emulator: BenchEmulator,
    columns: Array<string>,
  ) => {
    out.pageEngine = await runPageEngineBench({
      emulator,
      issues: Number(values.issues ?? 10000),
      jql: queryOf(emulator),
      columns,
      say,
    })
    const heapIssues = Number(values["page-heap-issues"])
    if (heapIssues <= 0) return
    const large = await startEmulatorThread({ issues: heapIssues, profile: "instant" })
    try {
      out.pageEngineHeap = await runPageEngineHeap({
        emulator: large,
        issues: heapIssues,
        jql: queryOf(large),
        columns,
        say,
      })
    } finally {
      await large.close()
    }
  }
  if (positionals[0] === "page-engine") {
    const emulator = await startEmulatorThread({ issues: Number(values.issues ?? 10000), profile: "cloud" })
    const out: Record<string, unknown> = { issues: Number(values.issues ?? 10000), profile: "cloud" }
    try {
      await emulator.warm()
      await pageEngine(out, emulator, await pickColumns(emulator))
    } finally {
      await emulator.close()
    }
    if (values.json) say(JSON.stringify(out))
    return
  }
  const issues = Number(values.issues ?? 10000)
  const profile = PROFILES.cloud
  const emulator = await startEmulatorThread({ issues, profile: "cloud" })
  const out: Record<string, unknown> = { issues, columns: COLUMN_COUNT, profile: profile.name }
  const workload = issuesWorkload(issues)
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
    const bound = lowerBoundMs(profile, issues, settings.requestConcurrency)
    let baselines: { readonly fast: RunFigures; readonly thrifty: RunFigures } | undefined
    if (!values["skip-engine"]) {
      const fast = await engineRun(emulator, columns, "fast", settings)
      show("fast", fast)
      const thrifty = await engineRun(emulator, columns, "thrifty", settings)
      show("thrifty", thrifty)
      baselines = { fast, thrifty }
      out.fast = fast
      out.thrifty = thrifty
      out.lowerBoundMs = bound
      say(
        `lower bound for fast: ${bound} ms; fast / lower bound = ${(fast.wallMs / bound).toFixed(2)} ${verdict(fast.wallMs / bound, "<=", 1.2, workload)}`,
      )
      out.fastOverLowerBound = Number((fast.wallMs / bound).toFixed(3))
      say(
        `points per issue: thrifty ${thrifty.pointsPerIssue} ${verdict(thrifty.pointsPerIssue, "<=", 1.02, workload)}, fast ${fast.pointsPerIssue} ${verdict(fast.pointsPerIssue, "<=", 2.02, workload)}`,
      )
      const [main, ...others] = THRIFTY_ORDERS
      const runs: Array<OrderRun> = [orderRun("thrifty", main, thrifty, bound)]
      if (!values["skip-orders"])
        for (const order of others)
          runs.push(
            orderRun("thrifty", order, await engineRun(emulator, columns, "thrifty", settings, order), bound),
          )
      runs.push(orderRun("fast", "key ASC", fast, bound))
      say("per order (thrifty reads parallel parts where the order allows, one chain for summary):")
      for (const r of runs) say(`  ${showOrderRun(r)}`)
      out.runs = runs
    }
    if (!values["skip-sequential"]) {
      const sequential = await sequentialRun(emulator, columns)
      show("sequential", sequential)
      out.sequential = sequential
      if (baselines !== undefined) {
        out.fastSpeedup = Number((sequential.wallMs / baselines.fast.wallMs).toFixed(2))
        out.thriftySpeedup = Number((sequential.wallMs / baselines.thrifty.wallMs).toFixed(2))
        say(
          `fast is ${out.fastSpeedup}x the sequential loop ${verdict(Number(out.fastSpeedup), ">=", 8, workload)}; thrifty ${out.thriftySpeedup}x`,
        )
      }
    }
    if (!values["skip-history"] && baselines !== undefined)
      out.history = await runHistoryBench({
        columns,
        baselines,
        run: (withColumns, strategy) => engineRun(emulator, withColumns, strategy, settings),
        say,
      })
    if (!values["skip-cli"]) {
      const e2e = await runCliEndToEnd({ emulator, columns, profile, issues })
      out.cliEndToEnd = { wallMs: e2e.wallMs, lowerBoundMs: e2e.lowerBoundMs, ratio: e2e.ratio }
      say(
        `command line end to end (fast, spawn to exit): ${e2e.wallMs} ms (export ${e2e.exportMs} ms), lower bound ${e2e.lowerBoundMs} ms, ` +
          `ratio ${e2e.ratio} ${verdict(e2e.ratio, "<=", CLI_END_TO_END_TARGET, workload)}`,
      )
    }
    if (!values["skip-page"])
      out.pagePath = await runPagePathBench({
        emulator,
        run: { jql: queryOf(emulator), columns, strategy: "fast", preset: "data" },
        invokeLatencyMs: Number(values["invoke-latency"]),
        say,
      })
    if (!values["skip-page-engine"]) await pageEngine(out, emulator, columns)
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
      say(
        `peak RSS ${large.issues} / ${small.issues} issues = ${out.rssRatio} ${verdict(Number(out.rssRatio), "<=", 1.3, "fast CLI exports")}`,
      )
    }
    const thrifty: Array<{ issues: number; maxRssKb: number; wallMs: number }> = []
    for (const count of counts) {
      const r = await cliRss(count, "thrifty")
      thrifty.push(r)
      say(
        `CLI thrifty export of ${r.issues} issues: peak RSS ${(r.maxRssKb / 1024).toFixed(1)} MB in ${r.wallMs} ms`,
      )
    }
    out.cliRssThrifty = thrifty
    const [few, many] = [thrifty[0], thrifty.at(-1)]
    if (few !== undefined && many !== undefined && thrifty.length > 1) {
      out.rssRatioThrifty = Number((many.maxRssKb / few.maxRssKb).toFixed(3))
      say(
        `thrifty peak RSS ${many.issues} / ${few.issues} issues = ${out.rssRatioThrifty} ${verdict(Number(out.rssRatioThrifty), "<=", 1.3, "thrifty CLI exports")}`,
      )
    }
  }
  if (!values["skip-startup"]) out.cliStartup = await runStartupBench()
  if (!values["skip-xlsx"])
    out.xlsx = await runXlsxBench({ issues, rssIssues: values["rss-issues"].split(",").map(Number), say })
  if (values.json) say(JSON.stringify(out))
}

main().catch((error) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`)
  process.exitCode = 1
})
