/**
 * What a new user meets on the command line (issue 23, items 7, 8, 10 and 13): a finished export says
 * what it wrote; `--resume FILE.cursor` as the Ctrl-C hint prints it is enough; `--list-columns` lists
 * the columns, and a misspelt one gets a "did you mean"; a refused jira-import export leaves no part
 * file behind; a bad flag gets its sentence, not the whole usage.
 */
import { spawn } from "node:child_process"
import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { type RunningEmulator, startEmulator } from "../../dev/emulator/index.js"
import { successLine } from "../../src/cli/progress.js"
import { formatBytes, formatElapsed } from "../../src/contract/words.js"
import { CLI_BUNDLE, ensureCliBundle } from "../support/cliBundle.js"

interface Run {
  readonly code: number | null
  readonly stdout: string
  readonly stderr: string
}

describe("the success line", () => {
  it("says how many issues went where, how large and how long; gone issues and recoveries when any", () => {
    expect(
      successLine({
        issues: 14_000,
        out: "alpha.csv",
        bytes: 1_600_000,
        ms: 17_200,
        missing: 0,
        relocations: 0,
        history: false,
      }),
    ).toBe("Wrote 14,000 issues to alpha.csv (1.6 MB) in 17 s")
    expect(
      successLine({
        issues: 1,
        out: undefined,
        bytes: 300,
        ms: 400,
        missing: 2,
        relocations: 1,
        history: true,
      }),
    ).toBe(
      "Wrote the change history of 1 issue to standard output (300 bytes) in under a second; 2 matched but were gone, an expired page token recovered from",
    )
    expect(formatBytes(999)).toBe("999 bytes")
    expect(formatBytes(12_345_678)).toBe("12 MB")
    expect(formatElapsed(125_000)).toBe("2 min 5 s")
  })
})

