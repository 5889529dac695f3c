/**
 * The Jira frame's side of `@forge/bridge`'s `requestJira`: the bridge sends
 * `callBridge("fetchProduct", { product, restPath, fetchRequestInit: { method, body, headers: [[name,
 * value]] } })` and builds a `Response` from `{ status, statusText, headers, body }`
 * (node_modules/@forge/bridge/out/fetch/fetch.js). Jira runs such a request as the signed-in user with
 * the app's scopes; the local host sends it to the emulator as that user (the Forge account header),
 * marked as the page's own traffic (`x-emulator-source: frontend`), so the emulator counts and limits
 * it apart from the app's functions. Against a real site it goes with the API token.
 */

/** What the bridge passes to `fetchProduct`. */
interface FetchProductArgs {
  readonly product?: unknown
  readonly restPath?: unknown
  readonly fetchRequestInit?: {
    readonly method?: unknown
    readonly body?: unknown
    readonly headers?: unknown
  }
}

/**
 * What the bridge expects back, the body still as Jira's bytes: the host passes them on as they came
 * (decoding and encoding each page of issues again cost the relay time per read), and the frame's shim
 * reads them as text.
 */
export interface ProductAnswer {
  readonly status: number
  readonly statusText: string
  readonly headers: Readonly<Record<string, string>>
  readonly body: Uint8Array
  readonly isAttachment: false
}

/** Headers the page may not set on the user's behalf: the host decides who the request runs as. */
const RESERVED = /^(authorization|cookie|host|content-length|x-emulator-|x-forge-)/i

/** Only read calls of Jira's REST API under the site, as the manifest's read scopes allow. */
const PATH = /^\/rest\/(api\/3|agile\/1\.0)\/[^\s#]*$/

/**
 * Forwards one product fetch to `baseUrl` with the target's headers and the frontend marker; a request
 * the bridge would not make (another product, a path outside the REST API, a method other than GET or
 * POST) gets a sentence instead.
 */
export const productFetch = async (
  raw: unknown,
  target: { readonly baseUrl: string; readonly headers: Readonly<Record<string, string>> },
): Promise<ProductAnswer | { readonly refused: string }> => {
  const args: FetchProductArgs = typeof raw === "object" && raw !== null ? raw : {}
  if (args.product !== "jira")
    return { refused: `The local Forge host reaches only Jira, not ${String(args.product)}.` }
  const path = typeof args.restPath === "string" ? args.restPath : ""
  if (!PATH.test(path) || path.includes("/../") || path.includes("/./"))
    return { refused: `requestJira takes a path of Jira's REST API, not "${path.slice(0, 200)}".` }
  const init = args.fetchRequestInit ?? {}
  const method = typeof init.method === "string" ? init.method.toUpperCase() : "GET"
  if (method !== "GET" && method !== "POST")
    return { refused: `The app only reads Jira; ${method} is not allowed.` }
  const headers = new Headers()
  if (Array.isArray(init.headers))
    for (const pair of init.headers)
      if (
        Array.isArray(pair) &&
        typeof pair[0] === "string" &&
        typeof pair[1] === "string" &&
        !RESERVED.test(pair[0])
      )
        headers.set(pair[0], pair[1])
  for (const [name, value] of Object.entries(target.headers)) headers.set(name, value)
  headers.set("x-emulator-source", "frontend")
  const response = await fetch(`${target.baseUrl}${path}`, {
    method,
    headers,
    ...(method === "POST" && typeof init.body === "string" ? { body: init.body } : {}),
  })
  return {
    status: response.status,
    statusText: response.statusText,
    headers: Object.fromEntries(response.headers.entries()),
    body: new Uint8Array(await response.arrayBuffer()),
    isAttachment: false,
  }
}

/**
 * How the host hands Jira's answer to the frame's shim (dev/frame.ts): the body as Jira sent it, and
 * its status, status text and headers in headers of their own. Not a JSON envelope: that would make
 * the host escape, and the page parse, every page of issues once more than Jira's own answer needs.
 */
export const answerHeaders = (answer: ProductAnswer): Record<string, string> => ({
  "content-type": "text/plain; charset=utf-8",
  "cache-control": "no-store",
  "x-jira-status": String(answer.status),
  "x-jira-status-text": encodeURIComponent(answer.statusText),
  "x-jira-headers": encodeURIComponent(JSON.stringify(answer.headers)),
})
