/** The site's custom fields: one value generator per field, each drawing from the field's own stream. */
import {
  GROUPS,
  ISSUE_TYPES,
  OPTIONS,
  PROJECTS,
  SPRINTS,
  type SprintDef,
  TEAMS,
  VERSIONS,
} from "./catalogue.js"
import { CUSTOM } from "./fields.js"
import { DAY } from "./issue-core.js"
import { type FieldValue, seeded } from "./site.js"
import { adfText, formatDate, HOSTILE_TEXTS, LONG_TEXT, richDoc } from "./text.js"

const SPRINTS_BY_PROJECT: ReadonlyMap<string, ReadonlyArray<SprintDef>> = new Map(
  PROJECTS.map((p) => [p.key, SPRINTS.filter((s) => s.name.startsWith(`${p.key} `))]),
)

/** Jira answers an empty multi-value field with null, not []. */
const nullIfEmpty = <A>(items: Array<A>): Array<A> | null => (items.length === 0 ? null : items)

export const CUSTOM_FIELDS: ReadonlyMap<string, FieldValue> = new Map<string, FieldValue>([
  [
    CUSTOM.sprint,
    seeded((_site, core, rng) => {
      if (!core.project.scrum || core.type === ISSUE_TYPES.epic) return null
      return nullIfEmpty(rng.some(SPRINTS_BY_PROJECT.get(core.project.key) ?? [], 2))
    }),
  ],
  [
    CUSTOM.storyPoints,
    seeded((_site, core, rng) =>
      core.type !== ISSUE_TYPES.epic && core.type !== ISSUE_TYPES.subtask && rng.chance(0.6)
        ? rng.pick([0.5, 1, 2, 3, 5, 8, 13])
        : null,
    ),
  ],
  [
    CUSTOM.team,
    seeded((_site, _core, rng) => {
      if (!rng.chance(0.5)) return null
      const t = rng.pick(TEAMS)
      return { id: t.id, name: t.name, title: t.name, isVisible: true, isVerified: false, isShared: true }
    }),
  ],
  [
    CUSTOM.epicLink,
    (site, core) => {
      if (core.parentIndex < 0) return null
      const parent = site.core(core.parentIndex)
      return parent.type === ISSUE_TYPES.epic ? parent.key : null
    },
  ],
  [
    CUSTOM.rank,
    // Lexorank-like and unique: a fixed-width random prefix, then the index.
    seeded(
      (_site, core, rng) =>
        `0|i${rng
          .int(36 ** 5)
          .toString(36)
          .padStart(5, "0")}${core.index.toString(36)}:`,
    ),
  ],
  [
    CUSTOM.categoryA,
    seeded((site, _core, rng) => (rng.chance(0.6) ? site.option(rng.pick(OPTIONS.categoryA)) : null)),
  ],
  [
    CUSTOM.categoryB,
    seeded((site, _core, rng) => (rng.chance(0.5) ? site.option(rng.pick(OPTIONS.categoryB)) : null)),
  ],
  [
    CUSTOM.platforms,
    seeded((site, _core, rng) => nullIfEmpty(rng.some(OPTIONS.platforms, 3).map((o) => site.option(o)))),
  ],
  [
    CUSTOM.location,
    seeded((site, _core, rng) => {
      if (!rng.chance(0.4)) return null
      const parent = rng.pick(OPTIONS.location)
      const children: ReadonlyArray<{ readonly id: string; readonly value: string }> = parent.children
      return rng.chance(0.8)
        ? { ...site.option(parent), child: site.option(rng.pick(children)) }
        : site.option(parent)
    }),
  ],
  [
    CUSTOM.reviewer,
    seeded((site, _core, rng) => (rng.chance(0.4) ? site.user(rng.pick(site.assignable)) : null)),
  ],
  [
    CUSTOM.approvers,
    seeded((site, _core, rng) => nullIfEmpty(rng.some(site.assignable, 3).map((i) => site.user(i)))),
  ],
  [
    CUSTOM.targetDate,
    seeded((_site, core, rng) =>
      rng.chance(0.4) ? formatDate(Math.floor(core.created / DAY) * DAY + rng.int(200) * DAY) : null,
    ),
  ],
  [
    CUSTOM.goLive,
    seeded((site, core, rng) => (rng.chance(0.3) ? site.dt(core, core.created + rng.int(300) * DAY) : null)),
  ],
  [
    CUSTOM.cost,
    seeded((_site, _core, rng) =>
      rng.chance(0.4) ? rng.pick([0, 1234.5, -12.75, 1e9, 0.1 + 0.2, 42]) : null,
    ),
  ],
  [
    CUSTOM.externalRef,
    seeded((_site, core, rng) => {
      if (!rng.chance(0.4)) return null
      // Some are hostile, including the empty string (not null).
      return core.index % 17 === 3 ? rng.pick([...HOSTILE_TEXTS, ""]) : `EXT-${rng.range(1000, 9999)}`
    }),
  ],
  [
    CUSTOM.acceptance,
    seeded((site, core, rng) => {
      if (core.index % 97 === 40) return adfText(LONG_TEXT)
      return rng.chance(0.3) ? richDoc(rng, site.people, undefined) : null
    }),
  ],
  [
    CUSTOM.specLink,
    seeded((_site, core, rng) =>
      rng.chance(0.3) ? `https://example.test/spec/${core.key}?q=a,b&x="y"` : null,
    ),
  ],
  [
    CUSTOM.tags,
    seeded((_site, _core, rng) => nullIfEmpty(rng.some(["alpha", "beta,gamma", "=x", "ops"], 2))),
  ],
  [
    CUSTOM.affectedBuild,
    seeded((site, _core, rng) => (rng.chance(0.3) ? site.version(rng.pick(VERSIONS)) : null)),
  ],
  [
    CUSTOM.shippedIn,
    seeded((site, _core, rng) => nullIfEmpty(rng.some(VERSIONS, 2).map((v) => site.version(v)))),
  ],
  [CUSTOM.owningGroup, seeded((site, _core, rng) => (rng.chance(0.3) ? site.group(rng.pick(GROUPS)) : null))],
  [
    CUSTOM.notifiedGroups,
    seeded((site, _core, rng) => nullIfEmpty(rng.some(GROUPS, 2).map((g) => site.group(g)))),
  ],
  [
    CUSTOM.relatedProject,
    seeded((site, _core, rng) =>
      rng.chance(0.2) ? site.projectJson[rng.int(site.projectJson.length)] : null,
    ),
  ],
  [
    CUSTOM.flagged,
    seeded((site, _core, rng) => (rng.chance(0.1) ? [site.option(OPTIONS.flagged[0])] : null)),
  ],
  [
    CUSTOM.severity,
    seeded((site, core, rng) =>
      core.type === ISSUE_TYPES.bug ? site.option(rng.pick(OPTIONS.severity)) : null,
    ),
  ],
])
