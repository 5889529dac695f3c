/**
 * Where an export runs: on Atlassian's servers (the `export/start` and `export/next` resolvers, each
 * call a Forge invocation whose Jira reads draw on the app's points pool) or in this browser (the
 * page runner, web/src/engine/, reading Jira through `requestJira` as the signed-in user). Both answer
 * in the same terms and cursors, so the export model drives either the same way, and a run the
 * servers started can go on in the browser.
 */
import type { ExportChunk, ExportStarted, Payload, Result } from "../../../src/contract.js"
import { type Backend, Key, transportError } from "../bridge.js"
import type { Place } from "./savedExports.js"

export type { Place }
export type RunChoice = "auto" | Place

export interface Runner {
  readonly place: Place
  start(payload: Payload<typeof Key.exportStart>): Promise<Result<ExportStarted>>
  next(cursor: string): Promise<Result<ExportChunk>>
  /** Stops whatever the runner still does for the run (the browser's stream). */
  stop(): void
  /** Least time between two calls: the bridge's invoke limit for the servers, none in the browser. */
  readonly spacingMs: number
  /** Gets ready for a run that is coming (the browser loads the engine's file ahead of the click). */
  warm(): void
}

/** Bridge limit 500 calls / 25 s = one per 50 ms; 60 ms keeps a margin for the page's other calls. */
export const MIN_CALL_SPACING_MS = 60

export const serversRunner = (backend: Backend): Runner => ({
  place: "servers",
  start: (payload) => backend.call(Key.exportStart, payload),
  next: (cursor) => backend.call(Key.exportNext, { cursor }),
  stop: () => undefined,
  spacingMs: MIN_CALL_SPACING_MS,
  warm: () => undefined,
})

/** What the page runner's chunk gives (web/src/engine/engine.ts `PageEngine`). */
export interface EngineLike {
  start(payload: unknown): Promise<Result<ExportStarted>>
  next(cursor: string): Promise<Result<ExportChunk>>
  stop(): void
}

/**
 * The page runner's file (web/src/engine/index.ts, built on its own beside the page's `main.js`; see
 * esbuild.config.mjs), loaded on the first export that runs in the browser. A module URL, not a
 * source import: the page's bundle must not take the engine in.
 */
const ENGINE_MODULE = "./engine.js"

/** A new task: what follows does not run in the task that ended the last step. */
const nextTask = () => new Promise<void>((resolve) => setTimeout(resolve, 0))

export const loadPageEngine = async (): Promise<EngineLike> => {
  const module: { readonly pageEngine: () => EngineLike } = await import(ENGINE_MODULE)
  // The engine's first steps in a task of their own, not in the one that ran its file (its modules'
  // evaluation is one task of about 100 ms, and the steps would have made it longer).
  await nextTask()
  return module.pageEngine()
}

const loadFailed = (cause: unknown) => transportError(cause)

/** The browser runner over a lazily loaded engine (loaded once, on first use). */
export const browserRunner = (load: () => Promise<EngineLike>): Runner => {
  let engine: Promise<EngineLike> | undefined
  const get = () => {
    engine ??= load().catch((cause: unknown) => {
      engine = undefined
      throw cause
    })
    return engine
  }
  return {
    place: "browser",
    start: (payload) => get().then((e) => e.start(payload), loadFailed),
    next: (cursor) => get().then((e) => e.next(cursor), loadFailed),
    stop: () =>
      void engine?.then(
        (e) => e.stop(),
        () => undefined,
      ),
    spacingMs: 0,
    // A failed load is tried again by the run itself, which says why.
    warm: () => void get().catch(() => undefined),
  }
}

/** More issues than one resolver answer carries (about 1,000 at typical row sizes): the browser reads them. */
export const AUTO_BROWSER_ABOVE = 1000
/** Points per issue the servers spend (fast reads about 2, thrifty about 1). */
const pointsPerIssue = (strategy: ExportStarted["strategy"]) => (strategy === "fast" ? 2 : 1)

const count = (n: number) => n.toLocaleString("en-US")

/** Where an automatic run goes after `export/start` on the servers, and why, in one line. */
export const autoPlace = (started: ExportStarted): { readonly place: Place; readonly why: string } => {
  const total = started.approximateTotal ?? 0
  const left = started.pointsLeft
  const cost = total * pointsPerIssue(started.strategy)
  // The pool is shared by every site that uses the app: a run may take at most half of what is left.
  const why =
    total > AUTO_BROWSER_ABOVE
      ? `${count(total)} issues are more than one answer from Atlassian's servers carries (about ${count(AUTO_BROWSER_ABOVE)})`
      : left !== undefined && cost > left / 2
        ? `the servers would spend about ${count(cost)} of the ${count(left)} Jira points the app has left this hour`
        : undefined
  return why === undefined
    ? { place: "servers", why: "Running on Atlassian's servers: this export is small." }
    : { place: "browser", why: `Running in this browser: ${why}.` }
}

export const chosenPlace = (place: Place): string =>
  `Running ${place === "browser" ? "in this browser" : "on Atlassian's servers"}, as chosen in Options.`
