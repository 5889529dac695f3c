/**
 * The page engine (issue 20): the export run by the page itself in headless Chromium (the built page,
 * web/src/engine over `requestJira`, the local host answering the bridge's product fetch as the
 * signed-in user) next to the built command-line exporter on the same export, both against the
 * benchmark's emulator; the files compared byte for byte. Measured in the page: wall time (click to
 * done), the peak JS heap (CDP `Performance.getMetrics`, polled), the longest task (`longtask`
 * entries: only tasks over 50 ms are reported, so 0 means none was), and the app's points per issue
 * (the page's own reads are frontend traffic, free by default; the app pays only for the page's start).
 */
import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"
import { gzipSync } from "node:zlib"
import { startHost } from "../dev/host.js"
import { launchBrowser } from "../test/support/browser.js"
import { cliExport } from "./cliExport.js"
import type { BenchEmulator } from "./emulatorThread.js"

const root = path.join(import.meta.dirname ?? __dirname, "..")
const CLI_BUNDLE = path.join(root, "dist", "liquitim-export.mjs")
const assets = path.join(root, "web", "dist", "assets")

export interface PageEngineFigures {
  readonly issues: number
  readonly wallMs: number
  readonly cliWallMs: number
  readonly ratio: number
  readonly appPointsPerIssue: number
  readonly frontendPointsPerIssue: number
  readonly heapPeakMb: number
  readonly longestTaskMs: number
  readonly firstLoadGzipBytes: number
  readonly engineGzipBytes: number
  readonly sameBytes: boolean
}

/** The page's JavaScript, gzip: what it loads first, and the engine file the first export in the browser adds. */
export const pageSizes = () => ({
  firstLoadGzipBytes: gzipSync(fs.readFileSync(path.join(assets, "main.js"))).length,
  engineGzipBytes: gzipSync(fs.readFileSync(path.join(assets, "engine.js"))).length,
})

/** One export by the page in Chromium: its file, wall time, heap peak and longest task. */
export const pageEngineRun = async (
  emulator: Pick<BenchEmulator, "url" | "accounts" | "stats" | "resetStats">,
  jql: string,
  columns: ReadonlyArray<string>,
) => {
  const host = await startHost({
    emulatorAt: { url: emulator.url, accountId: emulator.accounts.admin.accountId },
    invokeLatencyMs: 300,
    // As Jira serves the frame: the page's reads share one connection, not six (dev/hostServer.ts).
    http2: true,
  })
  const browser = await launchBrowser()
  try {
    const context = await browser.newContext({ acceptDownloads: true, ignoreHTTPSErrors: true })
    // The columns and options as a returning user left them (prefs.ts); no query, so no preview runs.
    await context.addInitScript(
      ([key, value]) => {
        localStorage.setItem(key, value)
        const w = window as unknown as { __tasks: Array<[number, number]> }
        w.__tasks = []
        new PerformanceObserver((list) => {
          for (const entry of list.getEntries()) w.__tasks.push([entry.startTime, entry.duration])
        }).observe({ type: "longtask", buffered: true })
      },
      [
        `liquitim-export:v1:${host.accountId}`,
        JSON.stringify({ columns, options: { preset: "data" } }),
      ] as const,
    )
    const page = await context.newPage()
    const cdp = await context.newCDPSession(page)
    await cdp.send("Performance.enable")
    await page.goto(host.url)
    await page.getByTestId("selected-columns").waitFor()
    await page.getByLabel("JQL", { exact: true }).fill(jql)
    await page.getByTestId("run-in").selectOption("browser")
    await emulator.resetStats()
    let heapPeak = 0
    let sampling = true
    const sample = async () => {
      while (sampling) {
        const { metrics } = await cdp.send("Performance.getMetrics")
        const used = metrics.find((m) => m.name === "JSHeapUsedSize")?.value ?? 0
        heapPeak = Math.max(heapPeak, used)
        await new Promise((r) => setTimeout(r, 100))
      }
    }
    const sampler = sample()
    const started = performance.now()
    const clickedAt = await page.evaluate(() => performance.now())
    await page.getByTestId("export-button").click()
    const button = page.getByTestId("download-button")
    await button.waitFor({ timeout: 30 * 60_000 })
    const wallMs = performance.now() - started
    sampling = false
    await sampler
    const stats = await emulator.stats()
    // Only tasks of the export: from the click on (the page's own load is not the export's).
    const tasks = await page.evaluate(
      () => (window as unknown as { __tasks: Array<[number, number]> }).__tasks,
    )
    const during = tasks.filter(([at]) => at >= clickedAt)
    if (process.env.BENCH_TASKS !== undefined)
      process.stderr.write(
        `long tasks: ${JSON.stringify(during.map(([a, d]) => [Math.round(a - clickedAt), Math.round(d)]))}\n`,
      )
    const longestTaskMs = Math.max(0, ...during.map(([, duration]) => duration))
    const [download] = await Promise.all([page.waitForEvent("download"), button.click()])
    const file = fs.readFileSync(await download.path())
    return { wallMs, heapPeakMb: heapPeak / 1024 / 1024, longestTaskMs, stats, file }
  } finally {
    await browser.close()
    await host.close()
  }
}

