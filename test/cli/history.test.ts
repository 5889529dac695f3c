/**
 * The history columns and the history export of the built exporter against the emulator, checked
 * against `GET /rest/api/3/issue/{id}/changelog` issue by issue, without and with `--chaos all`: the
 * two files agree with each other and with Jira's per-issue history (done-when of issue 14).
 */
import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"
import { parse } from "csv-parse/sync"
import { Effect, Layer } from "effect"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { type RunningEmulator, startEmulator } from "../../dev/emulator/index.js"
import { httpJira } from "../../src/cli/jiraLayer.js"
import type { ChangeHistory } from "../../src/jira/changelogSchemas.js"
import { JiraClient } from "../../src/jira/JiraClient.js"
import { defaultRetrySettings, JiraRetrySettings } from "../../src/jira/RetryPolicy.js"
import { readWorkbook } from "../xlsx/reader.js"
import { runCli } from "./run.js"

const HOUR = 3_600_000
const COLUMNS = "key,status,created,timeInStatus,leadTime,cycleTime,statusChanges"

const hoursBetween = (from: number, to: number) => Math.round((to - from) / 36_000) / 100

describe.each([
  { chaos: "none", spec: undefined },
  { chaos: "all", spec: "all,seed=4" },
])("history columns and --history against the emulator (chaos: $chaos)", ({ spec }) => {
  let emulator: RunningEmulator
  let dir: string
  beforeAll(async () => {
    emulator = await startEmulator({ issues: 300, seed: 14, ...(spec === undefined ? {} : { chaos: spec }) })
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "liquitim-history-"))
  })
  afterAll(async () => {
    await emulator.close()
    fs.rmSync(dir, { recursive: true, force: true })
  })

  const cli = (args: ReadonlyArray<string>) =>
    runCli({ url: emulator.url, email: emulator.accounts.admin.email, apiToken: emulator.apiToken }, [
      ...args,
      "--preset",
      "data",
      "--quiet",
    ])

  /** Jira's per-issue histories and the status categories, read without chaos through the client. */
  const reference = (keys: ReadonlyArray<string>) => {
    emulator.setChaos("")
    const layer = httpJira({
      baseUrl: emulator.url,
      email: emulator.accounts.admin.email,
      apiToken: emulator.apiToken,
    }).pipe(Layer.provide(Layer.succeed(JiraRetrySettings, defaultRetrySettings)))
    return Effect.runPromise(
      Effect.gen(function* () {
        const statuses = yield* JiraClient.statuses()
        const logs = new Map<string, ReadonlyArray<ChangeHistory> | null>()
        for (const key of keys)
          logs.set(
            key,
            yield* JiraClient.issueChangelog(key).pipe(
              // Deleted mid-export (chaos): Jira answers 404 and the issue is not compared.
              Effect.catchIf(
                (e) => e.reason === "NotFound",
                () => Effect.succeed(null),
              ),
            ),
          )
        return { statuses, logs }
      }).pipe(Effect.provide(layer)),
    )
  }

  it("agree with each other and with GET /issue/{id}/changelog, issue by issue", async () => {
    const jql = `project in (${emulator.dataset.projects.map((p) => p.key).join(", ")}) ORDER BY key ASC`
    const columnsFile = path.join(dir, "columns.csv")
    const historyFile = path.join(dir, "history.csv")
    // The emulator dates some changes after today; the columns count changes up to the export's start.
    const startedBefore = Date.now()
    const a = await cli(["--jql", jql, "--columns", COLUMNS, "--out", columnsFile])
    const endedAfter = Date.now()
    // The status deleted from the site has no column of its own: the end summary names it (issue 19).
    expect(a.stderr.replace(/^\d+ issues matched but could no longer be read.*\n/m, "")).toBe(
      `"Time in statuses no longer in a workflow (h)" sums the time in a status Jira no longer lists (deleted from the site, or not readable with your permissions): Needs Info (id 10098).\n`,
    )
    expect(a.code).toBe(0)
    const b = await cli(["--jql", jql, "--history", "--out", historyFile])
    expect(b.code).toBe(0)

    const [header, ...rows] = parse(fs.readFileSync(columnsFile, "utf8")) as Array<Array<string>>
    const history = (parse(fs.readFileSync(historyFile, "utf8")) as Array<Array<string>>).slice(1)
    expect(header?.slice(0, 3)).toEqual(["Issue key", "Status", "Created"])
    const timeColumns = (header ?? []).flatMap((h, i) => (/^Time in .+ \(h\)$/.test(h) ? [i] : []))
    expect(timeColumns.length).toBeGreaterThan(2)
    const at = (name: string) => (header ?? []).indexOf(name)
    // A status that left the workflow but still exists gets its column, with its category (issue 19).
    expect(rows.some((r) => (r[at("Time in Awaiting Triage (h)")] ?? "") !== "")).toBe(true)
    expect(rows.some((r) => (r[at("Time in statuses no longer in a workflow (h)")] ?? "") !== "")).toBe(true)

    const keys = rows.map((r) => r[0] ?? "")
    expect(keys.length).toBeGreaterThan(250)
    const { statuses, logs } = await reference(keys)
    const category = new Map(statuses.map((s) => [s.id, s.statusCategory?.key]))

    // History rows come grouped by issue, in the export's issue order.
    const historyKeys = [...new Set(history.map((r) => r[0]))]
    expect(historyKeys).toEqual(keys.filter((k) => historyKeys.includes(k)))

    const asOfs: Array<number> = []
    let compared = 0
    for (const row of rows) {
      const key = row[0] ?? ""
      const log = logs.get(key)
      if (log === null || log === undefined) continue
      compared++
      // The history export holds exactly Jira's changed items, oldest first.
      const expected = log.flatMap((h) =>
        h.items.map((item) => [
          key,
          Date.parse(h.created),
          item.field,
          item.fromString ?? item.from ?? "",
          item.toString ?? item.to ?? "",
        ]),
      )
      const mine = history
        .filter((r) => r[0] === key)
        .map((r) => [r[0], Date.parse(r[1] ?? ""), r[3], r[4], r[5]])
      expect(mine).toEqual(expected)

      const allChanges = log.flatMap((h) =>
        h.items
          .filter((i) => i.fieldId === "status")
          .map((i) => ({ at: Date.parse(h.created), from: i.from ?? "", to: i.to ?? "" })),
      )
      expect(history.filter((r) => r[0] === key && r[3] === "status")).toHaveLength(allChanges.length)
      const statusChanges = allChanges.filter((c) => c.at < startedBefore)
      // A change dated while the export ran may or may not be before its as-of instant: not compared.
      if (allChanges.some((c) => c.at >= startedBefore && c.at <= endedAfter)) continue
      expect(row[at("Status changes")]).toBe(String(statusChanges.length))

      const created = Date.parse(row[2] ?? "")
      // Creation enters the first status: the first change's from (dated after the as-of instant or
      // not), else the current status.
      const initial = allChanges[0]?.from ?? statuses.find((s) => s.name === row[1])?.id ?? ""
      const entered = [{ at: created, to: initial }, ...statusChanges]
      const firstDone = entered.find((c) => category.get(c.to) === "done")
      const lead = row[at("Lead time (h)")]
      expect(lead === "" ? undefined : Number(lead)).toBe(
        firstDone === undefined ? undefined : hoursBetween(created, firstDone.at),
      )
      const started = entered.find(
        (c) => category.get(c.to) === "indeterminate" && firstDone !== undefined && c.at <= firstDone.at,
      )
      const cycle = row[at("Cycle time (h)")]
      if (cycle !== "") expect(Number(cycle)).toBeLessThanOrEqual(Number(lead))
      if (started !== undefined && firstDone !== undefined && started.at < firstDone.at)
        expect(Number(cycle)).toBe(hoursBetween(started.at, firstDone.at))

      // Time in status adds up to the issue's age at the export's one as-of instant.
      const sum = timeColumns.reduce((s, i) => s + Number(row[i] || 0), 0)
      asOfs.push(created + sum * HOUR)
    }
    expect(compared).toBeGreaterThan(250)
    const spread = (Math.max(...asOfs) - Math.min(...asOfs)) / HOUR
    expect(spread).toBeLessThanOrEqual(0.01 * timeColumns.length)
    const slack = 0.005 * timeColumns.length * HOUR
    expect(Math.min(...asOfs)).toBeGreaterThanOrEqual(startedBefore - slack)
    expect(Math.max(...asOfs)).toBeLessThanOrEqual(endedAfter + slack)
  }, 240_000)

  it("a workbook's About sheet names the deleted status it summed in one column (issue 19)", async () => {
    const jql = `project in (${emulator.dataset.projects.map((p) => p.key).join(", ")}) ORDER BY key ASC`
    const out = path.join(dir, "columns.xlsx")
    const run = await cli(["--jql", jql, "--columns", COLUMNS, "--out", out])
    expect(run.code).toBe(0)
    const sheets = await readWorkbook(fs.readFileSync(out))
    const about = sheets.at(-1)
    expect(about?.name).toBe("About this export")
    expect(about?.rows.at(-1)).toEqual([
      { type: "text", value: "Notes" },
      { type: "text", value: expect.stringContaining("Needs Info (id 10098)") },
    ])
    expect(sheets[0]?.rows[0]).toContainEqual({ type: "text", value: "Time in Awaiting Triage (h)" })
  }, 120_000)
})
