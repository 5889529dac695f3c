/**
 * The one place where the Forge app's layers are composed. Resolvers run their effects here.
 *
 * Shared by every invocation of a warm function instance: the quota state (Jira's points quota is
 * per app, so what one call learned holds for the next) and the export configuration. Built per
 * invocation: the client and the user directory, whose cache must never carry one user's lookups
 * into another user's call (Forge reuses instances across users).
 */
import { Effect, Layer, ManagedRuntime } from "effect"
import type { Result } from "./contract.js"
import { ExportConfig } from "./export/ExportConfig.js"
import { ForgeTransport } from "./jira/ForgeTransport.js"
import { JiraClient } from "./jira/JiraClient.js"
import type { JiraTransport } from "./jira/JiraTransport.js"
import { RateLimitState } from "./jira/RateLimitState.js"
import { UserDirectory } from "./jira/UserDirectory.js"
import { respond } from "./resolvers/respond.js"

export const ForgeShared = Layer.mergeAll(RateLimitState.layer, ExportConfig.forge)

export const forgeRuntime = ManagedRuntime.make(ForgeShared)

/** The Jira services of one invocation over `transport`; the quota state comes from the runtime. */
export const invocationLayer = <E, R>(transport: Layer.Layer<JiraTransport, E, R>) =>
  UserDirectory.layer().pipe(Layer.provideMerge(JiraClient.layer), Layer.provide(transport))

/** The Jira services of one Forge invocation, as the calling user (`asUser()`). */
export const ForgeInvocation = invocationLayer(ForgeTransport.layer)

export type ResolverServices = JiraClient | UserDirectory | RateLimitState | ExportConfig

/** Runs one resolver effect to its `Result`. */
export const runResolver = <A, E>(effect: Effect.Effect<A, E, ResolverServices>): Promise<Result<A>> =>
  forgeRuntime.runPromiseExit(Effect.provide(effect, ForgeInvocation)).then(respond)
