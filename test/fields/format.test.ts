import { fc, test } from "@fast-check/vitest"
import { parse } from "csv-parse/sync"
import { Either } from "effect"
import { describe, expect, it } from "vitest"
import { encodeHeader, encodeRows } from "../../src/csv/encoder.js"
import { cellKindOf, PRESETS } from "../../src/export/options.js"
import type { Column } from "../../src/fields/column.js"
import { resolveColumns } from "../../src/fields/columns.js"
import { formatRow, formatValue } from "../../src/fields/format.js"
import { collectAccountIds, collectKnownUsers } from "../../src/fields/users.js"
import {
  ctxWith,
  directory,
  expectedSpreadsheetCells,
  fields,
  ghostId,
  issue,
  jane,
  omar,
} from "./fixtures.js"

const columnsFor = (refs: ReadonlyArray<string>): ReadonlyArray<Column> => {
  const resolved = resolveColumns(fields, refs)
  if (Either.isLeft(resolved)) throw new Error(resolved.left.message)
  return resolved.right
}

const catalogueIds = fields.filter((f) => f.id !== "issuekey").map((f) => f.id)
const everyColumn = columnsFor(catalogueIds)
const cell = (id: string, format: Parameters<typeof ctxWith>[0] = {}): string => {
  const [column] = columnsFor([id])
  if (column === undefined) throw new Error(id)
  return formatRow(issue, [column], ctxWith(format))[0] ?? ""
}

describe("golden cells, spreadsheet preset in UTC", () => {
  it("covers every field of the emulator's catalogue", () => {
    expect(Object.keys(expectedSpreadsheetCells).sort()).toEqual([...catalogueIds].sort())
  })

  it.each(catalogueIds)("%s", (id) => {
    expect(cell(id)).toBe(expectedSpreadsheetCells[id])
  })

  it("pseudo-columns: issue key, id and URL", () => {
    expect(formatRow(issue, columnsFor(["issuekey", "issueid", "issueurl"]), ctxWith())).toEqual([
      "ABC-42",
      "10042",
      "https://example.atlassian.net/browse/ABC-42",
    ])
  })

  it("absent and null values are empty cells", () => {
    const bare = { id: "1", key: "X-1", fields: { assignee: null } }
    expect(formatRow(bare, everyColumn, ctxWith()).every((c) => c === "")).toBe(true)
    expect(formatRow({ id: "1" }, everyColumn, ctxWith()).every((c) => c === "")).toBe(true)
  })
})

