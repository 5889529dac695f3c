/**
 * Fields whose value depends on what the site has (Jira Premium, Jira Service Management, the
 * development panel, Jira Software's colours): Jira sends placeholders where the site lacks the
 * feature, and shapes of its own where it has it (docs/jira-cloud.md §2.4). Placeholders are not
 * values: they give an empty cell. Pure, like every formatter.
 */
import { Option, Schema } from "effect"
import { type FormatContext, type Formatter, issueRef, named, readable } from "./formatters.js"
import { isObject, nonEmpty } from "./json.js"
import { formatDuration, plainDecimal } from "./numbers.js"

/**
 * Parent Link (Advanced Roadmaps): `{ hasEpicLinkFieldDependency, showField, data: { key, … } }` on
 * Premium sites; without Premium `{ …, showField: false, nonEditableReason: { reason:
 * "PLUGIN_LICENSE_ERROR", message } }`, which says the site has no such field, so the cell is empty.
 */
export const parentLink: Formatter = (value, ctx) => {
  if (!isObject(value)) return typeof value === "string" ? value : readable(value, ctx)
  if (isObject(value.data) || nonEmpty(value.key) !== undefined) return issueRef(value, ctx)
  if ("nonEditableReason" in value || "showField" in value || "hasEpicLinkFieldDependency" in value) return ""
  return readable(value, ctx)
}

/**
 * `issuerestriction`: `{ issuerestrictions: {}, shouldDisplay }` when nothing restricts the issue;
 * otherwise the names of the restricting roles or groups, whatever kind of list Jira keys them by.
 */
export const issueRestriction: Formatter = (value, ctx) => {
  if (!isObject(value)) return readable(value, ctx)
  const restrictions = value.issuerestrictions
  if (!isObject(restrictions)) return isObject(value) && "shouldDisplay" in value ? "" : readable(value, ctx)
  const names: Array<string> = []
  for (const entries of Object.values(restrictions)) {
    const list = Array.isArray(entries) ? entries : [entries]
    for (const entry of list) {
      const name = isObject(entry)
        ? (nonEmpty(entry.name) ?? nonEmpty(entry.displayName) ?? nonEmpty(entry.groupId))
        : nonEmpty(entry)
      if (name !== undefined) names.push(name)
    }
  }
  return names.join(ctx.options.multiValueSeparator)
}

/** Work Ratio: time spent as a percentage of the original estimate; `-1` means there is no estimate. */
export const workRatio: Formatter = (value, ctx) =>
  typeof value === "number" ? (value < 0 ? "" : plainDecimal(value)) : readable(value, ctx)

/**
 * Clock time (not Jira's working days and weeks): `2h 30m`, `13d 1h 57m`; decimal hours or seconds
 * when the options ask for them.
 */
const clockTime = (seconds: number, ctx: FormatContext, withDays: boolean): string => {
  if (ctx.options.durationFormat !== "jira") return formatDuration(seconds, ctx.options)
  let minutes = Math.round(seconds / 60)
  const days = withDays ? Math.floor(minutes / 1440) : 0
  minutes -= days * 1440
  const hours = Math.floor(minutes / 60)
  minutes -= hours * 60
  const parts = [days > 0 ? `${days}d` : "", hours > 0 ? `${hours}h` : "", minutes > 0 ? `${minutes}m` : ""]
  const text = parts.filter((p) => p !== "").join(" ")
  return text === "" ? "0m" : text
}

/** An SLA time (`{ millis, friendly }`) in hours and minutes, as Jira shows SLAs. */
const slaTime = (time: unknown, ctx: FormatContext): string | undefined => {
  if (!isObject(time)) return undefined
  const millis = time.millis
  if (typeof millis !== "number" || !Number.isFinite(millis)) return nonEmpty(time.friendly)
  return clockTime(Math.abs(millis) / 1000, ctx, false)
}

/**
 * A Jira Service Management SLA (`sd-sla-field`). The running cycle, when there is one: the time left
 * (`2h 30m left`) or by how much it is breached (`Breached by 20m`), and `(paused)`; else the last
 * completed cycle: `Met in 10m (goal 1h)` or `Breached: 8h 20m (goal 8h)`. A site or request type
 * without the SLA answers `{ errorMessage, i18nErrorMessage }`: no value, an empty cell.
 */
export const sla: Formatter = (value, ctx) => {
  if (!isObject(value)) return readable(value, ctx)
  if ("errorMessage" in value || "i18nErrorMessage" in value) return ""
  const ongoing = value.ongoingCycle
  if (isObject(ongoing)) {
    const remaining = isObject(ongoing.remainingTime) ? ongoing.remainingTime.millis : undefined
    const breached = ongoing.breached === true || (typeof remaining === "number" && remaining < 0)
    const left = slaTime(ongoing.remainingTime, ctx)
    const text = breached
      ? left === undefined
        ? "Breached"
        : `Breached by ${left}`
      : left === undefined
        ? "Running"
        : `${left} left`
    return ongoing.paused === true ? `${text} (paused)` : text
  }
  const cycles = Array.isArray(value.completedCycles) ? value.completedCycles.filter(isObject) : []
  const last = cycles[cycles.length - 1]
  if (last === undefined) return ""
  const elapsed = slaTime(last.elapsedTime, ctx)
  const goal = slaTime(last.goalDuration, ctx)
  const spent = elapsed === undefined ? "" : last.breached === true ? `: ${elapsed}` : ` in ${elapsed}`
  return `${last.breached === true ? "Breached" : "Met"}${spent}${goal === undefined ? "" : ` (goal ${goal})`}`
}

