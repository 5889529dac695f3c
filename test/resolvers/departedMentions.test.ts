/**
 * Through the resolvers against the emulator: a mention of an account that `/user/bulk` no longer
 * returns (deleted users are simply absent) is written with the name the document stores, never as
 * "Unknown user (id)" (issue 19 items 3 and 6).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { DEPARTED } from "../../dev/emulator/data/text.js"
import { exportNext, exportStart } from "../../src/resolvers/export.js"
import { exportThrough, type Harness, jqlAll, startHarness } from "./emulated.js"

describe("mentions of departed accounts", () => {
  let harness: Harness
  beforeAll(async () => {
    harness = await startHarness({ issues: 300, seed: 5 })
  })
  afterAll(async () => {
    await harness.emulator.close()
  })

  it("keep their stored name in the file", async () => {
    expect(harness.emulator.dataset.userByAccountId(DEPARTED.accountId)).toBeUndefined()
    const { csv } = await exportThrough(
      harness,
      () => exportStart({ jql: jqlAll(harness.emulator), columns: ["issuekey", "description"] }),
      (cursor) => exportNext({ cursor }),
    )
    expect(csv).toContain(`@${DEPARTED.displayName}`)
    expect(csv).not.toContain("Unknown user (")
  }, 120_000)
})
