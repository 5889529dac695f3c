/**
 * The local host's HTTP plumbing (reading bodies, answering JSON, static types, Atlassian's token CSS)
 * and its listening socket: plain HTTP/1.1 by default, or HTTPS with HTTP/2 (`http2: true`)
 * as Jira serves its pages. The difference matters to the page engine: over HTTP/1.1 Chromium keeps
 * at most six connections to one origin, so the page's `requestJira` reads (each one request to the
 * host) would queue behind six, while Jira's frame sends them over one HTTP/2 connection with as many
 * streams as the app keeps in flight. HTTP/2 in browsers needs TLS: the host uses the self-signed
 * certificate in `dev/tls/` (for 127.0.0.1 and localhost, made for this purpose only; its key is
 * public), which the browser must be told to accept (Playwright's `ignoreHTTPSErrors`, or the
 * browser's warning page when opened by hand).
 */
import { readFileSync } from "node:fs"
import { createServer, type IncomingMessage, type ServerResponse } from "node:http"
import { createSecureServer, type Http2ServerRequest, type Http2ServerResponse } from "node:http2"
import { createRequire } from "node:module"
import type { AddressInfo, Socket } from "node:net"
import { join, resolve } from "node:path"

/** What the host's handlers read of a request and write to a response, over either protocol. */
export type HostRequest = IncomingMessage | Http2ServerRequest
export type HostResponse = ServerResponse | Http2ServerResponse

export interface Listening {
  readonly url: string
  readonly port: number
  readonly origin: "http" | "https"
  readonly close: () => Promise<void>
}

const tlsDir = join(__dirname, "tls")

export const root = resolve(__dirname, "..")

export const contentTypes: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".map": "application/json; charset=utf-8",
  ".svg": "image/svg+xml",
  ".png": "image/png",
}

export const readBody = (req: HostRequest, limit: number): Promise<Buffer | "too-large"> =>
  new Promise((done, fail) => {
    const chunks: Buffer[] = []
    let size = 0
    req.on("data", (chunk: Buffer) => {
      size += chunk.length
      if (size <= limit) chunks.push(chunk)
    })
    req.on("end", () => done(size > limit ? "too-large" : Buffer.concat(chunks)))
    req.on("error", fail)
  })

export const sendJson = (res: HostResponse, status: number, value: unknown) => {
  const body = JSON.stringify(value)
  res.writeHead(status, { "content-type": "application/json; charset=utf-8", "cache-control": "no-store" })
  res.end(body)
}

/** Atlassian's design-token CSS (light and dark), as Jira loads it into a themed Custom UI frame. */
export const tokensCss = (): string => {
  const load = createRequire(join(root, "package.json"))
  const themes = ["atlassian-light", "atlassian-dark", "atlassian-spacing", "atlassian-typography-adg3"]
  return themes
    .map((name) => {
      try {
        const theme: unknown = load(`@atlaskit/tokens/dist/cjs/artifacts/themes/${name}.js`)
        const css =
          typeof theme === "object" && theme !== null && "default" in theme ? theme.default : undefined
        return typeof css === "string" ? css : ""
      } catch {
        return ""
      }
    })
    .join("\n")
}

export const listenHost = async (
  handle: (req: HostRequest, res: HostResponse) => void,
  options: { readonly port: number; readonly host: string; readonly http2: boolean },
): Promise<Listening> => {
  const server = options.http2
    ? createSecureServer(
        {
          key: readFileSync(join(tlsDir, "localhost.key")),
          cert: readFileSync(join(tlsDir, "localhost.crt")),
          // Clients without ALPN (curl --http1.1, Node's fetch) still reach the same handlers.
          allowHTTP1: true,
          // As many streams as a page may keep in flight; Chromium opens a second connection past it.
          settings: { maxConcurrentStreams: 256 },
        },
        handle,
      )
    : createServer(handle)
  // Every connection, of either protocol, so that closing the host ends kept-alive ones at once.
  const sockets = new Set<Socket>()
  server.on("connection", (socket: Socket) => {
    sockets.add(socket)
    socket.on("close", () => sockets.delete(socket))
  })
  await new Promise<void>((done, fail) => {
    server.once("error", fail)
    server.listen(options.port, options.host, () => done())
  })
  const { port } = server.address() as AddressInfo
  const origin = options.http2 ? "https" : "http"
  return {
    url: `${origin}://127.0.0.1:${port}/`,
    port,
    origin,
    close: async () => {
      for (const socket of sockets) socket.destroy()
      await new Promise<void>((done) => server.close(() => done()))
    },
  }
}
