/**
 * Peak RSS of command-line exports (child processes, instant profile, since memory does not depend on
 * latency): the figure that shows an export's memory stays bounded as the issue count grows, for
 * `fast` and for `thrifty` (whose parts read ahead wait in memory, bounded by pages, not by issues).
 */
import * as path from "node:path"
import { startEmulator } from "../dev/emulator/index.js"
import { cliExport } from "./cliExport.js"
import { queryOf } from "./emulatorThread.js"

/** Peak RSS of a CLI export in a child process (its own `--stats` line). */
export const cliRss = async (
  issues: number,
  strategy: "fast" | "thrifty" = "fast",
): Promise<{ issues: number; maxRssKb: number; wallMs: number }> => {
  const emulator = await startEmulator({ issues, seed: 1, profile: "instant" })
  try {
    const cli = path.join(import.meta.dirname ?? __dirname, "..", "src", "cli", "main.ts")
    const stats = await cliExport(
      emulator,
      ["--import", "tsx", cli],
      [
        ...["--jql", queryOf({ projects: emulator.dataset.projects.map((p) => p.key) })],
        // /dev/null exists, and the exporter will not replace a file unless told to.
        ...["--strategy", strategy, "--out", "/dev/null", "--force"],
      ],
    )
    return { issues: stats.issues, maxRssKb: stats.maxRssKb, wallMs: stats.ms }
  } finally {
    await emulator.close()
  }
}
