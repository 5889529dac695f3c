import Resolver from "@forge/resolver"
import { ResolverKey } from "./contract.js"
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

export const handler = resolver.getDefinitions()
