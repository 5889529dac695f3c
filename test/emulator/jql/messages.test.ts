import { describe, expect, it } from "vitest"
import { createDataset } from "../../../dev/emulator/data/index.js"
import { createJqlEngine, UNBOUNDED } from "../../../dev/emulator/jql/index.js"
import type { UserRecord } from "../../../dev/emulator/model.js"

const ds = createDataset({ issues: 400, seed: 21 })
const engine = createJqlEngine(ds)
const admin = ds.userByEmail("admin@example.test")!
const rita = ds.userByEmail("restricted@example.test")!
const now = new Date(Date.UTC(2026, 10, 29, 12))

const errors = (jql: string, viewer: UserRecord | null = admin, requireBounded = true) => {
  const r = engine.search(jql, viewer, { requireBounded, now })
  return r.ok ? [] : r.errors
}
const OPS =
  "The valid operators are '=', '!=', '<', '>', '<=', '>=', '~', '!~', 'IN', 'NOT IN', 'IS' and 'IS NOT'."
const E = "Error in the JQL Query: "

describe("JQL syntax errors carry Jira's wording and 1-based line/character", () => {
  const cases: ReadonlyArray<[string, string]> = [
    ["project query", `${E}Expecting operator but got 'query'. ${OPS} (line 1, character 9)`],
    ["project", `${E}Expecting operator before the end of the query. ${OPS}`],
    ["summary ~ 'abc", `${E}The quoted string 'abc' has not been completed. (line 1, character 11)`],
    ['summary ~ "', `${E}The quoted string has not been completed. (line 1, character 11)`],
    ["project = ", `${E}Expecting either a value, list or function before the end of the query.`],
    [
      "project = )",
      `${E}Expecting either a value, list or function but got ')'. You must surround ')' in quotation marks to use it as a value. (line 1, character 11)`,
    ],
    [
      "project = ALPHA status = Done",
      `${E}Expecting either 'OR' or 'AND' but got 'status'. (line 1, character 17)`,
    ],
    ["project = ALPHA AND", `${E}Expecting a field name at the end of the query.`],
    ["(project = ALPHA", `${E}Expecting ')' before the end of the query.`],
    ["project in (ALPHA, BETA", `${E}Expecting ')' before the end of the query.`],
    ["project = ALPHA order", `${E}Expecting 'by' before the end of the query.`],
    ["project = ALPHA order summary", `${E}Expecting 'by' but got 'summary'. (line 1, character 23)`],
    ["project = ALPHA order by", `${E}Expecting a field name at the end of the query.`],
    [
      "project = ALPHA order by asc",
      `${E}Expecting a field name but got 'asc'. You must surround 'asc' in quotation marks to use it as a field name. (line 1, character 26)`,
    ],
    [
      "project = ALPHA order by key blah",
      `${E}Expecting either 'ASC' or 'DESC' but got 'blah'. (line 1, character 30)`,
    ],
    ["project = ALPHA order by key desc x", `${E}Expecting ',' but got 'x'. (line 1, character 35)`],
    [
      "project = ALPHA AND\n  status query",
      `${E}Expecting operator but got 'query'. ${OPS} (line 2, character 10)`,
    ],
    ["a =a and j not is empty", `${E}Expecting 'IN' but got 'is'. (line 1, character 16)`],
    ["a =a and j is ! empty", `${E}Expecting 'NOT' but got '!'. (line 1, character 15)`],
    ["cf[ = 9", `${E}Expecting a custom field id (a positive number) but got '='. (line 1, character 5)`],
    ["cf[10011 = 9", `${E}Expecting ']' but got '='. (line 1, character 10)`],
    [
      "mine{www = x",
      `${E}The character '{' is a reserved JQL character. You must enclose it in a string or use the escape '\\u007b' instead. (line 1, character 5)`,
    ],
    [
      "summary ~ select",
      `${E}'select' is a reserved JQL word. You must surround it in quotation marks to use it in a query. (line 1, character 11)`,
    ],
    ["'' = c", `${E}A field name cannot be empty. (line 1, character 1)`],
    ["created > now(", `${E}Expecting ')' before the end of the query.`],
    ["created > startOfDay(-1,)", `${E}Function argument must be specified. (line 1, character 25)`],
  ]
  for (const [jql, message] of cases) it(JSON.stringify(jql), () => expect(errors(jql)).toEqual([message]))

  it("refuses absurd nesting instead of overflowing the stack", () => {
    const deep = `${"(".repeat(10_000)}project = ALPHA${")".repeat(10_000)}`
    expect(errors(deep)).toEqual([`${E}The query is nested too deeply.`])
    expect(errors(`project in ${"(".repeat(5_000)}ALPHA${")".repeat(5_000)}`)).toEqual([
      `${E}The query is nested too deeply.`,
    ])
    expect(errors(`${"NOT ".repeat(5_000)}project = ALPHA`)).toEqual([`${E}The query is nested too deeply.`])
    expect(errors(`${"(".repeat(50)}project = ALPHA${")".repeat(50)}`)).toEqual([])
  })
})

