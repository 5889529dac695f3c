/**
 * A changelog read that fails fails the export (issue 19 item 1): under an emulator whose every
 * changelog request fails (403, 500, or a 200 that does not decode), the exporter exits 1 with its
 * cursor saved and a sentence, and writes no finished file, for history columns and `--history` alike.
 */
import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { type RunningEmulator, startEmulator } from "../../dev/emulator/index.js"
import { runCli } from "./run.js"

describe("every changelog request fails", () => {
  let emulator: RunningEmulator
  let dir: string
  beforeAll(async () => {
    emulator = await startEmulator({ issues: 150, seed: 19 })
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "liquitim-changelog-faults-"))
  })
  afterAll(async () => {
    await emulator.close()
    fs.rmSync(dir, { recursive: true, force: true })
  })

  const jql = () => `project in (${emulator.dataset.projects.map((p) => p.key).join(", ")}) ORDER BY key ASC`

  const cases = [
    { fault: "403", sentence: /permission/i },
    { fault: "500", sentence: /Jira/ },
    { fault: "garbled", sentence: /could not read/ },
  ] as const
  for (const { fault, sentence } of cases)
    for (const mode of [["--columns", "key,status,timeInStatus,statusChanges"], ["--history"]])
      it(`changelog=${fault}, ${mode[0]}: exit 1, cursor saved, no file`, async () => {
        emulator.setChaos(`changelog=${fault}`)
        const out = path.join(dir, `${fault}${mode[0]}.csv`)
        const run = await runCli(
          { url: emulator.url, email: emulator.accounts.admin.email, apiToken: emulator.apiToken },
          ["--jql", jql(), ...mode, "--out", out, "--quiet"],
        )
        expect(run.stderr).not.toBe("")
        expect(run.code, run.stderr).toBe(1)
        expect(run.stderr).toMatch(sentence)
        expect(run.stderr).toContain("--resume")
        expect(fs.existsSync(out)).toBe(false)
        expect(fs.existsSync(`${out}.cursor`)).toBe(true)
      }, 60_000)
})
