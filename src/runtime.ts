/**
 * The one place where the Forge app's layers are composed. Resolvers run their effects here.
 *
 * Shared by every invocation of a warm function instance: the quota state (Jira's points quota is
 * per app, so what one call learned holds for the next) and the export configuration. Built per
 * invocation: the client. The user directory is kept per viewer (the calling account) for a few
 * minutes, so the calls of one export do not pay Jira's identity points for the same users again,
 * while one viewer's lookups (what they may see of other users) never reach another viewer.
 */
import { Cause, Chunk, Clock, Context, Effect, Exit, Layer, ManagedRuntime, Option } from "effect"
import type { Result } from "./contract.js"
import { ExportJira } from "./export/ExportJira.js"
import { ForgeTransport, needsConsent } from "./jira/ForgeTransport.js"
import { JiraClient } from "./jira/JiraClient.js"
import type { JiraTransport } from "./jira/JiraTransport.js"
import { RateLimitState } from "./jira/RateLimitState.js"
import { UserDirectory } from "./jira/UserDirectory.js"
import { withinInvocation } from "./resolvers/deadline.js"
import { ExportConfig } from "./resolvers/ExportConfig.js"
import { type InvocationFailure, type ResolverFailure, respond } from "./resolvers/respond.js"

/** What a warm instance keeps for all its invocations. */
export const ForgeShared: Layer.Layer<RateLimitState | ExportConfig> = Layer.mergeAll(
  RateLimitState.layer,
  ExportConfig.layerForge,
)

export const forgeRuntime = ManagedRuntime.make(ForgeShared)

/**
 * The Jira services of one invocation over `transport`, with a fresh user directory unless one is
 * given; the quota state comes from the runtime. The Forge wiring below is this over `ForgeTransport`;
 * tests build it over a scripted or HTTP transport.
 */
export const invocationLayer = <E, R>(
  transport: Layer.Layer<JiraTransport, E, R>,
  directory: Layer.Layer<UserDirectory, never, JiraClient> = UserDirectory.layer(),
): Layer.Layer<JiraClient | UserDirectory | ExportJira, E, R | RateLimitState> =>
  ExportJira.layer.pipe(
    Layer.provideMerge(directory),
    Layer.provideMerge(JiraClient.layer),
    Layer.provide(transport),
  )

/** The Jira services of one Forge invocation, as the calling user (`asUser()`). */
export const ForgeInvocation = invocationLayer(ForgeTransport.layer)

export type ResolverServices = JiraClient | UserDirectory | ExportJira | RateLimitState | ExportConfig

/** How long a viewer's user directory serves later invocations (names and e-mails do change). */
const DIRECTORY_TTL_MS = 10 * 60_000
/** Viewers whose directory is kept at once; the oldest goes first. */
const DIRECTORY_VIEWERS = 50

// A warm instance's cache of directories by viewer account id (insertion order = age).
const directories = new Map<
  string,
  { readonly directory: Context.Tag.Service<UserDirectory>; readonly until: number }
>()

/** The account id Forge says the invocation runs for, when it says one. */
export const viewerOf = (context: unknown): string | undefined => {
  if (typeof context !== "object" || context === null) return undefined
  const id: unknown = Reflect.get(context, "accountId")
  return typeof id === "string" && id.length > 0 && id.length <= 128 ? id : undefined
}

/** The Jira services of one Forge invocation for `viewer`, reusing their directory while it is fresh. */
export const forgeInvocationFor = (viewer: string | undefined) =>
  Layer.unwrapEffect(
    Effect.gen(function* () {
      const now = yield* Clock.currentTimeMillis
      const kept = viewer === undefined ? undefined : directories.get(viewer)
      if (kept !== undefined && kept.until > now)
        return invocationLayer(ForgeTransport.layer, Layer.succeed(UserDirectory, kept.directory))
      return ForgeInvocation.pipe(
        Layer.tap((context) =>
          Effect.sync(() => {
            if (viewer === undefined) return
            directories.delete(viewer)
            directories.set(viewer, {
              directory: Context.get(context, UserDirectory),
              until: now + DIRECTORY_TTL_MS,
            })
            for (const oldest of directories.keys()) {
              if (directories.size <= DIRECTORY_VIEWERS) break
              directories.delete(oldest)
            }
          }),
        ),
      )
    }),
  )

/**
 * The platform's own "the user has not allowed access yet" error, when the exit carries one. It must
 * leave the function as it was thrown: Forge answers it with its "Allow access" prompt (docs/forge.md §4).
 */
export const consentDefect = <A>(exit: Exit.Exit<A, InvocationFailure>): Option.Option<unknown> =>
  Exit.isSuccess(exit) ? Option.none() : Chunk.findFirst(Cause.defects(exit.cause), needsConsent)

/** A resolver's exit as the handler's answer: its `Result`, or the consent error thrown on. */
export const settle = <A>(exit: Exit.Exit<A, InvocationFailure>): Promise<Result<A>> =>
  Option.match(consentDefect(exit), {
    onNone: () => Promise.resolve(respond(exit)),
    onSome: (consent) => Promise.reject(consent),
  })

/**
 * Runs one resolver effect to its `Result`, as the viewer the Forge context names, under the
 * invocation's deadline (src/resolvers/deadline.ts). Only effects whose failures all have a sentence
 * for the page (a {@link ResolverFailure}) are accepted.
 */
export const runResolver = <A>(
  effect: Effect.Effect<A, ResolverFailure, ResolverServices>,
  context?: unknown,
): Promise<Result<A>> =>
  forgeRuntime
    .runPromiseExit(Effect.provide(withinInvocation(effect), forgeInvocationFor(viewerOf(context))))
    .then(settle)
