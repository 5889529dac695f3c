/**
 * The exporter as users get it: one built file declared as the package's `bin`, started by
 * `npm run export` with the exporter's memory budget, answering as the sources do.
 */
import { spawnSync } from "node:child_process"
import { accessSync, constants, readFileSync } from "node:fs"
import path from "node:path"
import { beforeAll, describe, expect, it } from "vitest"
import { USAGE } from "../../src/cli/args.js"
import { CLI_BUNDLE, ensureCliBundle } from "../support/cliBundle.js"

const pkg = JSON.parse(readFileSync(path.join(__dirname, "..", "..", "package.json"), "utf8"))

describe("the built exporter", () => {
  beforeAll(() => ensureCliBundle())

  it("is the package's bin, and npm run export runs it with the 256 MB old-space budget", () => {
    expect(pkg.bin).toEqual({ "liquitim-export": "dist/liquitim-export.mjs" })
    expect(pkg.scripts.export).toContain("node --max-old-space-size=256 dist/liquitim-export.mjs")
    expect(pkg.scripts.export).not.toContain("tsx")
  })

  it("runs on its own: shebang, executable, and --help answers the usage text of the sources", () => {
    expect(readFileSync(CLI_BUNDLE, "utf8").startsWith("#!/usr/bin/env node\n")).toBe(true)
    accessSync(CLI_BUNDLE, constants.X_OK)
    const help = spawnSync(CLI_BUNDLE, ["--help"], { encoding: "utf8" })
    expect(help.status).toBe(0)
    expect(help.stdout).toBe(`${USAGE}\n`)
  })

  it("says what is wrong with bad input, exit code 2", () => {
    const bad = spawnSync(process.execPath, [CLI_BUNDLE, "--no-such-option"], { encoding: "utf8" })
    expect(bad.status).toBe(2)
    expect(bad.stderr).toContain("Run with --help for every option.")
    expect(bad.stderr).not.toContain(USAGE)
  })
})
