import { describe, expect, it } from "@effect/vitest"
import { Context, Effect, Layer } from "effect"
import { UserDirectory } from "../../src/jira/UserDirectory.js"
import { ForgeShared, forgeInvocationFor, viewerOf } from "../../src/runtime.js"

const directoryOf = (viewer: string | undefined) =>
  Layer.build(forgeInvocationFor(viewer)).pipe(Effect.map((context) => Context.get(context, UserDirectory)))

describe("Forge runtime", () => {
  it("reads the viewer from the invocation context", () => {
    expect(viewerOf({ accountId: "5b10a2844c20165700ede21g" })).toBe("5b10a2844c20165700ede21g")
    expect(viewerOf({})).toBeUndefined()
    expect(viewerOf(null)).toBeUndefined()
    expect(viewerOf({ accountId: 7 })).toBeUndefined()
  })

  it.scoped("keeps one user directory per viewer, never shared between viewers", () =>
    Effect.gen(function* () {
      const a1 = yield* directoryOf("viewer-a")
      const a2 = yield* directoryOf("viewer-a")
      const b = yield* directoryOf("viewer-b")
      const anonymous1 = yield* directoryOf(undefined)
      const anonymous2 = yield* directoryOf(undefined)
      expect(a2).toBe(a1)
      expect(b).not.toBe(a1)
      expect(anonymous1).not.toBe(anonymous2)
      expect(anonymous1).not.toBe(a1)
    }).pipe(Effect.provide(ForgeShared)),
  )
})
