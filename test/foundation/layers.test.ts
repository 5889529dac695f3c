/**
 * Layers point down: what each part of `src/` and `web/src/` may import (docs/architecture.md). The
 * page's bundle in particular must not pull Effect in, so the page takes values only from the
 * contract's Effect-free constants and only types from the Schema contract.
 */
import { describe, expect, it } from "vitest"
import { type Import, importsOf, importsUnder, type Rule, violations } from "./imports.js"

const under =
  (...dirs: ReadonlyArray<string>) =>
  (file: string) =>
    dirs.some((dir) => file.startsWith(`${dir}/`))
const isAny =
  (...paths: ReadonlyArray<string>) =>
  (target: string) =>
    paths.some((path) => target === path || target.startsWith(`${path}/`))

const aboveExport = isAny("src/resolvers", "src/cli", "src/runtime.ts", "src/index.ts")
const CONSTANTS = "src/contract/constants.ts"
const WORDS = "src/contract/words.ts"
const ENGINE = "web/src/engine"

const rules: ReadonlyArray<Rule> = [
  {
    name: "src/csv and src/fields import nothing from src/export, src/resolvers, src/cli, src/runtime.ts or src/index.ts",
    governs: under("src/csv", "src/fields"),
    breaks: (i) => isAny("src/export")(i.target) || aboveExport(i.target),
  },
  {
    name: "src/jira imports only effect and files in src/jira (and @forge/api in the Forge transport)",
    governs: under("src/jira"),
    breaks: (i) =>
      !(
        i.target === "effect" ||
        isAny("src/jira")(i.target) ||
        (i.target === "@forge/api" && i.file === "src/jira/ForgeTransport.ts")
      ),
  },
  {
    name: "src/export imports nothing from src/resolvers, src/cli, src/runtime.ts or src/index.ts",
    governs: under("src/export"),
    breaks: (i) => aboveExport(i.target),
  },
  {
    name: "the runners beside the engine, src/resolvers (the Forge chunk runner) and src/cli, import nothing of each other",
    governs: under("src/resolvers", "src/cli"),
    breaks: (i) =>
      (i.file.startsWith("src/resolvers/") && isAny("src/cli")(i.target)) ||
      (i.file.startsWith("src/cli/") && isAny("src/resolvers")(i.target)),
  },
  {
    name: "web/src takes from src/ only the contract (values from src/contract/constants.ts and words.ts, types from src/contract.ts) and the workbook writer src/xlsx; never effect",
    // The page runner's own folder is the exception: it is the engine's third runner, built as its own file.
    governs: (file) => under("web/src")(file) && !under(ENGINE)(file),
    breaks: (i) =>
      i.target === "effect" ||
      (i.target.startsWith("src/") &&
        i.target !== CONSTANTS &&
        i.target !== WORDS &&
        !isAny("src/xlsx")(i.target) &&
        !(i.target === "src/contract.ts" && i.typeOnly)),
  },
  {
    name: "web/src/engine (the page runner) imports the engine, the Jira services over requestJira and the resolvers' payload check and sentences; never the Forge or HTTP transports, the CLI or the Forge runtime",
    governs: under(ENGINE),
    breaks: (i) =>
      isAny(
        "src/cli",
        "src/runtime.ts",
        "src/index.ts",
        "src/jira/ForgeTransport.ts",
        "src/jira/HttpTransport.ts",
      )(i.target) ||
      (isAny("src/resolvers")(i.target) &&
        !isAny("src/resolvers/payload.ts", "src/resolvers/respond.ts")(i.target) &&
        !i.typeOnly) ||
      i.target === "@forge/api",
  },
  {
    name: "the rest of web/src never imports web/src/engine: the page loads it by URL on the first export in the browser",
    governs: (file) => under("web/src")(file) && !under(ENGINE)(file),
    breaks: (i) => isAny(ENGINE)(i.target),
  },
  {
    name: "src/contract/constants.ts and words.ts import nothing, so the page's bundle stays free of Effect",
    governs: (file) => file === CONSTANTS || file === WORDS,
    breaks: () => true,
  },
  {
    name: "src/xlsx imports only fflate, its own files and the CSV encoder's limits (the page runs it too)",
    governs: under("src/xlsx"),
    breaks: (i) => !(i.target === "fflate" || isAny("src/xlsx", "src/csv/encoder.ts")(i.target)),
  },
]

const all = importsUnder("src", "web/src")

describe("the import rule", () => {
  for (const rule of rules)
    it(rule.name, () => {
      expect(violations(rule, all)).toEqual([])
    })
})

describe("the import reader", () => {
  const read = (file: string, text: string): Array<Pick<Import, "target" | "typeOnly">> =>
    importsOf(file, text).map(({ target, typeOnly }) => ({ target, typeOnly }))

  it("finds imports, re-exports and dynamic imports, and tells type-only ones apart", () => {
    const text = [
      'import { Schema } from "effect"',
      'import type { Column } from "../fields/columns.js"',
      'import { type A, type B } from "../export/options.js"',
      'import { type C, D } from "../export/ports.js"',
      'export { E } from "./e.js"',
      'export type { F } from "../contract.js"',
      'const lazy = () => import("@forge/api/out/x.js")',
      '// import { G } from "../resolvers/g.js"',
    ].join("\n")
    expect(read("src/csv/encoder.ts", text)).toEqual([
      { target: "effect", typeOnly: false },
      { target: "src/fields/columns.ts", typeOnly: true },
      { target: "src/export/options.ts", typeOnly: true },
      { target: "src/export/ports.ts", typeOnly: false },
      { target: "src/csv/e.ts", typeOnly: false },
      { target: "src/contract.ts", typeOnly: true },
      { target: "@forge/api", typeOnly: false },
    ])
  })

  it("reports an upward import with the file, the import and the rule it breaks", () => {
    const imports = [
      ...importsOf("src/fields/format.ts", 'import type { FormatOptions } from "../export/options.js"'),
      ...importsOf("web/src/errors.ts", 'import { ErrorTag } from "../../src/contract.js"'),
      ...importsOf("web/src/views/App.tsx", 'import type { ErrorTag } from "../../../src/contract.js"'),
      ...importsOf("src/jira/JiraClient.ts", 'import { x } from "../fields/columns.js"'),
      ...importsOf("src/cli/main.ts", 'import { runChunk } from "../resolvers/chunk.js"'),
    ]
    expect(rules.flatMap((rule) => violations(rule, imports))).toEqual([
      `src/fields/format.ts imports "../export/options.js" (src/export/options.ts), breaking the rule: ${rules[0]?.name}`,
      `src/jira/JiraClient.ts imports "../fields/columns.js" (src/fields/columns.ts), breaking the rule: ${rules[1]?.name}`,
      `src/cli/main.ts imports "../resolvers/chunk.js" (src/resolvers/chunk.ts), breaking the rule: ${rules[3]?.name}`,
      `web/src/errors.ts imports "../../src/contract.js" (src/contract.ts), breaking the rule: ${rules[4]?.name}`,
    ])
  })

  it("reads every source file of src and web/src", () => {
    const files = new Set(all.map((i) => i.file))
    expect(files).toContain("src/index.ts")
    expect(files).toContain("web/src/bridge.ts")
    expect(all.some((i) => i.file === "web/src/bridge.ts" && i.target === CONSTANTS)).toBe(true)
  })
})
