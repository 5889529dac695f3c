/** A command-line export in a child process, as the benchmarks run it: its `--stats` line. */
import { spawn } from "node:child_process"

/**
 * Old-space budget the command-line exporter runs with (the `export` npm script's too): the export
 * keeps about 9 batches of 100 issues live, far below it; what it bounds is garbage.
 */
export const CLI_HEAP_MB = 256

export interface CliStats {
  readonly issues: number
  readonly ms: number
  readonly maxRssKb: number
}

/**
 * Runs `program` (the bundle, or the sources through tsx) with `args`, `--quiet --stats`, the exporter's
 * heap budget and the emulator's admin account; fails with the exporter's words when it exits non-zero.
 */
export const cliExport = (
  site: {
    readonly url: string
    readonly accounts: { readonly admin: { readonly email: string } }
    readonly apiToken: string
  },
  program: ReadonlyArray<string>,
  args: ReadonlyArray<string>,
): Promise<CliStats> =>
  new Promise<string>((resolve, reject) => {
    const child = spawn(
      process.execPath,
      // Without the budget V8 lets garbage pile up to several hundred MB when issues arrive fast.
      [`--max-old-space-size=${CLI_HEAP_MB}`, ...program, ...args, "--quiet", "--stats"],
      {
        env: {
          ...process.env,
          JIRA_SITE: site.url,
          JIRA_EMAIL: site.accounts.admin.email,
          JIRA_API_TOKEN: site.apiToken,
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
  }).then((stderr) => {
    const stats = JSON.parse(stderr.trim().split("\n").at(-1) ?? "{}")
    return { issues: Number(stats.issues), ms: Number(stats.ms), maxRssKb: Number(stats.maxRssKb) }
  })
