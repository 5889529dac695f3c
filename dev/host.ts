/**
 * The local Forge host: serves the built Custom UI (`web/dist`) on 127.0.0.1 the way Jira frames it,
 * and answers the page's `@forge/bridge` calls with the real Forge handler (`src/index.ts`), whose
 * `@forge/api` requests reach either the bundled Jira emulator (as the signed-in user) or a real site.
 *
 * What is real: the page bundle with the real `@forge/bridge`, the real `@forge/resolver` definitions
 * and the real `@forge/api` `asUser().requestJira` code path. What is emulated: the Jira frame's
 * `window.__bridge.callBridge` (injected before the bundle, as Jira does) and the Forge platform's
 * `__forge_fetch__` hook. The host also enforces Forge's invocation limits (500 KB payload, 5 MB
 * response, 25 s) so that a resolver that would break on Forge breaks here too.
 */
import { readFile } from "node:fs/promises"
import { extname, join, normalize } from "node:path"
import { FORGE_LIMITS } from "../src/contract/constants.js"
import { type ConsentMode, consentRequired, isConsentError } from "./consent.js"
import { type EmulatorOptions, type RunningEmulator, startEmulator } from "./emulator/index.js"
import { currentTarget, installForgeFetch } from "./forgeFetch.js"
import { bridgeShim, consentPrompt } from "./frame.js"
import { contextSearch, framedHtml, type HostModule, hostModule, MODAL_FRAME_CSS } from "./hostModules.js"
import {
  contentTypes,
  type HostRequest,
  type HostResponse,
  type Listening,
  listenHost,
  readBody,
  root,
  sendJson,
  tokensCss,
} from "./hostServer.js"
import {
  emulatedInstallations,
  emulatorAtInstallation,
  type HostSite,
  type Installation,
  realSiteInstallation,
} from "./hostSites.js"
import { invokeRefusal, ownOrigins } from "./invokeGuard.js"
import { invokeLatency } from "./invokeLatency.js"
import { MemoryKvs } from "./kvs.js"
import { answerHeaders, productFetch } from "./productFetch.js"

export type { HostSite } from "./hostSites.js"

export interface RealSite {
  readonly url: string
  readonly email: string
  readonly apiToken: string
}

export interface HostOptions {
  readonly port?: number
  readonly host?: string
  /** Emulator options (ignored when `site` is given). */
  readonly emulator?: EmulatorOptions
  /** Which seeded emulator user the page runs as. */
  readonly user?: "admin" | "restricted"
  /**
   * An emulator already running elsewhere (the benchmark's, on its own thread), reached as `accountId`
   * the way the host reaches its own (the Forge account header), instead of starting one.
   */
  readonly emulatorAt?: { readonly url: string; readonly accountId: string }
  /** Send Jira requests to a real site with Basic auth instead of the emulator. */
  readonly site?: RealSite
  /** Directory of the built UI (default `web/dist`). */
  readonly distDir?: string
  /** Whether the user has allowed the app to act as them; `required` shows Forge's prompt first. */
  readonly consent?: ConsentMode
  /** Forge's overhead added to every `invoke`, in ms (default 0; see invokeLatency.ts). */
  readonly invokeLatencyMs?: number
  /**
   * Sites, each an installation of the app with its own page URL, emulated site, cloud id and storage
   * (default 1; emulator only). Overrides `emulator.sites`.
   */
  readonly sites?: number
  /**
   * Serve over HTTPS with HTTP/2, as Jira does (hostServer.ts): the page's own Jira reads are not held
   * to Chromium's six HTTP/1.1 connections per origin. The certificate is the local one in `dev/tls/`.
   */
  readonly http2?: boolean
  /** The app's steward of Jira's shared points pool (default on, as on Forge; off: the app before issue 21). */
  readonly steward?: boolean
}

export interface Invocation {
  readonly functionKey: string
  readonly ms: number
  readonly requestBytes: number
  readonly responseBytes: number
  readonly status: number
}

export interface RunningHost {
  readonly url: string
  readonly port: number
  /** Every installation served (`sites[0]` is the one at `url`). */
  readonly sites: ReadonlyArray<HostSite>
  /** Forge storage of every installation, in memory. */
  readonly kvs: MemoryKvs
  /** The in-process emulator, when not running against a real site. */
  readonly emulator: RunningEmulator | undefined
  readonly accountId: string
  /** Jira requests the page made itself (`requestJira`), and how many of them failed to reach Jira. */
  readonly productFetches: () => { readonly total: number; readonly failed: number }
  /** Every resolver invocation the page made, in order. */
  readonly invocations: () => ReadonlyArray<Invocation>
  /** The user's consent now (the prompt's button grants it). */
  readonly consent: () => ConsentMode
  readonly setConsent: (mode: ConsentMode) => void
  readonly close: () => Promise<void>
}

/** Largest `getContext` request (the page's query string in JSON): Chromium's longest URL. */
const MAX_CONTEXT_BYTES = 2 * 1024 * 1024

