import Resolver from "@forge/resolver"
import { ResolverKey, type Result } from "./contract.js"
import { exportNext, exportStart } from "./resolvers/export.js"
import { fieldsList } from "./resolvers/fields.js"
import { jqlAutocomplete, jqlParse, jqlSuggestions } from "./resolvers/jql.js"
import { previewPage } from "./resolvers/preview.js"
import { whoami } from "./resolvers/session.js"
import { runResolver } from "./runtime.js"

const resolver = new Resolver()
resolver.define(ResolverKey.whoami, ({ payload, context }) => runResolver(whoami(payload), context))
resolver.define(ResolverKey.fields, ({ payload, context }) => runResolver(fieldsList(payload), context))
resolver.define(ResolverKey.jqlParse, ({ payload, context }) => runResolver(jqlParse(payload), context))
resolver.define(ResolverKey.jqlAutocomplete, ({ payload, context }) =>
  runResolver(jqlAutocomplete(payload), context),
)
resolver.define(ResolverKey.jqlSuggestions, ({ payload, context }) =>
  runResolver(jqlSuggestions(payload), context),
)
resolver.define(ResolverKey.preview, ({ payload, context }) =>
  runResolver(previewPage(payload, context), context),
)
resolver.define(ResolverKey.exportStart, ({ payload, context }) =>
  runResolver(exportStart(payload, context), context),
)
resolver.define(ResolverKey.exportNext, ({ payload, context }) => runResolver(exportNext(payload), context))

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
