/** Runs the built command-line exporter in a child process against an emulator, as a user would. */
import { spawn } from "node:child_process"
import { CLI_BUNDLE, ensureCliBundle } from "../support/cliBundle.js"

// Checked once per test file: the bundle is rebuilt when a source is newer.
let bundleChecked = false

export interface Run {
  readonly code: number | null
  readonly stderr: string
}

export interface Site {
  readonly url: string
  readonly email: string
  readonly apiToken: string
}

/** Runs the exporter; with `interruptWhen`, sends SIGINT once it returns true (polled every 5 ms). */
export const runCli = (site: Site, args: ReadonlyArray<string>, interruptWhen?: () => boolean) =>
  new Promise<Run>((resolve, reject) => {
    if (!bundleChecked) {
      ensureCliBundle()
      bundleChecked = true
    }
    const child = spawn(process.execPath, [CLI_BUNDLE, ...args], {
      env: { ...process.env, JIRA_SITE: site.url, JIRA_EMAIL: site.email, JIRA_API_TOKEN: site.apiToken },
      stdio: ["ignore", "ignore", "pipe"],
    })
    let stderr = ""
    child.stderr.on("data", (d) => {
      stderr += String(d)
    })
    if (interruptWhen) {
      const timer = setInterval(() => {
        if (interruptWhen()) {
          clearInterval(timer)
          child.kill("SIGINT")
        }
      }, 5)
      child.on("close", () => clearInterval(timer))
    }
    child.on("error", reject)
    child.on("close", (code) => resolve({ code, stderr }))
  })
