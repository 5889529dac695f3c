/**
 * The page's JavaScript files as `npm run build` wrote them (the browser tests run on the same files):
 * Effect rides in the engine file, but not the property-test generator Effect's Schema imports
 * (fast-check and pure-rand, about 14 KB of gzip the page never runs: web/fastCheck.js).
 */
import * as fs from "node:fs"
import * as path from "node:path"
import { describe, expect, it } from "vitest"

const assets = path.join(import.meta.dirname, "..", "..", "web", "dist", "assets")
const sourcesOf = (file: string): ReadonlyArray<string> =>
  JSON.parse(fs.readFileSync(path.join(assets, `${file}.map`), "utf8")).sources

describe("the page's files", () => {
  it.each(["main.js", "engine.js", "xlsx.js"])("%s carries no fast-check", (file) => {
    const sources = sourcesOf(file)
    expect(sources.length).toBeGreaterThan(0)
    expect(sources.filter((source) => /node_modules\/(fast-check|pure-rand)\//.test(source))).toEqual([])
  })

  it("the engine file has Effect's Schema, which imports it", () => {
    expect(
      sourcesOf("engine.js").some((source) => source.endsWith("node_modules/effect/src/Schema.ts")),
    ).toBe(true)
  })
})
