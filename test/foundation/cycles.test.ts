/**
 * No import cycle under `src/`, `web/src/` or `dev/`: a module that imports something that imports it
 * back cannot be read (or moved, or run without the rest) on its own. Type-only imports count too: a
 * cycle of types is the same tangle to a reader. Each cycle found is named with its files.
 */
import { describe, expect, it } from "vitest"
import { cyclesOf, importsOf, importsUnder } from "./imports.js"

const describeCycle = (group: ReadonlyArray<string>) => `${group.length} files: ${group.join(", ")}`

describe("import cycles", () => {
  for (const dir of ["src", "web/src", "dev"])
    it(`none under ${dir}/`, () => {
      expect(cyclesOf(importsUnder(dir)).map(describeCycle)).toEqual([])
    })

  it("finds a cycle and names its files", () => {
    const imports = [
      ...importsOf("src/a.ts", 'import { b } from "./b.js"'),
      ...importsOf("src/b.ts", 'import type { C } from "./c.js"'),
      ...importsOf("src/c.ts", 'import { a } from "./a.js"\nimport { d } from "./d.js"'),
      ...importsOf("src/d.ts", 'import { Effect } from "effect"'),
      ...importsOf("src/e.ts", 'import { e } from "./e.js"'),
    ]
    expect(cyclesOf(imports).map(describeCycle)).toEqual([
      "3 files: src/a.ts, src/b.ts, src/c.ts",
      "1 files: src/e.ts",
    ])
  })
})
