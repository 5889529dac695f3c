/**
 * Excel workbooks from the command line: the emulator's hostile values round-trip (read back by
 * exceljs, each cell's type and value compared with the CSV export of the same issues), a resumed
 * workbook is the same bytes, and LibreOffice Calc opens it to the CSV's content.
 *
 * 500 issues by default (every hostile text of the data set appears in them); the 10,000-issue check
 * of the issue is `LIQUITIM_XLSX_ISSUES=10000 npx vitest run test/cli/xlsx.test.ts` (a few minutes).
 */
import { execFileSync } from "node:child_process"
import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"
import { parse } from "csv-parse/sync"
import { unzipSync } from "fflate"
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from "vitest"
import { HOSTILE_TEXTS } from "../../dev/emulator/data/index.js"
import { type RunningEmulator, startEmulator } from "../../dev/emulator/index.js"
import { EXCEL_CELL_LIMIT } from "../../src/csv/encoder.js"
import { expectedCell } from "../xlsx/expected.js"
import { type ReadCell, readWorkbook, xmlParts } from "../xlsx/reader.js"
import { runCli, STEADY_PROFILE } from "./run.js"

/** Columns of every kind, with the data set's hostile texts (summary, description, external reference, comments). */
const COLUMNS: ReadonlyArray<readonly [string, "text" | "number" | "date" | "datetime" | "key"]> = [
  ["issuekey", "key"],
  ["issueid", "number"],
  ["summary", "text"],
  ["description", "text"],
  ["status", "text"],
  ["assignee", "text"],
  ["labels", "text"],
  ["duedate", "date"],
  ["created", "datetime"],
  ["resolutiondate", "datetime"],
  ["votes", "number"],
  ["Story Points", "number"],
  ["Cost (EUR)", "number"],
  ["Target date", "date"],
  ["Go-live", "datetime"],
  ["External reference", "text"],
  ["Acceptance criteria", "text"],
  ["comment", "text"],
  ["timespent", "text"],
  ["workratio", "number"],
  ["issueurl", "text"],
]
const ISSUES = Number(process.env.LIQUITIM_XLSX_ISSUES ?? 500)
/** Time for a step, from the issue count (the default's fits the suite's 60 s). */
const STEP_MS = Math.max(60_000, ISSUES * 60)
const kinds = COLUMNS.map(([, k]) => (k === "key" ? "issueKey" : k))
/** The workbook of every column kind with the data preset: ISO dates, no formula guard, no cut. */
const workbookArgs = (jql: string) => [
  "--jql",
  jql,
  "--columns",
  COLUMNS.map(([c]) => c).join(","),
  "--preset",
  "data",
  "--quiet",
]

