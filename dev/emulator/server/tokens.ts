/**
 * Opaque `nextPageToken`s: base64url of a small JSON (search key, offset, expiry) plus an HMAC, so a
 * token cannot be forged or edited, and a search can be resumed after its cached id list was evicted.
 * Jira's tokens "will expire in 7 days" (SearchAndReconcileResults.nextPageToken).
 */
import { createHmac, timingSafeEqual } from "node:crypto"

export const TOKEN_TTL_MS = 7 * 24 * 3_600_000

export interface PagePosition {
  /** Which search (JQL + viewer) the token continues. */
  readonly searchKey: string
  readonly offset: number
  /** The search's generation when the token was issued; an expired search moves to the next one. */
  readonly generation: number
  readonly expiresAt: number
}

export type TokenReading =
  | { readonly ok: true; readonly position: PagePosition }
  | { readonly ok: false; readonly reason: "malformed" | "expired" }

export class PageTokens {
  constructor(
    private readonly secret: string,
    private readonly ttlMs: number = TOKEN_TTL_MS,
  ) {}

  private sign(payload: string): Buffer {
    return createHmac("sha256", this.secret).update(payload).digest().subarray(0, 16)
  }

  issue(searchKey: string, offset: number, generation: number, now: number): string {
    const fields = { k: searchKey, o: offset, g: generation, x: now + this.ttlMs }
    const payload = Buffer.from(JSON.stringify(fields)).toString("base64url")
    return `${payload}.${this.sign(payload).toString("base64url")}`
  }

  read(token: string, now: number): TokenReading {
    const [payload, mac, extra] = token.split(".")
    if (payload === undefined || mac === undefined || extra !== undefined)
      return { ok: false, reason: "malformed" }
    const given = Buffer.from(mac, "base64url")
    const expected = this.sign(payload)
    if (given.length !== expected.length || !timingSafeEqual(given, expected))
      return { ok: false, reason: "malformed" }
    const decoded: unknown = JSON.parse(Buffer.from(payload, "base64url").toString("utf8"))
    if (typeof decoded !== "object" || decoded === null) return { ok: false, reason: "malformed" }
    const { k, o, g, x } = decoded as { k?: unknown; o?: unknown; g?: unknown; x?: unknown }
    if (typeof k !== "string" || typeof o !== "number" || typeof g !== "number" || typeof x !== "number")
      return { ok: false, reason: "malformed" }
    if (now >= x) return { ok: false, reason: "expired" }
    return { ok: true, position: { searchKey: k, offset: o, generation: g, expiresAt: x } }
  }
}
