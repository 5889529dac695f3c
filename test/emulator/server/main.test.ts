/** The `npm run emulator` command line: flags, durations, and exit code 2 with a sentence on bad input. */
import { spawnSync } from "node:child_process"
import path from "node:path"
import { describe, expect, it } from "vitest"
import { parseArgs, parseDuration } from "../../../dev/emulator/main.js"
import { describeProfile, PROFILES } from "../../../dev/emulator/server/profiles.js"
import { onBusyPort } from "../../support/busyPort.js"

describe("emulator command line", () => {
  it("parses every flag, in both --flag value and --flag=value forms", () => {
    const parsed = parseArgs([
      "--port",
      "0",
      "--issues=200000",
      "--seed",
      "7",
      "--profile",
      "cloud",
      "--chaos",
      "5xx=0.1,seed=3",
      "--quota",
      "65000",
      "--quota-window",
      "10m",
      "--field-page-cap",
      "50",
    ])
    expect(parsed).toMatchObject({
      port: 0,
      issues: 200_000,
      seed: 7,
      profile: "cloud",
      quota: 65_000,
      quotaWindowMs: 600_000,
      fieldPageCap: 50,
    })
    expect(parsed !== "help" && parsed.chaos?.fault5xx).toBe(0.1)
    expect(parseArgs(["--help"])).toBe("help")
    expect(parseArgs(["--sites", "5", "--quota-mode", "tenant"])).toMatchObject({
      sites: 5,
      quotaMode: "tenant",
    })
    expect(parseArgs([])).toMatchObject({
      port: 8089,
      issues: 1000,
      seed: 1,
      profile: "instant",
      quota: undefined,
      premium: false,
    })
    // Jira Premium (Parent Link's values instead of its licence placeholder).
    expect(parseArgs(["--premium", "on"])).toMatchObject({ premium: true })
    expect(parseArgs(["--premium=off"])).toMatchObject({ premium: false })
    expect(() => parseArgs(["--premium", "yes"])).toThrow(/--premium must be on or off/)
  })

  it("reads durations with units", () => {
    expect(parseDuration("500ms")).toBe(500)
    expect(parseDuration("90s")).toBe(90_000)
    expect(parseDuration("1h")).toBe(3_600_000)
    expect(parseDuration("30")).toBe(30_000)
    expect(() => parseDuration("soon")).toThrow(/duration/)
  })

  it("refuses bad flags with a sentence", () => {
    for (const argv of [
      ["--bogus"],
      ["--port"],
      ["--issues", "many"],
      ["--profile", "fast"],
      ["--chaos", "5xx=2"],
      ["--sites", "0"],
      ["--quota-mode", "shared"],
    ])
      expect(() => parseArgs(argv)).toThrow(/\.$/)
  })

  it("exits with code 2 on a bad flag and prints help with the chaos syntax", () => {
    const root = path.resolve(__dirname, "../../..")
    const tsx = path.join(root, "node_modules/.bin/tsx")
    const bad = spawnSync(tsx, ["dev/emulator/main.ts", "--profile", "fast"], { cwd: root, encoding: "utf8" })
    expect(bad.status).toBe(2)
    expect(bad.stderr.trim()).toBe('--profile must be one of instant, cloud, not "fast".')
    const help = spawnSync(tsx, ["dev/emulator/main.ts", "--help"], { cwd: root, encoding: "utf8" })
    expect(help.status).toBe(0)
    expect(help.stdout).toContain("storm429=R")
    expect(help.stdout).toContain("--quota-window")
  })

  it("says in one sentence that a busy --port is in use, with no stack trace", async () => {
    const run = await onBusyPort("dev/emulator/main.ts", ["--issues", "10"])
    expect(run.code).toBe(1)
    expect(run.stderr.trim().split("\n")).toHaveLength(1)
    expect(run.stderr).toContain(`Port ${run.port}`)
    expect(run.stderr).toContain("already in use")
    expect(run.stderr).toContain("--port")
  })

  it("prints its profile in words, not as JSON", () => {
    expect(describeProfile(PROFILES.instant)).toBe("instant: no added latency, no burst limit")
    expect(describeProfile(PROFILES.cloud)).toBe(
      "cloud: issue calls 120 ms + 3 ms per issue, other calls 80 ms, burst limit 100 requests/s per endpoint (4 endpoints differ), at most 10 requests in flight per user",
    )
  })
})
