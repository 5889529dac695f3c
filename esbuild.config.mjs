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
import { gzipSync } from "node:zlib"

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
  // The helpers the bridge's dependencies use instead of all of tslib (see web/tslib.js), and an empty
  // module for the fast-check Effect's Schema imports only to generate test data (see web/fastCheck.js).
  alias: { tslib: join(root, "web", "tslib.js"), "fast-check": join(root, "web", "fastCheck.js") },
}

/**
 * The page runner (web/src/engine: the export engine over `requestJira`) as its own file beside the
 * page's, which the page imports with `import()` on the first export that runs in the browser, so the
 * first load stays free of Effect and the engine. A separate build rather than esbuild's code
 * splitting: split chunks shared with the page (the constants, the bridge's helpers) cost the first
 * load about 1 KB of gzip in per-file overhead; the engine file carries its own small copies instead.
 */
/** @type {import("esbuild").BuildOptions} */
const engineOptions = {
  ...webOptions,
  entryPoints: { engine: join(root, "web", "src", "engine", "index.ts") },
}

/**
 * The workbook writer (src/xlsx with fflate, through web/src/xlsx.ts) as its own file too, for the
 * same reason: the page imports it by URL when an Excel download is zipped (web/src/workbook.ts).
 */
/** @type {import("esbuild").BuildOptions} */
const xlsxOptions = {
  ...webOptions,
  entryPoints: { xlsx: join(root, "web", "src", "xlsx.ts") },
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

/** The page's JavaScript in gzip bytes: its first load, and what the first export in the browser adds. */
export const webSizes = () => {
  const gzip = (name) => gzipSync(readFileSync(join(webDir, "assets", name))).length
  return { firstLoadGzipBytes: gzip("main.js"), engineGzipBytes: gzip("engine.js") }
}

const reportWeb = (results) => {
  for (const result of results) report(result)
  const sizes = webSizes()
  process.stderr.write(
    `page JavaScript (gzip): first load ${sizes.firstLoadGzipBytes} bytes, export engine (loaded on the first export in the browser) ${sizes.engineGzipBytes} bytes\n`,
  )
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
    if (buildWeb) {
      await (await context({ ...webOptions, plugins: [onEnd(report)] })).watch()
      await (await context({ ...engineOptions, plugins: [onEnd(report)] })).watch()
      await (await context({ ...xlsxOptions, plugins: [onEnd(report)] })).watch()
    }
    if (buildCli) await (await context({ ...cliOptions, plugins: [onEnd(cliDone)] })).watch()
    process.stderr.write("esbuild: watching for changes\n")
  } else {
    if (buildWeb) reportWeb(await Promise.all([build(webOptions), build(engineOptions), build(xlsxOptions)]))
    if (buildCli) await cliDone(await build(cliOptions))
  }
}
