/**
 * The `/field` catalogue (REST `FieldDetails`, docs/jira-cloud.md §2.1 and §2.3): every system field an issue
 * carries, and one custom field of every common type, including two custom fields both named
 * "Category" (exporters must not key columns by name).
 */
import type { FieldRecord } from "../model.js"

const CF = "com.atlassian.jira.plugin.system.customfieldtypes:"

/** Custom field ids by role, so the generator and the catalogue cannot drift apart. */
export const CUSTOM = {
  sprint: "customfield_10010",
  storyPoints: "customfield_10011",
  team: "customfield_10012",
  epicLink: "customfield_10013",
  rank: "customfield_10014",
  categoryA: "customfield_10015",
  categoryB: "customfield_10016",
  platforms: "customfield_10017",
  location: "customfield_10018",
  reviewer: "customfield_10019",
  approvers: "customfield_10020",
  targetDate: "customfield_10021",
  goLive: "customfield_10022",
  cost: "customfield_10023",
  externalRef: "customfield_10024",
  acceptance: "customfield_10025",
  specLink: "customfield_10026",
  tags: "customfield_10027",
  affectedBuild: "customfield_10028",
  shippedIn: "customfield_10029",
  owningGroup: "customfield_10030",
  notifiedGroups: "customfield_10031",
  relatedProject: "customfield_10032",
  flagged: "customfield_10033",
  severity: "customfield_10034",
  parentLink: "customfield_10035",
  timeToResolution: "customfield_10036",
} as const

interface SystemSpec {
  readonly id: string
  readonly name: string
  readonly type?: string
  readonly items?: string
  readonly clauseNames?: ReadonlyArray<string>
  readonly orderable?: boolean
  readonly navigable?: boolean
  readonly searchable?: boolean
  /** Fields like `issuekey` or `thumbnail` have no schema. */
  readonly noSchema?: boolean
}

