import { createHash } from "node:crypto"
import { describe, expect, it } from "vitest"
import { createDataset } from "../../../dev/emulator/data/index.js"

/**
 * SHA-256 of 3,000 issues (every field), their full comment and worklog lists and the users, per seed.
 * Tests, goldens and benchmark figures rely on a seed always giving the same data: a refactor of the
 * generator must keep these. A deliberate change of the data set updates them, and says so.
 */
// Changed on purpose (issue 19 item 6): no issue is created or changed after the data set's present,
// so creation times moved two spacings earlier and `updated` (hence histories, comments and worklogs
// of the newest issues) ends by then; and rich text now and then mentions a departed account that
// `/user/bulk` no longer returns, so the mentions drawn after it differ.
// Changed on purpose again (issue 19 item 6): every issue gains Parent Link and a JSM SLA field
// (site-fields.ts); with those two fields left out, seed 1 still gives the fingerprint before them
// (2e1598c5…), so nothing else moved.
const FINGERPRINTS: Record<number, string> = {
  1: "0b36b881d5aee973027def14df0d3c9464ce8afa2356f55b7b94e94c41933568",
  3: "38828d0c904fb3db34d6de144f0c70f0c430721ce9ac5d8812377c74007abd6d",
  11: "0109edab3a4564d63891b887197eae25cf6b0cf1a414450fa6fb58a23d1c4202",
}

const fingerprint = (seed: number): string => {
  const hash = createHash("sha256")
  const ds = createDataset({ issues: 3000, seed })
  hash.update(JSON.stringify(ds.users.map((u) => u.json)))
  for (let i = 0; i < ds.issueCount; i++) {
    const issue = ds.issueAt(i)
    hash.update(JSON.stringify(issue))
    hash.update(JSON.stringify(ds.commentsOf(issue?.key ?? "")))
    hash.update(JSON.stringify(ds.worklogsOf(issue?.key ?? "")))
  }
  return hash.digest("hex")
}

describe("data set: fingerprint", () => {
  it.each([1, 3, 11])("seed %i gives the same data set as before", (seed) => {
    expect(fingerprint(seed)).toBe(FINGERPRINTS[seed])
  })
})
