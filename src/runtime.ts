/**
 * The one place where the Forge app's layers are composed. Resolvers run their effects here.
 *
 * Shared by every invocation of a warm function instance: the export configuration and the storage of
 * what exports spent (Forge keeps it per installation). Kept per installation: the quota state (what
 * one call learned of the pool holds for the next call of that site; a site with its own pool, Jira's
 * Tier 2, must not read another site's figures, and a burst pause is the site's own). Built per
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
import { ExportConfig, type ExportConfigShape } from "./resolvers/ExportConfig.js"
import { type InvocationFailure, type ResolverFailure, respond } from "./resolvers/respond.js"
import { SpendLedger } from "./resolvers/SpendLedger.js"

/** What a warm instance keeps for all its invocations. */
export const ForgeShared: Layer.Layer<RateLimitState | ExportConfig | SpendLedger> = Layer.mergeAll(
  RateLimitState.layer,
  ExportConfig.layerForge,
  SpendLedger.layerForge,
)

let forgeRuntime = ManagedRuntime.make(ForgeShared)

/**
 * The local host's fresh start (a new host in the same process: tests, bench/sharedPool.ts): later
 * invocations run in a new runtime with this export configuration and no quota state learned
 * before. Steward off is the app before issue 21. Forge never calls it.
 */
export const restartForge = (config: Partial<ExportConfigShape>): void => {
  quotaStates.clear()
  directories.clear()
  forgeRuntime = ManagedRuntime.make(
    Layer.mergeAll(RateLimitState.layer, ExportConfig.layer(config), SpendLedger.layerForge),
  )
}

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

/** The installation Forge says the invocation runs for (`installContext`), when it says one. */
export const installationOf = (context: unknown): string | undefined => {
  if (typeof context !== "object" || context === null) return undefined
  const id: unknown = Reflect.get(context, "installContext")
  return typeof id === "string" && id.length > 0 && id.length <= 512 ? id : undefined
}

// A warm instance's quota state by installation (an instance may serve several).
const quotaStates = new Map<string, Context.Tag.Service<RateLimitState>>()

/** The installation's quota state, made on its first invocation. */
const quotaStateFor = (installation: string): Layer.Layer<RateLimitState> =>
  Layer.effect(
    RateLimitState,
    Effect.suspend(() => {
      const kept = quotaStates.get(installation)
      return kept !== undefined
        ? Effect.succeed(kept)
        : RateLimitState.fresh.pipe(
            Effect.tap((made) => Effect.sync(() => quotaStates.set(installation, made))),
          )
    }),
  )

/**
 * The Jira services of one Forge invocation for `viewer`, reusing their directory while it is fresh.
 * Directories are kept per installation and viewer: what a user may see of others is a site's own.
 */
export const forgeInvocationFor = (viewer: string | undefined, installation?: string) =>
  Layer.unwrapEffect(
    Effect.gen(function* () {
      const now = yield* Clock.currentTimeMillis
      const key = viewer === undefined ? undefined : `${installation ?? ""} ${viewer}`
      const kept = key === undefined ? undefined : directories.get(key)
      if (kept !== undefined && kept.until > now)
        return invocationLayer(ForgeTransport.layer, Layer.succeed(UserDirectory, kept.directory))
      return ForgeInvocation.pipe(
        Layer.tap((context) =>
          Effect.sync(() => {
            if (key === undefined) return
            directories.delete(key)
            directories.set(key, {
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
    .runPromiseExit(
      Effect.provide(withinInvocation(effect), invocationFor(viewerOf(context), installationOf(context))),
    )
    .then(settle)

/** An invocation's services: its Jira services over its installation's quota state. */
const invocationFor = (viewer: string | undefined, installation: string | undefined) =>
  installation === undefined
    ? forgeInvocationFor(viewer)
    : forgeInvocationFor(viewer, installation).pipe(Layer.provideMerge(quotaStateFor(installation)))
