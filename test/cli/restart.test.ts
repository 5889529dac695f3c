/**
 * A thrifty export interrupted, the emulator restarted (another process: its page tokens are no
 * longer valid), then resumed: the exporter finds its place again and the file is byte for byte the
 * one-shot export.
 */
import { type ChildProcess, spawn } from "node:child_process"
import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"
import { Effect } from "effect"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { type RunningEmulator, startEmulator } from "../../dev/emulator/index.js"
import { decodeCursor } from "../../src/export/cursor.js"
import { runCli, type Site, STEADY_PROFILE } from "./run.js"

const EMULATOR = path.join(__dirname, "..", "..", "dev", "emulator", "main.ts")
const ISSUES = 1500
const SEED = 9

/** The emulator as `npm run emulator` starts it, in its own process, on `port` (the site's own address). */
const spawnEmulator = (port: number) =>
  new Promise<{ child: ChildProcess; url: string }>((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [
        "--import",
        "tsx",
        EMULATOR,
        "--port",
        String(port),
        "--issues",
        String(ISSUES),
        "--seed",
        String(SEED),
      ],
      { stdio: ["ignore", "pipe", "inherit"] },
    )
    let out = ""
    child.stdout?.on("data", (d) => {
      out += String(d)
      const url = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(out)?.[1]
      if (url !== undefined) resolve({ child, url })
    })
    child.on("error", reject)
    child.on("exit", (code) => reject(new Error(`the emulator exited (${code}): ${out}`)))
  })

describe("resuming a thrifty export after the emulator restarted", () => {
  let first: RunningEmulator
  let restarted: { child: ChildProcess; url: string } | undefined
  let dir: string
  beforeAll(async () => {
    // Slow responses now and then, and the steady profile, so the interruption lands mid-export.
    first = await startEmulator({
      issues: ISSUES,
      seed: SEED,
      chaos: "slow=0.2:60,seed=2",
      profile: STEADY_PROFILE,
    })
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "liquitim-restart-"))
  })
  afterAll(async () => {
    await first.close()
    restarted?.child.kill("SIGTERM")
    fs.rmSync(dir, { recursive: true, force: true })
  })

  it("continues exactly where the file stopped", async () => {
    const site: Site = { url: first.url, email: first.accounts.admin.email, apiToken: first.apiToken }
    const jql = `project in (${first.dataset.projects.map((p) => p.key).join(", ")}) ORDER BY key ASC`
    const whole = path.join(dir, "whole.csv")
    expect(
      (await runCli(site, ["--jql", jql, "--strategy", "thrifty", "--out", whole, "--quiet"])).code,
    ).toBe(0)

    const part = path.join(dir, "part.csv")
    // The file grows as part.csv.partial until the export is complete.
    const size = () => (fs.existsSync(`${part}.partial`) ? fs.statSync(`${part}.partial`).size : 0)
    const stopped = await runCli(
      site,
      ["--jql", jql, "--strategy", "thrifty", "--out", part, "--quiet"],
      () => size() > 8_000,
    )
    expect(stopped.code).toBe(1)
    const saved: { cursor: string } = JSON.parse(fs.readFileSync(`${part}.cursor`, "utf8"))
    const phase = Effect.runSync(decodeCursor(saved.cursor)).phase
    // Stopped in the query's parts (thrifty reads `ORDER BY key` in parallel parts): the part being
    // written is the first, and unless it stopped between two parts it holds a page token of the
    // first emulator.
    expect(phase._tag).toBe("parallel")
    const token = phase._tag === "parallel" ? phase.parts[0]?.token : undefined

    // The same site restarted (same address: --resume refuses another site), its tokens now unknown.
    await first.close()
    restarted = await spawnEmulator(Number(new URL(first.url).port))
    expect(restarted.url).toBe(first.url)
    const resumed = await runCli(site, ["--resume", `${part}.cursor`])
    if (typeof token === "string")
      expect(resumed.stderr).toContain("Jira's page token expired once; the export found its place again")
    expect(resumed.code).toBe(0)
    expect(fs.readFileSync(part, "utf8")).toBe(fs.readFileSync(whole, "utf8"))
  })
})