const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`

/** What the development panel counts, in the order Jira lists it. */
const DEV_PARTS: ReadonlyArray<readonly [string, string, string]> = [
  ["pullrequest", "pull request", "pull requests"],
  ["branch", "branch", "branches"],
  ["repository", "commit", "commits"],
  ["build", "build", "builds"],
  ["review", "review", "reviews"],
  ["deployment-environment", "deployment", "deployments"],
]

/** The JSON after `devSummaryJson=` in the development field's text, when it is there and whole. */
const devSummaryJson = (text: string): unknown => {
  const at = text.indexOf("devSummaryJson=")
  if (at < 0) return undefined
  const json = text.slice(at + "devSummaryJson=".length).replace(/}\s*$/, "")
  return Option.getOrUndefined(parseJson(json))
}

const parseJson = Schema.decodeUnknownOption(Schema.parseJson())

/**
 * Development (`devsummarycf`): a string, `"{}"` when nothing is linked, else Java's description of
 * a summary bean holding `devSummaryJson={…}`: written as its counts (`1 pull request (OPEN); 2
 * commits`), or empty when it cannot be read.
 */
export const development: Formatter = (value, ctx) => {
  if (typeof value !== "string")
    return isObject(value) && Object.keys(value).length === 0 ? "" : readable(value, ctx)
  if (value.trim() === "{}" || value.trim() === "") return ""
  const parsed = devSummaryJson(value)
  const cached = isObject(parsed) && isObject(parsed.cachedValue) ? parsed.cachedValue : parsed
  const summary = isObject(cached) && isObject(cached.summary) ? cached.summary : undefined
  if (summary === undefined) return ""
  const parts: Array<string> = []
  for (const [key, one, many] of DEV_PARTS) {
    const part = summary[key]
    const overall = isObject(part) && isObject(part.overall) ? part.overall : undefined
    const count = overall?.count
    if (typeof count !== "number" || count <= 0) continue
    const state = key === "pullrequest" ? nonEmpty(overall?.state) : undefined
    parts.push(state === undefined ? plural(count, one, many) : `${plural(count, one, many)} (${state})`)
  }
  return parts.join(ctx.options.multiValueSeparator)
}

/**
 * Jira Software's colour palette: Epic colour ids (`ghx-label-N`) and the Issue colour names they
 * became (`dark_yellow`). Not documented by Atlassian; this is the mapping public Jira clients use
 * (see test/fixtures/README.md).
 */
const GHX_LABELS: ReadonlyArray<string> = [
  "dark_grey",
  "dark_yellow",
  "yellow",
  "dark_blue",
  "dark_teal",
  "green",
  "purple",
  "dark_purple",
  "orange",
  "blue",
  "teal",
  "grey",
  "dark_green",
  "dark_orange",
]

/** `ghx-label-2` or `dark_yellow` as Jira names the colour: `Dark yellow`. */
export const colour: Formatter = (value, ctx) => {
  if (typeof value !== "string") return named(value, ctx)
  const label = /^ghx-label-(\d+)$/.exec(value.trim())
  const id = label === null ? value.trim() : (GHX_LABELS[Number(label[1]) - 1] ?? value.trim())
  if (!/^[a-z]+(?:_[a-z]+)*$/.test(id)) return id
  const words = id.replaceAll("_", " ")
  return words.charAt(0).toUpperCase() + words.slice(1)
}

/** A status name for the legacy time-in-status field's status ids, from the export's status list. */
const statusName = (id: string, ctx: FormatContext): string =>
  ctx.history?.statuses.find((s) => s.id === id)?.name ?? `Status ${id}`

/**
 * The legacy "[CHART] Time in Status" field (`com.atlassian.jira.ext.charting:timeinstatus`):
 * `statusId_*:*_times_*:*_millis` entries joined by `_*|*_`. Written `To Do: 2d 3h (2 times); …` in
 * calendar days, as the time passed.
 */
export const legacyTimeInStatus: Formatter = (value, ctx) => {
  if (typeof value !== "string") return readable(value, ctx)
  const parts: Array<string> = []
  for (const entry of value.split("_*|*_")) {
    const [id, times, millis] = entry.split("_*:*_")
    const count = Number(times)
    const ms = Number(millis)
    if (id === undefined || id.trim() === "" || !Number.isFinite(count) || !Number.isFinite(ms)) continue
    const time = clockTime(ms / 1000, ctx, true)
    parts.push(`${statusName(id.trim(), ctx)}: ${time}${count > 1 ? ` (${count} times)` : ""}`)
  }
  return parts.join(ctx.options.multiValueSeparator)
}
