/**
 * Field values in Jira REST v3 shapes (docs/jira-cloud.md §2.3), one per field of the emulator's `/field`
 * catalogue, with the hostile text an export must carry intact.
 */
import { FIELDS } from "../../dev/emulator/data/fields.js"
import { PRESETS } from "../../src/export/options.js"
import type { FormatContext } from "../../src/fields/formatters.js"
import type { FormatOptions } from "../../src/fields/options.js"
import type { DirectoryUserLike } from "../../src/fields/users.js"
import type { FieldDetails, Issue } from "../../src/jira/schemas.js"

export const fields: ReadonlyArray<FieldDetails> = FIELDS

export const jane = {
  self: "https://example.atlassian.net/rest/api/3/user?accountId=5b10a2844c20165700ede21g",
  accountId: "5b10a2844c20165700ede21g",
  accountType: "atlassian",
  displayName: "Jane Doe",
  emailAddress: "jane@example.test",
  active: true,
  timeZone: "Europe/Berlin",
}
/** Email hidden by profile visibility. */
export const omar = {
  accountId: "712020:0b3c1e5e-5a43-4cf0-8c7a-8e0a3c6f2b11",
  accountType: "atlassian",
  displayName: "Omar Ó'Brien",
  active: true,
}
/** Known only by id (as in some app fields); the directory knows the name. */
export const ghostId = "557058:f58131cb-b67d-43c7-b30d-6b58d40bd077"

export const directory: ReadonlyMap<string, DirectoryUserLike> = new Map([
  [jane.accountId, { accountId: jane.accountId, displayName: "Jane Doe", emailAddress: "jane@example.test" }],
  [ghostId, { accountId: ghostId, displayName: "Grace Hopper" }],
])

export const ctxWith = (format: Partial<FormatOptions> = {}): FormatContext => ({
  users: directory,
  options: { ...PRESETS.spreadsheet.format, ...format },
  siteUrl: "https://example.atlassian.net",
})

const text = (t: string, marks?: ReadonlyArray<unknown>) =>
  marks ? { type: "text", text: t, marks } : { type: "text", text: t }
const p = (...content: ReadonlyArray<unknown>) => ({ type: "paragraph", content })
const doc = (...content: ReadonlyArray<unknown>) => ({ type: "doc", version: 1, content })

export const description = doc(
  { type: "heading", attrs: { level: 2 }, content: [text("Steps")] },
  p(
    text("Open "),
    text("the board", [{ type: "link", attrs: { href: "https://example.test/board" } }]),
    text(" and ask "),
    { type: "mention", attrs: { id: ghostId, text: "@Old Name" } },
    text(" "),
    { type: "emoji", attrs: { shortName: ":smile:", text: "😄" } },
  ),
  {
    type: "bulletList",
    content: [
      { type: "listItem", content: [p(text("first"))] },
      {
        type: "listItem",
        content: [
          p(text("second")),
          {
            type: "orderedList",
            attrs: { order: 3 },
            content: [{ type: "listItem", content: [p(text("nested"))] }],
          },
        ],
      },
    ],
  },
  { type: "codeBlock", attrs: { language: "sql" }, content: [text('SELECT "x", 1;\n=cmd')] },
  {
    type: "table",
    content: [
      {
        type: "tableRow",
        content: [
          { type: "tableHeader", content: [p(text("Name"))] },
          { type: "tableHeader", content: [p(text("Due"))] },
        ],
      },
      {
        type: "tableRow",
        content: [
          { type: "tableCell", content: [p(text("Ship"))] },
          {
            type: "tableCell",
            content: [
              p({ type: "date", attrs: { timestamp: "1793577600000" } }, text(" "), {
                type: "status",
                attrs: { text: "IN PROGRESS", color: "blue" },
              }),
            ],
          },
        ],
      },
    ],
  },
  { type: "rule" },
  p(text("line one"), { type: "hardBreak" }, text("line two   ")),
)

