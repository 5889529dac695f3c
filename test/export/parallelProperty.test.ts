/**
 * Property: however a query is cut into parts, the parallel thrifty export writes the file of the
 * sequential chain of pages, byte for byte. The partitions are made by hand (random cuts over the
 * axis of the query's first sort key, empty parts included), not by the planner, so the reading,
 * the concatenation and the Rank merge are tested on their own; random page sizes and request
 * concurrency, in one stream or through small budgeted calls that stop parts in the middle of a page.
 */
import fc from "fast-check"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import type { CursorContent, Phase } from "../../src/export/cursor.js"
import { axisOf, keyAxis, quoted, rangeConditions } from "../../src/export/parallel/ranges.js"
import type { PipelineSettings } from "../../src/export/types.js"
import { type Harness, startHarness } from "../resolvers/emulated.js"
import {
  chunkAll,
  type DataIssue,
  dataIssues,
  referenceKeys,
  rowKeys,
  runOn,
  SEQUENTIAL,
  SETTINGS,
  startThrifty,
  streamAll,
} from "./parallelSupport.js"

type Axis = "id" | "key" | "created" | "updated" | "rank"

interface OrderCase {
  readonly order: string
  readonly axis: Axis
  readonly direction: "asc" | "desc"
}

const ORDERS: ReadonlyArray<OrderCase> = [
  { order: "ORDER BY key ASC", axis: "key", direction: "asc" },
  { order: "ORDER BY key DESC", axis: "key", direction: "desc" },
  { order: "ORDER BY issuekey DESC, created ASC", axis: "key", direction: "desc" },
  { order: "ORDER BY created ASC", axis: "created", direction: "asc" },
  { order: "ORDER BY created DESC", axis: "created", direction: "desc" },
  { order: "ORDER BY created DESC, key ASC", axis: "created", direction: "desc" },
  { order: "ORDER BY updated ASC", axis: "updated", direction: "asc" },
  { order: "ORDER BY updated DESC, key DESC", axis: "updated", direction: "desc" },
  { order: "ORDER BY id ASC", axis: "id", direction: "asc" },
  { order: "ORDER BY id DESC", axis: "id", direction: "desc" },
  { order: "ORDER BY Rank ASC", axis: "rank", direction: "asc" },
  { order: "ORDER BY rank DESC", axis: "rank", direction: "desc" },
  { order: "ORDER BY cf[10014] DESC", axis: "rank", direction: "desc" },
]

/** A run: the query, the order, the cuts of the partition, the settings and, maybe, a call budget. */
interface Case {
  readonly where: string
  readonly order: OrderCase
  /** Cut values over the axis (`key`: per project found, in the order's project order). */
  readonly cuts: ReadonlyArray<number>
  readonly keyCuts: ReadonlyArray<ReadonlyArray<number>>
  readonly pageSize: number
  readonly concurrency: number
  readonly budget: {
    readonly maxBytes: number
    readonly maxUnitBytes: number
    /** What an earlier call measured; absent: a first call. */
    readonly bytesPerRow?: number
  } | null
}

const sortedUnique = (values: ReadonlyArray<number>) => [...new Set(values)].sort((a, b) => a - b)

/** The parallel phase of a hand-made partition. */
const phaseOf = (c: Case, projects: ReadonlyArray<string>): Phase => {
  const { axis, direction } = c.order
  const fresh = (wheres: ReadonlyArray<string>) => wheres.map((where) => ({ where, token: null }))
  if (axis === "rank")
    return {
      _tag: "parallel",
      mode: "merge",
      parts: fresh(rangeConditions(axisOf("id"), sortedUnique(c.cuts), "asc")),
    }
  if (axis !== "key")
    return {
      _tag: "parallel",
      mode: "concat",
      parts: fresh(rangeConditions(axisOf(axis), sortedUnique(c.cuts), direction)),
    }
  // Projects found first, in the order's project order, each cut by number; the rest one last part.
  const inOrder = direction === "asc" ? projects : [...projects].reverse()
  const found = inOrder.slice(0, c.keyCuts.length)
  if (found.length === 0) return { _tag: "parallel", mode: "concat", parts: fresh([""]) }
  const wheres = found.flatMap((project, i) =>
    rangeConditions(keyAxis(project), sortedUnique(c.keyCuts[i] ?? []), direction),
  )
  return {
    _tag: "parallel",
    mode: "concat",
    parts: fresh([...wheres, `project not in (${found.map(quoted).join(", ")})`]),
  }
}

