/**
 * The parallel thrifty strategy against the emulator: for every order it can cut into parts, the file
 * is byte for byte the one the sequential chain of pages writes; orders it cannot cut read one chain
 * and say why; a key bound Jira refuses leaves each project one part.
 */
import { Effect, Stream } from "effect"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { ExportJira } from "../../src/export/ExportJira.js"
import { exportStream } from "../../src/export/engine.js"
import type { ExportJiraShape } from "../../src/export/ports.js"
import { JiraError } from "../../src/jira/JiraError.js"
import { type Harness, jqlAll, startHarness } from "../resolvers/emulated.js"
import { runOn, SEQUENTIAL, SETTINGS, startThrifty, streamAll } from "./parallelSupport.js"

/** Units whose position is a parallel phase. */
const parallelUnits = (cursors: ReadonlyArray<{ readonly phase: { readonly _tag: string } } | null>) =>
  cursors.filter((c) => c?.phase._tag === "parallel").length

describe("parallel thrifty against the emulator", () => {
  let harness: Harness
  beforeAll(async () => {
    harness = await startHarness({ issues: 500, seed: 7 })
  })
  afterAll(async () => {
    await harness.emulator.close()
  })

  const both = (order: string) =>
    runOn(
      harness,
      Effect.gen(function* () {
        const started = yield* startThrifty(jqlAll(harness.emulator, order))
        const parallel = yield* streamAll(started.format, started.content)
        const sequential = yield* streamAll(started.format, { ...started.content, phase: SEQUENTIAL })
        return { parallel, sequential, started }
      }),
    )

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
      expect(parallelUnits(parallel.cursors)).toBeGreaterThan(0)
      expect(parallelUnits(sequential.cursors)).toBe(0)
      expect(parallel.csv.split("\r\n").length).toBeGreaterThan(400)
      expect(parallel.csv).toBe(sequential.csv)
    })

  it("a key bound Jira refuses leaves each project one part, and the file the same", async () => {
    const { csv, wheres, sequential } = await runOn(
      harness,
      Effect.gen(function* () {
        const jira = yield* ExportJira
        const started = yield* startThrifty(jqlAll(harness.emulator, "ORDER BY key ASC"))
        const refuse = (jql: string) =>
          jql.includes("issuekey >=") || jql.includes("issuekey <")
            ? Effect.fail(
                new JiraError({ reason: "InvalidJql", message: "An issue with key 'X' does not exist." }),
              )
            : undefined
        const refusing: ExportJiraShape = {
          ...jira,
          approximateCount: (jql) => refuse(jql) ?? jira.approximateCount(jql),
          searchPage: (request) => refuse(request.jql) ?? jira.searchPage(request),
        }
        const wheres: Array<string> = []
        let csv = ""
        yield* exportStream({
          jira: refusing,
          format: started.format,
          content: started.content,
          settings: SETTINGS,
        }).pipe(
          Stream.runForEach(({ text, next }) =>
            Effect.sync(() => {
              csv += text
              if (next?.phase._tag === "parallel") wheres.push(...next.phase.parts.map((p) => p.where))
            }),
          ),
        )
        const sequential = yield* streamAll(started.format, { ...started.content, phase: SEQUENTIAL })
        return { csv, wheres, sequential }
      }),
    )
    expect(wheres.length).toBeGreaterThan(0)
    for (const where of wheres) expect(where).not.toMatch(/issuekey/)
    expect(csv).toBe(sequential.csv)
  })

  it("an order the client cannot reproduce reads one chain and says why", async () => {
    const { parallel, sequential, started } = await both("ORDER BY summary ASC")
    expect(started.sequentialReason).toMatch(/summary/)
    expect(parallelUnits(parallel.cursors)).toBe(0)
    expect(parallel.csv).toBe(sequential.csv)
  })
})