const SYSTEM: ReadonlyArray<SystemSpec> = [
  {
    id: "issuekey",
    name: "Key",
    clauseNames: ["id", "issue", "issuekey", "key"],
    noSchema: true,
    orderable: false,
  },
  { id: "summary", name: "Summary", type: "string" },
  { id: "description", name: "Description", type: "string" },
  { id: "environment", name: "Environment", type: "string" },
  { id: "status", name: "Status", type: "status", orderable: false },
  { id: "statusCategory", name: "Status Category", type: "statusCategory", orderable: false },
  { id: "priority", name: "Priority", type: "priority" },
  { id: "issuetype", name: "Issue Type", type: "issuetype", clauseNames: ["issuetype", "type"] },
  { id: "project", name: "Project", type: "project" },
  { id: "assignee", name: "Assignee", type: "user" },
  { id: "reporter", name: "Reporter", type: "user" },
  { id: "creator", name: "Creator", type: "user", orderable: false },
  { id: "labels", name: "Labels", type: "array", items: "string" },
  { id: "components", name: "Components", type: "array", items: "component", clauseNames: ["component"] },
  { id: "fixVersions", name: "Fix versions", type: "array", items: "version", clauseNames: ["fixVersion"] },
  {
    id: "versions",
    name: "Affects versions",
    type: "array",
    items: "version",
    clauseNames: ["affectedVersion"],
  },
  { id: "duedate", name: "Due date", type: "date", clauseNames: ["due", "duedate"] },
  {
    id: "created",
    name: "Created",
    type: "datetime",
    clauseNames: ["created", "createdDate"],
    orderable: false,
  },
  {
    id: "updated",
    name: "Updated",
    type: "datetime",
    clauseNames: ["updated", "updatedDate"],
    orderable: false,
  },
  { id: "resolution", name: "Resolution", type: "resolution" },
  {
    id: "resolutiondate",
    name: "Resolved",
    type: "datetime",
    clauseNames: ["resolutiondate", "resolved"],
    orderable: false,
  },
  { id: "lastViewed", name: "Last Viewed", type: "datetime", clauseNames: ["lastViewed"], orderable: false },
  {
    id: "statuscategorychangedate",
    name: "Status Category Changed",
    type: "datetime",
    clauseNames: ["statusCategoryChangedDate"],
    orderable: false,
  },
  { id: "timetracking", name: "Time tracking", type: "timetracking", clauseNames: [], navigable: false },
  {
    id: "timeoriginalestimate",
    name: "Original estimate",
    type: "number",
    clauseNames: ["originalEstimate", "timeoriginalestimate"],
    orderable: false,
  },
  {
    id: "timeestimate",
    name: "Remaining Estimate",
    type: "number",
    clauseNames: ["remainingEstimate", "timeestimate"],
    orderable: false,
  },
  { id: "timespent", name: "Time Spent", type: "number", clauseNames: ["timespent"], orderable: false },
  { id: "aggregatetimeoriginalestimate", name: "Σ Original Estimate", type: "number", orderable: false },
  { id: "aggregatetimeestimate", name: "Σ Remaining Estimate", type: "number", orderable: false },
  { id: "aggregatetimespent", name: "Σ Time Spent", type: "number", orderable: false },
  { id: "progress", name: "Progress", type: "progress", orderable: false },
  { id: "aggregateprogress", name: "Σ Progress", type: "progress", orderable: false },
  { id: "workratio", name: "Work Ratio", type: "number", orderable: false },
  { id: "votes", name: "Votes", type: "votes", orderable: false },
  { id: "watches", name: "Watchers", type: "watches", clauseNames: ["watchers"], orderable: false },
  { id: "parent", name: "Parent", type: "issuelink", orderable: false },
  {
    id: "subtasks",
    name: "Sub-tasks",
    type: "array",
    items: "issuelinks",
    clauseNames: ["subtasks"],
    orderable: false,
  },
  { id: "issuelinks", name: "Linked Issues", type: "array", items: "issuelinks", clauseNames: ["issueLink"] },
  { id: "attachment", name: "Attachment", type: "array", items: "attachment", clauseNames: ["attachments"] },
  { id: "comment", name: "Comment", type: "comments-page", orderable: false },
  {
    id: "worklog",
    name: "Log Work",
    type: "array",
    items: "worklog",
    clauseNames: ["worklogAuthor", "worklogComment", "worklogDate"],
  },
  { id: "security", name: "Security Level", type: "securitylevel", clauseNames: ["level"] },
]

interface CustomSpec {
  readonly id: string
  readonly name: string
  readonly type: string
  readonly items?: string
  readonly custom: string
  readonly extraClauses?: ReadonlyArray<string>
  readonly searchable?: boolean
}