export const descriptionText = [
  "Steps",
  "",
  "Open the board (https://example.test/board) and ask @Grace Hopper 😄",
  "",
  "- first",
  "- second",
  "  3. nested",
  "",
  'SELECT "x", 1;',
  "=cmd",
  "",
  "Name | Due",
  "Ship | 2026-11-02 [IN PROGRESS]",
  "",
  "---",
  "",
  "line one",
  "line two",
].join("\n")

const status = {
  self: "https://example.atlassian.net/rest/api/3/status/3",
  description: "",
  iconUrl: "https://example.atlassian.net/images/icons/statuses/inprogress.png",
  name: "In Progress",
  id: "3",
  statusCategory: { self: "…", id: 4, key: "indeterminate", colorName: "yellow", name: "In Progress" },
}

const project = {
  self: "https://example.atlassian.net/rest/api/3/project/10000",
  id: "10000",
  key: "ABC",
  name: 'Alpha, "Beta" & Co',
  projectTypeKey: "software",
  simplified: false,
  avatarUrls: { "48x48": "https://example.test/a.png" },
}

const version = (id: string, name: string) => ({
  self: "…",
  id,
  name,
  archived: false,
  released: true,
  releaseDate: "2026-10-01",
})
const option = (id: string, value: string) => ({ self: "…", value, id })
const linked = (key: string) => ({ id: "10999", key, self: "…", fields: { summary: "Other", status } })

