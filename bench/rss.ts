/**
 * Peak RSS of command-line exports (child processes, instant profile, since memory does not depend on
 * latency): the figure that shows an export's memory stays bounded as the issue count grows.
 */
import { spawn } from "node:child_process"
import * as path from "node:path"
import { startEmulator } from "../dev/emulator/index.js"
import { queryOf } from "./emulatorThread.js"

/**
 * Old-space budget the command-line exporter runs with (the `export` npm script's too): the export
 * keeps about 9 batches of 100 issues live, far below it; what it bounds is garbage.
 */
export const CLI_HEAP_MB = 256

/** Peak RSS of a CLI export in a child process (its own `--stats` line). */
export const cliRss = async (
  issues: number,
): Promise<{ issues: number; maxRssKb: number; wallMs: number }> => {
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
          queryOf({ projects: emulator.dataset.projects.map((p) => p.key) }),
          "--strategy",
          "fast",
          "--out",
          "/dev/null",
          // /dev/null exists, and the exporter will not replace a file unless told to.
          "--force",
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
