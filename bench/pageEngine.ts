/**
 * The page engine (issue 20): the export run by the page itself in headless Chromium (bench/pageBrowser.ts: the built page,
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
import { cliExport } from "./cliExport.js"
import type { BenchEmulator } from "./emulatorThread.js"
import { browserExport } from "./pageBrowser.js"

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

/** One export by the page in Chromium against the benchmark's emulator: its file, wall time, heap and longest task. */
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
  try {
    const run = await browserExport({
      url: host.url,
      accountId: host.accountId,
      jql,
      columns,
      options: { preset: "data" },
      beforeClick: () => emulator.resetStats(),
    })
    // The download after the export reads nothing from Jira: the counts are the export's.
    return { ...run, stats: await emulator.stats() }
  } finally {
    await host.close()
  }
}

/**
 * The command line's file of the same export, and how long it took from spawn to exit. The page picks
 * thrifty for this size (its reads are not API-token traffic); the command line is asked the same.
 */
const cliFile = async (emulator: BenchEmulator, jql: string, columns: ReadonlyArray<string>) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "liquitim-bench-engine-"))
  const out = path.join(dir, "export.csv")
  try {
    const started = performance.now()
    await cliExport(
      emulator,
      [CLI_BUNDLE],
      [
        "--jql",
        jql,
        "--columns",
        columns.join(","),
        "--strategy",
        "thrifty",
        "--preset",
        "data",
        "--out",
        out,
      ],
    )
    return { wallMs: performance.now() - started, file: fs.readFileSync(out) }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true })
  }
}

/** One page-engine measurement: the same export by the page and by the command line. */
interface PageEngineBenchInput {
  readonly emulator: BenchEmulator
  readonly issues: number
  readonly jql: string
  readonly columns: ReadonlyArray<string>
  readonly say: (line: string) => void
}

export const runPageEngineBench = async (input: PageEngineBenchInput): Promise<PageEngineFigures> => {
  await input.emulator.resetStats()
  const cli = await cliFile(input.emulator, input.jql, input.columns)
  const cliWallMs = cli.wallMs
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
    sameBytes: page.file.equals(cli.file),
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
}

/**
 * The 100,000-issue heap figure: the page engine (instant profile: the heap does not depend on
 * latency), its file compared with the command line's, byte for byte.
 */
export const runPageEngineHeap = async (input: PageEngineBenchInput) => {
  const page = await pageEngineRun(input.emulator, input.jql, input.columns)
  const cli = await cliFile(input.emulator, input.jql, input.columns)
  const figures = {
    issues: input.issues,
    wallMs: Math.round(page.wallMs),
    heapPeakMb: Number(page.heapPeakMb.toFixed(1)),
    longestTaskMs: Math.round(page.longestTaskMs),
    bytes: page.file.length,
    sameBytes: page.file.equals(cli.file),
  }
  input.say(
    `page engine heap (${input.issues} issues x ${input.columns.length} columns): peak JS heap ${figures.heapPeakMb} MB ` +
      `(target <= 256) in ${figures.wallMs} ms; longest task ${figures.longestTaskMs} ms; ${figures.bytes} bytes, ` +
      `same as the command line's: ${figures.sameBytes ? "yes" : "NO"}`,
  )
  return figures
}