describe("Excel workbooks from the command line", () => {
  let emulator: RunningEmulator
  let dir: string
  let jql: string
  let csvRows: ReadonlyArray<ReadonlyArray<string>>
  let whole: string
  beforeAll(async () => {
    emulator = await startEmulator({ issues: ISSUES, seed: 9, chaos: "slow=0.2:60,seed=2" })
    jql = `project in (${emulator.dataset.projects.map((p) => p.key).join(", ")}) ORDER BY key ASC`
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "liquitim-xlsx-"))
    const csv = path.join(dir, "issues.csv")
    whole = path.join(dir, "issues.xlsx")
    // The cells as the formatters make them.
    const common = workbookArgs(jql)
    expect((await cli([...common, "--out", csv])).code).toBe(0)
    expect((await cli([...common, "--out", whole])).code).toBe(0)
    csvRows = parse(fs.readFileSync(csv, "utf8"), { relaxQuotes: false, relaxColumnCount: false })
  }, STEP_MS)
  afterAll(async () => {
    await emulator.close()
    fs.rmSync(dir, { recursive: true, force: true })
  })

  const cli = (args: ReadonlyArray<string>, interruptWhen?: () => boolean) =>
    runCli(
      { url: emulator.url, email: emulator.accounts.admin.email, apiToken: emulator.apiToken },
      args,
      interruptWhen,
    )

  it(
    "holds every cell of the CSV export with its column's type and value",
    async () => {
      const [issues, about] = await readWorkbook(fs.readFileSync(whole))
      expect(issues?.name).toBe("Issues")
      const [header, ...rows] = csvRows
      expect(issues?.rows[0]).toEqual(header?.map((value) => ({ type: "text", value })))
      expect(rows.length).toBe(emulator.referenceSearch(jql, emulator.accounts.admin.accountId).length)
      const got = issues?.rows.slice(1) ?? []
      expect(got.length).toBe(rows.length)
      const site = emulator.url.replace(/\/+$/, "")
      rows.forEach((row, r) => {
        const want = row.map((cell, c): ReadCell => expectedCell(cell, kinds[c] ?? "text", site))
        expect(got[r], `row ${r + 2}`).toEqual(want)
      })
      // Every kind was there to compare, and so were the hostile values.
      const types = new Set(got.flat().map((c) => c.type))
      expect([...types].sort()).toEqual(["date", "empty", "link", "number", "text"])
      const all = rows.flat()
      for (const hostile of HOSTILE_TEXTS)
        expect(
          all.some((c) => c.includes(hostile)),
          hostile,
        ).toBe(true)
      expect(all.some((c) => c.length > EXCEL_CELL_LIMIT)).toBe(true)
      expect(about?.rows[4]?.[1]).toEqual({ type: "number", value: rows.length })
      for (const [part, text] of xmlParts(fs.readFileSync(whole))) expect(text, part).not.toMatch(/<f[ >]/)
    },
    STEP_MS,
  )

  it(
    "gives the same workbook when an interrupted export is resumed (its as-of is the first run's start)",
    async () => {
      // A site of its own with 1,500 issues on the steady profile (run.ts), so that the export is
      // still running when the interrupt sent after its first fragment arrives: with the suite's 500
      // issues on the instant profile it now and then finished first.
      const steady = await startEmulator({ issues: 1_500, seed: 9, profile: STEADY_PROFILE })
      onTestFinished(() => steady.close())
      const run = (args: ReadonlyArray<string>, interruptWhen?: () => boolean) =>
        runCli(
          { url: steady.url, email: steady.accounts.admin.email, apiToken: steady.apiToken },
          args,
          interruptWhen,
        )
      const all = `project in (${steady.dataset.projects.map((p) => p.key).join(", ")}) ORDER BY key ASC`
      const args = workbookArgs(all)
      const whole = path.join(dir, "steady.xlsx")
      const part = path.join(dir, "part.xlsx")
      const size = (f: string) => (fs.existsSync(f) ? fs.statSync(f).size : 0)
      const first = await run([...args, "--out", part], () => size(`${part}.partial`) > 0)
      expect(first.code).toBe(1)
      expect(first.stderr).toContain("--resume")
      expect(fs.existsSync(part)).toBe(false)
      const second = await run(["--resume", `${part}.cursor`, "--quiet"])
      expect(second.code).toBe(0)
      expect((await run([...args, "--out", whole])).code).toBe(0)
      // The uninterrupted export started at another instant: its About sheet's "As of" differs, and
      // nothing else (the same fragments give the same bytes: test/xlsx/workbook.test.ts).
      const asOfCell = /<c r="B4" s="2"><v>[^<]*<\/v><\/c>/
      const resumed = unzipSync(fs.readFileSync(part))
      const uninterrupted = unzipSync(fs.readFileSync(whole))
      expect(Object.keys(resumed)).toEqual(Object.keys(uninterrupted))
      for (const [name, bytes] of Object.entries(uninterrupted)) {
        const text = (b: Uint8Array | undefined) => new TextDecoder().decode(b).replace(asOfCell, "AS OF")
        if (name === "xl/worksheets/sheet2.xml") expect(text(resumed[name])).toBe(text(bytes))
        else expect(Buffer.from(resumed[name] ?? []).equals(Buffer.from(bytes)), name).toBe(true)
      }
      expect(fs.existsSync(`${part}.partial`)).toBe(false)
    },
    STEP_MS,
  )

  it(
    "writes the history mode to a sheet named Change history (Excel refuses History), its dates typed",
    async () => {
      const common = ["--jql", jql, "--history", "--history-fields", "status", "--preset", "data", "--quiet"]
      const csv = path.join(dir, "history.csv")
      const xlsx = path.join(dir, "history.xlsx")
      expect((await cli([...common, "--out", csv])).code).toBe(0)
      expect((await cli([...common, "--out", xlsx])).code).toBe(0)
      const [sheet, about] = await readWorkbook(fs.readFileSync(xlsx))
      const [header, ...rows]: Array<Array<string>> = parse(fs.readFileSync(csv, "utf8"))
      expect(sheet?.name).toBe("Change history")
      expect(sheet?.rows[0]?.map((c) => ("value" in c ? c.value : ""))).toEqual(header)
      const historyKinds = ["issueKey", "datetime", "text", "text", "text", "text"] as const
      const site = emulator.url.replace(/\/+$/, "")
      expect(sheet?.rows.slice(1)).toEqual(
        rows.map((row) => row.map((cell, c) => expectedCell(cell, historyKinds[c] ?? "text", site))),
      )
      expect(sheet?.rows[1]?.[1]?.type).toBe("date")
      expect(about?.rows[4]).toEqual([
        { type: "text", value: "Issues" },
        // Issues read, those without a change of the field too.
        { type: "number", value: emulator.referenceSearch(jql, emulator.accounts.admin.accountId).length },
      ])
    },
    STEP_MS,
  )

  it(
    "opens in LibreOffice Calc with the CSV export's content, cell for cell",
    () => {
      const out = path.join(dir, "calc")
      // UTF-8, comma, double quotes, every sheet to its own file, values rather than as shown.
      execFileSync(
        "soffice",
        [
          "--headless",
          `-env:UserInstallation=file://${path.join(dir, "profile")}`,
          "--convert-to",
          "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,false,-1",
          "--outdir",
          out,
          whole,
        ],
        { stdio: "ignore", timeout: 120_000 },
      )
      const calc: Array<Array<string>> = parse(fs.readFileSync(path.join(out, "issues-Issues.csv"), "utf8"))
      const [header, ...rows] = csvRows
      expect(calc[0]).toEqual(header)
      expect(calc.length - 1).toBe(rows.length)
      rows.forEach((row, r) => {
        const want = row.map((cell, c) => calcText(cell, kinds[c] ?? "text"))
        const have = (calc[r + 1] ?? []).map((cell) => cell.replace(/\r\n?/g, "\n"))
        expect(have, `row ${r + 2}`).toEqual(want)
      })
    },
    STEP_MS,
  )
})

/** What Calc writes for a CSV cell of this kind: dates as `yyyy-mm-dd[ hh:mm:ss]`, numbers as values, text cut and with LF line ends. */
const calcText = (cell: string, kind: string): string => {
  const expected = expectedCell(cell, kind === "issueKey" ? "text" : (kind as never), "")
  switch (expected.type) {
    case "empty":
      return ""
    case "number":
      return String(expected.value)
    case "date": {
      const iso = expected.value.toISOString()
      return kind === "date" ? iso.slice(0, 10) : `${iso.slice(0, 10)} ${iso.slice(11, 19)}`
    }
    case "text":
    case "link":
      return expected.value.replace(/\r\n?/g, "\n")
    default:
      return String(expected.value)
  }
}
