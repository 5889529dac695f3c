import { existsSync } from "node:fs"
import { cp, mkdtemp, readFile, rm, writeFile } from "node:fs/promises"
import { tmpdir } from "node:os"
import { join, resolve } from "node:path"
import { validate } from "@forge/manifest"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { parse } from "yaml"
import { manifestRuleViolations } from "../support/manifest-rules.js"

const root = resolve(__dirname, "..", "..")
const manifestPath = join(root, "manifest.yml")

describe("manifest.yml", () => {
  beforeAll(() => {
    if (!existsSync(join(root, "web", "dist", "index.html")))
      throw new Error('web/dist is not built: run "npm run build" (npm test does it before vitest).')
  })

  it("passes @forge/manifest's full offline validation after the UI build", async () => {
    const result = await validate(false, manifestPath)
    expect(result.errors ?? []).toEqual([])
    expect(result.success).toBe(true)
  })

  it("has one Issue Export global page, the resolver on index.handler, nodejs24.x Jira read scopes and app storage only", async () => {
    const manifest = parse(await readFile(manifestPath, "utf8"))
    expect(manifest.modules["jira:globalPage"]).toHaveLength(1)
    expect(manifest.modules["jira:globalPage"][0]).toMatchObject({
      title: "Issue Export",
      resource: "main",
      resolver: { function: "resolver" },
    })
    expect(manifest.modules.function).toEqual([{ key: "resolver", handler: "index.handler" }])
    expect(manifest.resources).toEqual([{ key: "main", path: "web/dist" }])
    expect(manifest.app.runtime.name).toBe("nodejs24.x")
    expect([...manifest.permissions.scopes].sort()).toEqual([
      "read:board-scope.admin:jira-software",
      "read:jira-user",
      "read:jira-work",
      "read:project:jira",
      "read:sprint:jira-software",
      // The steward's per-installation record of points spent (issue 21).
      "storage:app",
    ])
    for (const scope of manifest.permissions.scopes) expect(scope).toMatch(/^read:|^storage:app$/)
    expect(manifestRuleViolations(manifest)).toEqual([])
  })

  it("opens the same page and resolver from the navigator, a board, a sprint and a project", async () => {
    const manifest = parse(await readFile(manifestPath, "utf8"))
    const entryPoints = [
      "jira:issueNavigatorAction",
      "jira:boardAction",
      "jira:sprintAction",
      "jira:projectPage",
    ]
    for (const module of entryPoints) {
      expect(manifest.modules[module], module).toHaveLength(1)
      expect(manifest.modules[module][0], module).toMatchObject({
        resource: "main",
        resolver: { function: "resolver" },
      })
    }
    // The actions open as modals wide enough for the preview table.
    for (const module of ["jira:issueNavigatorAction", "jira:boardAction", "jira:sprintAction"])
      expect(manifest.modules[module][0].viewportSize, module).toBe("xlarge")
    const keys = Object.values<ReadonlyArray<{ key: string }>>(manifest.modules).flatMap((list) =>
      list.map((m) => m.key),
    )
    expect(new Set(keys).size).toBe(keys.length)
  })

  it("the built index.html uses relative asset paths and carries no CSP meta tag", async () => {
    const html = await readFile(join(root, "web", "dist", "index.html"), "utf8")
    expect(html).not.toMatch(/http-equiv=["']?Content-Security-Policy/i)
    for (const [, path] of html.matchAll(/(?:src|href)="([^"]+)"/g)) expect(path).toMatch(/^\.\//)
  })
})

describe("the house rules over manifests", () => {
  it("flags timeoutSeconds on a function a UI module calls", () => {
    const manifest = {
      modules: {
        "jira:globalPage": [{ key: "p", resource: "main", resolver: { function: "resolver" }, title: "x" }],
        function: [{ key: "resolver", handler: "index.handler", timeoutSeconds: 25 }],
      },
    }
    expect(manifestRuleViolations(manifest)).toEqual([
      'Function "resolver" has timeoutSeconds but is called by jira:globalPage "p"; Forge rejects that.',
    ])
  })

  it("flags any egress permission", () => {
    const manifest = {
      modules: {},
      permissions: { scopes: [], external: { fetch: { backend: ["x.example"] } } },
    }
    expect(manifestRuleViolations(manifest)).toEqual([
      "permissions.external is present; the app promises that nothing leaves Atlassian.",
    ])
  })

  it("allows timeoutSeconds on a consumer function, which no UI module calls", () => {
    const manifest = {
      modules: {
        consumer: [{ key: "c", queue: "q", function: "worker" }],
        function: [{ key: "worker", handler: "index.worker", timeoutSeconds: 900 }],
      },
    }
    expect(manifestRuleViolations(manifest)).toEqual([])
  })
})

describe("@forge/manifest catches a broken manifest", () => {
  let dir: string
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "manifest-"))
    await cp(join(root, "web", "dist"), join(dir, "web", "dist"), { recursive: true })
    await cp(join(root, "src", "index.ts"), join(dir, "src", "index.ts"))
  })
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true })
  })

  it("rejects a handler that points at no file", async () => {
    const text = (await readFile(manifestPath, "utf8")).replace(
      "handler: index.handler",
      "handler: nowhere.handler",
    )
    await writeFile(join(dir, "manifest.yml"), text)
    const result = await validate(false, join(dir, "manifest.yml"))
    expect(result.success).toBe(false)
    expect(result.errors?.map((e) => e.message).join("\n")).toMatch(/nowhere/)
  })
})
