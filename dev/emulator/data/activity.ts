/**
 * What people did on an issue: comments, worklogs and the time tracking the worklogs add up to. Each
 * has its own random stream, so the `comment` endpoint and the embedded `comment` field agree.
 */
import type { Core } from "./issue-core.js"
import { Rng } from "./prng.js"
import type { Json, Memo, Site } from "./site.js"
import { adfText, durationText, HOSTILE_TEXTS, richDoc, sentence } from "./text.js"

/** Jira's search and bulkfetch embed at most this many comments and worklogs per issue. */
export const EMBEDDED_PAGE = 20

export const commentsOf = (site: Site, core: Core): ReadonlyArray<Json> => {
  const rng = Rng.of(site.seed, core.index, 2)
  const count = core.index % 41 === 5 ? 21 + rng.int(25) : rng.chance(0.5) ? 0 : rng.range(1, 4)
  const out: Array<Json> = []
  for (let k = 0; k < count; k++) {
    const id = String(100_000 + core.index * 64 + k)
    const author = site.author(rng.int(site.people.length))
    const created = core.created + (k + 1) * 3_600_000 + rng.int(3_600_000)
    const body =
      k === 0 && core.index % 29 === 3
        ? adfText(HOSTILE_TEXTS[core.index % HOSTILE_TEXTS.length] ?? "")
        : rng.chance(0.2)
          ? richDoc(rng, site.people, undefined)
          : adfText(sentence(rng, rng.range(3, 9)))
    out.push({
      self: `${site.issueSelf(core.id)}/comment/${id}`,
      id,
      author,
      body,
      updateAuthor: author,
      created: site.dt(core, created),
      updated: site.dt(core, created + (rng.chance(0.1) ? 600_000 : 0)),
      jsdPublic: true,
    })
  }
  return out
}

export const worklogsOf = (site: Site, core: Core): ReadonlyArray<Json> => {
  const rng = Rng.of(site.seed, core.index, 3)
  const count = core.index % 53 === 9 ? 21 + rng.int(10) : rng.chance(0.6) ? 0 : rng.range(1, 3)
  const out: Array<Json> = []
  for (let k = 0; k < count; k++) {
    const id = String(200_000 + core.index * 64 + k)
    const author = site.author(rng.pick(site.assignable))
    const started = core.created + (k + 1) * 7_200_000
    const seconds = rng.range(1, 16) * 900
    out.push({
      self: `${site.issueSelf(core.id)}/worklog/${id}`,
      author,
      updateAuthor: author,
      comment: adfText(k % 5 === 4 ? 'Paired; see "notes", item 3' : sentence(rng, 3)),
      created: site.dt(core, started + 60_000),
      updated: site.dt(core, started + 60_000),
      started: site.dt(core, started),
      timeSpent: durationText(seconds),
      timeSpentSeconds: seconds,
      id,
      issueId: core.id,
    })
  }
  return out
}

/** The issue's worklogs, generated once for all the fields of one issue that need them. */
export const memoWorklogs = (site: Site, core: Core, memo: Memo): ReadonlyArray<Json> => {
  memo.worklogs ??= worklogsOf(site, core)
  return memo.worklogs
}

/** Seconds of original estimate (or null), derived from its own stream. */
const estimate = (site: Site, core: Core): number | null => {
  const rng = Rng.of(site.seed, core.index, 4)
  return rng.chance(0.6) ? rng.range(1, 40) * 3600 : null
}

/** Original estimate, remaining estimate and time spent (the worklogs' sum), in seconds. */
export const tracking = (site: Site, core: Core, memo: Memo): NonNullable<Memo["tracking"]> => {
  if (memo.tracking !== undefined) return memo.tracking
  const original = estimate(site, core)
  let spentTotal = 0
  for (const w of memoWorklogs(site, core, memo)) spentTotal += Number(w.timeSpentSeconds)
  const spent = spentTotal > 0 ? spentTotal : null
  const remaining = original !== null ? Math.max(0, original - (spent ?? 0)) : spent !== null ? 0 : null
  memo.tracking = { original, remaining, spent }
  return memo.tracking
}
