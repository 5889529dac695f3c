/**
 * The steward on the resolver path against a multi-site emulator (issue 21): site 1 exports while
 * site 2, another installation of the same app, keeps making small interactive calls. In a shared
 * pool (global) the export pauses at its share and site 2 is never refused; in a pool of its own
 * (tenant) the export spends down to the reserve and pauses less. The file is exact either way.
 */
import { afterEach, describe, expect, it } from "vitest"
import type { QuotaMode } from "../../dev/emulator/index.js"
import { defaultSteward } from "../../src/export/steward.js"
import { exportNext, exportStart } from "../../src/resolvers/export.js"
import { asUser } from "../emulator/server/http.js"
import { exportThrough, type Harness, jqlAll, keysOf, startHarness } from "./emulated.js"

const ISSUES = 1200
/** Small pools in short windows, so an export needs several windows under the steward. */
const QUOTA = 3000
const WINDOW_MS = 3000

const run = async (harness: Harness, strategy: "auto" | "thrifty") => {
  const [, other] = harness.emulator.sites
  if (other === undefined) throw new Error("two sites")
  const client = asUser(other, other.accounts.admin)
  let refused = 0
  let calls = 0
  let exporting = true
  // Site 2's user looks around while site 1 exports: a few points every 50 ms.
  const interactive = (async () => {
    while (exporting) {
      const answer = await client.get("/rest/api/3/myself")
      calls++
      if (answer.status === 429) refused++
      await new Promise((resolve) => setTimeout(resolve, 50))
    }
  })()
  try {
    const result = await exportThrough(
      harness,
      () =>
        exportStart({
          jql: jqlAll(harness.emulator),
          columns: ["issuekey", "summary"],
          options: { strategy },
        }),
      (cursor) => exportNext({ cursor }),
    )
    return { result, refused, calls }
  } finally {
    exporting = false
    await interactive
  }
}

const start = (quotaMode: QuotaMode) =>
  startHarness(
    { sites: 2, issues: ISSUES, seed: 21, quota: QUOTA, quotaWindowMs: WINDOW_MS, quotaMode },
    { apiToken: false, steward: defaultSteward },
  )

describe("the steward over two sites of one app", () => {
  let harness: Harness | undefined
  afterEach(async () => {
    await harness?.emulator.close()
    harness = undefined
  })
  const pauses: Partial<Record<QuotaMode, number>> = {}

  it("global pool: the export pauses at its share, the other site is never refused, the file is exact", async () => {
    harness = await start("global")
    // `auto` would go fast (1,200 issues, the pool full) but for the steward: a quarter of the pool
    // does not carry fast's two points an issue, so it goes thrifty, and says it will pause.
    const { result, refused, calls } = await run(harness, "auto")
    expect(result.started.strategy).toBe("thrifty")
    expect(result.started.allowanceNote).toMatch(/at most a quarter .* it will take about \d+ s\.$/)
    const expected = harness.emulator
      .referenceSearch(jqlAll(harness.emulator), harness.emulator.accounts.admin.accountId)
      .map((id) => harness?.emulator.dataset.issueByIdOrKey(id)?.key)
    expect(keysOf(result.csv)).toEqual(expected)
    const stewardPauses = result.chunks.filter((c) => c.pausedBy === "steward").length
    expect(stewardPauses).toBeGreaterThan(0)
    expect(calls).toBeGreaterThan(0)
    expect(refused).toBe(0)
    // Jira never had to refuse the export either: the steward stopped it first.
    expect(harness.emulator.stats().rateLimited.byReason["jira-quota-global-based"]).toBeUndefined()
    pauses.global = stewardPauses
  })

  it("tenant pools: only the reserve holds the export back, so it pauses less; the file is exact", async () => {
    harness = await start("tenant")
    const { result, refused } = await run(harness, "thrifty")
    // Its own pool less the reserve carries the export in one window: nothing to say.
    expect(result.started.allowanceNote).toBeUndefined()
    const expected = harness.emulator
      .referenceSearch(jqlAll(harness.emulator), harness.emulator.accounts.admin.accountId)
      .map((id) => harness?.emulator.dataset.issueByIdOrKey(id)?.key)
    expect(keysOf(result.csv)).toEqual(expected)
    expect(refused).toBe(0)
    expect(harness.emulator.stats().rateLimited.byReason["jira-quota-tenant-based"]).toBeUndefined()
    const stewardPauses = result.chunks.filter((c) => c.pausedBy === "steward").length
    if (pauses.global !== undefined) expect(stewardPauses).toBeLessThan(pauses.global)
  })
})