describe("JQL validation messages", () => {
  const cases: ReadonlyArray<[string, string]> = [
    ["universe = 1", "Field 'universe' does not exist or you do not have permission to view it."],
    ["project = VULN", "The value 'VULN' does not exist for the field 'project'."],
    ["status = Nope", "The value 'Nope' does not exist for the field 'status'."],
    ["priority in (High, Urgent)", "The value 'Urgent' does not exist for the field 'priority'."],
    ["type = Saga", "The value 'Saga' does not exist for the field 'type'."],
    [
      "assignee = nobody@example.test",
      "The value 'nobody@example.test' does not exist for the field 'assignee'.",
    ],
    ["resolution = Fixed", "The value 'Fixed' does not exist for the field 'resolution'."],
    ["summary = login", "The operator '=' is not supported by the 'summary' field."],
    ["description in (a, b)", "The operator 'in' is not supported by the 'description' field."],
    ["labels > x", "The operator '>' is not supported by the 'labels' field."],
    ["text = x", "The operator '=' is not supported by the 'text' field."],
    ["project in ALPHA", "Operator 'in' does not support the non-list value 'ALPHA' for field 'project'."],
    ['summary in "test"', "The operator 'in' is not supported by the 'summary' field."],
    ['status in "Done"', "Operator 'in' does not support the non-list value '\"Done\"' for field 'status'."],
    ["project is EMPTY", "The field 'project' does not support searching for EMPTY values."],
    ["priority is High", "The operator 'is' only supports searching for EMPTY values."],
    [
      "created > yesterday",
      "Date value 'yesterday' for field 'created' is invalid. Valid formats include: 'yyyy/MM/dd HH:mm', 'yyyy-MM-dd HH:mm', 'yyyy/MM/dd', 'yyyy-MM-dd', or a period format e.g. '-5d', '4w 2d'.",
    ],
    ["assignee = bogus()", "Unable to find JQL function 'bogus()'."],
    ["created > now(1)", "Function 'now' expected '0' arguments but received '1'."],
    [
      "created > startOfDay(soon)",
      "Duration for function 'startOfDay' should have the format (+/-)n(yMwdm), e.g -1M for 1 month earlier.",
    ],
    [
      "project = currentUser()",
      "A value provided by the function 'currentUser' is invalid for the field 'project'.",
    ],
    ["key = ALPHA-99999", "An issue with key 'ALPHA-99999' does not exist for field 'key'."],
    ["key = banana", "The issue key 'banana' for field 'key' is invalid."],
    ["project = ALPHA ORDER BY labels", "Not able to sort using field 'labels'."],
    ["project = ALPHA ORDER BY description", "Not able to sort using field 'description'."],
  ]
  for (const [jql, message] of cases) it(jql, () => expect(errors(jql)).toEqual([message]))

  it("reports every problem of a query at once", () => {
    expect(errors("universe = 1 AND project = VULN ORDER BY labels")).toEqual([
      "Field 'universe' does not exist or you do not have permission to view it.",
      "The value 'VULN' does not exist for the field 'project'.",
      "Not able to sort using field 'labels'.",
    ])
  })

  it("a project the viewer cannot browse reads as not existing", () => {
    expect(errors("project = OPS", rita)).toEqual(["The value 'OPS' does not exist for the field 'project'."])
    expect(errors("key = OPS-1", rita)).toEqual(["An issue with key 'OPS-1' does not exist for field 'key'."])
    expect(errors("project = OPS", admin)).toEqual([])
  })

  it("anonymous callers see no fields", () => {
    expect(errors("project = ALPHA", ds.userByEmail("nobody") ?? null)).toEqual([
      "Field 'project' does not exist or this field cannot be viewed by anonymous users.",
    ])
  })

  it("refuses unbounded queries only when asked to", () => {
    expect(errors("")).toEqual([UNBOUNDED])
    expect(errors("   ")).toEqual([UNBOUNDED])
    expect(errors("order by key desc")).toEqual([UNBOUNDED])
    expect(UNBOUNDED).toBe(
      "Unbounded JQL queries are not allowed here. Please add a search restriction to your query.",
    )
    const all = engine.search("ORDER BY key", admin, { requireBounded: false, now })
    expect(all.ok && all.ids.length).toBe(400)
  })
})

