import * as fs from "node:fs"
import * as http2 from "node:http2"
import * as os from "node:os"
import * as path from "node:path"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { type RunningHost, startHost } from "../../dev/host.js"

/**
 * The local Forge host listens on 127.0.0.1, which any web page the developer opens can POST to: only
 * the page the host serves may make it run resolvers.
 */
describe("the local Forge host's invoke endpoint", () => {
  let host: RunningHost
  let dist: string
  beforeAll(async () => {
    dist = fs.mkdtempSync(path.join(os.tmpdir(), "liquitim-host-"))
    fs.writeFileSync(path.join(dist, "index.html"), "<html><head></head><body></body></html>")
    host = await startHost({ distDir: dist, emulator: { issues: 20, seed: 1 } })
  })
  afterAll(async () => {
    await host?.close()
    fs.rmSync(dist, { recursive: true, force: true })
  })

  const invoke = (headers: Record<string, string>) =>
    fetch(`${host.url}__host/invoke`, {
      method: "POST",
      headers,
      body: JSON.stringify({ functionKey: "session/whoami", payload: {} }),
    })

  it("answers the page it serves (JSON, its own origin)", async () => {
    const own = `http://127.0.0.1:${host.port}`
    const response = await invoke({ "content-type": "application/json", origin: own })
    expect(response.status).toBe(200)
    expect(await response.json()).toMatchObject({ result: { ok: true } })
  })

  it("refuses a text/plain invoke (a cross-site form or fetch needs no preflight for it)", async () => {
    const before = host.invocations().length
    const response = await invoke({ "content-type": "text/plain", origin: "https://evil.example" })
    expect(response.status).toBe(415)
    expect((await response.json()).message).toMatch(/application\/json/)
    expect(host.invocations().length).toBe(before)
  })

  it("refuses JSON from another origin, a rebound host name, or no origin at all", async () => {
    const before = host.invocations().length
    for (const origin of ["https://evil.example", `http://evil.example:${host.port}`, undefined]) {
      const response = await invoke({
        "content-type": "application/json",
        ...(origin === undefined ? {} : { origin }),
      })
      expect(response.status).toBe(403)
      expect((await response.json()).message).toMatch(/\.$/)
    }
    expect(host.invocations().length).toBe(before)
  })
})

/**
 * `http2: true`: the host serves HTTPS with HTTP/2, as Jira serves its frame, so that the page's own
 * Jira reads share one connection instead of Chromium's six per HTTP/1.1 origin (dev/hostServer.ts).
 */
describe("the local Forge host over HTTP/2", () => {
  let host: RunningHost
  let dist: string
  beforeAll(async () => {
    dist = fs.mkdtempSync(path.join(os.tmpdir(), "liquitim-host-h2-"))
    fs.writeFileSync(path.join(dist, "index.html"), "<html><head></head><body></body></html>")
    host = await startHost({ distDir: dist, emulator: { issues: 20, seed: 1 }, http2: true })
  })
  afterAll(async () => {
    await host?.close()
    fs.rmSync(dist, { recursive: true, force: true })
  })

  /** Several invokes at once on one HTTP/2 connection: the protocol agreed, and each answer's status. */
  const invokeOverH2 = (origin: string, times: number) =>
    new Promise<{ protocol: string | undefined; statuses: ReadonlyArray<number> }>((done, fail) => {
      const session = http2.connect(host.url, { rejectUnauthorized: false })
      session.on("error", fail)
      const one = () =>
        new Promise<number>((answered, broke) => {
          const stream = session.request({
            ":method": "POST",
            ":path": "/__host/invoke",
            "content-type": "application/json",
            origin,
          })
          let status = 0
          stream.on("response", (headers) => {
            status = Number(headers[":status"])
          })
          stream.on("error", broke)
          stream.on("end", () => answered(status))
          stream.resume()
          stream.end(JSON.stringify({ functionKey: "session/whoami", payload: {} }))
        })
      Promise.all(Array.from({ length: times }, one)).then(
        (statuses) => {
          const protocol = session.alpnProtocol
          session.close()
          done({ protocol, statuses })
        },
        (error: unknown) => {
          session.close()
          fail(error)
        },
      )
    })

  it("answers its own https origin, several calls at once on one connection", async () => {
    expect(host.url).toBe(`https://127.0.0.1:${host.port}/`)
    const answer = await invokeOverH2(`https://127.0.0.1:${host.port}`, 12)
    expect(answer).toEqual({ protocol: "h2", statuses: Array.from({ length: 12 }, () => 200) })
  })

  it("refuses the plain-http origin of the same port (another origin)", async () => {
    const answer = await invokeOverH2(`http://127.0.0.1:${host.port}`, 1)
    expect(answer.statuses).toEqual([403])
  })
})