export const startHost = async (options: HostOptions = {}): Promise<RunningHost> => {
  const distDir = options.distDir ?? join(root, "web", "dist")
  const latency = invokeLatency(options.invokeLatencyMs)
  const indexHtml = await readFile(join(distDir, "index.html"), "utf8").catch(() => {
    throw new Error(
      `The UI is not built (${join(distDir, "index.html")} is missing); run "npm run build" first.`,
    )
  })

  let emulator: RunningEmulator | undefined
  let consent: ConsentMode = options.consent ?? "granted"
  const installations: Array<Installation> = []
  if (options.site) installations.push(await realSiteInstallation(options.site))
  else if (options.emulatorAt)
    installations.push(emulatorAtInstallation(options.emulatorAt.url, options.emulatorAt.accountId))
  else {
    emulator = await startEmulator({
      ...options.emulator,
      sites: options.sites ?? options.emulator?.sites ?? 1,
    })
    installations.push(...emulatedInstallations(emulator, options.user ?? "admin"))
  }

  // Platform globals first, then the app, as the Forge runtime does.
  installForgeFetch()
  const { handler } = await import("../src/index.js")
  // Each host starts the app afresh, as a new deployment would: no quota state from an earlier host.
  const { restartForge } = await import("../src/runtime.js")
  const { defaultSteward } = await import("../src/export/steward.js")
  restartForge({ steward: options.steward === false ? null : defaultSteward })
  const invocations: Invocation[] = []
  const kvs = new MemoryKvs()
  const fetches = { total: 0, failed: 0 }

  /** One installation's page server: its own port, context and Jira, the one app behind them all. */
  const serveSite = async (one: Installation): Promise<HostSite & { readonly listening: Listening }> => {
    const { accountId, siteUrl, cloudId, target } = one
    const context = (colorMode: string, module: HostModule = hostModule("", siteUrl)) => ({
      accountId,
      cloudId,
      siteUrl,
      locale: "en-US",
      timezone: "Europe/Berlin",
      moduleKey: module.moduleKey,
      localId: `ari:cloud:ecosystem::extension/local/${module.moduleKey}`,
      environmentId: "local",
      environmentType: "DEVELOPMENT",
      extension: module.extension,
      theme: { colorMode },
      surfaceColor: colorMode === "dark" ? "#1D2125" : "#FFFFFF",
    })

    // Set once the server listens (invokeGuard.ts).
    let origins: ReadonlySet<string> = new Set()

    const invoke = async (req: HostRequest, res: HostResponse) => {
      const started = performance.now()
      const refusal = invokeRefusal(req.headers, origins)
      if (refusal !== undefined) {
        req.resume()
        return sendJson(res, refusal.status, { message: refusal.message })
      }
      const raw = await readBody(req, FORGE_LIMITS.invokePayloadBytes)
      const record = (functionKey: string, status: number, requestBytes: number, responseBytes: number) =>
        invocations.push({
          functionKey,
          status,
          requestBytes,
          responseBytes,
          ms: performance.now() - started,
        })
      if (raw === "too-large") {
        record("?", 413, FORGE_LIMITS.invokePayloadBytes + 1, 0)
        return sendJson(res, 413, { message: "Forge rejects invoke payloads over 500 KB." })
      }
      let call: { functionKey?: unknown; payload?: unknown }
      try {
        call = JSON.parse(raw.toString("utf8"))
      } catch {
        return sendJson(res, 400, { message: "The invoke request was not JSON." })
      }
      const functionKey = typeof call.functionKey === "string" ? call.functionKey : ""
      let timer: NodeJS.Timeout | undefined
      try {
        await latency.inbound()
        const result = await Promise.race([
          currentTarget.run({ ...target, kvs, consented: () => consent === "granted" }, () =>
            handler(
              { call: { functionKey, payload: call.payload }, context: context("light") },
              { principal: { accountId }, installContext: one.installContext },
            ),
          ),
          new Promise((_, reject) => {
            timer = setTimeout(
              () => reject(new Error(`Forge stops a resolver after 25 s; ${functionKey} took longer.`)),
              FORGE_LIMITS.invocationMs,
            )
          }),
        ])
        await latency.outbound()
        const body = JSON.stringify({ result })
        const bytes = Buffer.byteLength(body)
        if (bytes > FORGE_LIMITS.invokeResponseBytes) {
          record(functionKey, 500, raw.length, bytes)
          return sendJson(res, 500, {
            message: `Forge rejects resolver responses over 5 MB; ${functionKey} sent ${bytes} bytes.`,
          })
        }
        record(functionKey, 200, raw.length, bytes)
        res.writeHead(200, { "content-type": "application/json; charset=utf-8", "cache-control": "no-store" })
        res.end(body)
      } catch (error) {
        await latency.outbound()
        // As Forge: the error leaves the function, and the frame asks the user to allow access.
        if (isConsentError(error)) {
          record(functionKey, 401, raw.length, 0)
          return sendJson(res, 401, consentRequired)
        }
        record(functionKey, 500, raw.length, 0)
        sendJson(res, 500, { message: error instanceof Error ? error.message : String(error) })
      } finally {
        clearTimeout(timer)
      }
    }

    // The page's own Jira reads (requestJira): same origin checks as invokes, the user's consent first.
    const fetchProduct = async (req: HostRequest, res: HostResponse) => {
      const refusal = invokeRefusal(req.headers, origins)
      if (refusal !== undefined) {
        req.resume()
        return sendJson(res, refusal.status, { message: refusal.message })
      }
      const raw = await readBody(req, 10 * 1024 * 1024)
      if (raw === "too-large") return sendJson(res, 413, { message: "The request body is too large." })
      if (consent !== "granted") return sendJson(res, 401, consentRequired)
      fetches.total++
      const answer = await productFetch(JSON.parse(raw.toString("utf8")), target).catch((error: unknown) => {
        fetches.failed++
        return {
          refused: `Jira could not be reached: ${error instanceof Error ? error.message : String(error)}`,
        }
      })
      if ("refused" in answer) return sendJson(res, 502, { message: answer.refused })
      res.writeHead(200, answerHeaders(answer))
      res.end(answer.body)
    }

    const serveStatic = async (pathname: string, search: string, res: HostResponse) => {
      if (pathname === "/" || pathname === "/index.html") {
        // The shim goes before the bundle, as an external script (Forge's CSP allows no inline script).
        const html = framedHtml(
          indexHtml.replace("<head>", '<head>\n    <script src="./__host/bridge.js"></script>'),
          hostModule(search, siteUrl),
        )
        res.writeHead(200, { "content-type": contentTypes[".html"], "cache-control": "no-store" })
        return res.end(html)
      }
      const file = normalize(join(distDir, decodeURIComponent(pathname)))
      if (!file.startsWith(distDir)) return sendJson(res, 404, { message: "Not found." })
      try {
        const body = await readFile(file)
        res.writeHead(200, { "content-type": contentTypes[extname(file)] ?? "application/octet-stream" })
        res.end(body)
      } catch {
        sendJson(res, 404, { message: `No such file: ${pathname}` })
      }
    }

    const handle = (req: HostRequest, res: HostResponse) => {
      const { pathname, search } = new URL(req.url ?? "/", "http://127.0.0.1")
      const route = async () => {
        if (req.method === "GET" && pathname === "/__host/bridge.js") {
          res.writeHead(200, { "content-type": contentTypes[".js"], "cache-control": "no-store" })
          return res.end(bridgeShim + consentPrompt)
        }
        if (req.method === "GET" && pathname === "/__host/tokens.css") {
          res.writeHead(200, { "content-type": contentTypes[".css"] })
          return res.end(tokensCss())
        }
        if (req.method === "GET" && pathname === "/__host/modal.css") {
          res.writeHead(200, { "content-type": contentTypes[".css"] })
          return res.end(MODAL_FRAME_CSS)
        }
        if (req.method === "POST" && pathname === "/__host/context") {
          // The page's whole URL: a navigator's 1,000 keys and long query pass 10 KB (Chromium's URLs
          // reach 2 MB); one past the limit is refused, never read as the global page.
          const raw = await readBody(req, MAX_CONTEXT_BYTES)
          if (raw === "too-large")
            return sendJson(res, 413, {
              message: `The page's address is longer than ${MAX_CONTEXT_BYTES} bytes.`,
            })
          const colorMode = raw.toString("utf8").includes('"dark"') ? "dark" : "light"
          return sendJson(
            res,
            200,
            context(colorMode, hostModule(contextSearch(raw.toString("utf8")), siteUrl)),
          )
        }
        if (req.method === "POST" && pathname === "/__host/invoke") return invoke(req, res)
        if (req.method === "POST" && pathname === "/__host/fetch") return fetchProduct(req, res)
        if (req.method === "POST" && pathname === "/__host/consent") {
          consent = "granted"
          return sendJson(res, 200, { consent })
        }
        if (req.method === "GET") return serveStatic(pathname, search, res)
        return sendJson(res, 405, { message: `${req.method} is not supported here.` })
      }
      route().catch((error: unknown) => {
        if (!res.headersSent)
          sendJson(res, 500, { message: error instanceof Error ? error.message : String(error) })
        else res.end()
      })
    }

    // Only the first site takes the asked port; the others pick free ones.
    const listening = await listenHost(handle, {
      port: one.site === 1 ? (options.port ?? 0) : 0,
      host: options.host ?? "127.0.0.1",
      http2: options.http2 === true,
    })
    origins = ownOrigins(listening.port, options.host, listening.origin)
    const { target: _, ...site } = one
    return { ...site, url: listening.url, port: listening.port, listening }
  }

  const served: Array<HostSite & { readonly listening: Listening }> = []
  for (const one of installations) served.push(await serveSite(one))
  const first = served[0]
  if (first === undefined) throw new Error("The host serves at least one site.")
  const sites = served.map(({ listening: _, ...site }): HostSite => site)

  return {
    url: first.url,
    port: first.port,
    sites,
    kvs,
    emulator,
    accountId: first.accountId,
    invocations: () => invocations,
    productFetches: () => ({ ...fetches }),
    consent: () => consent,
    setConsent: (mode) => {
      consent = mode
    },
    close: async () => {
      for (const { listening } of served) await listening.close()
      await emulator?.close()
    },
  }
}
