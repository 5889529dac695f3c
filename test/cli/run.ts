/** Runs the built command-line exporter in a child process against an emulator, as a user would. */
import { spawn } from "node:child_process"
import { PROFILES, type ProfileParams } from "../../dev/emulator/server/profiles.js"
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

/**
 * For the emulator of a test that interrupts an export: 100 ms on every issue read, so that an export
 * of 1,500 issues (15 pages, two rounds of 10 reads at once) is still running some half a second after
 * its part holds its first pages, and an interrupt sent then lands mid-export even on a busy machine.
 * (On the instant profile the exporter finished 100-150 ms after the part passed 20 KB, and now and
 * then between two looks at it.)
 */
export const STEADY_PROFILE: ProfileParams = { ...PROFILES.instant, name: "steady", issueCallLatencyMs: 100 }

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
