/**
 * `--history-fields` and the page's `history.fields` take field names as columns do: the built
 * exporter and `export/start` against the emulator keep exactly the changes of the fields named by
 * id or name in any case, and refuse an unknown or ambiguous name with a sentence (exit 2; the
 * resolver's typed error) instead of writing only a header.
 */
import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"
import { parse } from "csv-parse/sync"
import { Either } from "effect"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { CUSTOM } from "../../dev/emulator/data/fields.js"
import { exportStart } from "../../src/resolvers/export.js"
import { type Harness, jqlAll, startHarness } from "../resolvers/emulated.js"
import { runCli } from "./run.js"

let harness: Harness
let dir: string
beforeAll(async () => {
  harness = await startHarness({ issues: 80, seed: 21 })
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "liquitim-history-fields-"))
})
afterAll(async () => {
  await harness.emulator.close()
  fs.rmSync(dir, { recursive: true, force: true })
})

const cli = (out: string, fields: string) => {
  const emulator = harness.emulator
  return runCli({ url: emulator.url, email: emulator.accounts.admin.email, apiToken: emulator.apiToken }, [
    "--jql",
    jqlAll(emulator),
    "--history",
    "--history-fields",
    fields,
    "--preset",
    "data",
    "--quiet",
    "--out",
    out,
  ])
}

/** The Field column of a history file. */
const changedFields = (file: string) => {
  const [header, ...rows]: string[][] = parse(fs.readFileSync(file, "utf8"), { bom: true })
  const at = header?.indexOf("Field") ?? -1
  return { rows: rows.length, fields: new Set(rows.map((r) => r[at])) }
}

describe("--history-fields", () => {
  it.each([
    ["Status", ["status"]],
    ["Assignee,STATUS", ["assignee", "status"]],
    ["Story Points", ["Story Points"]],
  ])("%s keeps exactly those fields' changes", async (names, expected) => {
    const out = path.join(dir, `${names.replace(/\W+/g, "_")}.csv`)
    const run = await cli(out, names)
    expect(run.stderr).toBe("")
    expect(run.code).toBe(0)
    const file = changedFields(out)
    expect(file.rows).toBeGreaterThan(0)
    expect([...file.fields].sort()).toEqual(expected.sort())
  })

  it.each([
    ["nosuchfield", `"nosuchfield" is not a field whose changes you can export`],
    ["status,asignee", `"asignee" is not a field whose changes you can export; did you mean assignee?`],
    [
      "Category",
      `"Category" names 2 fields; give one of their ids instead: ${CUSTOM.categoryA}, ${CUSTOM.categoryB}.`,
    ],
  ])("%s is refused with a sentence, exit 2", async (names, sentence) => {
    const out = path.join(dir, "refused.csv")
    const run = await cli(out, names)
    expect(run.code).toBe(2)
    expect(run.stderr).toContain(sentence)
    expect(fs.existsSync(out)).toBe(false)
  })
})

describe("history.fields of export/start", () => {
  const start = (fields: ReadonlyArray<string>) =>
    harness.run(
      exportStart({ jql: jqlAll(harness.emulator), columns: ["issuekey"], options: { history: { fields } } }),
    )

  it("an unknown name is refused with a sentence and a suggestion", async () => {
    const answer = await start(["nosuchfield"])
    expect(Either.isLeft(answer) && answer.left).toMatchObject({ tag: "UnknownColumn" })
    const near = await start(["Statsu"])
    expect(Either.isLeft(near) && near.left.message).toBe(
      `"Statsu" is not a field whose changes you can export; did you mean status?`,
    )
  })

  it("names in any case are accepted", async () => {
    expect(Either.isRight(await start(["STATUS", "Story Points"]))).toBe(true)
  })
})
