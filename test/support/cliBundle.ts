/**
 * The built command-line exporter (dist/liquitim-export.mjs, the package's `bin`), as the tests run it.
 * `npm test` builds it before vitest; a test run on its own rebuilds it when a source is newer, so
 * the tests never exercise a stale bundle.
 */
import { execFileSync } from "node:child_process"
import path from "node:path"

const root = path.resolve(__dirname, "../..")

export const CLI_BUNDLE = path.join(root, "dist", "liquitim-export.mjs")

/** Builds the bundle if it is missing or older than one of its sources (quick when it is not). */
export const ensureCliBundle = (): void => {
  execFileSync(process.execPath, [path.join(root, "esbuild.config.mjs"), "--cli", "--if-stale"], {
    cwd: root,
    stdio: ["ignore", "ignore", "inherit"],
  })
}
