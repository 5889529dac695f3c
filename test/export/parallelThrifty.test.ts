/**
 * The parallel thrifty strategy against the emulator: for every order it can cut into parts, the file
 * is byte for byte the one the sequential chain of pages writes, in one stream and through
 * `export/next` calls; orders it cannot cut read one chain.
 */
import { Effect, Either, Stream } from "effect"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { exportStream } from "../../src/export/chunk.js"
import type { CursorContent, Phase } from "../../src/export/cursor.js"
import type { PipelineSettings } from "../../src/export/pipeline.js"
import type { ExportJira, RowFormat } from "../../src/export/ports.js"
import { startExport } from "../../src/export/start.js"
import { liveExportJira, livePlanner } from "../../src/export/wiring.js"
import { JiraError } from "../../src/jira/JiraError.js"
import { type Harness, jqlAll, startHarness } from "../resolvers/emulated.js"

const settings: PipelineSettings = {
  searchPageSize: 20,
  idPageSize: 90,
  bulkSize: 20,
  requestConcurrency: 3,
  completionConcurrency: 2,
  issueErrorRetries: 2,
}

const COLUMNS = ["issuekey", "summary", "status", "assignee", "comment", "labels", "created", "Rank"]

/** Starts an export of `jql` and hands back its format and first cursor. */
const begin = (jql: string, strategy: "thrifty" | "fast" = "thrifty") =>
  Effect.gen(function* () {
    const jira = yield* liveExportJira
    const started = yield* startExport({
      jira,
      planner: livePlanner,
      payload: { jql, columns: COLUMNS, options: { strategy } },
      timeZone: "UTC",
      siteUrl: "https://example.atlassian.net",
      apiToken: true,
    })
    return { jira, started }
  })

/** The whole file from `content` on, in one stream. */
const streamAll = (format: RowFormat, content: CursorContent, header: string, s = settings) =>
  Effect.gen(function* () {
    const jira = yield* liveExportJira
    let csv = header
    let phases = 0
    yield* exportStream({ jira, format, content, settings: s }).pipe(
      Stream.runForEach(({ text, next }) =>
        Effect.sync(() => {
          csv += text
          if (next?.phase._tag === "parallel") phases++
        }),
      ),
    )
    return { csv, parallelUnits: phases }
  })

/** The sequential chain of pages: the first phase without leave to cut the query. */
const sequentialPhase: Phase = { _tag: "thrifty", token: null }

describe("parallel thrifty against the emulator", () => {
  let harness: Harness
  beforeAll(async () => {
    harness = await startHarness({ issues: 500, seed: 7 })
  })
  afterAll(async () => {
    await harness.emulator.close()
  })

  const both = async (order: string) => {
    const result = await harness.run(
      Effect.gen(function* () {
        const { started } = yield* begin(jqlAll(harness.emulator, order))
        const parallel = yield* streamAll(started.format, started.content, started.header)
        const sequential = yield* streamAll(
          started.format,
          { ...started.content, phase: sequentialPhase },
          started.header,
        )
        return { parallel, sequential, started }
      }),
    )
    if (Either.isLeft(result)) throw new Error(result.left.message)
    return result.right
  }

  for (const order of [
    "ORDER BY key ASC",
    "ORDER BY key DESC",
    "ORDER BY created DESC",
    "ORDER BY updated ASC, key DESC",
    "ORDER BY id DESC",
    "ORDER BY Rank ASC",
    "ORDER BY rank DESC",
  ])
    it(`${order}: parts read in parallel, the same bytes as one chain`, async () => {
      const { parallel, sequential, started } = await both(order)
      expect(started.sequentialReason).toBeUndefined()
      expect(parallel.parallelUnits).toBeGreaterThan(0)
      expect(sequential.parallelUnits).toBe(0)
      expect(parallel.csv.split("\r\n").length).toBeGreaterThan(400)
      expect(parallel.csv).toBe(sequential.csv)
    })

  it("a key bound Jira refuses leaves each project one part, and the file the same", async () => {
    const result = await harness.run(
      Effect.gen(function* () {
        const { jira, started } = yield* begin(jqlAll(harness.emulator, "ORDER BY key ASC"))
        const refuse = (jql: string) =>
          jql.includes("issuekey >=") || jql.includes("issuekey <")
            ? Effect.fail(
                new JiraError({ reason: "InvalidJql", message: "An issue with key 'X' does not exist." }),
              )
            : undefined
        const refusing: ExportJira = {
          ...jira,
          approximateCount: (jql) => refuse(jql) ?? jira.approximateCount(jql),
          searchPage: (request) => refuse(request.jql) ?? jira.searchPage(request),
        }
        const wheres: Array<string> = []
        let csv = started.header
        yield* exportStream({
          jira: refusing,
          format: started.format,
          content: started.content,
          settings,
        }).pipe(
          Stream.runForEach(({ text, next }) =>
            Effect.sync(() => {
              csv += text
              if (next?.phase._tag === "parallel") wheres.push(...next.phase.parts.map((p) => p.where))
            }),
          ),
        )
        const sequential = yield* streamAll(
          started.format,
          { ...started.content, phase: sequentialPhase },
          started.header,
        )
        return { csv, wheres, sequential }
      }),
    )
    if (Either.isLeft(result)) throw new Error(result.left.message)
    expect(result.right.wheres.length).toBeGreaterThan(0)
    for (const where of result.right.wheres) expect(where).not.toMatch(/issuekey/)
    expect(result.right.csv).toBe(result.right.sequential.csv)
  })

  it("an order the client cannot reproduce reads one chain and says why", async () => {
    const { parallel, sequential, started } = await both("ORDER BY summary ASC")
    expect(started.sequentialReason).toMatch(/summary/)
    expect(parallel.parallelUnits).toBe(0)
    expect(parallel.csv).toBe(sequential.csv)
  })
})
