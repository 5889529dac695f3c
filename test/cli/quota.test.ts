/**
 * The command-line exporter against a spent points quota: an emulator with a short quota window
 * (2 s of 2000 points or fewer, less than listing the ids of the 2000 issues costs). It waits for each reset in the same run,
 * or, with --no-wait, stops with the resume hint; either way every window moves the export on.
 */
import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"
import { Effect } from "effect"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { type RunningEmulator, startEmulator } from "../../dev/emulator/index.js"
import { decodeCursor } from "../../src/export/cursor.js"
import { runCli, type Site } from "./run.js"

const siteOf = (emulator: RunningEmulator): Site => ({
  url: emulator.url,
  email: emulator.accounts.admin.email,
  apiToken: emulator.apiToken,
})

const doneIn = (cursorFile: string) => {
  const saved: { cursor: string } = JSON.parse(fs.readFileSync(cursorFile, "utf8"))
  return Effect.runSync(decodeCursor(saved.cursor)).counters.done
}

describe("command-line exporter under a points quota", () => {
  let unlimited: RunningEmulator
  let limited: RunningEmulator
  /** A third of the points per window: the export needs at least four windows. */
  let tight: RunningEmulator
  let dir: string
  let jql: string
  let whole: string
  beforeAll(async () => {
    unlimited = await startEmulator({ issues: 2000, seed: 4 })
    limited = await startEmulator({ issues: 2000, seed: 4, quota: 2000, quotaWindowMs: 2000 })
    tight = await startEmulator({ issues: 2000, seed: 4, quota: 1000, quotaWindowMs: 2000 })
    jql = `project in (${unlimited.dataset.projects.map((p) => p.key).join(", ")}) ORDER BY key ASC`
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "liquitim-quota-"))
    whole = path.join(dir, "whole.csv")
    expect((await runCli(siteOf(unlimited), ["--jql", jql, "--out", whole, "--quiet"])).code).toBe(0)
  })
  afterAll(async () => {
    await unlimited.close()
    await limited.close()
    await tight.close()
    fs.rmSync(dir, { recursive: true, force: true })
  })

  for (const strategy of [[], ["--strategy", "fast"]])
    it(`${strategy.length === 0 ? "the default strategy" : "fast"} waits for each reset and finishes in one run`, async () => {
      const out = path.join(dir, `waited-${strategy.length}.csv`)
      limited.resetStats()
      const run = await runCli(siteOf(limited), ["--jql", jql, ...strategy, "--out", out])
      expect(run.stderr).toContain("Jira's hourly quota is spent; waiting until")
      expect(run.code).toBe(0)
      expect(limited.stats().rateLimited.byReason["jira-quota-global-based"]).toBeGreaterThan(0)
      expect(fs.readFileSync(out, "utf8")).toBe(fs.readFileSync(whole, "utf8"))
      expect(fs.existsSync(`${out}.cursor`)).toBe(false)
    })

  it("--no-wait stops at a spent quota, and every resume after a reset moves the export on", async () => {
    const out = path.join(dir, "no-wait.csv")
    let run = await runCli(siteOf(tight), ["--jql", jql, "--strategy", "fast", "--out", out, "--no-wait"])
    let done = -1
    for (let resumes = 0; run.code !== 0 && resumes < 20; resumes++) {
      expect(run.code).toBe(1)
      expect(run.stderr).toContain(`--resume ${out}.cursor`)
      const now = doneIn(`${out}.cursor`)
      expect(now).toBeGreaterThan(done)
      done = now
      // It stops (it does not say it continues), and names the reset in local time as the waiting line does.
      expect(run.stderr).toMatch(
        /Jira's hourly quota is spent until \d\d:\d\d:\d\d; the export stopped after [\d,]+ issues?: continue it with --resume \S+ from then\./,
      )
      expect(run.stderr).not.toContain("continues")
      const reset = /spent until (\d\d):(\d\d):(\d\d)/.exec(run.stderr)
      const at = new Date()
      at.setHours(Number(reset?.[1]), Number(reset?.[2]), Number(reset?.[3]), 999)
      await new Promise((resolve) => setTimeout(resolve, Math.max(0, at.getTime() - Date.now()) + 300))
      run = await runCli(siteOf(tight), ["--resume", `${out}.cursor`, "--no-wait", "--quiet"])
    }
    expect(run.code).toBe(0)
    expect(done).toBeGreaterThan(0)
    expect(fs.readFileSync(out, "utf8")).toBe(fs.readFileSync(whole, "utf8"))
  })
})
