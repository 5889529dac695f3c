/**
 * A scripted Jira for the client tests: answers are taken in order (the last one repeats), and every
 * request is recorded with the (Test)Clock time it was sent at. The services over it are wired as
 * src/runtime.ts wires them for Forge, with the scripted transport in place of `ForgeTransport`.
 */
import { Clock, Effect, Layer } from "effect"
import type { JiraError } from "../../src/jira/JiraError.js"
import {
  type JiraRequest,
  type JiraResponse,
  JiraTransport,
  jiraResponse,
} from "../../src/jira/JiraTransport.js"
import { UserDirectory, type UserDirectoryConfig } from "../../src/jira/UserDirectory.js"
import { ForgeShared, invocationLayer } from "../../src/runtime.js"

export interface Sent {
  readonly at: number
  readonly request: JiraRequest
}

export type Answer = JiraResponse | JiraError | ((request: JiraRequest) => JiraResponse | JiraError)

export const scripted = (answers: ReadonlyArray<Answer>, users?: UserDirectoryConfig) => {
  const sent: Array<Sent> = []
  const transport = JiraTransport.layerTest((request) =>
    Effect.gen(function* () {
      const at = yield* Clock.currentTimeMillis
      sent.push({ at, request })
      const answer = answers[Math.min(sent.length, answers.length) - 1]
      if (answer === undefined) return jiraResponse(500, "no answer scripted")
      const resolved = typeof answer === "function" ? answer(request) : answer
      if ("_tag" in resolved) return yield* resolved
      return resolved
    }),
  )
  const layer = invocationLayer(transport, UserDirectory.layer(users)).pipe(Layer.provideMerge(ForgeShared))
  return { sent, layer }
}

export const ok = (body: unknown, headers: Readonly<Record<string, string>> = {}) =>
  jiraResponse(200, body, headers)

export const searchOk = ok({
  issues: [{ id: "10001", key: "A-1", fields: { summary: "One" } }],
  isLast: true,
})

export const searchReq = { jql: "project = A", fields: ["summary"], maxResults: 100 } as const
