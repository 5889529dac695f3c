// @vitest-environment happy-dom
import { fc, test } from "@fast-check/vitest"
import { describe, expect, it } from "vitest"
import { describeError } from "../../web/src/errors.js"
import { fileNameFor, formatBytes, formatClock, formatDuration } from "../../web/src/format.js"

describe("format", () => {
  it("words sizes, durations and clock times", () => {
    expect(formatBytes(1)).toBe("1 byte")
    expect(formatBytes(999)).toBe("999 bytes")
    expect(formatBytes(1_234_567)).toBe("1.2 MB")
    expect(formatDuration(400)).toBe("0 s")
    expect(formatDuration(75_000)).toBe("1 min 15 s")
    expect(formatDuration(3_720_000)).toBe("1 h 2 min")
    expect(formatClock(new Date("2026-11-29T10:30:00Z"), "Europe/Berlin")).toBe("11:30")
    expect(formatClock(new Date("2026-11-29T10:30:00Z"), "Not/AZone")).toMatch(/^\d\d:\d\d$/)
  })

  it("names the file after the query and the day", () => {
    const at = new Date("2026-11-29T23:30:00Z")
    expect(fileNameFor('project = "ABC" AND status = Done', at, "UTC")).toBe(
      "project-abc-and-status-done-2026-11-29.csv",
    )
    expect(fileNameFor("", at, "Europe/Berlin")).toBe("jira-issues-2026-11-30.csv")
    expect(fileNameFor("Résumé ~ 日本", at, "UTC")).toBe("resume-2026-11-29.csv")
    expect(fileNameFor("project = ABC", at, "UTC", true)).toBe("project-abc-history-2026-11-29.csv")
  })

  test.prop([fc.string({ maxLength: 300 })])("file names are always short and safe", (jql) => {
    const name = fileNameFor(jql, new Date(0), "UTC")
    expect(name).toMatch(/^[a-z0-9][a-z0-9-]*-1970-01-01\.csv$/)
    expect(name.length).toBeLessThanOrEqual(60 + "-1970-01-01.csv".length)
  })

  it("turns every error into a heading, the sentence and a next step, without repeating it", () => {
    const p = describeError({ tag: "Forbidden", message: "You can't browse project ABC." })
    expect(p).toEqual({
      heading: "You don't have permission",
      message: "You can't browse project ABC.",
      next: "Ask your Jira admin for access to these issues.",
      details: [],
    })
    // Jira not answering: one sentence, none of the transport's internals.
    expect(
      describeError({
        tag: "Transport",
        message: "Jira could not be reached.",
        details: ["TypeError: fetch failed"],
      }),
    ).toEqual({
      heading: "Jira is not answering",
      message: "Jira did not answer; check your connection, then try again.",
      next: undefined,
      details: [],
    })
    expect(
      describeError({
        tag: "InvalidJql",
        message: "Jira could not run this JQL: Field 'x' does not exist.",
        details: ["Field 'x' does not exist.", "Line 2 is odd."],
      }).details,
    ).toEqual(["Line 2 is odd."])
  })
})