describe("parallel thrifty: any partition of the query writes the chain's bytes", () => {
  let harness: Harness
  let data: ReadonlyArray<DataIssue>
  /** Projects in the order `ORDER BY key ASC` lists them. */
  let projects: ReadonlyArray<string>
  let midPageCursors = 0
  let budgetedRuns = 0

  beforeAll(async () => {
    harness = await startHarness({ issues: 360, seed: 23, profile: "instant" })
    data = dataIssues(harness.emulator)
    const all = `project in (${harness.emulator.dataset.projects.map((p) => p.key).join(", ")})`
    projects = [
      ...new Set(
        referenceKeys(harness.emulator, `${all} ORDER BY key ASC`).map((k) => k.split("-")[0] ?? ""),
      ),
    ]
  })
  afterAll(async () => {
    await harness.emulator.close()
  })

  const wheres = () => {
    const all = `project in (${projects.join(", ")})`
    const [a = "", b = "", c = "", d = "", e = ""] = projects
    return [
      all,
      `project = ${b}`,
      `${all} AND status != Done`,
      `${all} AND labels is not EMPTY`,
      `${all} AND created >= -400d`,
      `project in (${a}, ${e}) AND status != Done AND labels is not EMPTY`,
      // A top-level OR: a part's condition must not bind to its last term only.
      `project = ${c} OR project = ${e} AND labels is not EMPTY`,
      `(project = ${a} OR project = ${d}) AND created >= -400d AND status != Done`,
    ]
  }

  const caseArb = () => {
    const ids = data.map((i) => i.id)
    const lowId = Math.min(...ids)
    const highId = Math.max(...ids)
    const maxNumber = Math.max(...data.map((i) => i.number))
    const cuts = (order: OrderCase) => {
      if (order.axis === "id" || order.axis === "rank")
        return fc.uniqueArray(fc.integer({ min: lowId - 3, max: highId + 3 }), { maxLength: 10 })
      if (order.axis === "key") return fc.constant([])
      const field = order.axis
      // Minutes of issues, one either side: cuts right at an issue's minute are the risky ones.
      return fc
        .array(fc.tuple(fc.integer({ min: 0, max: data.length - 1 }), fc.integer({ min: -1, max: 1 })), {
          maxLength: 10,
        })
        .map((picks) => picks.map(([i, d]) => (data[i]?.[field] ?? 0) + d))
    }
    const keyCuts = (order: OrderCase) =>
      order.axis !== "key"
        ? fc.constant([])
        : fc.integer({ min: 0, max: projects.length }).chain((found) =>
            fc.array(fc.uniqueArray(fc.integer({ min: 1, max: maxNumber + 2 }), { maxLength: 4 }), {
              minLength: found,
              maxLength: found,
            }),
          )
    return fc.constantFrom(...ORDERS).chain((order) =>
      fc.record<Case>({
        where: fc.constantFrom(...wheres()),
        order: fc.constant(order),
        cuts: cuts(order),
        keyCuts: keyCuts(order),
        pageSize: fc.integer({ min: 5, max: 40 }),
        concurrency: fc.integer({ min: 1, max: 5 }),
        // Streamed, or through calls under a small budget, starting cold (no figure) or from one.
        budget: fc.oneof(
          { weight: 2, arbitrary: fc.constant(null) },
          {
            weight: 1,
            arbitrary: fc.record(
              {
                maxBytes: fc.integer({ min: 8_000, max: 20_000 }),
                maxUnitBytes: fc.integer({ min: 800, max: 4_000 }),
                bytesPerRow: fc.integer({ min: 60, max: 400 }),
              },
              { requiredKeys: ["maxBytes", "maxUnitBytes"] },
            ),
          },
        ),
      }),
    )
  }

  const check = async (c: Case) => {
    const jql = `${c.where} ${c.order.order}`
    const settings: PipelineSettings = {
      ...SETTINGS,
      searchPageSize: c.pageSize,
      requestConcurrency: c.concurrency,
      ...(c.budget === null ? {} : { maxUnitBytes: c.budget.maxUnitBytes }),
    }
    const started = await runOn(harness, startThrifty(jql))
    const sequential = await runOn(
      harness,
      streamAll(started.format, { ...started.content, phase: SEQUENTIAL }, settings),
    )
    const content: CursorContent = { ...started.content, phase: phaseOf(c, projects) }
    const parallel =
      c.budget === null
        ? (await runOn(harness, streamAll(started.format, content, settings))).csv
        : await chunkAll(
            harness,
            started.format,
            {
              ...content,
              ...(c.budget.bytesPerRow === undefined
                ? {}
                : { learned: { bytesPerRow: c.budget.bytesPerRow } }),
            },
            {
              timeMs: 60_000,
              graceMs: 10_000,
              maxBytes: c.budget.maxBytes,
            },
          ).then((chunked) => {
            budgetedRuns++
            midPageCursors += chunked.midPage
            return chunked.csv
          })
    // The reference itself is Jira's order (else both could be wrong alike).
    expect(rowKeys(sequential.csv)).toEqual(referenceKeys(harness.emulator, jql))
    expect(parallel).toBe(sequential.csv)
  }

  it("property: random queries, orders, partitions, page sizes and concurrency", async () => {
    await fc.assert(fc.asyncProperty(caseArb(), check), { numRuns: 25 })
  })

  it("through small calls, parts resume in the middle of a page byte-exact", async () => {
    // Deterministic: cursors that stop parts mid-page must occur, not just may.
    const [a = "", , , , e = ""] = projects
    const cases: ReadonlyArray<Case> = [
      { order: ORDERS[1]!, cuts: [], keyCuts: [[5, 20], [9]] },
      { order: ORDERS[4]!, cuts: [data[60]?.created ?? 0, data[200]?.created ?? 0], keyCuts: [] },
      { order: ORDERS[10]!, cuts: [data[90]?.id ?? 0, data[250]?.id ?? 0], keyCuts: [] },
    ].map((c) => ({
      ...c,
      where: `project in (${projects.join(", ")}) AND project != ${a} OR project = ${e}`,
      pageSize: 17,
      concurrency: 3,
      budget: { maxBytes: 9_000, maxUnitBytes: 1_200 },
    }))
    const before = midPageCursors
    for (const c of cases) await check(c)
    expect(midPageCursors).toBeGreaterThan(before)
    expect(budgetedRuns).toBeGreaterThan(0)
  })
})
