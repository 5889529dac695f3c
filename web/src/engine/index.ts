/**
 * The page runner's chunk, loaded on the first export that runs in the browser (esbuild splits it
 * off: the page's first load stays free of Effect and the engine). It reads Jira through the frame's
 * product fetch (productFetch.ts), reaching the frame as the rest of the bridge does
 * (web/src/forgeBridge.ts: the bridge's own module, imported by path).
 */
import { getCallBridge } from "../../../node_modules/@forge/bridge/out/bridge.js"
import { makePageEngine, type PageEngine } from "./engine.js"
import { productFetch } from "./productFetch.js"

export type { PageEngine }

export const pageEngine = (): PageEngine => makePageEngine(productFetch(getCallBridge()))
