/**
 * The command-line exporter refuses what it would get wrong: resuming into another site's or another
 * file's export, replacing a file without --force, writing where the caller did not mean; and it
 * stays civil with a closed pipe and a silent site.
 */
import { spawn } from "node:child_process"
import * as fs from "node:fs"
import { createServer, type Server, type Socket } from "node:net"
import * as os from "node:os"
import * as path from "node:path"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { type RunningEmulator, startEmulator } from "../../dev/emulator/index.js"
import { CLI_BUNDLE, ensureCliBundle } from "../support/cliBundle.js"

interface Run {
  readonly code: number | null
  readonly stdout: string
  readonly stderr: string
}

interface Options {
  readonly env?: Record<string, string>
  readonly cwd?: string
  /** Asked every few ms with standard error so far; returning true sends SIGINT. */
  readonly interruptWhen?: (stderr: string) => boolean
  /** Closes the read end of standard output after the first line, as `| head -1` does. */
  readonly headOne?: boolean
}

describe("command-line exporter, hardened", () => {
  let emulator: RunningEmulator
  let dir: string
  let jql: string
  beforeAll(async () => {
    ensureCliBundle()
    // Jira Cloud's latency, so that an export lasts long enough to be interrupted part-way.
    emulator = await startEmulator({ issues: 400, seed: 4, profile: "cloud" })
    jql = `project in (${emulator.dataset.projects.map((p) => p.key).join(", ")}) ORDER BY key ASC`
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "liquitim-cli-hard-"))
  })
  afterAll(async () => {
    await emulator?.close()
    fs.rmSync(dir, { recursive: true, force: true })
  })

  const cli = (args: ReadonlyArray<string>, options: Options = {}) =>
    new Promise<Run>((resolve, reject) => {
      const child = spawn(process.execPath, [CLI_BUNDLE, ...args], {
        cwd: options.cwd ?? dir,
        env: {
          ...process.env,
          JIRA_SITE: emulator.url,
          JIRA_EMAIL: emulator.accounts.admin.email,
          JIRA_API_TOKEN: emulator.apiToken,
          INIT_CWD: "",
          ...options.env,
        },
        stdio: ["ignore", "pipe", "pipe"],
      })
      let stdout = ""
      let stderr = ""
      child.stdout.on("data", (d) => {
        stdout += String(d)
        if (options.headOne && stdout.includes("\n")) child.stdout.destroy()
      })
      child.stderr.on("data", (d) => {
        stderr += String(d)
      })
      const { interruptWhen } = options
      const timer =
        interruptWhen === undefined
          ? undefined
          : setInterval(() => {
              if (interruptWhen(stderr)) {
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

  it("exports into a new file only, and replaces one only with --force", async () => {
    const whole = path.join(dir, "whole.csv")
    const first = await cli(["--jql", jql, "--out", whole, "--quiet"])
    expect(first.code).toBe(0)
    expect(fs.existsSync(`${whole}.partial`)).toBe(false)
    const exported = fs.readFileSync(whole, "utf8")
    fs.writeFileSync(whole, "keep me")
    const again = await cli(["--jql", jql, "--out", whole, "--quiet"])
    expect(again.code).toBe(2)
    expect(again.stderr).toContain("already exists")
    expect(again.stderr).toContain("--force")
    expect(fs.readFileSync(whole, "utf8")).toBe("keep me")
    const forced = await cli(["--jql", jql, "--out", whole, "--quiet", "--force"])
    expect(forced.code).toBe(0)
    expect(fs.readFileSync(whole, "utf8")).toBe(exported)
  })

  it("writes a relative --out into the caller's directory (INIT_CWD), not where npm runs the script", async () => {
    const caller = fs.mkdtempSync(path.join(dir, "caller-"))
    const projectRoot = fs.mkdtempSync(path.join(dir, "root-"))
    const run = await cli(["--jql", "project = ALPHA AND key = ALPHA-1", "--out", "rel.csv", "--quiet"], {
      cwd: projectRoot,
      env: { INIT_CWD: caller },
    })
    expect(run.stderr).toBe("")
    expect(run.code).toBe(0)
    expect(fs.existsSync(path.join(caller, "rel.csv"))).toBe(true)
    expect(fs.existsSync(path.join(projectRoot, "rel.csv"))).toBe(false)
  })

  describe("--resume continues its own export only", () => {
    // A cursor file as an interrupted run leaves it: made by interrupting a real export.
    const makeInterrupted = async (name: string) => {
      const out = path.join(dir, name)
      const run = await cli(["--jql", jql, "--out", out, "--strategy", "thrifty"], {
        interruptWhen: () => fs.existsSync(`${out}.partial`) && fs.statSync(`${out}.partial`).size > 5_000,
      })
      expect(run.code).toBe(1)
      expect(fs.existsSync(`${out}.cursor`)).toBe(true)
      return { out, partial: `${out}.partial`, cursor: `${out}.cursor` }
    }

    it("refuses another --site, another or shorter --out, and a changed file, and writes nothing", async () => {
      const { out, partial, cursor } = await makeInterrupted("part.csv")
      const before = fs.readFileSync(partial)

      const otherSite = await cli(["--resume", cursor, "--quiet"], {
        env: { JIRA_SITE: "http://127.0.0.1:9" },
      })
      expect(otherSite.code).toBe(2)
      expect(otherSite.stderr).toContain(`--site ${emulator.url}`)

      const short = path.join(dir, "short.csv")
      fs.writeFileSync(short, "x")
      const otherOut = await cli(["--resume", cursor, "--out", short, "--quiet"])
      expect(otherOut.code).toBe(2)
      expect(otherOut.stderr).toContain(out)
      expect(fs.readFileSync(short, "utf8")).toBe("x")

      fs.writeFileSync(partial, before.subarray(0, 100))
      const shorter = await cli(["--resume", cursor, "--quiet"])
      expect(shorter.code).toBe(2)
      expect(shorter.stderr).toContain("not this export's file")
      expect(fs.readFileSync(partial).length).toBe(100)

      const changed = Buffer.from(before)
      changed[changed.length - 3] = "#".charCodeAt(0)
      fs.writeFileSync(partial, changed)
      const altered = await cli(["--resume", cursor, "--quiet"])
      expect(altered.code).toBe(2)
      expect(altered.stderr).toContain("was changed")
      expect(fs.readFileSync(partial).equals(changed)).toBe(true)

      // A new export would throw the interrupted one away: only with --force.
      const over = await cli(["--jql", jql, "--out", out, "--quiet"])
      expect(over.code).toBe(2)
      expect(over.stderr).toContain(`--resume ${cursor}`)

      // The other flags a resume would ignore are refused the same way (args.test.ts).
      const ignored = await cli(["--resume", cursor, "--jql", jql, "--quiet"])
      expect(ignored.code).toBe(2)
      expect(ignored.stderr).toContain("--jql")

      // Put back, it resumes into the same file and the export is whole.
      fs.writeFileSync(partial, before)
      const resumed = await cli(["--resume", cursor, "--quiet"])
      expect(resumed.code).toBe(0)
      expect(fs.existsSync(partial)).toBe(false)
      const reference = await cli(["--jql", jql, "--strategy", "thrifty", "--quiet"])
      expect(fs.readFileSync(out, "utf8")).toBe(reference.stdout)
    })
  })

  it("ends quietly when the reader of standard output goes away (| head -1)", async () => {
    const run = await cli(["--jql", jql, "--quiet"], { headOne: true })
    expect(run.stdout.split("\n")[0]?.length).toBeGreaterThan(0)
    expect(run.stderr).not.toMatch(/EPIPE|Error|at /)
    expect(run.code).toBe(0)
  })

  describe("a site that accepts connections and never answers", () => {
    let silent: Server
    let site: string
    const sockets: Array<Socket> = []
    beforeAll(async () => {
      silent = createServer((socket) => {
        sockets.push(socket)
      })
      await new Promise<void>((done) => silent.listen(0, "127.0.0.1", done))
      const address = silent.address()
      site = `http://127.0.0.1:${typeof address === "object" && address !== null ? address.port : 0}`
    })
    afterAll(async () => {
      for (const socket of sockets) socket.destroy()
      await new Promise<void>((done) => silent.close(() => done()))
    })

    it("says what it waits for, and gives up after --timeout with a sentence", async () => {
      const run = await cli(["--jql", jql, "--timeout", "1"], { env: { JIRA_SITE: site } })
      expect(run.stderr).toContain(`Waiting for Jira at ${site} to check the email and API token`)
      expect(run.stderr).toContain(`Jira at ${site} did not answer GET /rest/api/3/myself within 1 s`)
      expect(run.stderr).not.toMatch(/\n\s+at /)
      expect(run.code).toBe(1)
    })

    it("stops at once on Ctrl-C while it waits", async () => {
      const run = await cli(["--jql", jql], {
        env: { JIRA_SITE: site },
        interruptWhen: (stderr) => stderr.includes("Waiting for Jira"),
      })
      expect(run.stderr).toContain("Interrupted before the export started")
      expect(run.code).toBe(1)
    })
  })
})
