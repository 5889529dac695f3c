/**
 * Fields whose value depends on what the site has (docs/jira-cloud.md §2.4), in both of Jira's shapes:
 * - Parent Link (Advanced Roadmaps): on a site with Jira Premium (the emulator's `premium` option) an
 *   issue under an epic links it, `{ hasEpicLinkFieldDependency, showField: true, data: { id, keyNum,
 *   key } }`; on a site without Premium every issue answers the licence placeholder `{ …, showField:
 *   false, nonEditableReason: { reason: "PLUGIN_LICENSE_ERROR", message } }`.
 * - A Jira Service Management SLA ("Time to resolution"): the OPS project plays the service project,
 *   whose requests carry the SLA (an ongoing cycle while open, a completed one once resolved; some
 *   breached, some paused); every other project's issues answer `{ errorMessage, i18nErrorMessage }`.
 */
import { ISSUE_TYPES, RESTRICTED_PROJECT } from "./catalogue.js"
import { CUSTOM } from "./fields.js"
import type { Core } from "./issue-core.js"
import type { Rng } from "./prng.js"
import { type FieldValue, type Json, type Site, seeded } from "./site.js"

const PARENT_LINK_PLACEHOLDER: Json = {
  hasEpicLinkFieldDependency: false,
  showField: false,
  nonEditableReason: {
    reason: "PLUGIN_LICENSE_ERROR",
    message: "The Parent Link is only available to Jira Premium users.",
  },
}

const parentLink: FieldValue = (site, core) => {
  if (!site.premium) return PARENT_LINK_PLACEHOLDER
  if (core.parentIndex < 0) return null
  const parent = site.core(core.parentIndex)
  if (parent.type !== ISSUE_TYPES.epic) return null
  return {
    hasEpicLinkFieldDependency: false,
    showField: true,
    data: { id: Number(parent.id), keyNum: parent.n, key: parent.key },
  }
}

/** The project whose issues are service requests with SLAs. */
const SERVICE_PROJECT = RESTRICTED_PROJECT

const NO_SERVICE_DESK: Json = {
  errorMessage: "The Service Desk you are trying to view does not exist.",
  i18nErrorMessage: { i18nKey: "sd.agent.servicedesk.error.servicedesk.missing", parameters: [] },
}

const HOUR = 3_600_000
const MINUTE = 60_000
const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]

/** An SLA duration as JSM writes it: `{ millis, friendly: "2h 30m" }` (negative when overdue). */
const duration = (millis: number): Json => {
  const minutes = Math.round(Math.abs(millis) / MINUTE)
  const h = Math.floor(minutes / 60)
  const m = minutes % 60
  const text = [h > 0 ? `${h}h` : "", m > 0 || h === 0 ? `${m}m` : ""].filter((p) => p !== "").join(" ")
  return { millis, friendly: millis < 0 ? `-${text}` : text }
}

/** An SLA instant: `{ iso8601, jira, friendly, epochMillis }` ("05/Dec/26 2:30 PM" as friendly, UTC). */
const instant = (site: Site, core: Core, ms: number): Json => {
  const d = new Date(ms)
  const h = d.getUTCHours()
  const friendly = `${String(d.getUTCDate()).padStart(2, "0")}/${MONTHS[d.getUTCMonth()]}/${String(d.getUTCFullYear() % 100).padStart(2, "0")} ${h % 12 === 0 ? 12 : h % 12}:${String(d.getUTCMinutes()).padStart(2, "0")} ${h < 12 ? "AM" : "PM"}`
  const text = site.dt(core, ms)
  return { iso8601: text, jira: text, friendly, epochMillis: ms }
}

const GOALS_H: ReadonlyArray<number> = [4, 8, 24, 48]

const timeToResolution = (site: Site, core: Core, rng: Rng): Json => {
  if (core.project.key !== SERVICE_PROJECT) return NO_SERVICE_DESK
  const goal = rng.pick(GOALS_H) * HOUR
  // Up to twice the goal spent: about half the requests breach it.
  const elapsed = MINUTE * (1 + rng.int((2 * goal) / MINUTE))
  const start = core.created
  const common = {
    breachTime: instant(site, core, start + goal),
    breached: elapsed > goal,
    goalDuration: duration(goal),
    elapsedTime: duration(elapsed),
    remainingTime: duration(goal - elapsed),
  }
  const cycle =
    core.resolved === null
      ? {
          ongoingCycle: {
            startTime: instant(site, core, start),
            ...common,
            paused: rng.chance(0.15),
            withinCalendarHours: true,
          },
          completedCycles: [],
        }
      : {
          completedCycles: [
            {
              startTime: instant(site, core, start),
              stopTime: instant(site, core, start + elapsed),
              ...common,
            },
          ],
        }
  return {
    id: "1",
    name: "Time to resolution",
    _links: { self: `${site.baseUrl}/rest/servicedeskapi/request/${core.id}/sla/1` },
    ...cycle,
    slaDisplayFormat: "NEW_SLA_FORMAT",
  }
}

export const SITE_DEPENDENT_FIELDS: ReadonlyMap<string, FieldValue> = new Map<string, FieldValue>([
  [CUSTOM.parentLink, parentLink],
  [CUSTOM.timeToResolution, seeded(timeToResolution)],
])
