/**
 * The engine's Jira port as a service: `layer` binds it to the runtime's Jira services (`JiraClient`,
 * `UserDirectory`, `RateLimitState` from src/jira), `layerTest` to an in-memory fake. The runners take
 * it from their layer and hand it to the engine, which is written against the plain shape (ports.ts).
 */
import { Effect, Layer } from "effect"
import { JiraClient } from "../jira/JiraClient.js"
import { RateLimitState } from "../jira/RateLimitState.js"
import { JiraDeadline } from "../jira/RetryPolicy.js"
import { UserDirectory } from "../jira/UserDirectory.js"
import type { ExportJiraShape } from "./ports.js"

const make: Effect.Effect<ExportJiraShape, never, JiraClient | UserDirectory | RateLimitState> = Effect.gen(
  function* () {
    const client = yield* JiraClient
    const users = yield* UserDirectory
    const rateLimits = yield* RateLimitState
    return {
      searchPage: (request) => client.searchPage(request),
      searchIds: (request) => client.searchIds(request),
      bulkFetch: (request) => client.bulkFetch(request),
      changelogBulk: (request) => client.changelogBulk(request),
      issueComments: (idOrKey) => client.issueComments(idOrKey),
      issueWorklogs: (idOrKey) => client.issueWorklogs(idOrKey),
      approximateCount: (jql) => client.approximateCount(jql),
      resolveUsers: (accountIds) => users.resolve(accountIds),
      rememberUsers: (known) =>
        users.remember(
          known.map(([, user]) => ({
            accountId: user.accountId,
            displayName: user.displayName,
            ...(user.emailAddress === undefined ? {} : { emailAddress: user.emailAddress }),
            active: true,
            known: true,
          })),
        ),
      withDeadline: (effect, deadlineMs) => JiraDeadline.within(deadlineMs)(effect),
      quota: rateLimits.get,
    }
  },
)

/** The Jira reads of one export, as the signed-in user. */
export class ExportJira extends Effect.Tag("ExportJira")<ExportJira, ExportJiraShape>() {
  static readonly layer: Layer.Layer<ExportJira, never, JiraClient | UserDirectory | RateLimitState> =
    Layer.effect(ExportJira, make)
  /** A fake Jira for tests (test/export/fakes.ts builds them). */
  static readonly layerTest = (fake: ExportJiraShape): Layer.Layer<ExportJira> =>
    Layer.succeed(ExportJira, fake)
}