const CUSTOM_SPECS: ReadonlyArray<CustomSpec> = [
  {
    id: CUSTOM.sprint,
    name: "Sprint",
    type: "array",
    items: "json",
    custom: "com.pyxis.greenhopper.jira:gh-sprint",
  },
  { id: CUSTOM.storyPoints, name: "Story Points", type: "number", custom: `${CF}float` },
  {
    id: CUSTOM.team,
    name: "Team",
    type: "team",
    custom: "com.atlassian.jira.plugin.system.customfieldtypes:atlassian-team",
  },
  { id: CUSTOM.epicLink, name: "Epic Link", type: "any", custom: "com.pyxis.greenhopper.jira:gh-epic-link" },
  { id: CUSTOM.rank, name: "Rank", type: "any", custom: "com.pyxis.greenhopper.jira:gh-lexo-rank" },
  { id: CUSTOM.categoryA, name: "Category", type: "option", custom: `${CF}select` },
  { id: CUSTOM.categoryB, name: "Category", type: "option", custom: `${CF}select` },
  { id: CUSTOM.platforms, name: "Platforms", type: "array", items: "option", custom: `${CF}multiselect` },
  { id: CUSTOM.location, name: "Location", type: "option-with-child", custom: `${CF}cascadingselect` },
  { id: CUSTOM.reviewer, name: "Reviewer", type: "user", custom: `${CF}userpicker` },
  { id: CUSTOM.approvers, name: "Approvers", type: "array", items: "user", custom: `${CF}multiuserpicker` },
  { id: CUSTOM.targetDate, name: "Target date", type: "date", custom: `${CF}datepicker` },
  { id: CUSTOM.goLive, name: "Go-live", type: "datetime", custom: `${CF}datetime` },
  { id: CUSTOM.cost, name: "Cost (EUR)", type: "number", custom: `${CF}float` },
  { id: CUSTOM.externalRef, name: "External reference", type: "string", custom: `${CF}textfield` },
  { id: CUSTOM.acceptance, name: "Acceptance criteria", type: "string", custom: `${CF}textarea` },
  { id: CUSTOM.specLink, name: "Spec link", type: "string", custom: `${CF}url` },
  { id: CUSTOM.tags, name: "Tags", type: "array", items: "string", custom: `${CF}labels` },
  { id: CUSTOM.affectedBuild, name: "Affected build", type: "version", custom: `${CF}version` },
  { id: CUSTOM.shippedIn, name: "Shipped in", type: "array", items: "version", custom: `${CF}multiversion` },
  { id: CUSTOM.owningGroup, name: "Owning group", type: "group", custom: `${CF}grouppicker` },
  {
    id: CUSTOM.notifiedGroups,
    name: "Notified groups",
    type: "array",
    items: "group",
    custom: `${CF}multigrouppicker`,
  },
  { id: CUSTOM.relatedProject, name: "Related project", type: "project", custom: `${CF}project` },
  { id: CUSTOM.flagged, name: "Flagged", type: "array", items: "option", custom: `${CF}multicheckboxes` },
  { id: CUSTOM.severity, name: "Severity", type: "option", custom: `${CF}radiobuttons` },
  // Fields whose value depends on what the site has (docs/jira-cloud.md §2.4): Advanced Roadmaps'
  // Parent Link (Jira Premium) and a Jira Service Management SLA.
  {
    id: CUSTOM.parentLink,
    name: "Parent Link",
    type: "any",
    custom: "com.atlassian.jpo:jpo-custom-field-parent",
  },
  {
    id: CUSTOM.timeToResolution,
    name: "Time to resolution",
    type: "sd-servicelevelagreement",
    custom: "com.atlassian.servicedesk:sd-sla-field",
  },
]

const systemRecord = (s: SystemSpec): FieldRecord => {
  const base = {
    id: s.id,
    key: s.id,
    name: s.name,
    custom: false,
    orderable: s.orderable ?? true,
    navigable: s.navigable ?? true,
    searchable: s.searchable ?? true,
    clauseNames: s.clauseNames ?? [s.id],
  }
  if (s.noSchema === true || s.type === undefined) return base
  return {
    ...base,
    schema:
      s.items === undefined ? { type: s.type, system: s.id } : { type: s.type, items: s.items, system: s.id },
  }
}

const customRecord = (c: CustomSpec): FieldRecord => {
  const customId = Number(c.id.slice("customfield_".length))
  return {
    id: c.id,
    key: c.id,
    name: c.name,
    custom: true,
    orderable: true,
    navigable: true,
    searchable: c.searchable ?? true,
    clauseNames: [`cf[${customId}]`, c.name, ...(c.extraClauses ?? [])],
    schema:
      c.items === undefined
        ? { type: c.type, custom: c.custom, customId }
        : { type: c.type, items: c.items, custom: c.custom, customId },
  }
}

export const FIELDS: ReadonlyArray<FieldRecord> = [
  ...SYSTEM.map(systemRecord),
  ...CUSTOM_SPECS.map(customRecord),
]

/** Field ids an issue's `fields` object carries (everything but the pseudo-field `issuekey`). */
export const ISSUE_FIELD_IDS: ReadonlyArray<string> = FIELDS.filter((f) => f.id !== "issuekey").map(
  (f) => f.id,
)
