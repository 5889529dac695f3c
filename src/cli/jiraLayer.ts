/**
 * The command-line exporter's Jira services: the client, one quota state for the whole process, the
 * user directory and the engine's Jira port over them, over HTTP with an API token. Kept apart from `main.ts` (which runs on import) so
 * the benchmarks and tests build exactly this wiring.
 */
import { Context, Effect, Layer } from "effect"
import { ExportJira } from "../export/ExportJira.js"
import { readProfileAndFields } from "../export/planner.js"
import { HttpTransport, type HttpTransportConfig } from "../jira/HttpTransport.js"
import { JiraClient } from "../jira/JiraClient.js"
import type { JiraError } from "../jira/JiraError.js"
import { RateLimitState } from "../jira/RateLimitState.js"
import { defaultUserDirectoryConfig, UserDirectory, type UserDirectoryConfig } from "../jira/UserDirectory.js"

/**
 * Building it reads `/myself` (and `/field`, beside it): Jira treats a bad email/token pair as anonymous on every other
 * endpoint, so without this check wrong credentials would export an empty (anonymous) result instead
 * of failing.
 */
export const httpJira = (
  config: HttpTransportConfig,
  users: UserDirectoryConfig = defaultUserDirectoryConfig,
): Layer.Layer<ExportJira | JiraClient | UserDirectory | RateLimitState, JiraError> =>
  ExportJira.layer.pipe(
    Layer.provideMerge(UserDirectory.layer(users)),
    Layer.provideMerge(JiraClient.layer),
    Layer.provideMerge(RateLimitState.layer),
    Layer.provide(HttpTransport.layer(config)),
    // The credential check, with `/field` beside it (planner.ts); no zone is named here, so `/myself`
    // is always read: a bad email/token pair fails before anything else.
    Layer.tap((context) =>
      readProfileAndFields(undefined).pipe(
        Effect.provideService(JiraClient, Context.get(context, JiraClient)),
      ),
    ),
  )
