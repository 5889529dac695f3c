import { type Effect, Either } from "effect"
import fc from "fast-check"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { MAX_CURSOR_LENGTH, MAX_JQL_LENGTH } from "../../src/contract.js"
import { exportNext, exportStart } from "../../src/resolvers/export.js"
import { fieldsList } from "../../src/resolvers/fields.js"
import { jqlAutocomplete, jqlParse, jqlProblem, jqlSuggestions } from "../../src/resolvers/jql.js"
import { previewPage } from "../../src/resolvers/preview.js"
import type { ResolverFailure } from "../../src/resolvers/respond.js"
import type { ResolverServices } from "../../src/runtime.js"
import { exportThrough, type Harness, jqlAll, keysOf, startHarness } from "./emulated.js"

const resolvers: ReadonlyArray<
  readonly [string, (payload: unknown) => Effect.Effect<unknown, ResolverFailure, ResolverServices>]
> = [
  ["export/start", (p) => exportStart(p)],
  ["export/next", exportNext],
  ["preview/page", (p) => previewPage(p)],
  ["fields/list", fieldsList],
  ["jql/parse", jqlParse],
  ["jql/autocomplete", jqlAutocomplete],
  ["jql/suggestions", jqlSuggestions],
]

describe("resolver payloads", () => {
  let harness: Harness
  beforeAll(async () => {
    harness = await startHarness({ issues: 300, seed: 4 })
  })
  afterAll(async () => {
    await harness.emulator.close()
  })

  for (const [name, resolver] of resolvers)
    it(`${name}: random payloads always give a typed answer, never an internal error`, async () => {
      await fc.assert(
        fc.asyncProperty(fc.anything({ maxDepth: 3 }), async (payload) => {
          const result = await harness.run(resolver(payload))
          if (Either.isLeft(result)) {
            expect(result.left.tag).not.toBe("Internal")
            expect(result.left.message.length).toBeGreaterThan(0)
          }
        }),
        { numRuns: 40 },
      )
    })

  it("oversized payloads are refused before any Jira call", async () => {
    const cases: ReadonlyArray<
      readonly [(p: unknown) => Effect.Effect<unknown, ResolverFailure, ResolverServices>, unknown]
    > = [
      [(p) => exportStart(p), { jql: "x".repeat(MAX_JQL_LENGTH + 1), columns: ["summary"] }],
      [(p) => exportStart(p), { jql: "project = A", columns: Array.from({ length: 201 }, () => "summary") }],
      [exportNext, { cursor: "a".repeat(MAX_CURSOR_LENGTH + 1) }],
      [(p) => previewPage(p), { jql: "project = A", columns: ["summary"], pageSize: 1000 }],
      [(p) => exportStart(p), { jql: "project = A", columns: ["summary"], extra: true }],
    ]
    harness.emulator.resetStats()
    for (const [resolver, payload] of cases) {
      const result = await harness.run(resolver(payload))
      expect(Either.isLeft(result) && result.left.tag).toBe("BadPayload")
    }
    expect(harness.emulator.stats().requests.total).toBe(0)
  })

  it("a damaged, altered or foreign cursor is a BadCursor", async () => {
    const started = await harness.run(exportStart({ jql: jqlAll(harness.emulator), columns: ["summary"] }))
    if (Either.isLeft(started)) throw new Error(started.left.message)
    const cursor = started.right.cursor
    await fc.assert(
      fc.asyncProperty(fc.nat(cursor.length - 1), fc.constantFrom(..."ABCabc012-_"), async (at, char) => {
        fc.pre(cursor[at] !== char)
        const altered = `${cursor.slice(0, at)}${char}${cursor.slice(at + 1)}`
        const result = await harness.run(exportNext({ cursor: altered }))
        expect(Either.isLeft(result) && result.left.tag).toBe("BadCursor")
      }),
      { numRuns: 60 },
    )
    for (const foreign of [
      "x",
      "eyJ9",
      Buffer.from(JSON.stringify({ c: { v: 2 }, sum: "" })).toString("base64url"),
      "%%%",
    ]) {
      const result = await harness.run(exportNext({ cursor: foreign }))
      expect(Either.isLeft(result) && result.left.tag).toBe("BadCursor")
    }
  })

  it("jql/parse gives Jira's messages with line and character", async () => {
    const invalid = await harness.run(jqlParse({ jql: "project = = X" }))
    expect(Either.isRight(invalid)).toBe(true)
    if (Either.isRight(invalid)) {
      expect(invalid.right.valid).toBe(false)
      expect(invalid.right.errors[0]?.line).toBe(1)
      expect(invalid.right.errors[0]?.character).toBeGreaterThan(0)
    }
    const valid = await harness.run(jqlParse({ jql: jqlAll(harness.emulator) }))
    expect(Either.isRight(valid) && valid.right.valid).toBe(true)
    expect(jqlProblem("Error in the JQL Query: bad (line 3, character 17)")).toEqual({
      message: "Error in the JQL Query: bad (line 3, character 17)",
      line: 3,
      character: 17,
    })
    expect(jqlProblem("no position")).toEqual({ message: "no position" })
  })

  it("fields/list, jql/autocomplete and jql/suggestions answer from Jira", async () => {
    const fields = await harness.run(fieldsList({}))
    expect(
      Either.isRight(fields) && fields.right.fields.length > 20 && fields.right.defaults.length > 0,
    ).toBe(true)
    const auto = await harness.run(jqlAutocomplete({}))
    expect(Either.isRight(auto) && auto.right.fields.length > 0).toBe(true)
    const suggestions = await harness.run(jqlSuggestions({ fieldName: "project", fieldValue: "" }))
    expect(Either.isRight(suggestions)).toBe(true)
  })

  it("preview pages show the rows the CSV will hold, in the same order", async () => {
    const jql = jqlAll(harness.emulator)
    const columns = ["issuekey", "summary", "assignee", "description", "created"]
    const exported = await exportThrough(
      harness,
      () => exportStart({ jql, columns, options: { preset: "data" } }),
      (cursor) => exportNext({ cursor }),
    )
    const keys: Array<string> = []
    let token: string | null | undefined
    let rows = 0
    do {
      const page = await harness.run(
        previewPage({
          jql,
          columns,
          options: { preset: "data" },
          pageSize: 70,
          ...(token ? { nextPageToken: token } : {}),
        }),
      )
      if (Either.isLeft(page)) throw new Error(page.left.message)
      if (token === undefined) expect(page.right.approximateTotal).toBe(keysOf(exported.csv).length)
      keys.push(...page.right.issueKeys)
      rows += page.right.rows.length
      for (const row of page.right.rows) expect(row).toHaveLength(columns.length)
      expect(page.right.rows.map((r) => r[0])).toEqual(page.right.issueKeys)
      token = page.right.nextPageToken
    } while (token !== null)
    expect(keys).toEqual(keysOf(exported.csv))
    expect(rows).toBe(keys.length)
  })
})
