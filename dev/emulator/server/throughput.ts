/**
 * Measures what the emulator serves with the `instant` profile: requests/s and issues/s for
 * `/search/jql` pages of 100 issues with 30 fields, and for bulkfetch of 100 ids with the same fields,
 * plus the emulator's RSS. The emulator runs in its own process so the load generator's JSON parsing
 * does not share its thread.
 *
 *   npx tsx dev/emulator/server/throughput.ts [--issues 200000] [--seconds 5] [--clients 8]
 */
import { spawn } from "node:child_process"
import path from "node:path"

const arg = (name: string, fallback: number) => {
  const i = process.argv.indexOf(`--${name}`)
  return i >= 0 ? Number(process.argv[i + 1]) : fallback
}

const ISSUES = arg("issues", 20_000)
const SECONDS = arg("seconds", 5)
/** Concurrent load-generating loops (each waits for its answer before the next request). */
const CLIENTS = arg("clients", 8)
const FIELD_COUNT = 30

const start = () =>
  new Promise<{ url: string; stop: () => void }>((resolve, reject) => {
    const root = path.resolve(__dirname, "../../..")
    const child = spawn(
      process.execPath,
      ["--import", "tsx", "dev/emulator/main.ts", "--port", "0", "--issues", String(ISSUES)],
      { cwd: root, stdio: ["ignore", "pipe", "inherit"] },
    )
    let out = ""
    child.stdout.on("data", (chunk: Buffer) => {
      out += chunk.toString()
      const m = /listening on (http:\/\/\S+)/.exec(out)
      if (m) resolve({ url: m[1]!, stop: () => child.kill("SIGTERM") })
    })
    child.on("exit", (code) => reject(new Error(`emulator exited with ${code}`)))
  })

const main = async () => {
  const startedAt = performance.now()
  const { url, stop } = await start()
  const bootMs = performance.now() - startedAt
  const auth = `Basic ${Buffer.from("admin@example.test:emulator-token").toString("base64")}`
  const headers = { authorization: auth, "content-type": "application/json", accept: "application/json" }
  const post = async (p: string, body: unknown) => {
    const r = await fetch(`${url}${p}`, { method: "POST", headers, body: JSON.stringify(body) })
    return (await r.json()) as { issues?: Array<{ id: string }>; nextPageToken?: string }
  }
  const fieldList = (await (await fetch(`${url}/rest/api/3/field`, { headers })).json()) as Array<{
    id: string
    navigable: boolean
  }>
  const fields = fieldList
    .filter((f) => f.navigable)
    .slice(0, FIELD_COUNT)
    .map((f) => f.id)
  const jql = "created >= -36500d ORDER BY key"
  const firstTry = await post("/rest/api/3/search/jql", { jql, maxResults: 1 })
  const query = firstTry.issues ? jql : "project in (ALP, BET, SEC) ORDER BY key"
  const ids =
    (await post("/rest/api/3/search/jql", { jql: query, maxResults: 5000 })).issues?.map((i) => i.id) ?? []

  const run = async (label: string, once: (n: number) => Promise<number>) => {
    let requests = 0
    let issues = 0
    const until = performance.now() + SECONDS * 1000
    const t0 = performance.now()
    await Promise.all(
      Array.from({ length: CLIENTS }, async (_, c) => {
        let n = c
        while (performance.now() < until) {
          // Read the count after the await: `issues += await ...` would add to a stale total.
          const served = await once(n)
          issues += served
          requests++
          n += CLIENTS
        }
      }),
    )
    const s = (performance.now() - t0) / 1000
    console.log(
      `${label}: ${(requests / s).toFixed(0)} requests/s, ${(issues / s).toFixed(0)} issues/s (${requests} requests in ${s.toFixed(1)} s, ${CLIENTS} clients)`,
    )
  }

  const tokens: Array<string | undefined> = Array.from({ length: CLIENTS }, () => undefined)
  await run("search/jql 100 x 30 fields", async (n) => {
    const c = n % CLIENTS
    const page = await post("/rest/api/3/search/jql", {
      jql: query,
      fields,
      maxResults: 100,
      ...(tokens[c] ? { nextPageToken: tokens[c] } : {}),
    })
    tokens[c] = page.nextPageToken
    return page.issues?.length ?? 0
  })
  await run("bulkfetch 100 x 30 fields", async (n) => {
    const from = (n * 100) % Math.max(1, ids.length - 100)
    const page = await post("/rest/api/3/issue/bulkfetch", {
      issueIdsOrKeys: ids.slice(from, from + 100),
      fields,
    })
    return page.issues?.length ?? 0
  })
  const memory = (await (await fetch(`${url}/__emulator/memory`)).json()) as {
    rssBytes: number
    issues: number
  }
  console.log(
    `emulator with ${memory.issues} issues: RSS ${(memory.rssBytes / 1024 / 1024).toFixed(0)} MB after the runs; started in ${(bootMs / 1000).toFixed(1)} s`,
  )
  stop()
}

main().catch((cause: unknown) => {
  console.error(cause)
  process.exit(1)
})
