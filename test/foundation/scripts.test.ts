/**
 * The npm scripts a new contributor runs first (issue 23, items 13–16): `test:unit` and `test:browser`
 * name vitest projects that exist; `npm run bench -- --help` prints its options; `npm start -- --help`
 * answers without building the UI, a busy port gets a sentence with --port, and the entry points'
 * URLs open the modules they name; every benchmark figure says its target, workload and verdict.
 */
import { spawnSync } from "node:child_process"
import * as fs from "node:fs"
import path from "node:path"
import { describe, expect, it } from "vitest"
import { issuesWorkload, meets, verdict } from "../../bench/targets.js"
import { entryPointUrls, hostModule } from "../../dev/hostModules.js"
import config from "../../vitest.config.js"
import { onBusyPort } from "../support/busyPort.js"

const root = path.resolve(__dirname, "../..")
const tsx = path.join(root, "node_modules/.bin/tsx")
const scripts: Record<string, string> = JSON.parse(
  fs.readFileSync(path.join(root, "package.json"), "utf8"),
).scripts

describe("the npm scripts", () => {
  it("test:unit and test:browser run vitest projects the config defines, which split the tests between them", () => {
    const projects = (config.test?.projects ?? []).flatMap((p) =>
      typeof p === "object" && p !== null && "test" in p && p.test?.name !== undefined ? [p.test] : [],
    )
    const named = new Map(projects.map((p) => [String(p.name), p]))
    for (const script of ["test:unit", "test:browser"]) {
      const project = /--project (\S+)/.exec(scripts[script] ?? "")?.[1]
      expect(project, script).toBeDefined()
      expect(named.has(String(project)), `${script} names project ${project}`).toBe(true)
    }
    expect(named.get("unit")?.exclude).toContain("test/browser/**")
    expect(named.get("browser")?.include).toEqual(["test/browser/**/*.test.ts"])
  })

  it("npm run bench -- --help prints the options and exits 0", () => {
    const help = spawnSync(tsx, ["bench/main.ts", "--help"], { cwd: root, encoding: "utf8" })
    expect(help.status).toBe(0)
    for (const option of ["--issues", "--skip-cli", "--json", "csv", "startup", "cliEndToEnd"])
      expect(help.stdout).toContain(option)
  })

  it("every figure says its target, the workload it is for and whether the run met it", () => {
    expect(verdict(1.19, "<=", 1.2, issuesWorkload(10_000))).toBe("(target <= 1.2 for 10,000 issues: met)")
    expect(verdict(1.31, "<=", 1.25, "10,000 issues")).toBe("(target <= 1.25 for 10,000 issues: NOT met)")
    expect(meets(10.2, ">=", 8)).toBe(true)
  })

  it("npm start -- --help answers at once, without building the UI", () => {
    expect(scripts.start).not.toContain("esbuild")
    const built = path.join(root, "web/dist/assets/main.js")
    const before = fs.existsSync(built) ? fs.statSync(built).mtimeMs : undefined
    const help = spawnSync(tsx, ["dev/start.ts", "--help"], { cwd: root, encoding: "utf8" })
    expect(help.status).toBe(0)
    expect(help.stdout).toContain("--port")
    expect(fs.existsSync(built) ? fs.statSync(built).mtimeMs : undefined).toBe(before)
  })

  it("npm start on a busy port says so in one sentence and suggests --port", async () => {
    const run = await onBusyPort("dev/start.ts", ["--issues", "10"])
    expect(run.code).toBe(1)
    expect(run.stderr.trim().split("\n")).toHaveLength(1)
    expect(run.stderr).toContain("already in use")
    expect(run.stderr).toContain("--port")
  })

  it("the entry points npm start prints open the modules they name", () => {
    const urls = new Map(entryPointUrls("http://127.0.0.1:8080/"))
    const moduleOf = (label: string) => {
      const url = urls.get(label)
      if (url === undefined) throw new Error(`no ${label}`)
      return hostModule(new URL(url).search, "https://site.example")
    }
    expect(moduleOf("global page (Apps → Issue Export)").extension.type).toBe("jira:globalPage")
    const navigator = moduleOf("issue navigator, 3 issues selected").extension
    expect(navigator).toMatchObject({
      type: "jira:issueNavigatorAction",
      jql: "project = ALPHA ORDER BY key ASC",
      issueKeys: ["ALPHA-1", "ALPHA-2", "ALPHA-3"],
      filterId: "10000",
    })
    expect(moduleOf("board").extension.type).toBe("jira:boardAction")
    expect(moduleOf("sprint").extension).toMatchObject({ type: "jira:sprintAction", sprint: { id: "2" } })
    expect(moduleOf("project page").extension).toMatchObject({ project: { key: "ALPHA" } })
  })
})
