/**
 * Jira Cloud emulator (minimal first cut: identity and /myself). Grows into the full emulator of
 * issue #3; the public API below (`startEmulator`) is what the host, tests and benchmarks use.
 */
import { createServer, type IncomingMessage, type ServerResponse } from "node:http"
import type { AddressInfo } from "node:net"

export interface EmulatorOptions {
  readonly port?: number
  readonly host?: string
}

export interface EmulatorAccount {
  readonly accountId: string
  readonly email: string
  readonly displayName: string
}

export interface RunningEmulator {
  readonly url: string
  readonly port: number
  readonly accounts: { readonly admin: EmulatorAccount; readonly restricted: EmulatorAccount }
  readonly apiToken: string
  readonly close: () => Promise<void>
}

/** Header the local Forge host sets to say which user a Forge `asUser()` call runs as. */
export const FORGE_ACCOUNT_HEADER = "x-emulator-forge-account-id"
export const API_TOKEN = "emulator-token"

const admin: EmulatorAccount = {
  accountId: "5b10a2844c20165700ede21g",
  email: "admin@example.test",
  displayName: "Ada Admin",
}
const restricted: EmulatorAccount = {
  accountId: "5b10ac8d82e05b22cc7d4ef5",
  email: "restricted@example.test",
  displayName: "Rita Restricted",
}
const accounts = [admin, restricted]

const identify = (req: IncomingMessage): EmulatorAccount | undefined => {
  const forge = req.headers[FORGE_ACCOUNT_HEADER]
  if (typeof forge === "string") return accounts.find((a) => a.accountId === forge)
  const auth = req.headers.authorization
  if (!auth?.startsWith("Basic ")) return undefined
  const [email, token] = Buffer.from(auth.slice(6), "base64").toString("utf8").split(":")
  return token === API_TOKEN ? accounts.find((a) => a.email === email) : undefined
}

const handle = (req: IncomingMessage, res: ServerResponse) => {
  const url = new URL(req.url ?? "/", "http://localhost")
  const user = identify(req)
  if (url.pathname === "/rest/api/3/myself" && req.method === "GET") {
    if (!user) {
      res.writeHead(401, { "content-type": "text/html;charset=UTF-8" })
      res.end("<html><body>Client must be authenticated to access this resource.</body></html>")
      return
    }
    res.writeHead(200, { "content-type": "application/json;charset=UTF-8" })
    res.end(
      JSON.stringify({
        self: `http://localhost/rest/api/3/user?accountId=${user.accountId}`,
        accountId: user.accountId,
        accountType: "atlassian",
        emailAddress: user.email,
        displayName: user.displayName,
        active: true,
        timeZone: "Europe/Berlin",
        locale: "en_US",
        avatarUrls: {},
      }),
    )
    return
  }
  res.writeHead(404, { "content-type": "application/json;charset=UTF-8" })
  res.end(JSON.stringify({ errorMessages: ["Not found"], errors: {} }))
}

export const startEmulator = (options: EmulatorOptions = {}): Promise<RunningEmulator> =>
  new Promise((resolve, reject) => {
    const server = createServer(handle)
    server.on("error", reject)
    server.listen(options.port ?? 0, options.host ?? "127.0.0.1", () => {
      const { port } = server.address() as AddressInfo
      resolve({
        url: `http://127.0.0.1:${port}`,
        port,
        accounts: { admin, restricted },
        apiToken: API_TOKEN,
        close: () => new Promise((done) => server.close(() => done())),
      })
    })
  })
