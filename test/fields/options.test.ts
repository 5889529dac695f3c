import { Either } from "effect"
import { describe, expect, it } from "vitest"
import { PRESETS, resolveOptions } from "../../src/export/options.js"

const right = <A>(e: Either.Either<A, string>): A => {
  if (Either.isLeft(e)) throw new Error(e.left)
  return e.right
}

describe("resolveOptions", () => {
  it("defaults to the spreadsheet preset in the user's time zone", () => {
    expect(right(resolveOptions(undefined, "Europe/Berlin"))).toEqual({
      ...PRESETS.spreadsheet,
      format: { ...PRESETS.spreadsheet.format, timeZone: "Europe/Berlin" },
    })
    expect(PRESETS.spreadsheet.csv).toEqual({
      delimiter: ",",
      lineEnding: "\r\n",
      bom: true,
      formulaGuard: true,
      truncateLongCells: true,
    })
    expect(PRESETS.spreadsheet.format.dateFormat).toBe("spreadsheet")
  })

  it("the data preset: no BOM, LF, no guard, no truncation, ISO dates", () => {
    const o = right(resolveOptions({ preset: "data" }, "UTC"))
    expect(o.csv).toEqual({
      delimiter: ",",
      lineEnding: "\n",
      bom: false,
      formulaGuard: false,
      truncateLongCells: false,
    })
    expect(o.format.dateFormat).toBe("iso")
    expect(o.preset).toBe("data")
  })

  it("every choice overrides the preset", () => {
    const o = right(
      resolveOptions(
        {
          preset: "data",
          delimiter: ";",
          lineEnding: "crlf",
          bom: true,
          formulaGuard: true,
          truncateLongCells: true,
          dateFormat: { pattern: "dd.MM.yyyy HH:mm" },
          timeZone: "Asia/Kolkata",
          userDisplay: "email",
          multiValueSeparator: " | ",
          durationFormat: "hours",
          hoursPerDay: 7.5,
          daysPerWeek: 4,
          strategy: "fast",
        },
        "Europe/Berlin",
      ),
    )
    expect(o).toEqual({
      preset: "data",
      csv: { delimiter: ";", lineEnding: "\r\n", bom: true, formulaGuard: true, truncateLongCells: true },
      format: {
        dateFormat: { pattern: "dd.MM.yyyy HH:mm" },
        timeZone: "Asia/Kolkata",
        userDisplay: "email",
        multiValueSeparator: " | ",
        durationFormat: "hours",
        hoursPerDay: 7.5,
        daysPerWeek: 4,
      },
      strategy: "fast",
    })
  })

  it("time zone: user, UTC, or an IANA name; unknown names are refused with a sentence", () => {
    expect(right(resolveOptions({ timeZone: "user" }, "America/New_York")).format.timeZone).toBe(
      "America/New_York",
    )
    expect(right(resolveOptions({ timeZone: "utc" }, "America/New_York")).format.timeZone).toBe("UTC")
    expect(right(resolveOptions({ timeZone: "Asia/Calcutta" }, "UTC")).format.timeZone).toBe("Asia/Calcutta")
    const bad = resolveOptions({ timeZone: "Mars/Olympus" }, "UTC")
    expect(Either.isLeft(bad) && bad.left).toMatch(/^"Mars\/Olympus" is not a time zone/)
    const badProfile = resolveOptions(undefined, "Nowhere/Land")
    expect(Either.isLeft(badProfile) && badProfile.left).toMatch(/profile's time zone "Nowhere\/Land"/)
  })
})
