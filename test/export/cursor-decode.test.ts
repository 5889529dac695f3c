/** Reading a cursor back: the sentence must name the real cause (damaged vs. another version). */
import { describe, expect, it } from "@effect/vitest"
import { Effect } from "effect"
import { decodeCursor } from "../../src/export/cursor.js"

const wire = (json: string) => Buffer.from(json, "utf8").toString("base64url")

describe("decodeCursor", () => {
  for (const json of ['{"c":{},"sum":""}', '{"c":{}}', '{"c":{"v":null},"sum":"x"}', '{"c":[]}'])
    it.effect(`a cursor with empty or shapeless content (${json}) is damaged, not from another version`, () =>
      Effect.gen(function* () {
        const error = yield* Effect.flip(decodeCursor(wire(json)))
        expect(error.reason).toBe("Malformed")
        expect(error.message).toContain("damaged")
        expect(error.message).not.toContain("another version")
      }),
    )

  it.effect("a cursor that says it is another version is blamed on the version", () =>
    Effect.gen(function* () {
      const error = yield* Effect.flip(decodeCursor(wire('{"c":{"v":2,"jql":"x"},"sum":"y"}')))
      expect(error.reason).toBe("Version")
      expect(error.message).toContain("another version")
    }),
  )
})