describe("the command line's first minutes, against the emulator", () => {
  let emulator: RunningEmulator
  let dir: string
  let jql: string
  beforeAll(async () => {
    ensureCliBundle()
    // Jira Cloud's latency, so that an export lasts long enough to be interrupted part-way.
    emulator = await startEmulator({ issues: 400, seed: 4, profile: "cloud" })
    jql = `project in (${emulator.dataset.projects.map((p) => p.key).join(", ")}) ORDER BY key ASC`
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "liquitim-cli-first-"))
  })
  afterAll(async () => {
    await emulator?.close()
    fs.rmSync(dir, { recursive: true, force: true })
  })

  /** Standard error is a pipe here, as in CI: no terminal. `interruptWhen` sends SIGINT once true. */
  const cli = (
    args: ReadonlyArray<string>,
    env: Record<string, string | undefined> = {},
    interruptWhen?: () => boolean,
  ) =>
    new Promise<Run>((resolve, reject) => {
      const child = spawn(process.execPath, [CLI_BUNDLE, ...args], {
        cwd: dir,
        env: {
          ...process.env,
          JIRA_SITE: emulator.url,
          JIRA_EMAIL: emulator.accounts.admin.email,
          JIRA_API_TOKEN: emulator.apiToken,
          INIT_CWD: "",
          ...env,
        },
        stdio: ["ignore", "pipe", "pipe"],
      })
      let stdout = ""
      let stderr = ""
      child.stdout.on("data", (d) => {
        stdout += String(d)
      })
      child.stderr.on("data", (d) => {
        stderr += String(d)
      })
      const timer =
        interruptWhen === undefined
          ? undefined
          : setInterval(() => {
              if (interruptWhen()) {
                clearInterval(timer)
                child.kill("SIGINT")
              }
            }, 5)
      child.on("error", reject)
      child.on("close", (code) => {
        clearInterval(timer)
        resolve({ code, stdout, stderr })
      })
    })

  const issues = () => emulator.referenceSearch(jql, emulator.accounts.admin.accountId).length

  it("ends a complete export with one line on standard error, also without a terminal; --quiet keeps it silent", async () => {
    const loud = await cli(["--jql", jql, "--out", "loud.csv"])
    expect(loud.code).toBe(0)
    const size = fs.statSync(path.join(dir, "loud.csv")).size
    const last = loud.stderr.trimEnd().split("\n").at(-1) ?? ""
    expect(
      last.startsWith(
        `Wrote ${issues().toLocaleString("en-US")} issues to loud.csv (${formatBytes(size)}) in `,
      ),
    ).toBe(true)
    expect(last).toMatch(/ in (under a second|\d+ s)$/)
    const quiet = await cli(["--jql", jql, "--out", "quiet.csv", "--quiet"])
    expect(quiet.code).toBe(0)
    expect(quiet.stderr).toBe("")
    const piped = await cli(["--jql", `${jql.replace(" ORDER BY key ASC", "")} AND key = ALPHA-1`])
    expect(piped.code).toBe(0)
    expect(piped.stderr).toMatch(
      /^Wrote 1 issue to standard output \(\d+ bytes\) in (under a second|\d+ s)\n$/,
    )
  })

  it("resumes with --resume FILE.cursor alone: the site from the cursor, the credentials from the environment", async () => {
    const out = path.join(dir, "resumed.csv")
    const first = await cli(["--jql", jql, "--out", out, "--strategy", "thrifty", "--quiet"], {}, () => {
      const partial = `${out}.partial`
      return fs.existsSync(partial) && fs.statSync(partial).size > 5_000
    })
    expect(first.code).toBe(1)
    const hint = /--resume (\S+)/.exec(first.stderr)?.[1]
    expect(hint).toBe(`${out}.cursor`)
    // Exactly as the hint says, with no site anywhere but in the cursor.
    const second = await cli(["--resume", `${hint}`], { JIRA_SITE: undefined })
    expect(second.stderr).not.toContain("--site")
    expect(second.code).toBe(0)
    expect(second.stderr).toMatch(
      new RegExp(`^Wrote ${issues().toLocaleString("en-US")} issues to resumed.csv`, "m"),
    )
    expect(fs.existsSync(`${out}.cursor`)).toBe(false)
  })

  it("--list-columns lists id, name and type in Jira's words; a misspelt column gets a did-you-mean", async () => {
    const list = await cli(["--list-columns"])
    expect(list.code).toBe(0)
    const lines = list.stdout.trimEnd().split("\n")
    expect(lines[0]).toMatch(/^ID\s+NAME\s+TYPE$/)
    expect(lines).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^issuekey\s+Issue key\s+Text$/),
        expect.stringMatching(/^customfield_10011\s+Story Points\s+Number \(custom\)$/),
        expect.stringMatching(/^labels\s+Labels\s+Labels$/),
      ]),
    )
    expect(list.stdout).not.toMatch(/array<|comments-page/)

    const typo = await cli(["--jql", jql, "--columns", "key,storypoints", "--out", "typo.csv"])
    expect(typo.code).toBe(2)
    expect(typo.stderr).toContain(
      'There is no field "storypoints" that you can see in Jira; did you mean Story Points (customfield_10011)?',
    )
    expect(typo.stderr).toContain("--list-columns")
    expect(fs.existsSync(path.join(dir, "typo.csv.partial"))).toBe(false)
  })

  it("a jira-import export refused for an issue that does not fit leaves no part file without a cursor", async () => {
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
      "ji.csv",
    ])
    expect(refused.code).toBe(2)
    expect(fs.existsSync(path.join(dir, "ji.csv.partial"))).toBe(false)
    expect(fs.existsSync(path.join(dir, "ji.csv.cursor"))).toBe(false)
    expect(fs.existsSync(path.join(dir, "ji.csv"))).toBe(false)
  })

  it("a bad flag gets its sentence and where the options are, not the whole usage", async () => {
    const bad = await cli(["--jql", jql, "--strategy", "fastest"])
    expect(bad.code).toBe(2)
    expect(bad.stderr.trimEnd().split("\n")).toHaveLength(2)
    expect(bad.stderr).toContain("Run with --help for every option.")
    const noSite = await cli(["--jql", jql], { JIRA_SITE: undefined })
    expect(noSite.stderr).toBe(
      "Say which Jira site to read with --site or JIRA_SITE.\nRun with --help for every option.\n",
    )
  })
})
