import { Either } from "effect"
import { describe, expect, expectTypeOf, it } from "vitest"
import {
  DEFAULT_VALUE_COLUMNS,
  JIRA_IMPORT_DATE_PATTERN,
  PRESET_DEFAULTS,
} from "../../src/contract/constants.js"
import type {
  DateFormat,
  Delimiter,
  DurationFormat,
  ExportOptionsInput,
  Preset,
  UserDisplay,
} from "../../src/contract.js"
import type { CsvOptions } from "../../src/csv/encoder.js"
import { cellKindOf, PRESETS, resolveOptions } from "../../src/export/options.js"
import { namedTimeZone } from "../../src/fields/dates.js"
import type { FormatOptions } from "../../src/fields/options.js"

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
        // The zone the runner chose from the option (timeZoneFor, test/export/timeZone.test.ts).
        "Asia/Kolkata",
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
        // The data preset writes shapes it does not know as JSON, for programs.
        jsonForUnknown: true,
      },
      strategy: "fast",
    })
  })

  it("the jira-import preset: comma, CRLF, no BOM, guard or cut; account ids, seconds, one date pattern", () => {
    const o = right(resolveOptions({ preset: "jira-import" }, "Europe/Berlin"))
    expect(o.preset).toBe("jira-import")
    expect(o.csv).toEqual({
      delimiter: ",",
      lineEnding: "\r\n",
      bom: false,
      formulaGuard: false,
      truncateLongCells: false,
    })
    expect(o.format).toMatchObject({
      dateFormat: { pattern: JIRA_IMPORT_DATE_PATTERN },
      timeZone: "Europe/Berlin",
      userDisplay: "accountId",
      durationFormat: "seconds",
      importer: { valueColumns: DEFAULT_VALUE_COLUMNS },
    })
    expect(JIRA_IMPORT_DATE_PATTERN).toBe("yyyy-MM-dd HH:mm")
  })

  it("valueColumns sets the jira-import columns per value, and means nothing to the other presets", () => {
    expect(right(resolveOptions({ preset: "jira-import", valueColumns: 7 }, "UTC")).format.importer).toEqual({
      valueColumns: 7,
    })
    for (const preset of ["spreadsheet", "data"] as const)
      expect(right(resolveOptions({ preset, valueColumns: 7 }, "UTC")).format.importer).toBeUndefined()
  })

  // Which zone (the option's or the profile's) is timeZoneFor's choice (test/export/timeZone.test.ts);
  // resolveOptions takes that choice and refuses a zone the runtime does not know.
  it("time zone: the chosen zone; unknown names are refused with a sentence", () => {
    expect(right(resolveOptions({ timeZone: "user" }, "America/New_York")).format.timeZone).toBe(
      "America/New_York",
    )
    expect(right(resolveOptions({ timeZone: "Asia/Calcutta" }, "Asia/Calcutta")).format.timeZone).toBe(
      "Asia/Calcutta",
    )
    const bad = resolveOptions({ timeZone: "Mars/Olympus" }, "Mars/Olympus")
    expect(Either.isLeft(bad) && bad.left).toMatch(/^"Mars\/Olympus" is not a time zone/)
    const badProfile = resolveOptions(undefined, "Nowhere/Land")
    expect(Either.isLeft(badProfile) && badProfile.left).toMatch(/profile's time zone "Nowhere\/Land"/)
  })
})

describe("the contract's choices and the layers' own option types", () => {
  it("name the same choices, so what the page may send is what the encoder and formatters take", () => {
    // Checked by the type checker: csv/ and fields/ define their types, the contract its Schemas.
    expectTypeOf<Delimiter>().toEqualTypeOf<CsvOptions["delimiter"]>()
    expectTypeOf<DateFormat>().toEqualTypeOf<FormatOptions["dateFormat"]>()
    expectTypeOf<UserDisplay>().toEqualTypeOf<FormatOptions["userDisplay"]>()
    expectTypeOf<DurationFormat>().toEqualTypeOf<FormatOptions["durationFormat"]>()
  })

  it("the presets are defined once, in the contract's terms, and completed from there", () => {
    // Every preset is a complete ExportOptionsInput (less the preset's name, the history mode and
    // the file format, which every preset writes).
    expectTypeOf(PRESET_DEFAULTS).toExtend<
      Record<Preset, Required<Omit<ExportOptionsInput, "preset" | "history" | "valueColumns" | "format">>>
    >()
    for (const preset of ["spreadsheet", "data", "jira-import"] as const) {
      const input = PRESET_DEFAULTS[preset]
      // Asking for every value the preset has gives the preset itself.
      expect(right(resolveOptions({ ...input, preset }, "UTC"))).toEqual(PRESETS[preset])
    }
  })

  it("the encoder writes only number columns apart; dates are text to it", () => {
    expect(cellKindOf("number")).toBe("number")
    expect(cellKindOf("text")).toBe("text")
    expect(cellKindOf("date")).toBe("text")
    expect(cellKindOf("datetime")).toBe("text")
  })
})

describe("namedTimeZone", () => {
  it("user (any case) or no option means the profile's zone; UTC in any case is UTC; names are kept", () => {
    expect(namedTimeZone(undefined)).toBeUndefined()
    expect(namedTimeZone("user")).toBeUndefined()
    expect(namedTimeZone("User")).toBeUndefined()
    expect(namedTimeZone("utc")).toBe("UTC")
    expect(namedTimeZone("Utc")).toBe("UTC")
    expect(namedTimeZone("Europe/Berlin")).toBe("Europe/Berlin")
  })
})