describe("options", () => {
  it("ISO 8601 datetimes carry the zone's offset; dates stay calendar days", () => {
    expect(cell("created", { dateFormat: "iso" })).toBe("2026-11-02T09:17:33Z".replace("Z", "+00:00"))
    expect(cell("created", { dateFormat: "iso", timeZone: "Europe/Berlin" })).toBe(
      "2026-11-02T10:17:33+01:00",
    )
    expect(cell("created", { dateFormat: "iso", timeZone: "Asia/Kolkata" })).toBe("2026-11-02T14:47:33+05:30")
    expect(cell("statuscategorychangedate", { dateFormat: "iso" })).toBe("2026-11-02T09:17:33.500+00:00")
    expect(cell("updated", { dateFormat: "iso", timeZone: "America/Los_Angeles" })).toBe(
      "2015-12-02T07:39:15-08:00",
    )
    expect(cell("duedate", { dateFormat: "iso", timeZone: "Pacific/Kiritimati" })).toBe("2026-07-17")
  })

  it("spreadsheet datetimes are yyyy-mm-dd hh:mm in the chosen zone (summer and winter time)", () => {
    expect(cell("created", { timeZone: "Europe/Berlin" })).toBe("2026-11-02 10:17")
    expect(cell("resolutiondate", { timeZone: "America/New_York" })).toBe("2026-11-02 22:30")
    expect(cell("customfield_10022", { timeZone: "Australia/Sydney" })).toBe("2026-11-03 14:30")
  })

  it("patterns: LDML-style letters, quoted literals", () => {
    const pattern = { pattern: "dd/MMM/yy h:mm a" }
    expect(cell("created", { dateFormat: pattern, timeZone: "Europe/Berlin" })).toBe("02/Nov/26 10:17 AM")
    expect(cell("updated", { dateFormat: { pattern: "yyyy-MM-dd'T'HH:mm:ss.SSSXXX" } })).toBe(
      "2015-12-02T15:39:15.000Z",
    )
    expect(cell("duedate", { dateFormat: { pattern: "d MMMM yyyy" } })).toBe("17 July 2026")
    expect(cell("created", { dateFormat: { pattern: "'at' HH'h' 'o''clock'" } })).toBe("at 09h o'clock")
  })

  it("user display: name, email when visible else name, account id", () => {
    expect(cell("assignee", { userDisplay: "email" })).toBe("jane@example.test")
    expect(cell("reporter", { userDisplay: "email" })).toBe("Omar Ó'Brien")
    expect(cell("creator", { userDisplay: "email" })).toBe("Grace Hopper")
    expect(cell("customfield_10020", { userDisplay: "accountId" })).toBe(
      `${jane.accountId}; ${omar.accountId}`,
    )
    expect(cell("creator", { userDisplay: "accountId" })).toBe(ghostId)
  })

  it("multi-value separator", () => {
    expect(cell("labels", { multiValueSeparator: " | " })).toBe("backend | -1 | naïve")
    expect(cell("issuelinks", { multiValueSeparator: "\n" })).toBe("blocks ABC-1\nis blocked by ABC-2")
  })

  it("durations as Jira text with configurable day and week, or decimal hours", () => {
    expect(cell("timeoriginalestimate", { durationFormat: "hours" })).toBe("56")
    expect(cell("timeoriginalestimate", { durationFormat: "seconds" })).toBe("201600")
    expect(cell("timespent", { durationFormat: "seconds" })).toBe("360")
    expect(cell("timespent", { durationFormat: "hours" })).toBe("0.1")
    expect(cell("timeoriginalestimate", { hoursPerDay: 24, daysPerWeek: 7 })).toBe("2d 8h")
    expect(cell("aggregatetimeoriginalestimate", { hoursPerDay: 7.5 })).toBe("1w 2d 4h")
    expect(cell("timetracking", { durationFormat: "hours" })).toBe("Original: 56; Remaining: 3; Spent: 0.1")
    expect(cell("worklog", { durationFormat: "hours" })).toBe("2026-11-02 08:00 Jane Doe: 0.1, pairing")
  })

  it("numbers stay plain decimals", () => {
    const [cost] = columnsFor(["customfield_10023"])
    const ctx = ctxWith()
    if (cost === undefined) throw new Error("cost")
    expect([4.0, 2.5, -0, 1e21, 1.5e-7, Number.NaN, "7"].map((v) => formatValue(v, cost, ctx))).toEqual([
      "4",
      "2.5",
      "0",
      "1000000000000000000000",
      "0.00000015",
      "",
      "7",
    ])
  })
})

describe("collectKnownUsers", () => {
  it("finds the users an issue shows in full, with their visible email, once each", () => {
    const known = collectKnownUsers(issue, columnsFor(["summary", "assignee"]))
    expect(known).toEqual([
      {
        accountId: jane.accountId,
        displayName: jane.displayName,
        ...(jane.emailAddress ? { emailAddress: jane.emailAddress } : {}),
      },
    ])
    expect(collectKnownUsers(issue, columnsFor(["summary"]))).toEqual([])
  })

  it("never takes a mention (an id with a stored name) for a known user", () => {
    const doc = {
      type: "doc",
      content: [{ type: "paragraph", content: [{ type: "mention", attrs: { id: "x", text: "@Old name" } }] }],
    }
    expect(collectKnownUsers({ id: "1", fields: { description: doc } }, columnsFor(["description"]))).toEqual(
      [],
    )
  })
})

describe("collectAccountIds", () => {
  it("collects mentions and id-only users, once each, and nothing that has a name", () => {
    expect([...collectAccountIds(issue, everyColumn)].sort()).toEqual([ghostId, jane.accountId].sort())
    expect(collectAccountIds(issue, columnsFor(["summary", "assignee"]))).toEqual([])
  })

  it("formatting uses the directory for mentions, the stored name when the directory lacks it", () => {
    const [description] = columnsFor(["description"])
    if (description === undefined) throw new Error("description")
    const mention = {
      type: "doc",
      content: [
        { type: "paragraph", content: [{ type: "mention", attrs: { id: "nobody", text: "@Stale" } }] },
      ],
    }
    expect(formatValue(mention, description, ctxWith())).toBe("@Stale")
    expect(formatValue(mention, description, { ...ctxWith(), users: new Map() })).toBe("@Stale")
    expect(directory.size).toBe(2)
  })
})

