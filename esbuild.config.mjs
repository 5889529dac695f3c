// Builds what the project ships:
// - the Custom UI (web/) into web/dist: index.html with relative asset paths (Forge serves the resource
//   from a sub-path), minified JS and CSS with source maps, and no CSP meta tag (Forge injects its own
//   CSP; a meta tag is a manifest validation error);
// - the command-line exporter (src/cli/main.ts) into one file, dist/liquitim-export.mjs (package.json
//   `bin`), which starts in a fraction of the time that transpiling the sources on each start takes.
// Flags: `--web` or `--cli` builds one of them; `--watch` rebuilds on change; `--if-stale` (with
// `--cli`) builds only when the bundle is missing or older than a file it was built from, so that
// `npm run export` never runs yesterday's code and pays nothing when nothing changed.
import { existsSync, readFileSync, statSync } from "node:fs"
import { chmod, copyFile, mkdir, rm, writeFile } from "node:fs/promises"
import { dirname, join } from "node:path"
import { fileURLToPath } from "node:url"

const root = dirname(fileURLToPath(import.meta.url))
const args = process.argv.slice(2)
const watch = args.includes("--watch")
const targets = args.includes("--web") || args.includes("--cli") ? args : ["--web", "--cli"]

const webDir = join(root, "web", "dist")
const cliFile = join(root, "dist", "liquitim-export.mjs")
// The files the last CLI build read, to tell whether the bundle is stale without building it.
const cliInputsFile = join(root, "dist", "liquitim-export.inputs.json")

const cliIsFresh = () => {
  if (!existsSync(cliFile) || !existsSync(cliInputsFile)) return false
  const builtAt = statSync(cliFile).mtimeMs
  const inputs = [...JSON.parse(readFileSync(cliInputsFile, "utf8")), "esbuild.config.mjs"]
  return inputs.every((file) => {
    const stat = statSync(join(root, file), { throwIfNoEntry: false })
    return stat !== undefined && stat.mtimeMs <= builtAt
  })
}

/** @type {import("esbuild").BuildOptions} */
const webOptions = {
  absWorkingDir: root,
  entryPoints: { main: join(root, "web", "src", "main.tsx") },
  outdir: join(webDir, "assets"),
  bundle: true,
  // What the page loads only when used (the workbook writer and fflate) goes to chunks of its own.
  splitting: true,
  format: "esm",
  platform: "browser",
  target: ["es2022"],
  jsx: "automatic",
  jsxImportSource: "preact",
  minify: true,
  sourcemap: true,
  // Maps point at the sources by path; embedding them would ship every dependency's source text in
  // the Forge resource (counted against its size quota) for no use in production.
  sourcesContent: false,
  metafile: true,
  legalComments: "none",
  logLevel: "warning",
  define: { "process.env.NODE_ENV": '"production"' },
}

/** @type {import("esbuild").BuildOptions} */
const cliOptions = {
  absWorkingDir: root,
  entryPoints: [join(root, "src", "cli", "main.ts")],
  outfile: cliFile,
  bundle: true,
  format: "esm",
  platform: "node",
  target: ["node20"],
  // Whitespace and syntax only: identifiers stay readable in the stack of an unexpected failure.
  minifyWhitespace: true,
  minifySyntax: true,
  metafile: true,
  logLevel: "warning",
  // @forge/api (bundled because src/jira wires both transports) is CommonJS and calls `require`,
  // which an ES module lacks; the shebang lets the `bin` run on its own.
  banner: {
    js: [
      "#!/usr/bin/env node",
      'import { createRequire as __cliCreateRequire } from "node:module";',
      "const require = __cliCreateRequire(import.meta.url);",
    ].join("\n"),
  },
}

/** Build lines go to standard error: `npm run export` may be writing the CSV to standard output. */
const report = (result) => {
  const outputs = Object.entries(result.metafile.outputs).filter(([file]) => !file.endsWith(".map"))
  for (const [file, meta] of outputs)
    process.stderr.write(`built ${file.replace(`${root}/`, "")} ${meta.bytes} bytes\n`)
}

const cliDone = async (result) => {
  await chmod(cliFile, 0o755)
  await writeFile(cliInputsFile, `${JSON.stringify(Object.keys(result.metafile.inputs))}\n`)
  report(result)
}

const buildWeb = targets.includes("--web")
const buildCli = targets.includes("--cli") && !(args.includes("--if-stale") && cliIsFresh())

if (buildWeb || buildCli) {
  // Imported only when needed, so that `npm run export` with a fresh bundle starts the exporter at once.
  const { build, context } = await import("esbuild")
  if (buildWeb) {
    await rm(webDir, { recursive: true, force: true })
    await mkdir(join(webDir, "assets"), { recursive: true })
    await copyFile(join(root, "web", "index.html"), join(webDir, "index.html"))
  }
  if (watch) {
    const onEnd = (done) => ({ name: "report", setup: (b) => b.onEnd((r) => r.errors.length || done(r)) })
    if (buildWeb) await (await context({ ...webOptions, plugins: [onEnd(report)] })).watch()
    if (buildCli) await (await context({ ...cliOptions, plugins: [onEnd(cliDone)] })).watch()
    process.stderr.write("esbuild: watching for changes\n")
  } else {
    if (buildWeb) report(await build(webOptions))
    if (buildCli) await cliDone(await build(cliOptions))
  }
}
