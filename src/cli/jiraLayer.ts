/**
 * The command-line exporter's Jira services: the client, one quota state for the whole process, the
 * user directory and the engine's Jira port over them, over HTTP with an API token. Kept apart from `main.ts` (which runs on import) so
 * the benchmarks and tests build exactly this wiring.
 */
import { Context, Layer } from "effect"
import { ExportJira } from "../export/ExportJira.js"
import { HttpTransport, type HttpTransportConfig } from "../jira/HttpTransport.js"
import { JiraClient } from "../jira/JiraClient.js"
import type { JiraError } from "../jira/JiraError.js"
import { RateLimitState } from "../jira/RateLimitState.js"
import { defaultUserDirectoryConfig, UserDirectory, type UserDirectoryConfig } from "../jira/UserDirectory.js"

/**
 * Building it reads `/myself` first: Jira treats a bad email/token pair as anonymous on every other
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
    Layer.tap((context) => Context.get(context, JiraClient).myself()),
  )