describe("JQL parse structure (POST /jql/parse)", () => {
  it("gives Jira's ParsedJqlQuery shape", () => {
    const jql =
      'Project = ALPHA and not (status IN (Done, "In Progress") OR assignee is EMPTY) AND created >= startOfDay(-1) ORDER BY key DESC, created'
    expect(engine.parse(jql, admin)).toEqual({
      query: jql,
      structure: {
        where: {
          operator: "and",
          clauses: [
            {
              field: { name: "Project", encodedName: "Project" },
              operator: "=",
              operand: { value: "ALPHA", encodedValue: "ALPHA" },
            },
            {
              operator: "not",
              clauses: [
                {
                  operator: "or",
                  clauses: [
                    {
                      field: { name: "status", encodedName: "status" },
                      operator: "in",
                      operand: {
                        values: [
                          { value: "Done", encodedValue: "Done" },
                          { value: "In Progress", encodedValue: '"In Progress"' },
                        ],
                        encodedOperand: '(Done, "In Progress")',
                      },
                    },
                    {
                      field: { name: "assignee", encodedName: "assignee" },
                      operator: "is",
                      operand: { keyword: "empty" },
                    },
                  ],
                },
              ],
            },
            {
              field: { name: "created", encodedName: "created" },
              operator: ">=",
              operand: { function: "startOfDay", arguments: ["-1"], encodedOperand: "startOfDay(-1)" },
            },
          ],
        },
        orderBy: {
          fields: [
            { field: { name: "key", encodedName: "key" }, direction: "desc" },
            { field: { name: "created", encodedName: "created" } },
          ],
        },
      },
    })
  })

  it("quotes field names that need it and reports errors without a structure", () => {
    const parsed = engine.parse('"Story Points" > 3 AND cf[10015] = Software', admin)
    expect(JSON.stringify(parsed)).toContain('"encodedName":"\\"Story Points\\""')
    expect(JSON.stringify(parsed)).toContain('"name":"cf[10015]"')
    expect(engine.parse("project query", admin)).toEqual({
      query: "project query",
      errors: [`${E}Expecting operator but got 'query'. ${OPS} (line 1, character 9)`],
    })
    expect(engine.parse("universe = 1", admin)).toEqual({
      query: "universe = 1",
      errors: ["Field 'universe' does not exist or you do not have permission to view it."],
    })
  })
})
