/**
 * The request pipeline around the endpoint handlers: identity, the removed-endpoint 410, rate limits
 * (in-flight cap, points quota, burst buckets), chaos, content-type and body checks, the handler,
 * latency, rate-limit headers and stats.
 */
import type { IncomingMessage, ServerResponse } from "node:http"
import type { UserRecord } from "../model.js"
import type { ChangelogFault, Chaos, ResponseFault } from "./chaos.js"
import type { RateLimits } from "./limits.js"
import { latencyOf } from "./profiles.js"
import { isRemovedSearch, matchRoute, REMOVED_SEARCH } from "./routes.js"
import { type Call, errorReply, type Reply, type ServerState, type Source } from "./state.js"
import type { StatsRecorder } from "./stats.js"

/** Header the local Forge host sets to say which user a Forge `asUser()` call runs as. */
export const FORGE_ACCOUNT_HEADER = "x-emulator-forge-account-id"
export const API_TOKEN = "emulator-token"
/** Header the local host adds to the page's own `requestJira` traffic (the bridge's product fetch). */
export const SOURCE_HEADER = "x-emulator-source"

export type { Source }

export const sourceOf = (req: IncomingMessage): Source =>
  typeof req.headers[FORGE_ACCOUNT_HEADER] !== "string"
    ? "apiToken"
    : req.headers[SOURCE_HEADER] === "frontend"
      ? "frontend"
      : "app"

/** Headers a frontend answer leaves out when Jira does not send them (before Atlassian's 2026 fix). */
const RATE_LIMIT_HEADER = /^(retry-after|x-ratelimit-|beta-ratelimit|ratelimit-)/

export interface Pipeline {
  readonly state: ServerState
  readonly limits: RateLimits
  readonly stats: StatsRecorder
  readonly chaos: () => Chaos
  readonly now: () => number
  /** Quota lowered by chaos `quota@N`, or the configured one. */
  readonly quotaLimit: () => number | null
  /**
   * The page's own traffic: whether it draws on the app's points quota (Atlassian does not say; partners
   * report it does not today) and whether its answers carry the rate-limit headers.
   */
  readonly frontend: { readonly charged: boolean; readonly rateLimitHeaders: boolean }
}

/** A bad Basic pair is anonymous, as on Jira (docs/jira-cloud.md §3); only users with a login email can log in. */
export const identify = (state: ServerState, req: IncomingMessage): UserRecord | null => {
  const forge = req.headers[FORGE_ACCOUNT_HEADER]
  if (typeof forge === "string") return state.dataset.userByAccountId(forge) ?? null
  const auth = req.headers.authorization
  if (!auth?.startsWith("Basic ")) return null
  const decoded = Buffer.from(auth.slice(6), "base64").toString("utf8")
  const colon = decoded.indexOf(":")
  if (colon < 0 || decoded.slice(colon + 1) !== API_TOKEN) return null
  const user = state.dataset.userByEmail(decoded.slice(0, colon))
  return user && user.loginEmail !== null ? user : null
}

const MAX_BODY_BYTES = 10 * 1024 * 1024

const readBody = (req: IncomingMessage): Promise<string> =>
  new Promise((resolve, reject) => {
    const chunks: Array<Buffer> = []
    let size = 0
    req.on("data", (chunk: Buffer) => {
      size += chunk.length
      if (size <= MAX_BODY_BYTES) chunks.push(chunk)
    })
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")))
    req.on("error", reject)
  })

const sleep = (ms: number) => (ms <= 0 ? Promise.resolve() : new Promise<void>((r) => setTimeout(r, ms)))

const isoSeconds = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, "Z")

const RATE_LIMITED_JSON = {
  errorMessages: ["The request has been rate-limited. Please try again later."],
  errors: {},
  status: 429,
}

const HTML_429 =
  "<html><head><title>Oops - an error has occurred</title></head><body><h1>Oops - an error has occurred</h1><p>error429: Rate limit exceeded.</p></body></html>"
const HTML_503 =
  "<html><head><title>503 Service Unavailable</title></head><body><h1>Service Unavailable</h1><p>The server is temporarily unable to service your request.</p></body></html>"

const tooMany = (reason: string, retryAfter: number | null, resetAt: number): Reply => ({
  status: 429,
  json: RATE_LIMITED_JSON,
  headers: {
    ...(retryAfter === null ? {} : { "retry-after": String(retryAfter) }),
    "x-ratelimit-reset": isoSeconds(resetAt),
    "ratelimit-reason": reason,
  },
})

