import { fc, test } from "@fast-check/vitest"
import { parse } from "csv-parse/sync"
import { describe, expect, it } from "vitest"
import {
  BOM,
  type CellKind,
  type CsvOptions,
  cellText,
  EXCEL_CELL_LIMIT,
  encodeHeader,
  encodeRows,
  FORMULA_TRIGGERS,
  TRUNCATION_MARKER,
} from "../../src/csv/encoder.js"
import { PRESETS } from "../../src/export/options.js"

// Characters that break naive CSV writers and spreadsheets, full-width and small formula triggers,
// and astral characters (surrogate pairs), mixed with ordinary text.
const HOSTILE = [",", ";", "\t", "|", "\r", "\n", '"', "=", "+", "-", "@", " ", "'", "I", "D"]
const WIDE = ["\uFF1D", "\uFF0B", "\uFF0D", "\uFF20", "\uFE66", "é", "ß", "中", "\u00A0"]
const ASTRAL = ["😀", "𝄞", "👩‍💻", "🇩🇪"]

const unit = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...HOSTILE) },
  { weight: 2, arbitrary: fc.constantFrom(...WIDE) },
  { weight: 1, arbitrary: fc.constantFrom(...ASTRAL) },
  { weight: 3, arbitrary: fc.char() },
)
const cell = fc.string({ unit, maxLength: 12 })
const numberCell = fc.oneof(
  fc.integer({ min: -1_000_000, max: 1_000_000 }).map(String),
  fc.double({ min: -1e9, max: 1e9, noNaN: true }).map((n) => String(Math.round(n * 100) / 100)),
)

const csvOptions: fc.Arbitrary<CsvOptions> = fc.record({
  delimiter: fc.constantFrom(",", ";", "\t", "|"),
  lineEnding: fc.constantFrom("\r\n", "\n"),
  bom: fc.boolean(),
  formulaGuard: fc.boolean(),
  truncateLongCells: fc.boolean(),
})

/** A table: kinds per column, a header and rows of that width. */
const table = fc.integer({ min: 1, max: 6 }).chain((width) =>
  fc.record({
    kinds: fc.array(fc.constantFrom<CellKind>("text", "number"), {
      minLength: width,
      maxLength: width,
    }),
    headers: fc.array(cell, { minLength: width, maxLength: width }),
    rows: fc.array(fc.array(cell, { minLength: width, maxLength: width }), { maxLength: 8 }),
    numbers: fc.array(fc.array(numberCell, { minLength: width, maxLength: width }), { maxLength: 8 }),
  }),
)

/** Number-kind columns get numbers; the rest keep their hostile text. */
const rowsOf = (t: {
  kinds: ReadonlyArray<CellKind>
  rows: ReadonlyArray<ReadonlyArray<string>>
  numbers: ReadonlyArray<ReadonlyArray<string>>
}) => t.rows.map((row, r) => row.map((c, i) => (t.kinds[i] === "number" ? (t.numbers[r]?.[i] ?? "0") : c)))

const startsWithTrigger = (s: string): boolean =>
  FORMULA_TRIGGERS.has(s.charAt(0)) || FORMULA_TRIGGERS.has(s.trimStart().charAt(0))

/** What a reader must get back: the cell, with the guard's `'` where the guard applies. */
const expectedCell = (c: string, kind: CellKind | null, o: CsvOptions): string => {
  const isNumber = kind === "number" && /^-?\d+(\.\d+)?$/.test(c)
  return o.formulaGuard && !isNumber && startsWithTrigger(c) ? `'${c}` : c
}

const parseCsv = (text: string, o: CsvOptions): Array<Array<string>> =>
  parse(text, {
    delimiter: o.delimiter,
    record_delimiter: o.lineEnding,
    bom: true,
    relax_column_count: false,
  })

describe("encodeRows / encodeHeader properties", () => {
  test.prop([table, csvOptions])(
    "cellText is exactly what a reader parses back from the file (the preview shows it)",
    (t, o) => {
      const rows = rowsOf(t)
      const parsed = parseCsv(encodeRows(rows, t.kinds, o).text, o)
      expect(parsed).toEqual(rows.map((row) => row.map((c, i) => cellText(c, t.kinds[i] ?? "text", o))))
    },
  )

  test.prop([table, csvOptions])(
    "csv-parse gives back every cell, the header's width on every row",
    (t, o) => {
      const rows = rowsOf(t)
      const text = encodeHeader(t.headers, o) + encodeRows(rows, t.kinds, o).text
      const parsed = parseCsv(text, o)
      expect(parsed).toEqual([
        t.headers.map((h) => expectedCell(h, null, o)),
        ...rows.map((row) => row.map((c, i) => expectedCell(c, t.kinds[i] ?? "text", o))),
      ])
      for (const record of parsed) expect(record).toHaveLength(t.headers.length)
    },
  )

  test.prop([table, csvOptions])("with the guard on, no text cell starts with a formula trigger", (t, o) => {
    const guarded = { ...o, formulaGuard: true }
    const rows = rowsOf(t)
    const parsed = parseCsv(
      encodeHeader(t.headers, guarded) + encodeRows(rows, t.kinds, guarded).text,
      guarded,
    )
    parsed.forEach((record, r) => {
      record.forEach((c, i) => {
        const isNumberCell = r > 0 && t.kinds[i] === "number"
        if (!isNumberCell) expect(startsWithTrigger(c)).toBe(false)
      })
    })
  })

  test.prop([table, csvOptions])("a BOM only at the very start, and only when asked", (t, o) => {
    const text = encodeHeader(t.headers, o) + encodeRows(rowsOf(t), t.kinds, o).text
    expect(text.startsWith(BOM)).toBe(o.bom)
    expect(text.indexOf(BOM, 1)).toBe(-1)
  })

  test.prop([table, csvOptions, fc.array(fc.nat(10), { maxLength: 4 })])(
    "encoding in chunks gives exactly the whole encoding",
    (t, o, cuts) => {
      const rows = rowsOf(t)
      const whole = encodeRows(rows, t.kinds, o)
      let rest = rows
      let text = ""
      let truncated = 0
      for (const cut of [...cuts, rows.length]) {
        const chunk = encodeRows(rest.slice(0, cut), t.kinds, o)
        text += chunk.text
        truncated += chunk.truncatedCells
        rest = rest.slice(cut)
      }
      expect(text).toBe(whole.text)
      expect(truncated).toBe(whole.truncatedCells)
    },
  )

  test.prop([fc.array(cell, { minLength: 1, maxLength: 4 }), csvOptions])(
    "the file never begins with the bytes ID (Excel's SYLK trap)",
    (headers, o) => {
      const text = encodeHeader([`ID${headers[0]}`, ...headers.slice(1)], { ...o, bom: false })
      expect(text.startsWith("ID")).toBe(false)
      expect(parseCsv(text, o)[0]?.[0]).toBe(expectedCell(`ID${headers[0]}`, null, o))
    },
  )

  test.prop([fc.array(numberCell, { minLength: 1, maxLength: 6 }), csvOptions])(
    "number cells are written as they are: never quoted, never guarded",
    (numbers, o) => {
      const kinds = numbers.map((): CellKind => "number")
      expect(encodeRows([numbers], kinds, { ...o, formulaGuard: true }).text).toBe(
        numbers.join(o.delimiter) + o.lineEnding,
      )
    },
  )
})

