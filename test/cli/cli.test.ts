import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { type RunningEmulator, startEmulator } from "../../dev/emulator/index.js"
import { runCli, STEADY_PROFILE } from "./run.js"

describe("command-line exporter against the emulator", () => {
  let emulator: RunningEmulator
  let dir: string
  let jql: string
  beforeAll(async () => {
    // Slow responses now and then, and the steady profile, so an interruption lands mid-export.
    emulator = await startEmulator({
      issues: 1500,
      seed: 9,
      chaos: "slow=0.2:60,seed=2",
      profile: STEADY_PROFILE,
    })
    jql = `project in (${emulator.dataset.projects.map((p) => p.key).join(", ")}) ORDER BY key ASC`
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "liquitim-cli-"))
  })
  afterAll(async () => {
    await emulator.close()
    fs.rmSync(dir, { recursive: true, force: true })
  })

  /** Runs the exporter; `interruptWhen` is asked with the `--out` file and sends SIGINT when true. */
  const cli = (args: ReadonlyArray<string>, interruptWhen?: (out: string) => boolean) => {
    const out = args[args.indexOf("--out") + 1] ?? ""
    return runCli(
      { url: emulator.url, email: emulator.accounts.admin.email, apiToken: emulator.apiToken },
      args,
      interruptWhen === undefined ? undefined : () => interruptWhen(out),
    )
  }

  const size = (file: string) => (fs.existsSync(file) ? fs.statSync(file).size : 0)

  it("exports, and an interrupted export resumed from its cursor file gives the same bytes", async () => {
    const whole = path.join(dir, "whole.csv")
    emulator.resetStats()
    const full = await cli(["--jql", jql, "--out", whole, "--quiet"])
    expect(full.code).toBe(0)
    // The credentials check reads /myself; the user's time zone comes from that same answer.
    expect(emulator.stats().requests.byEndpoint["GET /rest/api/3/myself"]).toBe(1)
    const lines = fs
      .readFileSync(whole, "utf8")
      .split("\r\n")
      .filter((l) => /^[A-Z]+-\d+,/.test(l))
    expect(lines.length).toBe(emulator.referenceSearch(jql, emulator.accounts.admin.accountId).length)
    for (const strategy of ["fast", "thrifty"]) {
      const part = path.join(dir, `part-${strategy}.csv`)
      const first = await cli(
        ["--jql", jql, "--strategy", strategy, "--out", part, "--quiet"],
        // The export is written to FILE.partial until it is complete.
        (out) => size(`${out}.partial`) > 8_000,
      )
      expect(first.code).toBe(1)
      expect(first.stderr).toContain("--resume")
      expect(fs.existsSync(`${part}.cursor`)).toBe(true)
      const second = await cli(["--resume", `${part}.cursor`, "--quiet"])
      expect(second.code).toBe(0)
      expect(fs.readFileSync(part, "utf8")).toBe(fs.readFileSync(whole, "utf8"))
      expect(fs.existsSync(`${part}.cursor`)).toBe(false)
    }
  })

  it("exits 2 with a sentence on bad input", async () => {
    const badJql = await cli(["--jql", "project = = X", "--out", path.join(dir, "x.csv")])
    expect(badJql.code).toBe(2)
    expect(badJql.stderr).toContain("JQL")
    const badColumn = await cli([
      "--jql",
      jql,
      "--columns",
      "no such field",
      "--out",
      path.join(dir, "y.csv"),
    ])
    expect(badColumn.code).toBe(2)
    const badCursor = path.join(dir, "bad.cursor")
    fs.writeFileSync(badCursor, "{}")
    expect((await cli(["--resume", badCursor])).code).toBe(2)
  })
})
