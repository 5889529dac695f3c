/**
 * The page path as Forge runs it (issue 15, part 3): the page's own export loop (web/src/models/
 * ExportModel.ts, unchanged: `export/start`, then `export/next` until the cursor is null, with its call
 * spacing, `retryAfterMs`/`pausedUntil` waits and repeats) in this process, no browser, calling the
 * local Forge host's invoke endpoint over HTTP as the page's bridge does, with Forge's invocation
 * overhead added by the host. Next to it, the built command-line exporter exports the same issues
 * with the same options in a child process; both files are compared byte for byte.
 */
import { execFileSync } from "node:child_process"
import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"
import { startHost } from "../dev/host.js"
import { type Backend, transportError } from "../web/src/bridge.js"
import { systemClock } from "../web/src/clock.js"
import { ExportModel } from "../web/src/models/ExportModel.js"
import { cliExport } from "./cliExport.js"
import type { BenchEmulator } from "./emulatorThread.js"
import { verdict } from "./targets.js"

const root = path.join(import.meta.dirname ?? __dirname, "..")
const CLI_BUNDLE = path.join(root, "dist", "liquitim-export.mjs")

export interface PagePathExport {
  readonly jql: string
  readonly columns: ReadonlyArray<string>
  readonly strategy: "fast" | "thrifty"
  readonly preset: "data"
}

export interface PagePathFigures {
  readonly invokeLatencyMs: number
  readonly wallMs: number
  readonly cliWallMs: number
  /** page / command line, both wall times (the CLI's from spawn to exit, as its user waits). */
  readonly ratio: number
  /** The CLI's own figure for the export, without Node's start-up (its `--stats` line). */
  readonly cliExportMs: number
  readonly invokes: number
  /** Mean time of one `export/next` as the page saw it, overhead included. */
  readonly meanNextMs: number
  /** Each `export/next` as the host timed it, and the largest answer (Forge's limit is 5 MB). */
  readonly nextMs: ReadonlyArray<number>
  readonly largestAnswerBytes: number
  /** Jira points per issue the page path and the command line spent. */
  readonly pointsPerIssue: number
  readonly cliPointsPerIssue: number
  readonly bytes: number
  readonly sameBytes: boolean
}

/** The page's `@forge/bridge` `invoke`, as the host's frame shim runs it: a JSON POST from the page's origin. */
export const hostBackend = (hostUrl: string, origin: string): Backend => ({
  call: async (key, payload) => {
    try {
      const response = await fetch(`${hostUrl}__host/invoke`, {
        method: "POST",
        headers: { "content-type": "application/json", origin },
        body: JSON.stringify({ functionKey: key, payload }),
      })
      const body: unknown = await response.json()
      if (!response.ok || typeof body !== "object" || body === null || !("result" in body))
        return transportError(new Error(`the local Forge host answered ${response.status}`))
      // The shape is the contract's: the handler answers `Result<Answer<K>>` for every key.
      return body.result as Awaited<ReturnType<Backend["call"]>>
    } catch (cause) {
      return transportError(cause)
    }
  },
  context: () => Promise.reject(new Error("The benchmark's page has no context.")),
  openIssue: () => Promise.resolve(),
})

