/**
 * The field filter of a history export is resolved like columns: ids and names in any case, each
 * once; unknown or ambiguous names, and computed columns (which have no changes), are refused with a
 * sentence, and a near miss is suggested.
 */
import { Either } from "effect"
import { describe, expect, it } from "vitest"
import { CUSTOM } from "../../dev/emulator/data/fields.js"
import { resolveHistoryFields } from "../../src/fields/historyFields.js"
import { fields } from "./fixtures.js"

const ids = (refs: ReadonlyArray<string>) => Either.getOrThrow(resolveHistoryFields(fields, refs))
const problem = (refs: ReadonlyArray<string>) => {
  const resolved = resolveHistoryFields(fields, refs)
  if (Either.isRight(resolved)) throw new Error(`resolved ${JSON.stringify(resolved.right)}`)
  return resolved.left
}

describe("history field names", () => {
  it("take ids and names in any case, in the order given, each once", () => {
    expect(ids(["Status"])).toEqual(["status"])
    expect(ids(["Assignee", "status", "ASSIGNEE"])).toEqual(["assignee", "status"])
    expect(ids(["Story Points", CUSTOM.storyPoints])).toEqual([CUSTOM.storyPoints])
    expect(ids([])).toEqual([])
  })

  it("refuse an unknown name with a suggestion when one is near", () => {
    expect(problem(["status", "asignee"])).toMatchObject({
      reason: "UnknownColumn",
      message: '"asignee" is not a field whose changes you can export; did you mean assignee?',
    })
    expect(problem(["storypoints"]).message).toBe(
      `"storypoints" is not a field whose changes you can export; did you mean Story Points (${CUSTOM.storyPoints})?`,
    )
    expect(problem(["nosuchfield"]).message).toBe(
      `"nosuchfield" is not a field whose changes you can export; give a field's name or id as Jira lists it.`,
    )
  })

  it("refuse a name two fields share, with their ids", () => {
    expect(problem(["Category"])).toMatchObject({
      reason: "AmbiguousColumn",
      message: `"Category" names 2 fields; give one of their ids instead: ${CUSTOM.categoryA}, ${CUSTOM.categoryB}.`,
    })
    expect(ids([CUSTOM.categoryB])).toEqual([CUSTOM.categoryB])
  })

  it("refuse computed columns, which have no changes", () => {
    expect(problem(["timeInStatus"]).reason).toBe("UnknownColumn")
    expect(problem(["issuekey"]).reason).toBe("UnknownColumn")
  })
})
