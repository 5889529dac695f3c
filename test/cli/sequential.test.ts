/**
 * A thrifty export whose order it cannot cut into parallel parts says so once, before any row, with
 * the reason; an order it can cut, and --quiet, say nothing.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { type RunningEmulator, startEmulator } from "../../dev/emulator/index.js"
import { runCli } from "./run.js"

describe("command-line exporter: thrifty over an order it cannot read in parallel", () => {
  let emulator: RunningEmulator
  let projects: string
  beforeAll(async () => {
    emulator = await startEmulator({ issues: 60, seed: 3 })
    projects = `project in (${emulator.dataset.projects.map((p) => p.key).join(", ")})`
  })
  afterAll(async () => {
    await emulator.close()
  })

  const cli = (args: ReadonlyArray<string>) =>
    runCli({ url: emulator.url, email: emulator.accounts.admin.email, apiToken: emulator.apiToken }, args)

  it("says why it reads one page after another, and what reads the query in parallel", async () => {
    const run = await cli(["--jql", `${projects} ORDER BY summary ASC`, "--strategy", "thrifty"])
    expect(run.code).toBe(0)
    const lines = run.stderr.split("\n").filter((line) => line.includes("one page after another"))
    expect(lines).toEqual([
      `thrifty reads this query one page after another: the export cannot reproduce Jira's order by "summary" from the issues it reads. A query ordered first by key, created or updated, or by Rank alone, is read in parallel; --strategy fast (the default with an API token) reads the issues of any order in parallel.`,
    ])
  })

  it("says nothing for an order it reads in parallel, nor with --quiet", async () => {
    const byKey = await cli(["--jql", `${projects} ORDER BY key ASC`, "--strategy", "thrifty"])
    expect(byKey.code).toBe(0)
    // Only the line every complete export ends with.
    expect(byKey.stderr).toMatch(/^Wrote [\d,]+ issues to standard output \([^)]+\) in [^\n]+\n$/)
    const quiet = await cli(["--jql", `${projects} ORDER BY summary ASC`, "--strategy", "thrifty", "--quiet"])
    expect(quiet.code).toBe(0)
    expect(quiet.stderr).toBe("")
  })
})
