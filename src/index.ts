import Resolver from "@forge/resolver"
import type { Effect } from "effect"
import { type Answer, ResolverKey, type Result } from "./contract.js"
import { exportNext, exportStart } from "./resolvers/export.js"
import { fieldsList } from "./resolvers/fields.js"
import { jqlAutocomplete, jqlParse, jqlSuggestions } from "./resolvers/jql.js"
import { contextStart, filtersList } from "./resolvers/places.js"
import { previewPage } from "./resolvers/preview.js"
import type { ResolverFailure } from "./resolvers/respond.js"
import { whoami } from "./resolvers/session.js"
import { type ResolverServices, runResolver } from "./runtime.js"

// Typed by the contract: a key without a resolver, or a resolver answering the wrong shape, does not compile.
const resolvers: {
  readonly [K in ResolverKey]: (
    payload: unknown,
    context: unknown,
  ) => Effect.Effect<Answer<K>, ResolverFailure, ResolverServices>
} = {
  [ResolverKey.whoami]: whoami,
  [ResolverKey.fields]: fieldsList,
  [ResolverKey.jqlParse]: jqlParse,
  [ResolverKey.jqlAutocomplete]: jqlAutocomplete,
  [ResolverKey.jqlSuggestions]: jqlSuggestions,
  [ResolverKey.preview]: previewPage,
  [ResolverKey.exportStart]: exportStart,
  [ResolverKey.exportNext]: exportNext,
  [ResolverKey.contextStart]: contextStart,
  [ResolverKey.filtersList]: filtersList,
}

const resolver = new Resolver()
const define = <K extends ResolverKey>(key: K) =>
  resolver.define(key, ({ payload, context }) => runResolver(resolvers[key](payload, context), context))
for (const key of Object.values(ResolverKey)) define(key)

const definitions = resolver.getDefinitions()
const known: ReadonlySet<string> = new Set(Object.values(ResolverKey))

const unknownFunction: Result<never> = {
  ok: false,
  error: {
    tag: "BadPayload",
    message: "The app has no such function; reload the page to get the current app.",
  },
}

/**
 * `@forge/resolver` looks a key up with `in`, which also finds `constructor`, `toString` and
 * `__proto__` on the prototype: `constructor` would answer the whole invocation context. Only our own
 * keys reach it; any other gets one sentence.
 */
export const handler: typeof definitions = (event, backendRuntimePayload) =>
  known.has(event.call.functionKey)
    ? definitions(event, backendRuntimePayload)
    : Promise.resolve(unknownFunction)
