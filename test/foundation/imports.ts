/**
 * Reads the imports of the repository's source files with TypeScript's own parser (so comments and
 * strings that look like imports are not imports), and checks them against the layering rules.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs"
import { dirname, join, relative, resolve } from "node:path"
import ts from "typescript"

export const root = resolve(__dirname, "..", "..")

export interface Import {
  /** The importing file, relative to the repository root (`src/fields/format.ts`). */
  readonly file: string
  /** The specifier as written (`../export/options.js`, `effect`). */
  readonly specifier: string
  /** A repository file (`src/export/options.ts`) for a relative specifier, else the package name. */
  readonly target: string
  /** True when nothing of it reaches the built code (`import type`, `export type`). */
  readonly typeOnly: boolean
}

/** Every `.ts`/`.tsx` file under `dir` (relative to the root), sorted. */
export const sourceFiles = (dir: string): Array<string> =>
  readdirSync(join(root, dir), { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile() && /\.tsx?$/.test(entry.name))
    .map((entry) => relative(root, join(entry.parentPath, entry.name)))
    .sort()

/** `../x.js` from `src/a/b.ts` is `src/x.ts` (or `.tsx`); a package specifier is its package name. */
const targetOf = (file: string, specifier: string): string => {
  if (!specifier.startsWith(".")) {
    const parts = specifier.split("/")
    return specifier.startsWith("@") ? parts.slice(0, 2).join("/") : (parts[0] ?? specifier)
  }
  const path = relative(root, resolve(root, dirname(file), specifier))
  if (!path.endsWith(".js")) return path
  const base = path.slice(0, -3)
  return existsSync(join(root, `${base}.tsx`)) ? `${base}.tsx` : `${base}.ts`
}

const namedTypeOnly = (bindings: ts.NamedImportBindings | ts.NamedExportBindings | undefined): boolean =>
  bindings !== undefined &&
  (ts.isNamedImports(bindings) || ts.isNamedExports(bindings)) &&
  bindings.elements.length > 0 &&
  bindings.elements.every((element) => element.isTypeOnly)

/** The imports, re-exports and dynamic `import()`s of one source text. */
export const importsOf = (file: string, text: string): Array<Import> => {
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true)
  const found: Array<Import> = []
  const add = (specifier: string, typeOnly: boolean) =>
    found.push({ file, specifier, target: targetOf(file, specifier), typeOnly })
  const visit = (node: ts.Node): void => {
    if (ts.isImportDeclaration(node) && ts.isStringLiteral(node.moduleSpecifier)) {
      const clause = node.importClause
      const typeOnly =
        clause !== undefined &&
        (clause.isTypeOnly || (clause.name === undefined && namedTypeOnly(clause.namedBindings)))
      add(node.moduleSpecifier.text, typeOnly)
    } else if (
      ts.isExportDeclaration(node) &&
      node.moduleSpecifier !== undefined &&
      ts.isStringLiteral(node.moduleSpecifier)
    ) {
      add(node.moduleSpecifier.text, node.isTypeOnly || namedTypeOnly(node.exportClause))
    } else if (
      ts.isCallExpression(node) &&
      node.expression.kind === ts.SyntaxKind.ImportKeyword &&
      node.arguments[0] !== undefined &&
      ts.isStringLiteralLike(node.arguments[0])
    ) {
      add(node.arguments[0].text, false)
    }
    ts.forEachChild(node, visit)
  }
  visit(source)
  return found
}

/** The imports of every source file under `dirs`. */
export const importsUnder = (...dirs: ReadonlyArray<string>): Array<Import> =>
  dirs.flatMap((dir) =>
    sourceFiles(dir).flatMap((file) => importsOf(file, readFileSync(join(root, file), "utf8"))),
  )

/** One layering rule: which files it governs, and whether one of their imports breaks it. */
export interface Rule {
  readonly name: string
  readonly governs: (file: string) => boolean
  readonly breaks: (imported: Import) => boolean
}

/** One line per import that breaks `rule`: the file, the import and the rule. */
export const violations = (rule: Rule, imports: ReadonlyArray<Import>): Array<string> =>
  imports
    .filter((imported) => rule.governs(imported.file) && rule.breaks(imported))
    .map(
      (imported) =>
        `${imported.file} imports "${imported.specifier}" (${imported.target}), breaking the rule: ${rule.name}`,
    )

/**
 * The import cycles among `imports`: each group of files that reach one another through their imports
 * (more than one file, or a file importing itself), sorted, type-only imports included.
 */
export const cyclesOf = (imports: ReadonlyArray<Import>): Array<Array<string>> => {
  const edges = new Map<string, Set<string>>()
  for (const { file, target } of imports) {
    const out = edges.get(file) ?? new Set<string>()
    out.add(target)
    edges.set(file, out)
  }
  // Tarjan's algorithm, iterative so a deep chain of imports cannot overflow the stack.
  const index = new Map<string, number>()
  const low = new Map<string, number>()
  const onStack = new Set<string>()
  const stack: Array<string> = []
  const found: Array<Array<string>> = []
  let next = 0
  for (const start of edges.keys()) {
    if (index.has(start)) continue
    const work: Array<{ node: string; rest: Array<string> }> = []
    const enter = (node: string) => {
      index.set(node, next)
      low.set(node, next)
      next += 1
      stack.push(node)
      onStack.add(node)
      work.push({ node, rest: [...(edges.get(node) ?? [])] })
    }
    enter(start)
    while (work.length > 0) {
      const top = work[work.length - 1]
      if (top === undefined) break
      const child = top.rest.pop()
      if (child !== undefined) {
        if (!index.has(child)) enter(child)
        else if (onStack.has(child))
          low.set(top.node, Math.min(low.get(top.node) ?? 0, index.get(child) ?? 0))
        continue
      }
      work.pop()
      const parent = work[work.length - 1]
      if (parent !== undefined)
        low.set(parent.node, Math.min(low.get(parent.node) ?? 0, low.get(top.node) ?? 0))
      if (low.get(top.node) !== index.get(top.node)) continue
      const group: Array<string> = []
      for (;;) {
        const member = stack.pop()
        if (member === undefined) break
        onStack.delete(member)
        group.push(member)
        if (member === top.node) break
      }
      if (group.length > 1 || edges.get(top.node)?.has(top.node) === true) found.push(group.sort())
    }
  }
  return found.sort((a, b) => (a[0] ?? "").localeCompare(b[0] ?? ""))
}
