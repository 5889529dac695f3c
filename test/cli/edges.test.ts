/** Command-line edges from the second adversarial pass (issue 24, item 6), one test each. */
import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"
import { Either } from "effect"
import { describe, expect, it } from "vitest"
import { startEmulator } from "../../dev/emulator/index.js"
import { parseCli } from "../../src/cli/args.js"
import { runCli, STEADY_PROFILE } from "./run.js"

const env = { JIRA_SITE: "https://example.atlassian.net", JIRA_EMAIL: "a@example.test", JIRA_API_TOKEN: "t" }

describe("command-line edges", () => {
  it.each([
    [["--jql", "x", "--value-columns", "30"]],
    [["--jql", "x", "--preset", "data", "--value-columns", "30"]],
    [["--resume", "x.cursor", "--value-columns", "30"]],
  ])("--value-columns without --preset jira-import is refused, not ignored: %j", (argv) => {
    expect(parseCli(argv, env)).toEqual(
      Either.left(
        "--value-columns goes with --preset jira-import (the other presets write a multi-value field in one cell).",
      ),
    )
  })

  it("--no-wait at a quota spent before the export starts says when it resets, in local time", async () => {
    const emulator = await startEmulator({ issues: 20, seed: 3, quota: 1, quotaWindowMs: 600_000 })
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "liquitim-edges-"))
    try {
      const site = { url: emulator.url, email: emulator.accounts.admin.email, apiToken: emulator.apiToken }
      const out = path.join(dir, "out.csv")
      const args = ["--jql", "project = ALPHA", "--out", out, "--no-wait", "--quiet"]
      let run = await runCli(site, args)
      for (let tries = 0; run.code === 0 && tries < 3; tries++) run = await runCli(site, [...args, "--force"])
      expect(run.code).toBe(1)
      expect(run.stderr.trim()).toMatch(
        /^Jira's hourly quota is spent until \d\d:\d\d:\d\d; nothing was written yet: run the same command again from then\.$/,
      )
      expect(fs.existsSync(out)).toBe(false)
    } finally {
      await emulator.close()
      fs.rmSync(dir, { recursive: true, force: true })
    }
  })

  it("--resume refuses a part changed anywhere, not only in its last 4 KB", async () => {
    // Interrupted once the part holds its first pages, more than the 4 KB its end check covers.
    const emulator = await startEmulator({ issues: 1500, seed: 8, profile: STEADY_PROFILE })
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "liquitim-edges-"))
    try {
      const site = { url: emulator.url, email: emulator.accounts.admin.email, apiToken: emulator.apiToken }
      const jql = `project in (${emulator.dataset.projects.map((p) => p.key).join(", ")}) ORDER BY key ASC`
      const out = path.join(dir, "part.csv")
      const partial = `${out}.partial`
      const interrupted = await runCli(site, ["--jql", jql, "--out", out, "--strategy", "thrifty"], () => {
        return fs.existsSync(partial) && fs.statSync(partial).size > 8_000
      })
      expect(interrupted.code).toBe(1)
      const saved: { bytes: number; digest?: string } = JSON.parse(fs.readFileSync(`${out}.cursor`, "utf8"))
      expect(saved.digest).toBeDefined()
      expect(saved.bytes).toBeGreaterThan(4096 + 1000)
      const before = fs.readFileSync(partial)
      const changed = Buffer.from(before)
      changed[500] = changed[500] === 0x23 ? 0x24 : 0x23
      fs.writeFileSync(partial, changed)
      const altered = await runCli(site, ["--resume", `${out}.cursor`, "--quiet"])
      expect(altered.code).toBe(2)
      expect(altered.stderr).toContain("was changed since the export stopped")
      fs.writeFileSync(partial, before)
      const resumed = await runCli(site, ["--resume", `${out}.cursor`, "--quiet"])
      expect(resumed.stderr).toBe("")
      expect(resumed.code).toBe(0)
      const whole = path.join(dir, "whole.csv")
      expect(
        (await runCli(site, ["--jql", jql, "--strategy", "thrifty", "--out", whole, "--quiet"])).code,
      ).toBe(0)
      expect(fs.readFileSync(out, "utf8")).toBe(fs.readFileSync(whole, "utf8"))
    } finally {
      await emulator.close()
      fs.rmSync(dir, { recursive: true, force: true })
    }
  })

  it("--history on ORDER BY Rank (the sprint's query) is read in parallel like columns, without a notice", async () => {
    const emulator = await startEmulator({ issues: 120, seed: 6 })
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "liquitim-edges-"))
    try {
      const site = { url: emulator.url, email: emulator.accounts.admin.email, apiToken: emulator.apiToken }
      const jql = `project in (${emulator.dataset.projects.map((p) => p.key).join(", ")}) ORDER BY Rank ASC`
      const files = { thrifty: path.join(dir, "thrifty.csv"), fast: path.join(dir, "fast.csv") }
      const thrifty = await runCli(site, [
        "--jql",
        jql,
        "--history",
        "--strategy",
        "thrifty",
        "--out",
        files.thrifty,
      ])
      expect(thrifty.stderr).not.toContain("one page after another")
      expect(thrifty.code).toBe(0)
      const fast = await runCli(site, ["--jql", jql, "--history", "--strategy", "fast", "--out", files.fast])
      expect(fast.code).toBe(0)
      expect(fs.readFileSync(files.thrifty, "utf8")).toBe(fs.readFileSync(files.fast, "utf8"))
    } finally {
      await emulator.close()
      fs.rmSync(dir, { recursive: true, force: true })
    }
  })
})
