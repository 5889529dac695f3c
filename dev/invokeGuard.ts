/**
 * Which invokes the local Forge host accepts. It listens on 127.0.0.1, and any page the developer
 * opens may POST there: a `text/plain` POST needs no CORS preflight, so without these checks any web
 * page could run resolvers as the signed-in user. Requiring JSON forces a preflight (which the host
 * never grants), and the browser's `Origin` must be the host's own, which also turns away a
 * DNS-rebound name pointing at 127.0.0.1.
 */
import type { IncomingHttpHeaders } from "node:http"

/** The origins the page served on `port` can have. */
export const ownOrigins = (
  port: number,
  host: string | undefined,
  scheme: "http" | "https" = "http",
): ReadonlySet<string> =>
  new Set(
    ["127.0.0.1", "localhost", "[::1]", ...(host === undefined ? [] : [host])].map(
      (name) => `${scheme}://${name}:${port}`,
    ),
  )

/** Why an invoke is refused, if it is: an HTTP status and one sentence. */
export const invokeRefusal = (
  headers: IncomingHttpHeaders,
  origins: ReadonlySet<string>,
): { readonly status: number; readonly message: string } | undefined => {
  const type = headers["content-type"]
  if (type === undefined || !/^application\/json\s*(;|$)/i.test(type))
    return { status: 415, message: "The local Forge host takes invokes as application/json only." }
  const origin = headers.origin
  if (origin === undefined || !origins.has(origin))
    return { status: 403, message: "Only the page this local Forge host serves may invoke its resolvers." }
  return undefined
}
