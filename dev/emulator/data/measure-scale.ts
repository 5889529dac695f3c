/**
 * Measures the data set and JQL engine at scale: `npx tsx dev/emulator/data/measure-scale.ts [issues]`.
 * Prints generation speed (whole issues, issues with 30 fields, and with JSON.stringify), JQL scan
 * speed cold (index build) and warm, and the process RSS after a full scan. Speeds are per CPU
 * second of this process as well as per wall second, so a busy machine does not hide the figures.
 */
import { createJqlEngine } from "../jql/index.js"
import { createDataset } from "./index.js"

const issues = Number(process.argv[2] ?? 200_000)
const cpu = () => {
  const u = process.cpuUsage()
  return (u.user + u.system) / 1e6
}
const measure = (label: string, count: number, body: () => void) => {
  const c = cpu()
  const w = performance.now()
  body()
  const cpuS = cpu() - c
  const wallS = (performance.now() - w) / 1000
  console.log(
    `${label.padEnd(72)} ${String(Math.round(count / cpuS)).padStart(10)} /cpu-s ${String(Math.round(count / wallS)).padStart(10)} /wall-s  (${Math.round(wallS * 1000)} ms)`,
  )
}

const ds = createDataset({ issues, seed: 42 })
const engine = createJqlEngine(ds)
const admin = ds.userByEmail("admin@example.test")
if (admin === undefined) throw new Error("admin missing")
const now = new Date(Date.UTC(2026, 10, 29))
const sample = Math.min(issues, 40_000)
measure("warm-up", 5_000, () => {
  for (let i = 0; i < 5_000; i++) ds.issueAt(i % issues)
})
measure("issueAt (every field)", sample, () => {
  for (let i = 0; i < sample; i++) ds.issueAt(i)
})
const columns = [
  "summary",
  "status",
  "priority",
  "issuetype",
  "project",
  "assignee",
  "reporter",
  "created",
  "updated",
]
  .concat([
    "duedate",
    "labels",
    "components",
    "fixVersions",
    "resolution",
    "resolutiondate",
    "description",
    "parent",
  ])
  .concat(
    ds.fields
      .filter((f) => f.custom)
      .map((f) => f.id)
      .slice(0, 13),
  )
measure(`issueWithFields (${columns.length} fields)`, sample, () => {
  for (let i = 0; i < sample; i++) ds.issueWithFields(i, columns)
})
measure("issueAt + JSON.stringify", sample / 4, () => {
  for (let i = 0; i < sample / 4; i++) JSON.stringify(ds.issueAt(i))
})
const queries = [
  "project = ALPHA",
  "status = Done AND assignee is not EMPTY",
  "created >= 2024-06-01 AND priority in (High, Highest)",
  "project in (ALPHA, BETA, GAMMA, DELTA, OPS) ORDER BY key ASC",
  "project = BETA ORDER BY created DESC, priority DESC",
  "summary ~ login",
  "description ~ rollback",
]
for (const jql of queries)
  for (const pass of ["cold", "warm"]) {
    let found = 0
    measure(`${pass} scan: ${jql}`, issues, () => {
      const r = engine.search(jql, admin, { requireBounded: true, now })
      found = r.ok ? r.ids.length : -1
    })
    if (found < 0) throw new Error(`query failed: ${jql}`)
  }
globalThis.gc?.()
const mem = process.memoryUsage()
console.log(
  `issues ${issues}: rss ${Math.round(mem.rss / 1e6)} MB, heap used ${Math.round(mem.heapUsed / 1e6)} MB, array buffers ${Math.round(mem.arrayBuffers / 1e6)} MB`,
)
