import { Either } from "effect"
import { describe, expect, it } from "vitest"
import { DEFAULT_COLUMNS } from "../../src/contract/constants.js"
import type { Column } from "../../src/fields/column.js"
import { fieldsToRequest, listFields, resolveColumns } from "../../src/fields/columns.js"
import { HISTORY_PSEUDO_COLUMNS } from "../../src/fields/historyColumns.js"
import type { FieldDetails } from "../../src/jira/schemas.js"
import { fields } from "./fixtures.js"

const resolved = (refs: ReadonlyArray<string>, from: ReadonlyArray<FieldDetails> = fields) => {
  const r = resolveColumns(from, refs)
  if (Either.isLeft(r)) throw new Error(r.left.message)
  return r.right
}
const pick = (c: Column) => ({ id: c.id, fieldId: c.fieldId, header: c.header, kind: c.kind })

describe("resolveColumns", () => {
  it("resolves the default columns, the key as a pseudo-column", () => {
    expect(resolved(DEFAULT_COLUMNS).map(pick)).toEqual([
      { id: "issuekey", fieldId: null, header: "Issue key", kind: "text" },
      { id: "summary", fieldId: "summary", header: "Summary", kind: "text" },
      { id: "status", fieldId: "status", header: "Status", kind: "text" },
      { id: "assignee", fieldId: "assignee", header: "Assignee", kind: "text" },
      { id: "priority", fieldId: "priority", header: "Priority", kind: "text" },
      { id: "created", fieldId: "created", header: "Created", kind: "datetime" },
      { id: "updated", fieldId: "updated", header: "Updated", kind: "datetime" },
    ])
  })

  it("finds fields by id or by name, case-insensitively, in the order asked", () => {
    expect(resolved(["STORY POINTS", "customfield_10023", "due date", " Sprint "]).map((c) => c.id)).toEqual([
      "customfield_10011",
      "customfield_10023",
      "duedate",
      "customfield_10010",
    ])
  })

  it("knows each column's kind from the field type", () => {
    const kinds = Object.fromEntries(
      resolved([
        "customfield_10011",
        "votes",
        "watches",
        "timespent",
        "duedate",
        "customfield_10022",
        "labels",
      ]).map((c) => [c.id, c.kind]),
    )
    expect(kinds).toEqual({
      customfield_10011: "number",
      votes: "number",
      watches: "number",
      timespent: "number",
      duedate: "date",
      customfield_10022: "datetime",
      labels: "text",
    })
  })

  it("refuses an ambiguous name, listing the candidates with their ids", () => {
    const r = resolveColumns(fields, ["summary", "category"])
    expect(Either.isLeft(r) && r.left).toEqual({
      reason: "AmbiguousColumn",
      ref: "category",
      candidates: [
        { id: "customfield_10015", name: "Category" },
        { id: "customfield_10016", name: "Category" },
      ],
      message:
        'Several fields are called "category"; choose one by its id: customfield_10015, customfield_10016.',
    })
  })

  it("disambiguates shared names in headers with the id, and accepts such a header back", () => {
    expect(resolved(["customfield_10015", "Category (customfield_10016)"]).map((c) => c.header)).toEqual([
      "Category (customfield_10015)",
      "Category (customfield_10016)",
    ])
  })

  it("accepts what JQL calls a field: key, id, type, cf[N]", () => {
    const story = fields.find((f) => f.clauseNames?.some((c) => c.startsWith("cf[")))
    const cf = story?.clauseNames?.find((c) => c.startsWith("cf["))
    expect(cf).toBeDefined()
    const ids = resolved(["key", "ID", "type", cf ?? ""]).map((c) => c.id)
    expect(ids).toEqual(["issuekey", "issueid", "issuetype", story?.id])
  })

  it("refuses an unknown column with a sentence", () => {
    const r = resolveColumns(fields, ["Nope"])
    expect(Either.isLeft(r) && r.left.reason).toBe("UnknownColumn")
    expect(Either.isLeft(r) && r.left.message).toMatch(/^There is no field "Nope"/)
  })

  it("offers the pseudo-columns by id and name, and the status category as its own column", () => {
    expect(resolved(["Issue URL", "issueid", "Status Category", "statusCategory"]).map(pick)).toEqual([
      { id: "issueurl", fieldId: null, header: "Issue URL", kind: "text" },
      { id: "issueid", fieldId: null, header: "Issue id", kind: "number" },
      { id: "statuscategory", fieldId: "status", header: "Status Category", kind: "text" },
      { id: "statuscategory", fieldId: "status", header: "Status Category", kind: "text" },
    ])
  })

  it("works with localised names (fields are identified by id, not name)", () => {
    const korean: ReadonlyArray<FieldDetails> = [
      { id: "customfield_10010", name: "스프린트", custom: true, schema: { type: "array", items: "json" } },
    ]
    expect(resolved(["스프린트"], korean).map((c) => c.header)).toEqual(["스프린트"])
  })
})

describe("fieldsToRequest", () => {
  it("asks for each Jira field once and nothing for pseudo-columns", () => {
    expect(
      fieldsToRequest(resolved(["issuekey", "issueurl", "status", "statusCategory", "summary", "status"])),
    ).toEqual(["status", "summary"])
  })
})

describe("listFields", () => {
  it("lists pseudo-columns first, then /field without the fields they replace", () => {
    const list = listFields(fields)
    expect(list.slice(0, 4).map((f) => f.id)).toEqual(["issuekey", "issueid", "issueurl", "statuscategory"])
    expect(list.filter((f) => f.id === "issuekey" || f.id === "statusCategory")).toHaveLength(1)
    expect(list).toHaveLength(fields.length + 4 + HISTORY_PSEUDO_COLUMNS.length - 2)
    expect(list.find((f) => f.id === "customfield_10017")).toEqual({
      id: "customfield_10017",
      name: "Platforms",
      header: "Platforms",
      custom: true,
      type: "array<option>",
    })
    expect(list.find((f) => f.id === "customfield_10016")?.header).toBe("Category (customfield_10016)")
  })
})
