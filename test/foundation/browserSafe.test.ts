/**
 * Nothing the page's bundle can load needs Node: from every file under web/src, through static and
 * dynamic imports of repository files (the lazily loaded engine included), no file imports a Node
 * built-in (`node:*` or a bare built-in name such as `crypto`) or uses a Node-only global (`Buffer`,
 * `process`, `setImmediate`, `__dirname`, `require`).
 */

import { readFileSync } from "node:fs"
import { builtinModules } from "node:module"
import { join } from "node:path"
import ts from "typescript"
import { describe, expect, it } from "vitest"
import { importsOf, root, sourceFiles } from "./imports.js"

const BUILTINS = new Set(builtinModules)
const NODE_GLOBALS = new Set([
  "Buffer",
  "process",
  "setImmediate",
  "clearImmediate",
  "__dirname",
  "__filename",
  "require",
  "global",
])

/** Every repository file reachable from `entries`, by static and dynamic imports. */
const reachable = (entries: ReadonlyArray<string>): Array<string> => {
  const seen = new Set<string>()
  const queue = [...entries]
  for (let file = queue.shift(); file !== undefined; file = queue.shift()) {
    if (seen.has(file)) continue
    seen.add(file)
    for (const imported of importsOf(file, readFileSync(join(root, file), "utf8")))
      if (!imported.typeOnly && /^(src|web)\/.*\.tsx?$/.test(imported.target)) queue.push(imported.target)
  }
  return [...seen].sort()
}

/** The Node built-ins a file imports, and the Node-only globals it uses, as sentences. */
const nodeUses = (file: string, text: string): Array<string> => {
  const found = importsOf(file, text)
    .filter(
      (i) =>
        !i.typeOnly && (i.specifier.startsWith("node:") || BUILTINS.has(i.specifier.split("/")[0] ?? "")),
    )
    .map((i) => `${file} imports the Node module "${i.specifier}"`)
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true)
  const visit = (node: ts.Node): void => {
    if (ts.isIdentifier(node) && NODE_GLOBALS.has(node.text)) {
      const parent = node.parent
      // `x.process`, `{ process: 1 }`, a declaration named so: not the global.
      const isName =
        (ts.isPropertyAccessExpression(parent) && parent.name === node) ||
        (ts.isPropertyAssignment(parent) && parent.name === node) ||
        (ts.isPropertySignature(parent) && parent.name === node) ||
        (ts.isPropertyDeclaration(parent) && parent.name === node) ||
        (ts.isMethodDeclaration(parent) && parent.name === node) ||
        ts.isBindingElement(parent) ||
        (ts.isVariableDeclaration(parent) && parent.name === node) ||
        (ts.isParameter(parent) && parent.name === node)
      const guarded = ts.isTypeOfExpression(parent)
      if (!isName && !guarded)
        found.push(
          `${file}:${source.getLineAndCharacterOfPosition(node.getStart()).line + 1} uses the Node global ${node.text}`,
        )
    }
    ts.forEachChild(node, visit)
  }
  visit(source)
  return found
}

describe("the page's bundle needs no Node", () => {
  const files = reachable(sourceFiles("web/src"))

  it("reaches the engine through the page runner", () => {
    expect(files).toContain("src/export/engine.ts")
    expect(files).toContain("src/export/cursor.ts")
    expect(files).toContain("src/jira/BridgeTransport.ts")
  })

  it("no reachable file imports a Node built-in or uses a Node-only global", () => {
    expect(files.flatMap((file) => nodeUses(file, readFileSync(join(root, file), "utf8")))).toEqual([])
  })

  it("tells a Node import and a Node global from names that only look like them", () => {
    const text = [
      'import { createHash } from "node:crypto"',
      'import fs from "fs"',
      'import { x } from "./process.js"',
      "const a = Buffer.from('x')",
      "const b = options.process",
      "const c = { process: 1 }",
      "const d = typeof setImmediate === 'function'",
    ].join("\n")
    expect(nodeUses("src/x.ts", text)).toEqual([
      'src/x.ts imports the Node module "node:crypto"',
      'src/x.ts imports the Node module "fs"',
      "src/x.ts:4 uses the Node global Buffer",
    ])
  })
})
