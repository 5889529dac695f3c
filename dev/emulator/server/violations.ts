/**
 * `npx tsx dev/emulator/server/violations.ts [--issues 4000] [--seed 11] [--chaos all] [--runs 1]`:
 * the Retry-After check under load. Starts the emulator in this process (instant profile, chaos) and
 * runs the built exporter (dist/liquitim-export.mjs, rebuilt when stale) as restricted@example.test
 * three times in a row, fast, thrifty and auto, then prints each run's Retry-After violations with
 * their details, and the requests excused (in flight, or read late by a busy emulator): a busy
 * machine is when a client that sends too early and a server that reads too late look alike, and the
 * details tell them apart. `--runs N` repeats the three exports N times.
 */
import { execFile, execFileSync } from "node:child_process"
import { mkdtempSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import path from "node:path"
import { parseArgs } from "node:util"
import { startEmulator } from "../index.js"

const root = path.resolve(import.meta.dirname ?? __dirname, "../../..")
const bundle = path.join(root, "dist", "liquitim-export.mjs")
const STRATEGIES = ["fast", "thrifty", "auto"] as const

const { values } = parseArgs({
  options: {
    issues: { type: "string", default: "4000" },
    seed: { type: "string", default: "11" },
    chaos: { type: "string", default: "all" },
    runs: { type: "string", default: "1" },
  },
})

const exportOnce = (args: ReadonlyArray<string>) =>
  new Promise<{ code: number; stderr: string }>((resolve) => {
    execFile(process.execPath, ["--max-old-space-size=256", bundle, ...args], (error, _stdout, stderr) =>
      resolve({ code: error === null ? 0 : typeof error.code === "number" ? error.code : 1, stderr }),
    )
  })

const main = async () => {
  execFileSync(process.execPath, [path.join(root, "esbuild.config.mjs"), "--cli", "--if-stale"], {
    cwd: root,
    stdio: ["ignore", "ignore", "inherit"],
  })
  const emulator = await startEmulator({
    issues: Number(values.issues),
    seed: Number(values.seed),
    profile: "instant",
    chaos: values.chaos,
  })
  const dir = mkdtempSync(path.join(tmpdir(), "liquitim-violations-"))
  const restricted = emulator.dataset.userByAccountId(emulator.accounts.restricted.accountId)
  const visible = emulator.dataset.projects.filter((p) => !restricted?.hiddenProjects.has(p.key))
  const jql = `project in (${visible.map((p) => p.key).join(", ")}) ORDER BY key ASC`
  let total = 0
  try {
    for (let round = 1; round <= Number(values.runs); round++)
      for (const strategy of STRATEGIES) {
        emulator.resetStats()
        const started = performance.now()
        const out = path.join(dir, `${strategy}-${round}.csv`)
        const { code, stderr } = await exportOnce([
          ...["--site", emulator.url, "--email", emulator.accounts.restricted.email],
          ...["--token", emulator.apiToken, "--jql", jql, "--strategy", strategy],
          ...["--out", out, "--force", "--quiet"],
        ])
        const stats = emulator.stats()
        total += stats.retryAfterViolations
        const seconds = ((performance.now() - started) / 1000).toFixed(1)
        console.log(
          `${strategy}: exit ${code}, ${seconds} s, ${stats.requests.total} requests, ` +
            `${stats.rateLimited.total} rate-limited, ${stats.retryAfterViolations} Retry-After violations, ` +
            `${stats.retryAfterExcused} excused`,
        )
        if (code !== 0) console.log(stderr.trim())
        for (const v of stats.retryAfterViolationDetails) console.log(`  violation ${JSON.stringify(v)}`)
        for (const v of stats.retryAfterExcusedDetails) console.log(`  excused ${JSON.stringify(v)}`)
      }
  } finally {
    await emulator.close()
    rmSync(dir, { recursive: true, force: true })
  }
  console.log(`total Retry-After violations: ${total}`)
}

main().catch((cause: unknown) => {
  console.error(cause)
  process.exit(1)
})