describe("encoder rules", () => {
  const spreadsheet = PRESETS.spreadsheet.csv
  const data = PRESETS.data.csv

  it("quotes the delimiter, quotes, line breaks and edge spaces, doubling quotes (RFC 4180)", () => {
    const row = ["a,b", 'say "hi"', "two\nlines", "cr\rhere", " lead", "trail ", "plain", ""]
    expect(encodeRows([row], [], data).text).toBe(
      '"a,b","say ""hi""","two\nlines","cr\rhere"," lead","trail ",plain,\n',
    )
    expect(encodeRows([["a;b", "a,b"]], [], { ...data, delimiter: ";" }).text).toBe('"a;b";a,b\n')
    expect(encodeRows([["a\tb", "a|b"]], [], { ...data, delimiter: "\t" }).text).toBe('"a\tb"\ta|b\n')
    expect(encodeRows([["a|b", "a,b"]], [], { ...data, delimiter: "|" }).text).toBe('"a|b"|a,b\n')
  })

  it("guards text cells that start with = + - @ tab CR or their full-width forms, not numbers", () => {
    const cells = [
      "=1+1",
      "+1",
      "-2",
      "@SUM(A1)",
      "\tx",
      "\rx",
      "\uFF1D1",
      "\uFF0B1",
      "\uFF0D1",
      "\uFF20x",
      " =1",
    ]
    const text = encodeRows([cells], [], spreadsheet).text
    expect(parseCsv(text, spreadsheet)[0]).toEqual(cells.map((c) => `'${c}`))
    expect(
      encodeRows(
        [["-2", "-2", "=1", "+1", "-1e5"]],
        ["number", "text", "number", "number", "number"],
        spreadsheet,
      ).text,
    ).toBe("-2,'-2,'=1,'+1,'-1e5\r\n")
    expect(encodeRows([["=1+1"]], ["text"], data).text).toBe("=1+1\n")
  })

  it("cuts cells over Excel's 32,767 characters with a marker, and counts them", () => {
    const long = "x".repeat(EXCEL_CELL_LIMIT + 10)
    const exact = "y".repeat(EXCEL_CELL_LIMIT)
    const chunk = encodeRows([[long, exact]], ["text", "text"], spreadsheet)
    expect(chunk.truncatedCells).toBe(1)
    const [cut, kept] = parseCsv(chunk.text, spreadsheet)[0] ?? []
    expect(cut?.length).toBe(EXCEL_CELL_LIMIT)
    expect(cut?.endsWith(TRUNCATION_MARKER)).toBe(true)
    expect(kept).toBe(exact)
    expect(encodeRows([[long]], ["text"], data)).toEqual({ text: `${long}\n`, truncatedCells: 0 })
  })

  it("never splits a surrogate pair when cutting", () => {
    const astral = `${"x".repeat(EXCEL_CELL_LIMIT - TRUNCATION_MARKER.length - 1)}${"😀".repeat(10)}`
    const [cut] = parseCsv(encodeRows([[astral]], ["text"], spreadsheet).text, spreadsheet)[0] ?? []
    expect(cut).toBe(`${"x".repeat(EXCEL_CELL_LIMIT - TRUNCATION_MARKER.length - 1)}${TRUNCATION_MARKER}`)
  })

  it("writes the header after the BOM with the preset's line ending", () => {
    expect(encodeHeader(["Issue key", "Summary"], spreadsheet)).toBe("\uFEFFIssue key,Summary\r\n")
    expect(encodeHeader(["Issue key", "Summary"], data)).toBe("Issue key,Summary\n")
    expect(encodeHeader(["ID", "Summary"], data)).toBe('"ID",Summary\n')
    expect(encodeHeader(["=cmd"], spreadsheet)).toBe("\uFEFF'=cmd\r\n")
  })

  it("writes a row of one empty cell as a quoted empty cell, so readers see the row", () => {
    expect(encodeRows([[""], ["a"]], ["text"], data).text).toBe('""\na\n')
    expect(parseCsv(encodeRows([[""], ["a"]], ["text"], data).text, data)).toEqual([[""], ["a"]])
  })
})
