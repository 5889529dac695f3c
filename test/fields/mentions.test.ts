/**
 * Mentions keep their stored name (issue 19 item 3): an account Jira does not return from
 * `/user/bulk` (deleted or hidden users are simply absent) is written `@<attrs.text>`, as the
 * document stores it, never as the directory's "Unknown user (id)" placeholder.
 */
import { describe, expect, it } from "vitest"
import { formatValue } from "../../src/fields/format.js"
import type { DirectoryUserLike } from "../../src/fields/users.js"
import { unknownUser } from "../../src/jira/UserDirectory.js"
import { ctxWith, fields } from "./fixtures.js"
import { columnsOf } from "./siteFieldDefs.js"

const doc = (...mentions: ReadonlyArray<{ id: string; text?: string }>) => ({
  type: "doc",
  version: 1,
  content: [
    {
      type: "paragraph",
      content: mentions.flatMap((m) => [
        { type: "mention", attrs: { id: m.id, ...(m.text === undefined ? {} : { text: m.text }) } },
        { type: "text", text: " " },
      ]),
    },
  ],
})

const [description] = columnsOf(fields, ["description"])

describe("mentions of accounts Jira does not return", () => {
  it("keep the stored name; known accounts get their current name; no stored name leaves the account id", () => {
    if (description === undefined) throw new Error("description column")
    const users = new Map<string, DirectoryUserLike>([
      ["gone", unknownUser("gone")],
      ["here", { accountId: "here", displayName: "Current Name", known: true }],
      ["bare", unknownUser("bare")],
    ])
    const text = formatValue(
      doc({ id: "gone", text: "@Former Colleague" }, { id: "here", text: "@Old Name" }, { id: "bare" }),
      description,
      { ...ctxWith(), users },
    )
    expect(text).toBe("@Former Colleague @Current Name @bare")
  })
})