// Arbitrary ADF-like trees: real node types and attrs mixed with junk, to exercise the renderer.
const adfNode: fc.Arbitrary<unknown> = fc.letrec<{ node: unknown }>((tie) => ({
  node: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    fc.record({ type: fc.constant("text"), text: fc.string(), marks: fc.option(fc.array(fc.jsonValue())) }),
    fc.record(
      {
        type: fc.constantFrom(
          "paragraph",
          "bulletList",
          "orderedList",
          "listItem",
          "table",
          "tableRow",
          "tableCell",
          "taskList",
          "taskItem",
          "mention",
          "emoji",
          "date",
          "status",
          "codeBlock",
          "mediaSingle",
          "media",
          "expand",
          "inlineCard",
          "weird",
        ),
        attrs: fc.oneof(
          fc.jsonValue(),
          fc.record({ id: fc.string(), text: fc.string(), timestamp: fc.jsonValue() }),
        ),
        content: fc.oneof(fc.array(tie("node"), { maxLength: 4 }), fc.jsonValue()),
      },
      { requiredKeys: ["type"] },
    ),
    fc.jsonValue(),
  ),
})).node
const adfDoc = fc.record({
  type: fc.constant("doc"),
  version: fc.constant(1),
  content: fc.array(adfNode, { maxLength: 4 }),
})

describe("every formatter is total", () => {
  const ctx = ctxWith()
  const withPseudo = [...everyColumn, ...columnsFor(["issuekey", "issueid", "issueurl"])]

  test.prop([fc.jsonValue(), fc.jsonValue()])(
    "over arbitrary JSON: never throws, never [object Object]",
    (a, b) => {
      for (const column of withPseudo) {
        for (const value of [a, b, [a, b], { comments: [a, b], worklogs: [b, a] }]) {
          const out = formatValue(value, column, ctx)
          expect(typeof out).toBe("string")
          expect(out).not.toContain("[object Object]")
        }
      }
      const row = formatRow(
        { id: "1", key: "K-1", fields: Object.fromEntries(catalogueIds.map((id) => [id, a])) },
        withPseudo,
        ctx,
      )
      expect(row).toHaveLength(withPseudo.length)
      expect(() =>
        collectAccountIds(
          { id: "1", fields: Object.fromEntries(catalogueIds.map((id) => [id, b])) },
          withPseudo,
        ),
      ).not.toThrow()
    },
  )

  test.prop([adfDoc])("over ADF-like documents, in every rich-text place", (doc) => {
    const value = {
      comments: [{ body: doc, author: { accountId: "x" }, created: "2026-01-01T00:00:00.000+0000" }],
    }
    for (const column of columnsFor(["description", "environment", "customfield_10025", "comment"])) {
      const out = formatValue(column.id === "comment" ? value : doc, column, ctx)
      expect(out).not.toContain("[object Object]")
    }
    expect(() => collectAccountIds({ id: "1", fields: { description: doc } }, everyColumn)).not.toThrow()
  })
})

describe("spreadsheet preset end to end (what LibreOffice reads)", () => {
  const columns = columnsFor([
    "issuekey",
    "summary",
    "created",
    "duedate",
    "customfield_10023",
    "customfield_10011",
    "workratio",
    "votes",
    "description",
  ])
  const o = PRESETS.spreadsheet
  const ctx = { ...ctxWith(), options: o.format }
  const row = formatRow(issue, columns, ctx)
  const kinds = columns.map((c) => cellKindOf(c.kind))
  const text =
    encodeHeader(
      columns.map((c) => c.header),
      o.csv,
    ) + encodeRows([row], kinds, o.csv).text

  it("dates are yyyy-mm-dd hh:mm, days yyyy-mm-dd, numbers unquoted plain decimals", () => {
    const line = text.split("\r\n")[1] ?? ""
    // Work Ratio -1 (no estimate) is an empty cell (issue 19 item 2).
    expect(line).toMatch(/,2026-11-02 09:17,2026-07-17,1234\.5,2\.5,,4,"/)
    columns.forEach((c, i) => {
      if (c.kind === "datetime") expect(row[i]).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}$/)
      if (c.kind === "date") expect(row[i]).toMatch(/^\d{4}-\d{2}-\d{2}$/)
      if (c.kind === "number") expect(row[i]).toMatch(/^(-?\d+(\.\d+)?)?$/)
    })
  })

  it("every character comes back, formulas only with the guard's quote", () => {
    const parsed = parse(text, { bom: true, record_delimiter: "\r\n" })
    expect(parsed).toHaveLength(2)
    expect(parsed[1]).toEqual(
      row.map((c, i) => (columns[i]?.kind !== "number" && /^[=+\-@]/.test(c) ? `'${c}` : c)),
    )
    expect(parsed[1]?.[1]).toBe(`'${expectedSpreadsheetCells.summary}`)
  })
})
