// Builds the Custom UI (web/) into web/dist: index.html with relative asset paths (Forge serves the
// resource from a sub-path), minified JS and CSS with source maps, and no CSP meta tag (Forge injects
// its own CSP; a meta tag is a manifest validation error). `--watch` rebuilds on change.
import { copyFile, mkdir, rm } from "node:fs/promises"
import { dirname, join } from "node:path"
import { fileURLToPath } from "node:url"
import { build, context } from "esbuild"

const root = dirname(fileURLToPath(import.meta.url))
const outdir = join(root, "web", "dist")
const watch = process.argv.includes("--watch")

/** @type {import("esbuild").BuildOptions} */
const options = {
  entryPoints: { main: join(root, "web", "src", "main.tsx") },
  outdir: join(outdir, "assets"),
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
}

await rm(outdir, { recursive: true, force: true })
await mkdir(join(outdir, "assets"), { recursive: true })
await copyFile(join(root, "web", "index.html"), join(outdir, "index.html"))

if (watch) {
  const ctx = await context(options)
  await ctx.watch()
  console.log("esbuild: watching web/src for changes")
} else {
  const result = await build(options)
  const outputs = Object.entries(result.metafile.outputs).filter(([file]) => !file.endsWith(".map"))
  for (const [file, meta] of outputs) console.log(`built ${file.replace(`${root}/`, "")} ${meta.bytes} bytes`)
}
