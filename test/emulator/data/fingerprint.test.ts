import { createHash } from "node:crypto"
import { describe, expect, it } from "vitest"
import { createDataset } from "../../../dev/emulator/data/index.js"

/**
 * SHA-256 of 3,000 issues (every field), their full comment and worklog lists and the users, per seed.
 * Tests, goldens and benchmark figures rely on a seed always giving the same data: a refactor of the
 * generator must keep these. A deliberate change of the data set updates them, and says so.
 */
const FINGERPRINTS: Record<number, string> = {
  1: "a5b4c45b295e26a09802075df007fad2402d6b464e8f821e5438ed432e0dac16",
  3: "2c2a3c604b3bd781fc11eca237e89765fba8ffff4ae97f9a999ecb9e3b4404c6",
  11: "878412b55111be8364ea4f1550030851a974130894f9382cd616f4ecef00d8b3",
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
