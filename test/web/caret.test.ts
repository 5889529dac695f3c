// @vitest-environment happy-dom
import { fc, test } from "@fast-check/vitest"
import { describe, expect, it } from "vitest"
import { caretContext, jqlLiteral, unquote } from "../../web/src/jql/caret.js"

const at = (withCaret: string) => {
  const caret = withCaret.indexOf("|")
  return caretContext(withCaret.replace("|", ""), caret)
}

describe("caretContext", () => {
  it("suggests fields at the start, after AND/OR/NOT/( and after ORDER BY", () => {
    expect(at("|")).toEqual({ kind: "field", prefix: "", from: 0, to: 0 })
    expect(at("sta|")).toEqual({ kind: "field", prefix: "sta", from: 0, to: 3 })
    expect(at("project = ABC AND ass|")).toMatchObject({ kind: "field", prefix: "ass" })
    expect(at("project = ABC or (NOT pri|")).toMatchObject({ kind: "field", prefix: "pri" })
    expect(at("project = ABC ORDER BY cre|")).toMatchObject({ kind: "field", prefix: "cre" })
    expect(at("project = ABC ORDER BY created DESC, |")).toMatchObject({ kind: "field", prefix: "" })
  })

  it("suggests values of the field before the operator, in lists and after IS/NOT IN", () => {
    expect(at("status = |")).toEqual({ kind: "value", field: "status", prefix: "", from: 9, to: 9 })
    expect(at("status = Do|")).toMatchObject({ kind: "value", field: "status", prefix: "Do" })
    expect(at('status = "In Pro|')).toMatchObject({ kind: "value", field: "status", prefix: '"In Pro' })
    expect(at("status in (Done, Op|")).toMatchObject({ kind: "value", field: "status", prefix: "Op" })
    expect(at("assignee not in (|")).toMatchObject({ kind: "value", field: "assignee" })
    expect(at('"Story Points" > |')).toMatchObject({ kind: "value", field: '"Story Points"' })
    expect(at("project = ABC AND priority != Hi|")).toMatchObject({ kind: "value", field: "priority" })
  })

  it("suggests nothing after a complete clause or inside function arguments", () => {
    expect(at("status = Done |")).toEqual({ kind: "none" })
    expect(at("status = Done AN|")).toEqual({ kind: "none" })
    expect(at("status = |Done")).toMatchObject({ kind: "value", to: 13 })
  })

  it("goes on after function calls", () => {
    expect(at("assignee = currentUser() AND st|")).toMatchObject({ kind: "field", prefix: "st" })
    expect(at("created >= startOfDay(-1) ORDER BY |")).toMatchObject({ kind: "field" })
  })

  test.prop([
    fc.string({ unit: fc.constantFrom(..."ab =!~<>(),\"'\\ \n".split("")), maxLength: 40 }),
    fc.nat(),
  ])("is total: any text and caret give a context inside the text", (text, n) => {
    const caret = text.length === 0 ? 0 : n % (text.length + 1)
    const context = caretContext(text, caret)
    if (context.kind !== "none") {
      expect(context.from).toBeLessThanOrEqual(caret)
      expect(context.to).toBeGreaterThanOrEqual(caret)
      expect(context.to).toBeLessThanOrEqual(text.length)
      expect(text.slice(context.from, caret)).toBe(context.prefix)
    }
  })
})

describe("jqlLiteral", () => {
  it("quotes values that are not plain words", () => {
    expect(jqlLiteral("Done")).toBe("Done")
    expect(jqlLiteral("cf[10010]")).toBe("cf[10010]")
    expect(jqlLiteral("currentUser()")).toBe("currentUser()")
    expect(jqlLiteral("In Progress")).toBe('"In Progress"')
    expect(jqlLiteral('say "hi"')).toBe('"say \\"hi\\""')
    expect(jqlLiteral('"Story Points"')).toBe('"Story Points"')
    expect(unquote('"In Pro')).toBe("In Pro")
  })
})
