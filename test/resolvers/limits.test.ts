/**
 * Payloads past the contract's limits are refused before decoding and before any Jira call, with a
 * sentence that names the limit: a query over 10,000 characters, too many columns, and JSON nested so
 * deep that the decoder would run out of stack.
 */
import { describe, expect, it } from "@effect/vitest"
import { Effect, Either } from "effect"
import fc from "fast-check"
import { MAX_COLUMNS, MAX_JQL_LENGTH, MAX_PAYLOAD_DEPTH } from "../../src/contract/constants.js"
import { ExportStartPayload, PreviewPayload } from "../../src/contract.js"
import { exportNext, exportStart } from "../../src/resolvers/export.js"
import { fieldsList } from "../../src/resolvers/fields.js"
import { jqlAutocomplete, jqlParse, jqlSuggestions } from "../../src/resolvers/jql.js"
import { decodePayload, nestedDeeperThan } from "../../src/resolvers/payload.js"
import { previewPage } from "../../src/resolvers/preview.js"
import { type ResolverFailure, toResolverError } from "../../src/resolvers/respond.js"
import { whoami } from "../../src/resolvers/session.js"
import type { ResolverServices } from "../../src/runtime.js"
import { scripted } from "../jira/scripted.js"

const nested = (depth: number, leaf: unknown = "x"): unknown => {
  let value = leaf
  for (let i = 1; i < depth; i++) value = { a: value }
  return value
}

const resolvers: ReadonlyArray<
  (payload: unknown) => Effect.Effect<unknown, ResolverFailure, ResolverServices>
> = [
  whoami,
  fieldsList,
  jqlParse,
  jqlAutocomplete,
  jqlSuggestions,
  (p) => previewPage(p),
  (p) => exportStart(p),
  exportNext,
]

describe("payload limits", () => {
  it.effect("a query over the limit is refused with its length and the limit, without a schema line", () =>
    Effect.gen(function* () {
      const error = yield* Effect.flip(
        decodePayload(PreviewPayload)({ jql: `project = A AND ${"x".repeat(12_329)}`, columns: ["summary"] }),
      )
      expect(error.message).toBe(
        "The query is 12,345 characters long; the app accepts at most 10,000. Shorten it and try again.",
      )
      expect(error.details).toEqual([])
      expect(toResolverError(error)).toEqual({ tag: "BadPayload", message: error.message, details: [] })
      // At the limit it is still a query.
      const atLimit = yield* decodePayload(PreviewPayload)({
        jql: "x".repeat(MAX_JQL_LENGTH),
        columns: ["a"],
      })
      expect(atLimit.jql).toHaveLength(MAX_JQL_LENGTH)
    }),
  )

  it.effect("too many columns are refused with the count and the limit", () =>
    Effect.gen(function* () {
      const columns = Array.from({ length: MAX_COLUMNS + 1 }, (_, i) => `c${i}`)
      const error = yield* Effect.flip(decodePayload(ExportStartPayload)({ jql: "project = A", columns }))
      expect(error.message).toBe(
        "The export asks for 201 columns; the app accepts at most 200. Remove some and try again.",
      )
    }),
  )

  it.effect("JSON nested thousands deep in a typed field is a BadPayload, not a RangeError", () =>
    Effect.gen(function* () {
      for (const payload of [
        { jql: "project = A", columns: ["summary"], options: { dateFormat: nested(5_000) } },
        { jql: nested(20_000), columns: ["summary"] },
        { jql: "project = A", columns: [nested(100_000)] },
      ]) {
        const error = yield* Effect.flip(decodePayload(ExportStartPayload)(payload))
        expect(error._tag).toBe("BadPayload")
        expect(error.message).toContain(`more than ${MAX_PAYLOAD_DEPTH} levels deep`)
      }
    }),
  )

  it.effect("every resolver refuses a payload past a limit before it calls Jira", () => {
    const jira = scripted([])
    return Effect.gen(function* () {
      for (const resolver of resolvers)
        for (const payload of [
          nested(50_000),
          { jql: "x".repeat(MAX_JQL_LENGTH + 1), columns: ["summary"] },
          { cursor: nested(3_000) },
        ]) {
          const answer = yield* Effect.either(resolver(payload))
          if (Either.isRight(answer)) throw new Error("a payload past a limit was accepted")
          expect(toResolverError(answer.left).tag).toBe("BadPayload")
        }
      expect(jira.sent).toEqual([])
    }).pipe(Effect.provide(jira.layer))
  })

  it("measures nesting exactly, arrays and objects alike", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 60 }), fc.boolean(), (depth, arrays) => {
        let value: unknown = 1
        for (let i = 0; i < depth; i++) value = arrays ? [value] : { v: value }
        expect(nestedDeeperThan(value, MAX_PAYLOAD_DEPTH)).toBe(depth > MAX_PAYLOAD_DEPTH)
      }),
    )
    const cyclic: { self?: unknown } = {}
    cyclic.self = cyclic
    expect(nestedDeeperThan(cyclic, MAX_PAYLOAD_DEPTH)).toBe(true)
  })
})
