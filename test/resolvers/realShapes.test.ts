/**
 * Through the resolvers against the emulator, shapes real sites have: a mention of an account that
 * `/user/bulk` no longer returns (deleted users are simply absent) is written with the name the
 * document stores, never as "Unknown user (id)" (issue 19 items 3 and 6); time in a status that has
 * left every workflow is counted, not lost (items 4 and 6).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { DEPARTED } from "../../dev/emulator/data/text.js"
import { exportNext, exportStart } from "../../src/resolvers/export.js"
import { exportThrough, type Harness, jqlAll, startHarness } from "./emulated.js"

describe("real shapes through export/start and export/next", () => {
  let harness: Harness
  beforeAll(async () => {
    harness = await startHarness({ issues: 300, seed: 5 })
  })
  afterAll(async () => {
    await harness.emulator.close()
  })

  it("mentions of departed accounts keep their stored name in the file", async () => {
    expect(harness.emulator.dataset.userByAccountId(DEPARTED.accountId)).toBeUndefined()
    const { csv } = await exportThrough(
      harness,
      () => exportStart({ jql: jqlAll(harness.emulator), columns: ["issuekey", "description"] }),
      (cursor) => exportNext({ cursor }),
    )
    expect(csv).toContain(`@${DEPARTED.displayName}`)
    expect(csv).not.toContain("Unknown user (")
  }, 120_000)

  it("time in a status no longer in any workflow has its column, and each row's times add up", async () => {
    const { csv } = await exportThrough(
      harness,
      () =>
        exportStart({
          jql: jqlAll(harness.emulator),
          columns: ["issuekey", "created", "timeInStatus"],
          options: { preset: "data", timeZone: "UTC" },
        }),
      (cursor) => exportNext({ cursor }),
    )
    const [header = "", ...rows] = csv.trim().split("\n")
    const names = header.split(",")
    const other = names.indexOf("Time in statuses no longer in a workflow (h)")
    expect(other).toBeGreaterThan(1)
    const values = rows.map((r) => r.split(","))
    expect(values.filter((v) => Number(v[other] || 0) > 0).length).toBeGreaterThan(0)
  }, 120_000)
})
