/**
 * Start-up of the command-line exporter: the built bundle (dist/liquitim-export.mjs, what `npm run
 * export` and the `bin` run) against the sources transpiled on start (`node --import tsx
 * src/cli/main.ts`, what the exporter used to be), each printing `--help` and exiting. Runs alternate
 * between the two so both meet the same machine load; the median of each is reported, measured in
 * one run.
 *
 *   npx tsx bench/startup.ts [--runs N] [--json]     (or npm run bench -- startup)
 *
 * Target (docs/architecture.md, Targets): the built exporter starts in a few hundred milliseconds.
 */
import { execFileSync, spawn } from "node:child_process"
import * as path from "node:path"
import { performance } from "node:perf_hooks"
import { parseArgs } from "node:util"
import { verdict } from "./targets.js"

const root = path.join(import.meta.dirname ?? __dirname, "..")
const DEFAULT_RUNS = 7

export interface StartupFigures {
  readonly bundleMs: number
  readonly transpiledMs: number
  /** transpiled / bundle: how many times faster the bundle starts. */
  readonly ratio: number
  readonly runs: number
}

/** Wall time from spawn to exit of one `node ARGS --help`, output discarded. */
const timeOnce = (args: ReadonlyArray<string>) =>
  new Promise<number>((resolve, reject) => {
    const started = performance.now()
    const child = spawn(process.execPath, [...args, "--help"], { cwd: root, stdio: "ignore" })
    child.on("error", reject)
    child.on("close", (code) =>
      code === 0
        ? resolve(performance.now() - started)
        : reject(new Error(`${args.join(" ")}: exit ${code}`)),
    )
  })

const median = (values: ReadonlyArray<number>) => {
  const sorted = [...values].sort((a, b) => a - b)
  const mid = Math.floor(sorted.length / 2)
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2
}

export const runStartupBench = async (
  options: { readonly runs?: number; readonly json?: boolean } = {},
): Promise<StartupFigures> => {
  const runs = options.runs ?? DEFAULT_RUNS
  // The bundle as `npm run export` would run it: built now if missing or older than its sources.
  execFileSync(process.execPath, ["esbuild.config.mjs", "--cli", "--if-stale"], {
    cwd: root,
    stdio: "inherit",
  })
  const bundle = [path.join(root, "dist", "liquitim-export.mjs")]
  const transpiled = ["--import", "tsx", path.join(root, "src", "cli", "main.ts")]
  // One unmeasured start each, so both find their files in the page cache.
  await timeOnce(bundle)
  await timeOnce(transpiled)
  const bundleMs: Array<number> = []
  const transpiledMs: Array<number> = []
  for (let i = 0; i < runs; i++) {
    bundleMs.push(await timeOnce(bundle))
    transpiledMs.push(await timeOnce(transpiled))
  }
  const figures: StartupFigures = {
    bundleMs: Math.round(median(bundleMs)),
    transpiledMs: Math.round(median(transpiledMs)),
    ratio: Number((median(transpiledMs) / median(bundleMs)).toFixed(2)),
    runs,
  }
  process.stdout.write(
    `CLI start-up (--help), median of ${runs}: built ${figures.bundleMs} ms, transpiled ${figures.transpiledMs} ms ` +
      `= ${figures.ratio}x ${verdict(figures.bundleMs, "<=", 500, "--help, built")}\n`,
  )
  if (options.json) process.stdout.write(`${JSON.stringify({ cliStartup: figures })}\n`)
  return figures
}

// Run when executed directly (`npx tsx bench/startup.ts`), not when imported by bench/main.ts.
if (/bench[\\/]startup\.ts$/.test(process.argv[1] ?? "")) {
  const { values } = parseArgs({
    options: { runs: { type: "string" }, json: { type: "boolean", default: false } },
  })
  runStartupBench({
    json: values.json,
    ...(values.runs === undefined ? {} : { runs: Number(values.runs) }),
  }).catch((error: unknown) => {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`)
    process.exitCode = 1
  })
}