const faultReply = (fault: ResponseFault, now: number, stormSeconds: number): Reply => {
  switch (fault) {
    case "storm429":
      return tooMany("jira-burst-based", stormSeconds, now + stormSeconds * 1000)
    case "html429":
      return {
        ...tooMany("jira-burst-based", 1, now + 1000),
        json: undefined,
        text: HTML_429,
        contentType: "text/html;charset=UTF-8",
      }
    case "no-retry-after":
      return tooMany("jira-burst-based", null, now + 1000)
    case "5xx":
      return { status: 503, json: { errorMessages: ["Service Unavailable"], errors: {} } }
    case "5xx-retry-after":
      return {
        status: 503,
        json: { errorMessages: ["Service Unavailable"], errors: {} },
        headers: { "retry-after": "1" },
      }
    case "html5xx":
      return { status: 503, text: HTML_503, contentType: "text/html;charset=UTF-8" }
  }
}

/** What chaos `changelog=…` answers to every changelog request. */
const changelogFaultReply = (fault: ChangelogFault): Reply => {
  switch (fault) {
    case "403":
      return errorReply(403, "You do not have the permission to see the specified issue.")
    case "500":
      return errorReply(500, "Internal server error.")
    case "garbled":
      return { status: 200, json: { issueChangeLogs: [{ issueId: 10001, changeHistories: "none" }] } }
  }
}

/** Decides the reply before latency: everything that can refuse a request, then the handler. */
const produce = async (
  p: Pipeline,
  req: IncomingMessage,
  call: Omit<Call, "body" | "params" | "draw">,
  endpoint: string,
  inFlight: number,
  quotaApplies: boolean,
): Promise<Reply> => {
  const { method, url, now } = call
  if (isRemovedSearch(url.pathname)) return { status: 410, json: REMOVED_SEARCH }
  const profile = p.limits.profile
  if (profile.maxInFlightPerUser !== null && inFlight > profile.maxInFlightPerUser) {
    p.stats.rateLimited("jira-burst-based")
    return tooMany("jira-burst-based", 1, now + 1000)
  }
  const limit = p.quotaLimit()
  const remaining = p.limits.remaining(now, limit)
  if (quotaApplies && remaining !== null && remaining <= 0) {
    const reason = `jira-quota-${p.limits.pool.mode}-based`
    p.stats.rateLimited(reason)
    const { end } = p.limits.currentWindow(now)
    return tooMany(reason, Math.max(1, Math.ceil((end - now) / 1000)), end)
  }
  if (!p.limits.takeBurst(endpoint, now)) {
    p.stats.rateLimited("jira-burst-based")
    return tooMany("jira-burst-based", 1, now + 1000)
  }
  const chaos = p.chaos()
  const storm = chaos.stormSecondsLeft(now)
  if (storm > 0) {
    p.stats.fault("storm429")
    p.stats.rateLimited("jira-burst-based")
    return tooMany("jira-burst-based", storm, now + storm * 1000)
  }
  const draw = chaos.draw(now)
  if (draw.fault !== null) {
    p.stats.fault(draw.fault)
    const reply = faultReply(draw.fault, now, chaos.spec.stormSeconds)
    if (reply.status === 429) p.stats.rateLimited("jira-burst-based")
    return { ...reply, faults: [] }
  }
  const matched = matchRoute(method, url.pathname)
  if (!("route" in matched))
    return matched.wrongMethod
      ? errorReply(405, `The HTTP method ${method} is not supported on ${url.pathname}.`)
      : errorReply(404, `No resource at ${url.pathname}.`)
  const changelogFault = chaos.spec.changelogFault
  if (changelogFault !== null && matched.route.template.includes("changelog")) {
    p.stats.fault(`changelog-${changelogFault}`)
    return changelogFaultReply(changelogFault)
  }
  let body: unknown
  if (method === "POST" || method === "PUT") {
    const type = req.headers["content-type"]
    if (type === undefined || !/^application\/json\b/i.test(type))
      return {
        status: 415,
        contentType: "application/problem+json",
        json: {
          title: "Unsupported Media Type",
          detail: `Content-Type '${type ?? "null"}' is not supported.`,
          instance: url.pathname,
        },
      }
    const text = await readBody(req)
    try {
      body = JSON.parse(text)
    } catch {
      return errorReply(400, "Invalid request payload. Refer to the REST API documentation and try again.")
    }
  }
  const reply = matched.route.handle(p.state, { ...call, params: matched.params, body, draw })
  return draw.slowMs > 0 ? { ...reply, faults: [...(reply.faults ?? []), "slow"] } : reply
}

