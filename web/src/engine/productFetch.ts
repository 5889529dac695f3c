/**
 * The page's reads of Jira: the Jira frame's product fetch, sent as `@forge/bridge` 7.2.0's
 * `requestJira` sends it (`callBridge("fetchProduct", …)`, node_modules/@forge/bridge/out/fetch/fetch.js;
 * a test holds the payloads equal), with Jira's answer taken as the frame hands it over. `requestJira`
 * wraps that answer in a `Response` whose body the page then reads back as text: a copy of every page
 * of issues into bytes and out again, measured at about 0.7 s of the page's main thread per 10,000
 * issues (CPU profile of `npm run bench -- page-engine`), for nothing the engine uses. The frame
 * answers the bridge the page ships (its version pinned in package.json), so the payload is the one
 * the frame already takes from `requestJira`.
 */
import type { FrameAnswer, ProductFetch } from "../../../src/jira/BridgeTransport.js"

/** The bridge's one entry into the frame (`window.__bridge.callBridge`). */
export type CallBridge = (method: string, args: unknown) => Promise<unknown>

/** The frame's answer, checked: a status, headers and a body (none for an empty answer). */
const answerOf = (raw: unknown): FrameAnswer => {
  const answer = (typeof raw === "object" && raw !== null ? raw : {}) as Record<string, unknown>
  const { status, headers, body } = answer
  if (typeof status !== "number" || typeof headers !== "object" || headers === null)
    throw new Error("The Jira frame's answer to the product fetch has no status or headers.")
  // Jira's REST answers are text; the frame sends an attachment's bytes in base64, which no read here asks for.
  if (answer.isAttachment === true) throw new Error("The Jira frame answered with an attachment, not JSON.")
  return {
    status,
    headers: headers as Record<string, string>,
    body: typeof body === "string" ? body : "",
  }
}

export const productFetch =
  (callBridge: CallBridge): ProductFetch =>
  async (restPath, init) => {
    // As requestJira builds them: names in lower case, and Jira's XSRF check skipped for the app.
    const headers = new Headers(init.headers)
    if (!headers.has("X-Atlassian-Token")) headers.set("X-Atlassian-Token", "no-check")
    const raw = await callBridge("fetchProduct", {
      product: "jira",
      restPath,
      fetchRequestInit: {
        method: init.method,
        headers: [...headers.entries()],
        body: init.method.toUpperCase() === "GET" ? null : (init.body ?? ""),
      },
      isMultipartFormData: false,
    })
    return answerOf(raw)
  }
