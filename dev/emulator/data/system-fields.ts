/** Jira's system fields: one value generator per field id, each from the issue's core or its own stream. */

import { commentsOf, EMBEDDED_PAGE, memoWorklogs, tracking } from "./activity.js"
import { RESTRICTED_PROJECT, VERSIONS } from "./catalogue.js"
import { DAY } from "./issue-core.js"
import { issueLinks, subtasks } from "./links.js"
import { type FieldValue, type Json, seeded } from "./site.js"
import { adfDoc, adfText, durationText, formatDate, HOSTILE_TEXTS, LONG_TEXT, richDoc } from "./text.js"

const timetracking: FieldValue = (site, core, _id, memo) => {
  const t = tracking(site, core, memo)
  const out: Json = {}
  if (t.original !== null) out.originalEstimate = durationText(t.original)
  if (t.remaining !== null) out.remainingEstimate = durationText(t.remaining)
  if (t.spent !== null) out.timeSpent = durationText(t.spent)
  if (t.original !== null) out.originalEstimateSeconds = t.original
  if (t.remaining !== null) out.remainingEstimateSeconds = t.remaining
  if (t.spent !== null) out.timeSpentSeconds = t.spent
  return out
}

const progress: FieldValue = (site, core, _id, memo) => {
  const t = tracking(site, core, memo)
  const progress = t.spent ?? 0
  const total = progress + (t.remaining ?? 0)
  return total > 0 ? { progress, total, percent: Math.floor((progress * 100) / total) } : { progress, total }
}

const versions: FieldValue = seeded((site, _core, rng) => rng.some(VERSIONS, 2).map((v) => site.version(v)))

const attachment: FieldValue = seeded((site, core, rng) => {
  const base = site.baseUrl
  const count = rng.chance(0.3) ? rng.range(1, 3) : 0
  const out: Array<Json> = []
  for (let k = 0; k < count; k++) {
    const aid = String(400_000 + core.index * 4 + k)
    const image = rng.chance(0.5)
    const filename = image
      ? `screenshot ${k + 1}.png`
      : rng.pick(['report, final "v2".pdf', "=data.csv", "notes.txt"])
    out.push({
      self: `${base}/rest/api/3/attachment/${aid}`,
      id: aid,
      filename,
      author: site.user(core.reporter),
      created: site.dt(core, core.created + 60_000 * (k + 1)),
      size: rng.range(100, 5_000_000),
      mimeType: image ? "image/png" : filename.endsWith(".pdf") ? "application/pdf" : "text/plain",
      content: `${base}/rest/api/3/attachment/content/${aid}`,
      ...(image ? { thumbnail: `${base}/rest/api/3/attachment/thumbnail/${aid}` } : {}),
    })
  }
  return out
})

export const SYSTEM_FIELDS: ReadonlyMap<string, FieldValue> = new Map<string, FieldValue>([
  ["summary", (_site, core) => core.summary],
  [
    "description",
    seeded((site, core, rng) => {
      if (core.index % 97 === 13)
        return adfDoc([{ type: "paragraph", content: [{ type: "text", text: LONG_TEXT }] }])
      if (!rng.chance(0.7)) return null
      const hostile =
        core.index % 31 === 11 ? HOSTILE_TEXTS[Math.floor(core.index / 31) % HOSTILE_TEXTS.length] : undefined
      return richDoc(rng, site.people, hostile)
    }),
  ],
  [
    "environment",
    seeded((_site, _core, rng) =>
      rng.chance(0.15)
        ? adfText(
            `${rng.pick(["Chrome 131", "Safari 18", "Firefox"])} on ${rng.pick(["macOS", "Windows 11", "Ubuntu"])}`,
          )
        : null,
    ),
  ],
  ["status", (site, core) => site.status(core)],
  ["statusCategory", (site, core) => site.status(core).statusCategory],
  ["priority", (site, core) => site.priority(core)],
  ["issuetype", (site, core) => site.typeJson.get(core.type.id)],
  ["project", (site, core) => site.projectJson[core.projectIndex]],
  ["assignee", (site, core) => site.user(core.assignee)],
  ["reporter", (site, core) => site.user(core.reporter)],
  ["creator", (site, core) => site.user(core.creator)],
  ["labels", (_site, core) => core.labels],
  ["components", seeded((site, _core, rng) => rng.some(site.componentJson, 2))],
  ["fixVersions", versions],
  ["versions", versions],
  ["duedate", (_site, core) => (core.due === null ? null : formatDate(core.due))],
  ["created", (site, core) => site.dt(core, core.created)],
  ["updated", (site, core) => site.dt(core, core.updated)],
  ["resolution", (site, core) => (core.resolution < 0 ? null : site.resolutionJson[core.resolution])],
  ["resolutiondate", (site, core) => (core.resolved === null ? null : site.dt(core, core.resolved))],
  [
    "lastViewed",
    seeded((site, core, rng) => (rng.chance(0.3) ? site.dt(core, core.updated + rng.int(DAY)) : null)),
  ],
  ["statuscategorychangedate", (site, core) => site.dt(core, core.statusChanged)],
  ["timetracking", timetracking],
  ["timeoriginalestimate", (site, core, _id, memo) => tracking(site, core, memo).original],
  ["aggregatetimeoriginalestimate", (site, core, _id, memo) => tracking(site, core, memo).original],
  ["timeestimate", (site, core, _id, memo) => tracking(site, core, memo).remaining],
  ["aggregatetimeestimate", (site, core, _id, memo) => tracking(site, core, memo).remaining],
  ["timespent", (site, core, _id, memo) => tracking(site, core, memo).spent],
  ["aggregatetimespent", (site, core, _id, memo) => tracking(site, core, memo).spent],
  ["progress", progress],
  ["aggregateprogress", progress],
  [
    "workratio",
    (site, core, _id, memo) => {
      const t = tracking(site, core, memo)
      return t.original !== null && t.original > 0 ? Math.floor(((t.spent ?? 0) * 100) / t.original) : -1
    },
  ],
  [
    "votes",
    seeded((site, core, rng) => ({
      self: `${site.issueSelf(core.key)}/votes`,
      votes: rng.int(4),
      hasVoted: false,
    })),
  ],
  [
    "watches",
    seeded((site, core, rng) => ({
      self: `${site.issueSelf(core.key)}/watchers`,
      watchCount: rng.int(6),
      isWatching: false,
    })),
  ],
  ["parent", (site, core) => (core.parentIndex < 0 ? null : site.ref(core.parentIndex))],
  ["subtasks", subtasks],
  ["issuelinks", issueLinks],
  ["attachment", attachment],
  [
    "comment",
    (site, core) => {
      const all = commentsOf(site, core)
      return {
        comments: all.slice(0, EMBEDDED_PAGE),
        self: `${site.issueSelf(core.id)}/comment`,
        maxResults: Math.min(all.length, EMBEDDED_PAGE),
        total: all.length,
        startAt: 0,
      }
    },
  ],
  [
    "worklog",
    (site, core, _id, memo) => {
      const all = memoWorklogs(site, core, memo)
      return {
        startAt: 0,
        maxResults: Math.min(all.length, EMBEDDED_PAGE),
        total: all.length,
        worklogs: all.slice(0, EMBEDDED_PAGE),
      }
    },
  ],
  [
    "security",
    seeded((site, core, rng) =>
      core.project.key === RESTRICTED_PROJECT && rng.chance(0.5)
        ? {
            self: `${site.baseUrl}/rest/api/3/securitylevel/10100`,
            id: "10100",
            description: "Staff only",
            name: "Internal",
          }
        : null,
    ),
  ],
])