/** One issue with a value for every field of the catalogue; expected cells under the spreadsheet preset in UTC. */
export const issue: Issue = {
  id: "10042",
  key: "ABC-42",
  fields: {
    summary: '=HYPERLINK("http://evil.test","click") and "quotes", commas; tabs\there',
    description,
    environment: doc(p(text("Chrome 131 on macOS"))),
    status,
    priority: { self: "…", iconUrl: "…", name: "High", id: "2" },
    issuetype: {
      self: "…",
      id: "10001",
      description: "",
      iconUrl: "…",
      name: "Story",
      subtask: false,
      hierarchyLevel: 0,
    },
    project,
    assignee: jane,
    reporter: omar,
    creator: { accountId: ghostId },
    labels: ["backend", "-1", "naïve"],
    components: [
      { self: "…", id: "1", name: "API" },
      { self: "…", id: "2", name: "Web UI" },
    ],
    fixVersions: [version("1", "1.0"), version("2", '2.0 "Beta"')],
    versions: [version("1", "1.0")],
    duedate: "2026-07-17",
    created: "2026-11-02T10:17:33.000+0100",
    updated: "2015-12-02T07:39:15.000-0800",
    resolution: { self: "…", id: "1", description: "", name: "Done" },
    resolutiondate: "2026-11-03T09:00:00.000+0530",
    lastViewed: null,
    statuscategorychangedate: "2026-11-02T09:17:33.500+0000",
    timetracking: {
      originalEstimate: "1w 2d",
      remainingEstimate: "3h",
      timeSpent: "6m",
      originalEstimateSeconds: 201_600,
      remainingEstimateSeconds: 10_800,
      timeSpentSeconds: 360,
    },
    timeoriginalestimate: 201_600,
    timeestimate: 10_800,
    timespent: 360,
    aggregatetimeoriginalestimate: 203_400,
    aggregatetimeestimate: 0,
    aggregatetimespent: null,
    progress: { progress: 360, total: 11_160, percent: 3 },
    aggregateprogress: { progress: 0, total: 0 },
    workratio: -1,
    votes: { self: "…", votes: 4, hasVoted: false },
    watches: { self: "…", watchCount: 2, isWatching: true },
    parent: { id: "10001", key: "ABC-1", self: "…", fields: { summary: "Epic", status } },
    subtasks: [linked("ABC-43"), linked("ABC-44")],
    issuelinks: [
      {
        id: "1",
        self: "…",
        type: { id: "1", name: "Blocks", inward: "is blocked by", outward: "blocks" },
        outwardIssue: linked("ABC-1"),
      },
      {
        id: "2",
        self: "…",
        type: { id: "1", name: "Blocks", inward: "is blocked by", outward: "blocks" },
        inwardIssue: linked("ABC-2"),
      },
    ],
    attachment: [
      {
        self: "…",
        id: "1",
        filename: "screen shot.png",
        author: jane,
        created: "2026-11-02T10:17:33.000+0100",
        size: 1,
        mimeType: "image/png",
        content: "…",
      },
      {
        self: "…",
        id: "2",
        filename: "=evil.csv",
        author: jane,
        created: "2026-11-02T10:17:33.000+0100",
        size: 1,
        mimeType: "text/csv",
        content: "…",
      },
    ],
    comment: {
      comments: [
        {
          self: "…",
          id: "1",
          author: jane,
          body: doc(p(text("Looks good")), p(text("ship it"))),
          created: "2026-11-02T10:17:33.000+0100",
          updated: "…",
        },
        {
          self: "…",
          id: "2",
          author: omar,
          body: doc(p(text("cc "), { type: "mention", attrs: { id: jane.accountId, text: "@Jane" } })),
          created: "2026-11-03T08:00:00.000+0000",
          updated: "…",
        },
      ],
      self: "…",
      maxResults: 2,
      total: 2,
      startAt: 0,
    },
    worklog: {
      startAt: 0,
      maxResults: 20,
      total: 1,
      worklogs: [
        {
          self: "…",
          author: jane,
          comment: doc(p(text("pairing"))),
          created: "…",
          updated: "…",
          started: "2026-11-02T08:00:00.000+0000",
          timeSpent: "6m",
          timeSpentSeconds: 360,
          id: "1",
          issueId: "10042",
        },
      ],
    },
    security: { self: "…", id: "10100", description: "", name: "Internal" },
    customfield_10010: [
      {
        id: 1,
        name: "Sprint 1",
        state: "closed",
        boardId: 1,
        goal: "",
        startDate: "2025-03-12T01:36:46.600Z",
        endDate: "2025-03-26T01:36:46.600Z",
      },
      { id: 2, name: "Sprint 2", state: "active", boardId: 1, goal: "" },
    ],
    customfield_10011: 2.5,
    customfield_10012: {
      id: "36885b3c-1bf0-4f85-a357-c5b858c31de4",
      name: "Platform Team",
      title: "Platform Team",
    },
    customfield_10013: "ABC-1",
    customfield_10014: "0|i02m2f:",
    customfield_10015: option("10100", "Hardware"),
    customfield_10016: option("10200", "+Software"),
    customfield_10017: [option("1", "iOS"), option("2", "Android")],
    customfield_10018: { ...option("10", "Europe"), child: option("11", "Berlin") },
    customfield_10019: omar,
    customfield_10020: [jane, omar],
    customfield_10021: "2026-11-02",
    customfield_10022: "2026-11-03T09:00:00.000+0530",
    customfield_10023: 1234.5,
    customfield_10024: "@SUM(1+1)",
    customfield_10025: doc({
      type: "taskList",
      content: [
        { type: "taskItem", attrs: { state: "DONE" }, content: [text("tests")] },
        { type: "taskItem", attrs: { state: "TODO" }, content: [text("docs")] },
      ],
    }),
    customfield_10026: "https://example.test/spec?a=1,b=2",
    customfield_10027: ["alpha", "beta"],
    customfield_10028: version("3", "3.1"),
    customfield_10029: [version("3", "3.1"), version("4", "3.2")],
    customfield_10030: { name: "jira-admins", groupId: "g1", self: "…" },
    customfield_10031: [
      { name: "devs", groupId: "g2", self: "…" },
      { name: "ops", groupId: "g3", self: "…" },
    ],
    customfield_10032: project,
    customfield_10033: [option("10019", "Impediment")],
    customfield_10034: option("3", "Major"),
    // Parent Link on a Premium site, and a JSM SLA running (site-dependent fields, issue 19).
    customfield_10035: {
      hasEpicLinkFieldDependency: false,
      showField: true,
      data: { id: 10007, keyNum: 7, key: "ABC-7" },
    },
    customfield_10036: {
      id: "1",
      name: "Time to resolution",
      completedCycles: [],
      ongoingCycle: {
        breached: false,
        paused: false,
        withinCalendarHours: true,
        goalDuration: { millis: 28_800_000, friendly: "8h" },
        elapsedTime: { millis: 19_800_000, friendly: "5h 30m" },
        remainingTime: { millis: 9_000_000, friendly: "2h 30m" },
      },
      slaDisplayFormat: "NEW_SLA_FORMAT",
    },
  },
}

