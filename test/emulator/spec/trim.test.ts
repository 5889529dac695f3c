/**
 * The trimmed OpenAPI copy the emulator's answers are checked against: it covers every route the
 * emulator serves, it is exactly what `npm run spec:trim` keeps (so the path list in the script and
 * the file agree, and every `$ref` resolves inside it), and it says which Atlassian release it is.
 */
import { readFileSync } from "node:fs"
import { describe, expect, it } from "vitest"
import { ROUTES } from "../../../dev/emulator/server/routes.js"
import { OPERATIONS, trimSpec } from "../../../dev/emulator/spec/trim.js"
import { openApiPath } from "../../support/openapi.js"

const copy = JSON.parse(readFileSync(openApiPath(), "utf8"))

/** Parameter names differ between routers (`{id}`, `{issueIdOrKey}`); the shape is what must match. */
const shape = (template: string) => template.replace(/\{[^}]+\}/g, "{}")

describe("the trimmed OpenAPI copy", () => {
  it("documents every route the emulator serves", () => {
    const documented = new Set<string>()
    for (const [template, item] of Object.entries<Record<string, unknown>>(copy.paths))
      for (const method of Object.keys(item)) documented.add(`${method.toUpperCase()} ${shape(template)}`)
    const missing = ROUTES.map((r) => `${r.method} ${shape(r.template)}`).filter((r) => !documented.has(r))
    expect(missing).toEqual([])
  })

  it("is what spec:trim keeps of it: the script's path list and the file agree", () => {
    const again = trimSpec(copy, { trimmedOn: copy["x-trimmed"].trimmedOn, sourceSha256: "" })
    expect(again).toEqual(copy)
    expect(Object.keys(copy.paths).sort()).toEqual(Object.keys(OPERATIONS).sort())
  })

  it("fails with a sentence when a release lacks a listed operation", () => {
    const { "/rest/api/3/user/bulk": _gone, ...paths } = copy.paths
    expect(() => trimSpec({ ...copy, paths }, { trimmedOn: "2000-01-01", sourceSha256: "" })).toThrow(
      'The document has no object at paths["/rest/api/3/user/bulk"].',
    )
  })

  it("names the Atlassian release it was cut from and the day", () => {
    expect(copy["x-trimmed"]).toMatchObject({
      source: {
        publishedAt: "https://developer.atlassian.com/cloud/jira/platform/swagger-v3.v3.json",
        version: copy.info.version,
        sha256: expect.stringMatching(/^[0-9a-f]{64}$/),
      },
      trimmedOn: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/),
    })
    expect(copy.info.version).toMatch(/^1001\.0\.0-SNAPSHOT-[0-9a-f]{40}$/)
  })
})
