import { describe, expect, it } from "vitest"
import { closestTo } from "../../src/fields/suggest.js"

const fields = [
  { id: "assignee", name: "Assignee" },
  { id: "status", name: "Status" },
  { id: "customfield_10016", name: "Story Points" },
  { id: "labels", name: "Labels" },
]

describe("closestTo", () => {
  it("finds a name typed without spaces or case, and an id", () => {
    expect(closestTo("storypoints", fields)?.id).toBe("customfield_10016")
    expect(closestTo("STORY_POINTS", fields)?.id).toBe("customfield_10016")
    expect(closestTo("customfield10016", fields)?.id).toBe("customfield_10016")
  })

  it("allows a typo per four characters, the fewest edits first", () => {
    expect(closestTo("asignee", fields)?.id).toBe("assignee")
    expect(closestTo("stauts", fields)?.id).toBe("status")
    expect(closestTo("lables", fields)?.id).toBe("labels")
  })

  it("suggests nothing for words that are far from every field", () => {
    expect(closestTo("resolution", fields)).toBeUndefined()
    expect(closestTo("x", fields)).toBeUndefined()
    expect(closestTo("  ", fields)).toBeUndefined()
  })
})
