import Resolver from "@forge/resolver"
import { ResolverKey } from "./contract.js"
import { respond } from "./resolvers/respond.js"
import { whoami } from "./resolvers/session.js"
import { forgeRuntime } from "./runtime.js"

const resolver = new Resolver()
resolver.define(ResolverKey.whoami, ({ payload }) =>
  forgeRuntime.runPromiseExit(whoami(payload)).then(respond),
)

export const handler = resolver.getDefinitions()
