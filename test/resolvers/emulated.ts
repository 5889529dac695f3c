/**
 * Runs resolvers against the in-process emulator over HTTP (the CLI's transport), as a given user.
 */
import { Effect, Either, Layer, ManagedRuntime } from "effect"
import { type EmulatorOptions, type RunningEmulator, startEmulator } from "../../dev/emulator/index.js"
import type { ExportChunk, ExportStarted, ResolverError } from "../../src/contract.js"
import type { PipelineSettings } from "../../src/export/types.js"
import { HttpTransport } from "../../src/jira/HttpTransport.js"
import { RateLimitState } from "../../src/jira/RateLimitState.js"
import { JiraRetrySettings, type RetrySettings } from "../../src/jira/RetryPolicy.js"
import type { ChunkBudget } from "../../src/resolvers/chunk.js"
import { withinInvocation } from "../../src/resolvers/deadline.js"
import { ExportConfig } from "../../src/resolvers/ExportConfig.js"
import { type ResolverFailure, toResolverError } from "../../src/resolvers/respond.js"
import { invocationLayer, type ResolverServices } from "../../src/runtime.js"

/** Every project of the data set, in key order (Jira refuses unbounded queries). */
export const jqlAll = (
  emulator: RunningEmulator,
  order = "ORDER BY key ASC",
  user: "admin" | "restricted" = "admin",
) => {
  const viewer = emulator.dataset.userByAccountId(emulator.accounts[user].accountId) ?? null
  const keys = emulator.dataset.projects
    .filter((p) => emulator.dataset.canBrowse(viewer, p.key))
    .map((p) => p.key)
  return `project in (${keys.join(", ")}) ${order}`
}

export interface Harness {
  readonly emulator: RunningEmulator
  readonly run: <A>(
    effect: Effect.Effect<A, ResolverFailure, ResolverServices>,
    user?: "admin" | "restricted",
  ) => Promise<Either.Either<A, ResolverError>>
}

export const startHarness = async (
  options: EmulatorOptions,
  {
    retry,
    ...config
  }: {
    budget?: ChunkBudget
    settings?: PipelineSettings
    apiToken?: boolean
    /** Shorter backoffs than Jira needs, for tests whose chaos gives no `Retry-After`. */
    retry?: RetrySettings
  } = {},
): Promise<Harness> => {
  const emulator = await startEmulator(options)
  // As in src/runtime.ts: quota state shared by the calls of one user, Jira services per call.
  const shared = () =>
    ManagedRuntime.make(
      Layer.mergeAll(
        RateLimitState.layer,
        ExportConfig.layer({ apiToken: config.apiToken ?? true, ...config }),
        retry === undefined ? Layer.empty : Layer.succeed(JiraRetrySettings, retry),
      ),
    )
  const runtimes = { admin: shared(), restricted: shared() }
  const run: Harness["run"] = (effect, user = "admin") => {
    const transport = HttpTransport.layer({
      baseUrl: emulator.url,
      email: emulator.accounts[user].email,
      apiToken: emulator.apiToken,
    })
    // As runResolver: under the invocation's deadline.
    return runtimes[user].runPromise(
      withinInvocation(effect).pipe(
        Effect.provide(invocationLayer(transport)),
        Effect.either,
        Effect.map(Either.mapLeft(toResolverError)),
      ),
    )
  }
  return { emulator, run }
}

/** Runs a whole export through export/start and export/next, honouring retryAfterMs hand-backs. */
export const exportThrough = async (
  harness: Harness,
  start: () => Effect.Effect<ExportStarted, ResolverFailure, ResolverServices>,
  next: (cursor: string) => Effect.Effect<ExportChunk, ResolverFailure, ResolverServices>,
  user: "admin" | "restricted" = "admin",
) => {
  const started: Either.Either<ExportStarted, ResolverError> = await harness.run(start(), user)
  if (Either.isLeft(started)) throw new Error(`export/start failed: ${started.left.message}`)
  let csv = started.right.csv
  let cursor: string | null = started.right.cursor
  const chunks: Array<ExportChunk> = []
  let failures = 0
  while (cursor !== null) {
    const chunk: Either.Either<ExportChunk, ResolverError> = await harness.run(next(cursor), user)
    if (Either.isLeft(chunk)) {
      // A failed call is repeated with the same cursor.
      if (++failures > 20) throw new Error(`export/next keeps failing: ${chunk.left.message}`)
      continue
    }
    chunks.push(chunk.right)
    csv += chunk.right.csv
    cursor = chunk.right.cursor
    const pausedUntil = chunk.right.pausedUntil
    const wait =
      chunk.right.retryAfterMs ?? (pausedUntil === undefined ? 0 : Date.parse(pausedUntil) - Date.now())
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, Math.min(wait, 2000)))
  }
  return { started: started.right, csv, chunks }
}

/** The issue keys of an export's rows, in order (first column is the issue key). */
export const keysOf = (csv: string): Array<string> =>
  csv
    .split(/\r?\n/)
    .map((line) => /^(?:\uFEFF)?([A-Z]+-\d+)[,;\t|]/.exec(line)?.[1])
    .filter((key): key is string => key !== undefined)
