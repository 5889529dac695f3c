import Resolver from "@forge/resolver"
import { ResolverKey } from "./contract.js"
import { exportNext, exportStart } from "./resolvers/export.js"
import { fieldsList } from "./resolvers/fields.js"
import { jqlAutocomplete, jqlParse, jqlSuggestions } from "./resolvers/jql.js"
import { previewPage } from "./resolvers/preview.js"
import { whoami } from "./resolvers/session.js"
import { runResolver } from "./runtime.js"

const resolver = new Resolver()
resolver.define(ResolverKey.whoami, ({ payload }) => runResolver(whoami(payload)))
resolver.define(ResolverKey.fields, ({ payload }) => runResolver(fieldsList(payload)))
resolver.define(ResolverKey.jqlParse, ({ payload }) => runResolver(jqlParse(payload)))
resolver.define(ResolverKey.jqlAutocomplete, ({ payload }) => runResolver(jqlAutocomplete(payload)))
resolver.define(ResolverKey.jqlSuggestions, ({ payload }) => runResolver(jqlSuggestions(payload)))
resolver.define(ResolverKey.preview, ({ payload, context }) => runResolver(previewPage(payload, context)))
resolver.define(ResolverKey.exportStart, ({ payload, context }) => runResolver(exportStart(payload, context)))
resolver.define(ResolverKey.exportNext, ({ payload }) => runResolver(exportNext(payload)))

export const handler = resolver.getDefinitions()
