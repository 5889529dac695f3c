/**
 * `cliEndToEnd`: a `fast` export through the built command-line exporter, from spawn to exit as its
 * user waits for it (start-up, the credential check, `/field`, the count, the export, writing the
 * file), against the lower bound the profile allows `fast` (bench/figures.ts). `npm run export` runs
 * this same bundle after a freshness check of a few ms (npm's own start-up comes on top).
 */
import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"
import type { ProfileParams } from "../dev/emulator/index.js"
import { CLI_BUNDLE, ensureCliBundle } from "../test/support/cliBundle.js"
import { cliExport } from "./cliExport.js"
import type { BenchEmulator } from "./emulatorThread.js"
import { queryOf } from "./emulatorThread.js"
import { lowerBoundMs } from "./figures.js"

export interface CliEndToEnd {
  readonly wallMs: number
  /** The exporter's own figure: from its first line of code to the end of the file. */
  readonly exportMs: number
  readonly lowerBoundMs: number
  readonly ratio: number
  readonly issues: number
  readonly pointsPerIssue: number
}

/** Target for `ratio` (issue 23): within a quarter of the bound, start-up and all. */
export const CLI_END_TO_END_TARGET = 1.25

export const runCliEndToEnd = async (input: {
  readonly emulator: BenchEmulator
  readonly columns: ReadonlyArray<string>
  readonly profile: ProfileParams
  readonly issues: number
}): Promise<CliEndToEnd> => {
  // Built now if missing or older than its sources, as `npm run export` does (not timed).
  ensureCliBundle()
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "liquitim-bench-e2e-"))
  const out = path.join(dir, "export.csv")
  try {
    await input.emulator.resetStats()
    const started = performance.now()
    const stats = await cliExport(
      input.emulator,
      [CLI_BUNDLE],
      [
        ...["--jql", queryOf(input.emulator), "--columns", input.columns.join(",")],
        ...["--strategy", "fast", "--preset", "data", "--out", out],
      ],
    )
    const wallMs = Math.round(performance.now() - started)
    const points = (await input.emulator.stats()).points
    // The profile's own cap: what the exporter may keep in flight against this site.
    const bound = lowerBoundMs(input.profile, input.issues, input.profile.maxInFlightPerUser ?? 10)
    return {
      wallMs,
      exportMs: stats.ms,
      lowerBoundMs: bound,
      ratio: Number((wallMs / bound).toFixed(3)),
      issues: stats.issues,
      pointsPerIssue: Number((points / Math.max(1, stats.issues)).toFixed(4)),
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true })
  }
}
