/**
 * Issue links and sub-task lists. Links follow fixed rules on the issue number, and each rule has an
 * outward side and its mirror, so both issues of a link show it (as Jira does).
 */
import { type Core, CYCLE, indexOfNumber, issueNumberOf } from "./issue-core.js"
import type { Json, Site } from "./site.js"

export const issueLinks = (site: Site, core: Core): Array<Json> => {
  const out: Array<Json> = []
  const base = site.baseUrl
  const type = (id: string, name: string, inward: string, outward: string) => ({
    id,
    name,
    inward,
    outward,
    self: `${base}/rest/api/3/issueLinkType/${id}`,
  })
  const blocks = type("10000", "Blocks", "is blocked by", "blocks")
  const clones = type("10001", "Cloners", "is cloned by", "clones")
  const relates = type("10003", "Relates", "relates to", "relates to")
  const link = (source: number, kind: number, t: Json, side: string, other: number) => {
    const id = String(300_000 + source * 4 + kind)
    out.push({ id, self: `${base}/rest/api/3/issueLink/${id}`, type: t, [side]: site.ref(other) })
  }
  const { n, projectIndex: p, index } = core
  if (n % 7 === 3) link(index, 0, blocks, "outwardIssue", indexOfNumber(p, n - 1))
  const blocker = indexOfNumber(p, n + 1)
  if ((n + 1) % 7 === 3 && site.exists(blocker)) link(blocker, 0, blocks, "inwardIssue", blocker)
  if (n % 11 === 5) link(index, 1, clones, "outwardIssue", indexOfNumber(p, n - 2))
  const cloner = indexOfNumber(p, n + 2)
  if ((n + 2) % 11 === 5 && site.exists(cloner)) link(cloner, 1, clones, "inwardIssue", cloner)
  if (index > 0 && n % 13 === 6) link(index, 2, relates, "outwardIssue", index - 1)
  if (site.exists(index + 1) && issueNumberOf(index + 1) % 13 === 6)
    link(index + 1, 2, relates, "inwardIssue", index + 1)
  return out
}

/** The issue's sub-tasks that exist in a data set of this size. */
export const subtasks = (site: Site, core: Core): Array<Json> =>
  (CYCLE[core.cycle]?.children ?? [])
    .map((k) => indexOfNumber(core.projectIndex, core.n + k))
    .filter((i) => site.exists(i))
    .map((i) => site.ref(i))
