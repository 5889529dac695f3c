/**
 * The local host answers the bridge's product fetch (`requestJira`) against the emulator as the
 * signed-in user, marked as the page's own traffic, and only for the page it serves.
 */
import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { type RunningHost, startHost } from "../../dev/host.js"

describe("the local host's product fetch", () => {
  let host: RunningHost
  let dist: string
  beforeAll(async () => {
    dist = fs.mkdtempSync(path.join(os.tmpdir(), "liquitim-fetch-"))
    fs.writeFileSync(path.join(dist, "index.html"), "<html><head></head><body></body></html>")
    host = await startHost({ distDir: dist, user: "restricted", emulator: { issues: 20, seed: 1 } })
  })
  afterAll(async () => {
    await host?.close()
    fs.rmSync(dist, { recursive: true, force: true })
  })

  // What @forge/bridge 7.2.0 sends for requestJira (out/fetch/fetch.js), through the frame's shim.
  /** Jira's answer as the frame's shim reads it (dev/frame.ts). */
  const jiraAnswer = async (response: Response) => ({
    status: Number(response.headers.get("x-jira-status")),
    headers: JSON.parse(decodeURIComponent(response.headers.get("x-jira-headers") ?? "")),
    body: await response.text(),
  })

  const fetchProduct = (
    restPath: string,
    init: Record<string, unknown>,
    origin = `http://127.0.0.1:${host.port}`,
  ) =>
    fetch(`${host.url}__host/fetch`, {
      method: "POST",
      headers: { "content-type": "application/json", origin },
      body: JSON.stringify({ product: "jira", restPath, fetchRequestInit: init, isMultipartFormData: false }),
    })

  it("reads Jira as the signed-in user and counts it as frontend traffic", async () => {
    const response = await fetchProduct("/rest/api/3/myself", {
      method: "GET",
      body: null,
      headers: [
        ["accept", "application/json"],
        ["x-atlassian-token", "no-check"],
        ["authorization", "Basic forged"],
      ],
    })
    expect(response.status).toBe(200)
    const answer = await jiraAnswer(response)
    expect(answer.status).toBe(200)
    expect(JSON.parse(answer.body).accountId).toBe(host.accountId)
    expect(answer.headers["content-type"]).toMatch(/application\/json/)
    expect(host.emulator?.stats().pointsBySource.frontend).toBeGreaterThan(0)
    expect(host.emulator?.stats().pointsBySource.app).toBe(0)
  })

  it("passes Jira's own errors on as answers, with their status", async () => {
    const response = await fetchProduct("/rest/api/3/search/jql", {
      method: "POST",
      body: JSON.stringify({ jql: "project = NOPE", fields: ["summary"] }),
      headers: [["content-type", "application/json"]],
    })
    const answer = await jiraAnswer(response)
    expect(answer.status).toBe(400)
    expect(JSON.parse(answer.body).errorMessages.length).toBeGreaterThan(0)
  })

  it("refuses other origins, other products, paths outside the REST API and writes", async () => {
    expect((await fetchProduct("/rest/api/3/myself", { method: "GET" }, "https://evil.example")).status).toBe(
      403,
    )
    const outside = await fetchProduct("/secure/admin", { method: "GET" })
    expect(outside.status).toBe(502)
    expect((await outside.json()).message).toMatch(/REST API/)
    expect((await fetchProduct("/rest/api/3/issue/A-1", { method: "DELETE" })).status).toBe(502)
  })
})
