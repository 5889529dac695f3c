import { Cause, Effect, Exit } from "effect"
import { afterEach, describe, expect, it, vi } from "vitest"
import { RETRYABLE_ERROR_TAGS } from "../../src/contract/constants.js"
import { ErrorTag } from "../../src/contract.js"
import { BadCursor, PlanError } from "../../src/export/errors.js"
import { JiraError, type JiraErrorReason, retryKind } from "../../src/jira/JiraError.js"
import { InvocationTimeout } from "../../src/resolvers/deadline.js"
import { ExportTooLarge } from "../../src/resolvers/export.js"
import { BadPayload } from "../../src/resolvers/payload.js"
import { internalError, type ResolverFailure, respond, toResolverError } from "../../src/resolvers/respond.js"
import { runResolver } from "../../src/runtime.js"

describe("a resolver failure as the page sees it", () => {
  afterEach(() => {
    vi.restoreAllMocks()
  })

  const failures: ReadonlyArray<ResolverFailure> = [
    new JiraError({
      reason: "QuotaExhausted",
      message:
        "This app has used its hourly Jira request quota; the export continues after 2025-01-01T10:00:00Z.",
      details: ["jira-quota-tenant-based"],
      retryAfterMs: 60_000,
      resetAt: "2025-01-01T10:00:00Z",
    }),
    new BadPayload({
      message: "The page sent a request the app does not understand.",
      details: ["jql: too long"],
    }),
    new BadCursor({
      reason: "Checksum",
      message: "The export position was altered; start the export again.",
    }),
    new PlanError({
      reason: "AmbiguousColumn",
      message: "Several fields are called Team.",
      details: ["a", "b"],
    }),
    new ExportTooLarge({ bytes: 6_400_000 }),
  ]

  it("every failure keeps its tag, its sentence and what the page needs to wait or explain", () => {
    expect(failures.map(toResolverError)).toEqual([
      {
        tag: "QuotaExhausted",
        message:
          "This app has used its hourly Jira request quota; the export continues after 2025-01-01T10:00:00Z.",
        details: ["jira-quota-tenant-based"],
        retryAfterMs: 60_000,
        resetAt: "2025-01-01T10:00:00Z",
      },
      {
        tag: "BadPayload",
        message: "The page sent a request the app does not understand.",
        details: ["jql: too long"],
      },
      { tag: "BadCursor", message: "The export position was altered; start the export again." },
      { tag: "AmbiguousColumn", message: "Several fields are called Team.", details: ["a", "b"] },
      {
        tag: "TooLarge",
        message: expect.stringMatching(/^One issue of this export takes 6\.4 MB .*exporter\.$/),
      },
    ])
    for (const error of failures.map(toResolverError)) expect(ErrorTag.literals).toContain(error.tag)
  })

  it("a failure becomes an error result; a defect an Internal one, logged, without its stack", () => {
    const logged = vi.spyOn(console, "error").mockImplementation(() => undefined)
    expect(respond(Exit.succeed(1))).toEqual({ ok: true, value: 1 })
    expect(respond(Exit.fail(new ExportTooLarge({ bytes: 1 })))).toMatchObject({
      ok: false,
      error: { tag: "TooLarge" },
    })
    expect(logged).not.toHaveBeenCalled()
    const defect = respond(Exit.failCause(Cause.die(new Error("boom at line 12"))))
    expect(defect).toEqual({ ok: false, error: internalError })
    expect(JSON.stringify(defect)).not.toContain("boom")
    expect(logged).toHaveBeenCalledWith("resolver defect", expect.stringContaining("boom at line 12"))
  })

  it("runResolver takes only effects whose failures all have a sentence (checked by the type-checker)", () => {
    const withoutSentence = () =>
      // @ts-expect-error: an Error is not a ResolverFailure, so the page would get no sentence for it
      runResolver(Effect.fail(new Error("no sentence")))
    const withSentence = () => runResolver(Effect.fail(new ExportTooLarge({ bytes: 1 })))
    expect([typeof withoutSentence, typeof withSentence]).toEqual(["function", "function"])
  })
})

describe("which errors a repeat of the same call may get past", () => {
  it("the page's list (the contract) is the backend's retryKind, plus an invocation out of time", () => {
    const reasons: ReadonlyArray<JiraErrorReason> = [
      "RateLimited",
      "QuotaExhausted",
      "Unauthorized",
      "Forbidden",
      "NotFound",
      "InvalidJql",
      "BadRequest",
      "Removed",
      "ServerError",
      "Transport",
      "Decode",
    ]
    const retried = reasons
      .map((reason) => new JiraError({ reason, message: "m" }))
      .filter((error) => retryKind(error) !== undefined)
      .map((error) => toResolverError(error).tag)
    const timeout = toResolverError(new InvocationTimeout({ afterMs: 1, retryAfterMs: 1 })).tag
    expect([...RETRYABLE_ERROR_TAGS].sort()).toEqual([...retried, timeout].sort())
    for (const tag of RETRYABLE_ERROR_TAGS) expect(ErrorTag.literals).toContain(tag)
  })
})
