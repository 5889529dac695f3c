import { describe, expect, it } from "vitest"
import { adfToText, mentionIds } from "../../src/fields/adf.js"
import type { Column } from "../../src/fields/column.js"
import { formatValue } from "../../src/fields/format.js"
import { ctxWith } from "./fixtures.js"

const t = (text: string, marks?: ReadonlyArray<unknown>) =>
  marks ? { type: "text", text, marks } : { type: "text", text }
const p = (...content: ReadonlyArray<unknown>) => ({ type: "paragraph", content })
const doc = (...content: ReadonlyArray<unknown>) => ({ type: "doc", version: 1, content })
const link = (href: string) => ({ type: "link", attrs: { href } })
const noNames = () => undefined

describe("adfToText", () => {
  it("links: `text (url)` once across marks, the bare url when the text is the url", () => {
    const d = doc(
      p(
        t("see "),
        t("the ", [link("https://a.test")]),
        t("docs", [link("https://a.test"), { type: "strong" }]),
        t(", "),
        t("https://b.test", [link("https://b.test")]),
        { type: "inlineCard", attrs: { url: "https://c.test/x" } },
      ),
    )
    expect(adfToText(d, noNames)).toBe("see the docs (https://a.test), https://b.testhttps://c.test/x")
  })

  it("blockquote, panel, expand, decisions, nested tasks, media and cards", () => {
    const d = doc(
      { type: "blockquote", content: [p(t("quoted"))] },
      { type: "panel", attrs: { panelType: "warning" }, content: [p(t("careful"))] },
      { type: "expand", attrs: { title: "More" }, content: [p(t("hidden"))] },
      {
        type: "decisionList",
        content: [{ type: "decisionItem", attrs: { state: "DECIDED" }, content: [t("ship")] }],
      },
      {
        type: "taskList",
        content: [
          { type: "taskItem", attrs: { state: "TODO" }, content: [t("a")] },
          { type: "taskList", content: [{ type: "taskItem", attrs: { state: "DONE" }, content: [t("b")] }] },
        ],
      },
      {
        type: "mediaSingle",
        content: [{ type: "media", attrs: { id: "x", type: "file", alt: "shot.png" } }],
      },
      { type: "blockCard", attrs: { url: "https://d.test" } },
      { type: "extension", attrs: { extensionKey: "macro" } },
      { type: "bodiedExtension", content: [p(t("inside"))] },
    )
    expect(adfToText(d, noNames)).toBe(
      [
        "quoted",
        "careful",
        "More\nhidden",
        "- ship",
        "[ ] a\n  [x] b",
        "[attachment: shot.png]",
        "https://d.test",
        "inside",
      ].join("\n\n"),
    )
  })

  it("mentions: the directory's name, else the stored text, else the id; always one @", () => {
    const d = doc(
      p(
        { type: "mention", attrs: { id: "a", text: "@Old" } },
        t(" "),
        { type: "mention", attrs: { id: "b", text: "Stored" } },
        t(" "),
        { type: "mention", attrs: { id: "c" } },
      ),
    )
    expect(adfToText(d, (id) => (id === "a" ? "New Name" : undefined))).toBe("@New Name @Stored @c")
    const ids = new Set<string>()
    mentionIds(d, ids)
    expect([...ids]).toEqual(["a", "b", "c"])
  })

  it("normalises line ends and drops trailing spaces; a v2 string is kept", () => {
    expect(adfToText(doc(p(t("a  \r\nb\rc  "))), noNames)).toBe("a\nb\nc")
    expect(adfToText("h1. wiki *markup*", noNames)).toBe("h1. wiki *markup*")
    expect(adfToText(null, noNames)).toBe("")
  })

  it("survives documents nested deeper than any editor makes", () => {
    let deep: unknown = t("bottom")
    for (let i = 0; i < 10_000; i++) deep = { type: "blockquote", content: [deep] }
    expect(adfToText(doc(deep), noNames)).toBe("")
  })
})

describe("unknown field types", () => {
  const column: Column = {
    id: "customfield_99999",
    fieldId: "customfield_99999",
    header: "Mystery",
    kind: "text",
    field: { id: "customfield_99999", name: "Mystery", custom: true, schema: { type: "com.vendor:thing" } },
  }
  it("shows a name, value, display name or key when there is one, else its entries (JSON only for data)", () => {
    const ctx = ctxWith()
    expect(formatValue({ name: "Named" }, column, ctx)).toBe("Named")
    expect(formatValue({ value: "V", child: { value: "C" } }, column, ctx)).toBe("V > C")
    expect(formatValue({ key: "K-1" }, column, ctx)).toBe("K-1")
    // The spreadsheet preset never writes a JSON object (issue 19 item 2); the data preset does.
    expect(formatValue({ a: 1, b: [true, null] }, column, ctx)).toBe("a: 1, b: true")
    expect(formatValue({ a: 1, b: [true, null] }, column, ctxWith({ jsonForUnknown: true }))).toBe(
      '{"a":1,"b":[true,null]}',
    )
    expect(formatValue({ errorMessage: "Not allowed" }, column, ctx)).toBe("Not allowed")
    expect(formatValue([{ name: "x" }, 2, "y"], column, ctx)).toBe("x; 2; y")
    expect(formatValue("com.atlassian.servicedesk.ApprovalsCFValue@170e16ef", column, ctx)).toBe(
      "com.atlassian.servicedesk.ApprovalsCFValue@170e16ef",
    )
  })
})