/** The emulator's request listener. */
export const createListener =
  (p: Pipeline, special: (req: IncomingMessage, res: ServerResponse, url: URL) => boolean) =>
  (req: IncomingMessage, res: ServerResponse): void => {
    const url = new URL(req.url ?? "/", "http://emulator.local")
    if (special(req, res, url)) return
    const method = (req.method ?? "GET").toUpperCase()
    const now = p.now()
    const viewer = identify(p.state, req)
    const user = viewer?.accountId ?? "anonymous"
    const source = sourceOf(req)
    const quotaApplies = source !== "frontend" || p.frontend.charged
    const matched = matchRoute(method, url.pathname)
    const endpoint = "route" in matched ? `${method} ${matched.route.template}` : `${method} ${url.pathname}`
    p.stats.request(endpoint, user, now, req.socket)
    const inFlight = p.limits.enter(user)
    p.stats.inFlight(inFlight)
    const respond = async () => {
      const reply = await produce(
        p,
        req,
        { method, url, viewer, now, source },
        endpoint,
        inFlight,
        quotaApplies,
      )
      // Drain an unread body so keep-alive connections stay usable after a refusal.
      if (!req.readableEnded) req.resume()
      for (const f of reply.faults ?? []) p.stats.fault(f)
      const slowMs = reply.faults?.includes("slow") ? p.chaos().spec.slowMs : 0
      const latency = latencyOf(p.limits.profile, {
        issueCall: reply.issueCall === true && reply.status === 200,
        issuesWithFields: reply.issuesWithFields ?? 0,
        idOnlyIssues: reply.idOnlyIssues ?? 0,
      })
      await sleep(latency + slowMs)
      const sentAt = p.now()
      const charged = reply.status === 429 || reply.status >= 500 ? 0 : 1 + (reply.objects ?? 0)
      if (charged > 0 && quotaApplies) p.limits.spend(sentAt, charged)
      const text = reply.text ?? JSON.stringify(reply.json)
      const headers: Record<string, string> = {
        "content-type": reply.contentType ?? "application/json;charset=UTF-8",
        ...rateLimitHeaders(p, endpoint, sentAt),
        ...reply.headers,
      }
      if (source === "frontend" && !p.frontend.rateLimitHeaders)
        for (const name of Object.keys(headers)) if (RATE_LIMIT_HEADER.test(name)) delete headers[name]
      const retryAfter = headers["retry-after"]
      if (retryAfter !== undefined)
        p.stats.gaveRetryAfter(user, sentAt, sentAt + Number(retryAfter) * 1000, req.socket)
      const bytes = Buffer.byteLength(text)
      headers["content-length"] = String(bytes)
      const issues = reply.status === 200 ? (reply.issuesWithFields ?? 0) + (reply.idOnlyIssues ?? 0) : 0
      p.stats.sent(bytes, issues, charged, source)
      res.writeHead(reply.status, headers)
      res.end(text)
    }
    respond()
      .catch((cause: unknown) => {
        const message = cause instanceof Error ? cause.message : String(cause)
        if (!res.headersSent) {
          res.writeHead(500, { "content-type": "application/json;charset=UTF-8" })
          res.end(JSON.stringify({ errorMessages: [`Emulator failure: ${message}`], errors: {} }))
        }
      })
      .finally(() => p.limits.leave(user))
  }

/** `X-RateLimit-*` and `Beta-RateLimit*` for the quota when there is one, else for the endpoint's burst bucket. */
const rateLimitHeaders = (p: Pipeline, endpoint: string, now: number): Record<string, string> => {
  const limit = p.quotaLimit()
  if (limit !== null) {
    const remaining = p.limits.remaining(now, limit) ?? 0
    const { end } = p.limits.currentWindow(now)
    const near = remaining < limit * 0.2
    const resetIn = Math.max(0, Math.ceil((end - now) / 1000))
    // Jira names the app's one pool `global-app-quota` and a site's own (Tier 2) `tenant-app-quota`.
    const policy = `"${p.limits.pool.mode}-app-quota"`
    return {
      "x-ratelimit-limit": String(limit),
      "x-ratelimit-remaining": String(remaining),
      ...(near ? { "x-ratelimit-nearlimit": "true" } : {}),
      "beta-ratelimit-policy": `${policy};q=${limit};w=${Math.round(p.limits.windowMs / 1000)}`,
      "beta-ratelimit": near ? `${policy};r=${remaining};t=${resetIn}` : `${policy};t=${resetIn}`,
    }
  }
  const burst = p.limits.burstOf(endpoint)
  const left = p.limits.burstRemaining(endpoint)
  if (burst === null || left === null) return {}
  const rate = burst.rate
  return {
    "x-ratelimit-limit": String(rate),
    "x-ratelimit-remaining": String(left),
    "beta-ratelimit-policy": `"jira-burst-based";q=${rate};w=1`,
  }
}
