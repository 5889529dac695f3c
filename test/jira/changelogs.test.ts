/**
 * Changelog bulkfetch decoding (issue 19 item 1): Jira's documented variants are read, and what
 * cannot be read is a typed failure, never an empty history.
 */
import { describe, expect, it } from "@effect/vitest"
import { Effect, Exit } from "effect"
import { JiraClient } from "../../src/jira/JiraClient.js"
import { JiraError } from "../../src/jira/JiraError.js"
import { jiraResponse } from "../../src/jira/JiraTransport.js"
import { ok, scripted } from "./scripted.js"

const request = { ids: ["10100"], fieldIds: ["status"] } as const

const entry = (created: unknown) => ({
  id: "10001",
  created,
  items: [{ field: "status", fieldId: "status", from: "1", fromString: "To Do", to: "3", toString: "Done" }],
})

const failureOf = <A>(exit: Exit.Exit<A, JiraError>): JiraError => {
  if (Exit.isSuccess(exit) || exit.cause._tag !== "Fail" || !(exit.cause.error instanceof JiraError))
    throw new Error("expected a JiraError")
  return exit.cause.error
}

describe("changelog bulkfetch answers", () => {
  it.effect("`created` as a datetime, epoch seconds (Atlassian's example) or epoch milliseconds", () => {
    const jira = scripted([
      ok({
        issueChangeLogs: [
          {
            issueId: "10100",
            changeHistories: [entry(1492070429), entry(1492071429000), entry("2017-04-13T08:30:00.000+0000")],
          },
        ],
        nextPageToken: null,
      }),
    ])
    return Effect.gen(function* () {
      const histories = yield* JiraClient.changelogBulk(request)
      expect(histories.get("10100")?.map((h) => h.created)).toEqual([
        "2017-04-13T08:00:29.000Z",
        "2017-04-13T08:17:09.000Z",
        "2017-04-13T08:30:00.000+0000",
      ])
    }).pipe(Effect.provide(jira.layer))
  })

  it.effect("a 403 is Forbidden and an answer that does not decode is Decode: both fail the read", () =>
    Effect.gen(function* () {
      const forbidden = scripted([jiraResponse(403, { errorMessages: ["You do not have permission."] })])
      const refused = yield* Effect.exit(JiraClient.changelogBulk(request)).pipe(
        Effect.provide(forbidden.layer),
      )
      expect(failureOf(refused).reason).toBe("Forbidden")
      const garbled = scripted([
        ok({ issueChangeLogs: [{ issueId: "10100", changeHistories: [entry({ when: "yesterday" })] }] }),
      ])
      const unread = yield* Effect.exit(JiraClient.changelogBulk(request)).pipe(Effect.provide(garbled.layer))
      expect(failureOf(unread).reason).toBe("Decode")
      const outOfRange = scripted([
        ok({ issueChangeLogs: [{ issueId: "10100", changeHistories: [entry(1e20)] }] }),
      ])
      const huge = yield* Effect.exit(JiraClient.changelogBulk(request)).pipe(
        Effect.provide(outOfRange.layer),
      )
      expect(failureOf(huge).reason).toBe("Decode")
    }),
  )
})
