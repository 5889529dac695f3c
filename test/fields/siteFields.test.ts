/**
 * Placeholders are not values (issue 19 item 2): fields that depend on what the site has give empty
 * cells for Jira's placeholders, readable text for their real shapes, and the spreadsheet preset
 * never writes a JSON object or array for any field type (a property over every formatter).
 */
import fc from "fast-check"
import { describe, expect, it } from "vitest"
import { formatValue } from "../../src/fields/format.js"
import { ctxWith, fields } from "./fixtures.js"
import { columnsOf, SITE_FIELDS } from "./siteFieldDefs.js"

const byId = new Map(
  columnsOf(
    SITE_FIELDS,
    SITE_FIELDS.map((f) => f.id),
  ).map((c) => [c.id, c]),
)
const cell = (id: string, value: unknown, format: Parameters<typeof ctxWith>[0] = {}) => {
  const column = byId.get(id) ?? columnsOf(fields, [id])[0]
  if (column === undefined) throw new Error(id)
  return formatValue(value, column, ctxWith(format))
}

const hours = (h: number) => ({ millis: h * 3_600_000, friendly: `${h}h` })

describe("site-dependent fields", () => {
  it("Parent Link: the key on Premium sites, empty for the PLUGIN_LICENSE_ERROR placeholder", () => {
    const placeholder = {
      hasEpicLinkFieldDependency: false,
      showField: false,
      nonEditableReason: {
        reason: "PLUGIN_LICENSE_ERROR",
        message: "The Parent Link is only available to Jira Premium users.",
      },
    }
    expect(cell("customfield_10018", placeholder)).toBe("")
    expect(
      cell("customfield_10018", {
        hasEpicLinkFieldDependency: false,
        showField: true,
        data: { id: 10001, key: "ABC-1", keyNum: 1 },
      }),
    ).toBe("ABC-1")
  })

  it("issuerestriction: empty without restrictions, else the restricting roles and groups", () => {
    expect(cell("issuerestriction", { issuerestrictions: {}, shouldDisplay: false })).toBe("")
    expect(
      cell("issuerestriction", {
        issuerestrictions: {
          projectrole: [{ id: 10002, name: "Administrators" }],
          group: [{ name: "legal" }],
        },
        shouldDisplay: true,
      }),
    ).toBe("Administrators; legal")
  })

  it("SLA: the error placeholder is empty; cycles say the time left, by how much breached, or met", () => {
    expect(
      cell("customfield_10030", {
        errorMessage: "The Service Desk you are trying to view does not exist.",
        i18nErrorMessage: { i18nKey: "sd.agent.servicedesk.error.servicedesk.missing", parameters: [] },
      }),
    ).toBe("")
    const ongoing = (remainingH: number, extra: object = {}) => ({
      id: "1",
      name: "Time to resolution",
      completedCycles: [],
      ongoingCycle: {
        breached: remainingH < 0,
        paused: false,
        goalDuration: hours(8),
        elapsedTime: hours(8 - remainingH),
        remainingTime: { millis: remainingH * 3_600_000 },
        ...extra,
      },
    })
    expect(cell("customfield_10030", ongoing(2.5))).toBe("2h 30m left")
    expect(cell("customfield_10030", ongoing(-0.5))).toBe("Breached by 30m")
    expect(cell("customfield_10030", ongoing(3, { paused: true }))).toBe("3h left (paused)")
    const completed = (breached: boolean, elapsedH: number) => ({
      completedCycles: [
        {
          breached,
          goalDuration: hours(1),
          elapsedTime: hours(elapsedH),
          remainingTime: hours(1 - elapsedH),
        },
      ],
    })
    expect(cell("customfield_10030", completed(false, 0.25))).toBe("Met in 15m (goal 1h)")
    expect(cell("customfield_10030", completed(true, 3))).toBe("Breached: 3h (goal 1h)")
    expect(cell("customfield_10030", { completedCycles: [] })).toBe("")
    expect(cell("customfield_10030", ongoing(2.5), { durationFormat: "hours" })).toBe("2.5 left")
  })

  it("Work Ratio -1 (no estimate) is empty; a ratio is its number", () => {
    expect(cell("workratio", -1)).toBe("")
    expect(cell("workratio", 50)).toBe("50")
  })

  it('Development: "{}" is empty; a summary bean gives its counts', () => {
    expect(cell("customfield_10000", "{}")).toBe("")
    const summary = {
      cachedValue: {
        errors: [],
        configErrors: [],
        summary: {
          pullrequest: { overall: { count: 1, state: "OPEN", stateCount: 1, open: true } },
          repository: { overall: { count: 3 } },
          branch: { overall: { count: 1 } },
          build: { overall: { count: 0 } },
        },
      },
      isStale: false,
    }
    const text = `{summaryBean=com.atlassian.jira.plugin.devstatus.rest.SummaryBean@1[summary={}], devSummaryJson=${JSON.stringify(summary)}}`
    expect(cell("customfield_10000", text)).toBe("1 pull request (OPEN); 1 branch; 3 commits")
    expect(cell("customfield_10000", "{summaryBean=broken")).toBe("")
  })

  it("colours: Epic colour ids and Issue colour names as Jira names them", () => {
    expect(cell("customfield_10012", "ghx-label-2")).toBe("Dark yellow")
    expect(cell("customfield_10012", "ghx-label-14")).toBe("Dark orange")
    expect(cell("customfield_10017", "dark_yellow")).toBe("Dark yellow")
    expect(cell("customfield_10017", "purple")).toBe("Purple")
    expect(cell("customfield_10012", "#ff8b00")).toBe("#ff8b00")
  })

  it("the legacy [CHART] Time in Status string is written status: time", () => {
    const raw = "10128_*:*_1_*:*_503232_*|*_1_*:*_3_*:*_36041_*|*_10132_*:*_3_*:*_1130242879"
    const ctx = { history: { asOfMs: 0, statuses: [{ id: "1", name: "Open", category: "new" }] } }
    const column = byId.get("customfield_10025")
    if (column === undefined) throw new Error("column")
    expect(formatValue(raw, column, { ...ctxWith(), ...ctx })).toBe(
      "Status 10128: 8m; Open: 1m (3 times); Status 10132: 13d 1h 57m (3 times)",
    )
    expect(cell("customfield_10025", "")).toBe("")
  })
})

