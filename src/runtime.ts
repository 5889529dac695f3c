/**
 * The one place where the Forge app's layers are composed. Resolvers run their effects here.
 */
import { Layer, ManagedRuntime } from "effect"
import { ForgeTransport } from "./jira/ForgeTransport.js"
import { JiraClient } from "./jira/JiraClient.js"

export const ForgeLive = JiraClient.layer.pipe(Layer.provide(ForgeTransport.layer))

export const forgeRuntime = ManagedRuntime.make(ForgeLive)
