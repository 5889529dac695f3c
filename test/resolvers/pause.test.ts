/**
 * "A wait is a pause, not a failure" (src/export/pause.ts), through `export/next` with the engine's
 * Jira port replaced by a fake (`ExportJira.layerTest`) and the client (which the planner reads
 * `/field` with) scripted: a wait Jira asks for before any row answers with the same cursor and the
 * wait; a failure a repeat would meet again stays a failure.
 */
import { describe, expect, it } from "@effect/vitest"
import { Clock, Effect } from "effect"
import { encodeCursor } from "../../src/export/cursor.js"
import { ExportJira } from "../../src/export/ExportJira.js"
import { jiraResponse } from "../../src/jira/JiraTransport.js"
import { JiraDeadline } from "../../src/jira/RetryPolicy.js"
import { exportNext } from "../../src/resolvers/export.js"
import { beginFake, makeFakeJira, makeIssues } from "../export/fakes.js"
import { type Answer, scripted } from "../jira/scripted.js"

const nextCall = (fieldAnswer: Answer) =>
  Effect.gen(function* () {
    const fake = makeFakeJira(makeIssues(5))
    const cursor = encodeCursor((yield* beginFake(fake, { columns: ["summary"] })).content)
    const jira = scripted([fieldAnswer])
    const readsBefore = fake.stats.requests
    // As in a resolver: waits that do not fit the invocation fail at once instead of sleeping.
    const deadline = (yield* Clock.currentTimeMillis) + 1000
    const answer = yield* exportNext({ cursor }).pipe(
      JiraDeadline.within(deadline),
      Effect.provide(ExportJira.layerTest(fake.jira)),
      Effect.provide(jira.layer),
      Effect.either,
    )
    return { answer, cursor, issueReads: fake.stats.requests - readsBefore, fieldReads: jira.sent.length }
  })

describe("export/next pauses on a wait", () => {
  it.effect("a 429 while the call plans its columns: the same cursor, the wait, no row read", () =>
    Effect.gen(function* () {
      const { answer, cursor, issueReads, fieldReads } = yield* nextCall(
        jiraResponse(429, "", { "Retry-After": "7" }),
      )
      expect(answer._tag === "Right" && answer.right).toMatchObject({ csv: "", cursor, retryAfterMs: 7000 })
      expect([issueReads, fieldReads]).toEqual([0, 1])
    }),
  )

  it.effect("a refusal a repeat would meet again is a failure", () =>
    Effect.gen(function* () {
      const { answer } = yield* nextCall(jiraResponse(403, { errorMessages: ["No."] }))
      expect(answer._tag === "Left" && answer.left._tag).toBe("JiraError")
    }),
  )
})