/** A JSON object or array, as a spreadsheet cell holding JSON would parse. */
const parsesAsJsonContainer = (text: string): boolean => {
  const t = text.trim()
  if (!/^[[{]/.test(t)) return false
  const parsed = (() => {
    try {
      return JSON.parse(t) as unknown
    } catch {
      return undefined
    }
  })()
  return typeof parsed === "object" && parsed !== null
}

describe("the spreadsheet preset never writes a JSON object or array", () => {
  const every = [
    ...columnsOf(
      fields,
      fields.filter((f) => f.id !== "issuekey").map((f) => f.id),
    ),
    ...byId.values(),
  ]
  // Objects of any shape; their strings are plain words (a text value that is JSON is the user's own).
  const value = fc.oneof(
    fc.object({
      maxDepth: 3,
      values: [fc.boolean(), fc.integer(), fc.constant(null), fc.stringMatching(/^[a-z ]{0,8}$/)],
    }),
    fc.array(fc.object({ maxDepth: 2, values: [fc.integer(), fc.stringMatching(/^[a-z]{0,5}$/)] }), {
      maxLength: 4,
    }),
  )

  it("for any value under any field type (property)", () => {
    fc.assert(
      fc.property(value, (v) => {
        for (const column of every) {
          const text = formatValue(v, column, ctxWith())
          if (parsesAsJsonContainer(text)) throw new Error(`${column.id}: ${text}`)
          expect(text).not.toContain("[object Object]")
        }
      }),
      { numRuns: 150 },
    )
  })

  it("while the data preset keeps an unknown shape as compact JSON", () => {
    const column = byId.get("customfield_10018")
    if (column === undefined) throw new Error("column")
    expect(formatValue({ a: 1 }, column, ctxWith({ jsonForUnknown: true }))).toBe('{"a":1}')
  })
})
