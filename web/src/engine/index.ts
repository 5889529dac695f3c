/**
 * The page runner's chunk, loaded on the first export that runs in the browser (esbuild splits it
 * off: the page's first load stays free of Effect and the engine). `@forge/bridge`'s `requestJira`
 * is imported from its own module, as the page imports the rest of the bridge (web/src/forgeBridge.ts).
 */
import { requestJira } from "../../../node_modules/@forge/bridge/out/fetch/index.js"
import { makePageEngine, type PageEngine } from "./engine.js"

export type { PageEngine }

export const pageEngine = (): PageEngine =>
  makePageEngine((path, init) =>
    requestJira(path, {
      method: init.method,
      headers: init.headers,
      ...(init.body === undefined ? {} : { body: init.body }),
    }),
  )