/** The page's export loop through the host; the file's text and what it took. */
const pageRun = async (emulator: BenchEmulator, run: PagePathExport, invokeLatencyMs: number) => {
  // The host serves a page; this one is never loaded, so a stub stands in for web/dist.
  const dist = fs.mkdtempSync(path.join(os.tmpdir(), "liquitim-bench-page-"))
  fs.writeFileSync(path.join(dist, "index.html"), "<html><head></head><body></body></html>")
  await emulator.resetStats()
  const host = await startHost({
    distDir: dist,
    invokeLatencyMs,
    // The emulator on its worker thread, reached as a site with the user's API token: the host's
    // own in-process emulator would share this thread with the resolver and the page.
    site: { url: emulator.url, email: emulator.accounts.admin.email, apiToken: emulator.apiToken },
  })
  try {
    const model = new ExportModel(hostBackend(host.url, `http://127.0.0.1:${host.port}`), systemClock)
    // The resolver path, as the user chose (automatically, an export this large runs in the browser).
    model.setRunIn("servers")
    const started = performance.now()
    await model.start({
      jql: run.jql,
      columns: run.columns,
      options: { strategy: run.strategy, preset: run.preset },
      siteUrl: emulator.url,
    })
    const wallMs = performance.now() - started
    const state = model.state.peek()
    if (state.kind !== "done")
      throw new Error(
        `The page's export ended ${state.kind}${state.kind === "failed" ? `: ${state.error.message}` : ""}`,
      )
    const text = await state.file.blob.text()
    const nexts = host.invocations().filter((i) => i.functionKey === "export/next")
    const meanNextMs = nexts.reduce((sum, i) => sum + i.ms, 0) / Math.max(1, nexts.length)
    const stats = await emulator.stats()
    return {
      wallMs,
      text,
      invokes: host.invocations().length,
      meanNextMs,
      nextMs: nexts.map((i) => Math.round(i.ms)),
      largestAnswerBytes: Math.max(...host.invocations().map((i) => i.responseBytes)),
      pointsPerIssue: Number((stats.points / Math.max(1, state.summary.issues)).toFixed(4)),
    }
  } finally {
    await host.close()
    fs.rmSync(dist, { recursive: true, force: true })
  }
}

/** The built exporter (`npm run export`'s command) on the same export; its file and wall time. */
const cliRun = async (emulator: BenchEmulator, run: PagePathExport) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "liquitim-bench-cli-"))
  const out = path.join(dir, "export.csv")
  try {
    await emulator.resetStats()
    const started = performance.now()
    const stats = await cliExport(
      emulator,
      [CLI_BUNDLE],
      [
        ...["--jql", run.jql, "--columns", run.columns.join(",")],
        ...["--strategy", run.strategy, "--preset", run.preset, "--out", out],
      ],
    )
    const wallMs = performance.now() - started
    const points = (await emulator.stats()).points
    return {
      wallMs,
      exportMs: stats.ms,
      pointsPerIssue: Number((points / Math.max(1, stats.issues)).toFixed(4)),
      text: fs.readFileSync(out, "utf8"),
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true })
  }
}

export const runPagePathBench = async (input: {
  readonly emulator: BenchEmulator
  readonly run: PagePathExport
  readonly invokeLatencyMs: number
  readonly say: (line: string) => void
}): Promise<PagePathFigures> => {
  // The bundle as `npm run export` would run it: built now if missing or older than its sources.
  execFileSync(process.execPath, ["esbuild.config.mjs", "--cli", "--if-stale"], {
    cwd: root,
    stdio: "inherit",
  })
  const cli = await cliRun(input.emulator, input.run)
  const page = await pageRun(input.emulator, input.run, input.invokeLatencyMs)
  const figures: PagePathFigures = {
    invokeLatencyMs: input.invokeLatencyMs,
    wallMs: Math.round(page.wallMs),
    cliWallMs: Math.round(cli.wallMs),
    ratio: Number((page.wallMs / cli.wallMs).toFixed(3)),
    cliExportMs: cli.exportMs,
    invokes: page.invokes,
    meanNextMs: Math.round(page.meanNextMs),
    nextMs: page.nextMs,
    largestAnswerBytes: page.largestAnswerBytes,
    pointsPerIssue: page.pointsPerIssue,
    cliPointsPerIssue: cli.pointsPerIssue,
    bytes: Buffer.byteLength(page.text),
    sameBytes: page.text === cli.text,
  }
  input.say(
    `page path (${input.run.strategy}, ${figures.invokeLatencyMs} ms per invoke): ${figures.wallMs} ms in ` +
      `${figures.invokes} invokes (export/next ${figures.nextMs.join(", ")} ms; largest answer ` +
      `${figures.largestAnswerBytes} bytes; ${figures.pointsPerIssue} points/issue); command line ${figures.cliWallMs} ms ` +
      `(export ${figures.cliExportMs} ms; ${figures.cliPointsPerIssue} points/issue); page / command line = ${figures.ratio} ${verdict(figures.ratio, "<=", 1.3, "the same fast export")}; ` +
      `same CSV byte for byte: ${figures.sameBytes ? "yes" : "NO"} (${figures.bytes} bytes)`,
  )
  return figures
}
