import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"
import { parse } from "csv-parse/sync"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { type RunningEmulator, startEmulator } from "../../dev/emulator/index.js"
import { runCli } from "./run.js"

describe("the built exporter's jira-import preset", () => {
  let emulator: RunningEmulator
  let dir: string
  let jql: string
  beforeAll(async () => {
    emulator = await startEmulator({ issues: 120, seed: 3 })
    jql = `project in (${emulator.dataset.projects.map((p) => p.key).join(", ")}) ORDER BY key ASC`
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "liquitim-import-"))
  })
  afterAll(async () => {
    await emulator.close()
    fs.rmSync(dir, { recursive: true, force: true })
  })

  const cli = (args: ReadonlyArray<string>) =>
    runCli({ url: emulator.url, email: emulator.accounts.admin.email, apiToken: emulator.apiToken }, [
      ...args,
      "--quiet",
    ])

  it("writes the importer's layout with --value-columns, and exits 2 with a sentence when an issue does not fit", async () => {
    const out = path.join(dir, "import.csv")
    const done = await cli([
      "--jql",
      jql,
      "--columns",
      "summary,labels",
      "--preset",
      "jira-import",
      "--value-columns",
      "10",
      "--out",
      out,
    ])
    expect(done.code).toBe(0)
    const [header, ...rows]: Array<Array<string>> = parse(fs.readFileSync(out, "utf8"))
    expect(header?.filter((h) => h === "Labels")).toHaveLength(10)
    expect(header).toEqual(
      expect.arrayContaining(["Summary", "Issue Type", "Issue key", "Issue id", "Parent"]),
    )
    expect(rows.length).toBeGreaterThan(50)

    const refused = await cli([
      "--jql",
      jql,
      "--columns",
      "summary,labels",
      "--preset",
      "jira-import",
      "--value-columns",
      "1",
      "--out",
      path.join(dir, "short.csv"),
    ])
    expect(refused.code).toBe(2)
    expect(refused.stderr).toMatch(/has \d+ values in "Labels", more than the 1 "Labels" columns/)
  })
})
