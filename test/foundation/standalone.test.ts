/**
 * The repository stands on its own: no tracked file (sources, tests, docs, README, configuration)
 * points at the team's notes that live beside the checkout, since a fresh clone has nothing beside it.
 * What the product needs of those notes is in docs/ and dev/emulator/spec/, in the repository.
 */
import { execFileSync } from "node:child_process"
import { readFileSync } from "node:fs"
import path from "node:path"
import { describe, expect, it } from "vitest"

const root = path.resolve(__dirname, "../..")

// Built from pieces, so that this file does not name what it forbids.
const FORBIDDEN: ReadonlyArray<string> = [
  ["..", "/", "shared"],
  ["/work", "/", "shared"],
  ["shared", "/", "reference"],
  ["reference", " ", "§"],
  ["jira-cloud-api", ".md"],
  ["forge-platform", ".md"],
  ["toolchain", ".md"],
  ["jira-platform-openapi", ".v3.json"],
  ["DESIGN", ".md"],
  ["shared project", " documents"],
].map((pieces) => pieces.join(""))

/** Generated or not text: the lock file only lists packages, and binaries cannot cite anything. */
const SKIPPED = new Set(["package-lock.json"])
const isBinary = (bytes: Buffer) => bytes.subarray(0, 8000).includes(0)

const trackedFiles = (): Array<string> =>
  execFileSync("git", ["ls-files", "-z"], { cwd: root, encoding: "utf8" })
    .split("\0")
    .filter((file) => file !== "" && !SKIPPED.has(file))

describe("the repository stands on its own", () => {
  it("no tracked file names the team's notes outside the repository", () => {
    const files = trackedFiles()
    expect(files.length).toBeGreaterThan(50)
    const found: Array<string> = []
    for (const file of files) {
      const bytes = readFileSync(path.join(root, file))
      if (isBinary(bytes)) continue
      const lines = bytes.toString("utf8").split("\n")
      lines.forEach((line, index) => {
        const lower = line.toLowerCase()
        for (const pattern of FORBIDDEN)
          if (lower.includes(pattern.toLowerCase())) found.push(`${file}:${index + 1}: ${pattern}`)
      })
    }
    expect(found).toEqual([])
  })
})