export const runPageEngineBench = async (input: {
  readonly emulator: BenchEmulator
  readonly issues: number
  readonly jql: string
  readonly columns: ReadonlyArray<string>
  readonly say: (line: string) => void
}): Promise<PageEngineFigures> => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "liquitim-bench-engine-"))
  const out = path.join(dir, "export.csv")
  try {
    await input.emulator.resetStats()
    const cliStarted = performance.now()
    // The page picks thrifty for this size (its reads are not API-token traffic); the CLI is asked the same.
    await cliExport(
      input.emulator,
      [CLI_BUNDLE],
      [
        "--jql",
        input.jql,
        "--columns",
        input.columns.join(","),
        "--strategy",
        "thrifty",
        "--preset",
        "data",
        "--out",
        out,
      ],
    )
    const cliWallMs = performance.now() - cliStarted
    const page = await pageEngineRun(input.emulator, input.jql, input.columns)
    const per = (points: number) => Number((points / input.issues).toFixed(4))
    const figures: PageEngineFigures = {
      issues: input.issues,
      wallMs: Math.round(page.wallMs),
      cliWallMs: Math.round(cliWallMs),
      ratio: Number((page.wallMs / cliWallMs).toFixed(3)),
      appPointsPerIssue: per(page.stats.pointsBySource.app),
      frontendPointsPerIssue: per(page.stats.pointsBySource.frontend),
      heapPeakMb: Number(page.heapPeakMb.toFixed(1)),
      longestTaskMs: Math.round(page.longestTaskMs),
      ...pageSizes(),
      sameBytes: page.file.equals(fs.readFileSync(out)),
    }
    input.say(
      `page engine (in Chromium, ${input.issues} issues): ${figures.wallMs} ms; command line ${figures.cliWallMs} ms; ` +
        `page / command line = ${figures.ratio} (target <= 1.1); app points/issue ${figures.appPointsPerIssue} ` +
        `(target <= 0.01; frontend ${figures.frontendPointsPerIssue}); peak JS heap ${figures.heapPeakMb} MB; ` +
        `longest task ${figures.longestTaskMs} ms (0: none over 50 ms; target <= 200); first load ` +
        `${figures.firstLoadGzipBytes} B gzip (target <= 35 KB), engine ${figures.engineGzipBytes} B; ` +
        `same CSV byte for byte: ${figures.sameBytes ? "yes" : "NO"}`,
    )
    return figures
  } finally {
    fs.rmSync(dir, { recursive: true, force: true })
  }
}

/**
 * The 100,000-issue heap figure: the page engine (instant profile: the heap does not depend on
 * latency), its file compared with the command line's, byte for byte.
 */
export const runPageEngineHeap = async (input: {
  readonly emulator: BenchEmulator
  readonly issues: number
  readonly jql: string
  readonly columns: ReadonlyArray<string>
  readonly say: (line: string) => void
}) => {
  const page = await pageEngineRun(input.emulator, input.jql, input.columns)
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "liquitim-bench-heap-"))
  const out = path.join(dir, "export.csv")
  try {
    await cliExport(
      input.emulator,
      [CLI_BUNDLE],
      [
        "--jql",
        input.jql,
        "--columns",
        input.columns.join(","),
        "--strategy",
        "thrifty",
        "--preset",
        "data",
        "--out",
        out,
      ],
    )
    const figures = {
      issues: input.issues,
      wallMs: Math.round(page.wallMs),
      heapPeakMb: Number(page.heapPeakMb.toFixed(1)),
      longestTaskMs: Math.round(page.longestTaskMs),
      bytes: page.file.length,
      sameBytes: page.file.equals(fs.readFileSync(out)),
    }
    input.say(
      `page engine heap (${input.issues} issues x ${input.columns.length} columns): peak JS heap ${figures.heapPeakMb} MB ` +
        `(target <= 256) in ${figures.wallMs} ms; longest task ${figures.longestTaskMs} ms; ${figures.bytes} bytes, ` +
        `same as the command line's: ${figures.sameBytes ? "yes" : "NO"}`,
    )
    return figures
  } finally {
    fs.rmSync(dir, { recursive: true, force: true })
  }
}