/** The expected cell of every field of {@link issue} under the spreadsheet preset, in UTC. */
export const expectedSpreadsheetCells: Readonly<Record<string, string>> = {
  summary: '=HYPERLINK("http://evil.test","click") and "quotes", commas; tabs\there',
  description: descriptionText,
  environment: "Chrome 131 on macOS",
  status: "In Progress",
  statusCategory: "In Progress",
  priority: "High",
  issuetype: "Story",
  project: 'Alpha, "Beta" & Co',
  assignee: "Jane Doe",
  reporter: "Omar Ó'Brien",
  creator: "Grace Hopper",
  labels: "backend; -1; naïve",
  components: "API; Web UI",
  fixVersions: '1.0; 2.0 "Beta"',
  versions: "1.0",
  duedate: "2026-07-17",
  created: "2026-11-02 09:17",
  updated: "2015-12-02 15:39",
  resolution: "Done",
  resolutiondate: "2026-11-03 03:30",
  lastViewed: "",
  statuscategorychangedate: "2026-11-02 09:17",
  timetracking: "Original: 1w 2d; Remaining: 3h; Spent: 6m",
  timeoriginalestimate: "1w 2d",
  timeestimate: "3h",
  timespent: "6m",
  aggregatetimeoriginalestimate: "1w 2d 30m",
  aggregatetimeestimate: "0m",
  aggregatetimespent: "",
  progress: "3%",
  aggregateprogress: "",
  // -1 is Jira's "no estimate", not a ratio (issue 19 item 2).
  workratio: "",
  votes: "4",
  watches: "2",
  parent: "ABC-1",
  subtasks: "ABC-43; ABC-44",
  issuelinks: "blocks ABC-1; is blocked by ABC-2",
  attachment: "screen shot.png; =evil.csv",
  comment: "2026-11-02 09:17 Jane Doe: Looks good ship it\n2026-11-03 08:00 Omar Ó'Brien: cc @Jane Doe",
  worklog: "2026-11-02 08:00 Jane Doe: 6m, pairing",
  security: "Internal",
  customfield_10010: "Sprint 1; Sprint 2",
  customfield_10011: "2.5",
  customfield_10012: "Platform Team",
  customfield_10013: "ABC-1",
  customfield_10014: "0|i02m2f:",
  customfield_10015: "Hardware",
  customfield_10016: "+Software",
  customfield_10017: "iOS; Android",
  customfield_10018: "Europe > Berlin",
  customfield_10019: "Omar Ó'Brien",
  customfield_10020: "Jane Doe; Omar Ó'Brien",
  customfield_10021: "2026-11-02",
  customfield_10022: "2026-11-03 03:30",
  customfield_10023: "1234.5",
  customfield_10024: "@SUM(1+1)",
  customfield_10025: "[x] tests\n[ ] docs",
  customfield_10026: "https://example.test/spec?a=1,b=2",
  customfield_10027: "alpha; beta",
  customfield_10028: "3.1",
  customfield_10029: "3.1; 3.2",
  customfield_10030: "jira-admins",
  customfield_10031: "devs; ops",
  customfield_10032: 'Alpha, "Beta" & Co',
  customfield_10033: "Impediment",
  customfield_10034: "Major",
  customfield_10035: "ABC-7",
  customfield_10036: "2h 30m left",
}
