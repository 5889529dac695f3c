import { fc, test } from "@fast-check/vitest"
import { describe, expect, it } from "vitest"
import { EXCEL_CELL_LIMIT, TRUNCATION_MARKER, truncateCell } from "../../src/csv/encoder.js"
import { encodeXlsxRows, serialDate, type XlsxKind } from "../../src/xlsx/cells.js"
import type { AboutExport } from "../../src/xlsx/parts.js"
import { kindsOf, MAX_LINKS, type WorkbookMeta, workbookBytes } from "../../src/xlsx/workbook.js"
import { concat, type ReadCell, readWorkbook, xmlParts } from "./reader.js"

const SITE = "https://acme.atlassian.net"
type Kind = WorkbookMeta["columns"][number]["kind"]

const about = (count: number): AboutExport => ({
  query: "project = ABC ORDER BY key",
  columns: ["Key"],
  timeZone: "Europe/Berlin",
  asOf: Date.UTC(2026, 11, 5, 21, 0, 0),
  count,
  countLabel: "Issues",
  generatedBy: "Liquitim Export for Jira",
})

const build = (
  columns: WorkbookMeta["columns"],
  rows: ReadonlyArray<ReadonlyArray<string>>,
  options: { readonly maxRows?: number; readonly pieces?: number } = {},
) => {
  const meta: WorkbookMeta = {
    sheetName: "Issues",
    columns,
    siteUrl: SITE,
    ...(options.maxRows === undefined ? {} : { maxRows: options.maxRows }),
  }
  const { text, truncatedCells } = encodeXlsxRows(rows, kindsOf(columns))
  // The same fragments cut into pieces anywhere, as chunks and file reads cut them.
  const n = options.pieces ?? 1
  const size = Math.ceil(text.length / n)
  const pieces = Array.from({ length: n }, (_, i) => text.slice(i * size, (i + 1) * size))
  return { bytes: concat(workbookBytes(meta, pieces, about(rows.length))), truncatedCells }
}

const ILLEGAL =
  /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g

/** What a reader must find in a cell of this kind holding this text. */
const expected = (text: string, kind: XlsxKind): ReadCell => {
  if (text === "") return { type: "empty" }
  if (
    kind === "number" &&
    /^-?\d+(\.\d+)?$/.test(text) &&
    text.replace(/[-.]/g, "").replace(/^0+/, "").replace(/0+$/, "").length <= 15
  )
    return { type: "number", value: Number(text) }
  if ((kind === "date" || kind === "datetime") && serialDate(text) !== undefined) {
    const m = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2}):(\d{2})(?:\.(\d{3}))?)?/.exec(text) ?? []
    const [y, mo, d, h, mi, s, ms] = m.slice(1).map((x) => Number(x ?? 0))
    return { type: "date", value: new Date(Date.UTC(y ?? 0, (mo ?? 1) - 1, d, h, mi, s, ms)) }
  }
  if (kind === "boolean" && (text === "true" || text === "false"))
    return { type: "boolean", value: text === "true" }
  if (kind === "issueKey" && /^[A-Za-z][A-Za-z0-9_]*-\d+$/.test(text))
    return { type: "link", value: text, target: `${SITE}/browse/${text}` }
  const cut = text.length > EXCEL_CELL_LIMIT ? truncateCell(text) : text
  return { type: "text", value: cut.replace(ILLEGAL, "\uFFFD") }
}

const HOSTILE = [
  "=1+2",
  "+SUM(A1:A2)",
  "-3",
  "@cmd",
  "\tlead tab",
  "line 1\r\nline 2\rline 3\nline 4",
  "emoji 😀👩‍💻🇩🇪",
  "RTL שלום עליכם مرحبا",
  "  padded  ",
  "<b>&amp; \"quoted\" 'single'</b>",
  "_x0041_ looks like an escape",
  "bell\u0007 and \u0000 nul and lone \uD800 surrogate",
  "x".repeat(EXCEL_CELL_LIMIT + 10),
  // Cut where an emoji's two UTF-16 units meet: the cut keeps neither.
  `${"y".repeat(EXCEL_CELL_LIMIT - TRUNCATION_MARKER.length - 1)}😀${"t".repeat(TRUNCATION_MARKER.length + 10)}`,
]

describe("the workbook", () => {
  it("gives every hostile text back as text, cut at Excel's limit with the CSV's marker", async () => {
    const columns = [{ id: "summary", header: "Summary", kind: "text" as Kind }]
    const rows = HOSTILE.map((h) => [h])
    const { bytes, truncatedCells } = build(columns, rows, { pieces: 7 })
    const [sheet] = await readWorkbook(bytes)
    expect(sheet?.rows.slice(1).map((r) => r[0])).toEqual(HOSTILE.map((h) => expected(h, "text")))
    expect(truncatedCells).toBe(2)
    // No formula anywhere, whatever the text starts with.
    for (const [path, text] of xmlParts(bytes)) expect(text, path).not.toMatch(/<f[ >]/)
  })

  it("types numbers, dates, date-times and booleans; links issue keys; keeps text that is not what its column says as text", async () => {
    const columns: WorkbookMeta["columns"] = [
      { id: "issuekey", header: "Key", kind: "text" },
      { id: "votes", header: "Votes", kind: "number" },
      { id: "due", header: "Due", kind: "date" },
      { id: "created", header: "Created", kind: "datetime" },
    ]
    const rows = [
      ["ABC-1", "42", "2026-07-17", "2026-11-02T10:17:05.120+01:00"],
      ["ABC-2", "-3.25", "1900-01-15", "2026-11-02T23:59:59Z"],
      ["not a key", "12345678901234567890", "2026-02-31", "yesterday"],
      ["", "", "", ""],
    ]
    const [sheet, aboutSheet] = await readWorkbook(build(columns, rows).bytes)
    const kinds = kindsOf(columns)
    expect(sheet?.rows.slice(1)).toEqual(rows.map((r) => r.map((t, i) => expected(t, kinds[i] ?? "text"))))
    expect(sheet?.rows[1]?.[1]).toEqual({ type: "number", value: 42 })
    expect(sheet?.rows[3]?.[1]).toEqual({ type: "text", value: "12345678901234567890" })
    expect(sheet?.frozenRows).toBe(1)
    expect(sheet?.headerBold).toBe(true)
    expect(sheet?.autoFilter).toBe("A1:D5")
    expect(aboutSheet?.name).toBe("About this export")
    expect(aboutSheet?.rows.map((r) => r[0])).toEqual(
      ["Query", "Columns", "Time zone", "As of", "Issues", "Generated by"].map((value) => ({
        type: "text",
        value,
      })),
    )
    expect(aboutSheet?.rows[3]?.[1]).toEqual({
      type: "date",
      value: new Date(Date.UTC(2026, 11, 5, 22, 0, 0)),
    })
    expect(aboutSheet?.rows[4]?.[1]).toEqual({ type: "number", value: 4 })
  })

  it("booleans are typed cells", async () => {
    const { text } = encodeXlsxRows([["true", "false", "maybe"]], ["boolean", "boolean", "boolean"])
    expect(text).toBe(
      '<row><c t="b"><v>1</v></c><c t="b"><v>0</v></c><c t="inlineStr"><is><t>maybe</t></is></c></row>',
    )
  })

  it("goes on in a second sheet with the header repeated when a sheet is full, and gives the same bytes however the fragments are cut", async () => {
    const columns: WorkbookMeta["columns"] = [
      { id: "issuekey", header: "Key", kind: "text" },
      { id: "n", header: "N", kind: "number" },
    ]
    const rows = Array.from({ length: 7 }, (_, i) => [`ABC-${i + 1}`, String(i)])
    const one = build(columns, rows, { maxRows: 4 }).bytes
    expect(build(columns, rows, { maxRows: 4, pieces: 13 }).bytes).toEqual(one)
    // Every entry is dated 1980-01-01 00:00 (MS-DOS time 0, date 0x21), not the time it was written.
    const view = new DataView(one.buffer, one.byteOffset)
    for (let at = 0; at < one.length - 4; at++)
      if (view.getUint32(at, true) === 0x04034b50)
        expect([view.getUint16(at + 10, true), view.getUint16(at + 12, true)]).toEqual([0, 0x21])
    const sheets = await readWorkbook(one)
    expect(sheets.map((s) => s.name)).toEqual(["Issues", "Issues (2)", "Issues (3)", "About this export"])
    for (const sheet of sheets.slice(0, 3))
      expect(sheet.rows[0]).toEqual([
        { type: "text", value: "Key" },
        { type: "text", value: "N" },
      ])
    const data = sheets.slice(0, 3).flatMap((s) => s.rows.slice(1))
    expect(data).toEqual(rows.map(([k, n]) => [expected(k ?? "", "issueKey"), expected(n ?? "", "number")]))
    expect(sheets[2]?.autoFilter).toBe("A1:B2")
  })

  it("links at most the first MAX_LINKS keys of a sheet", () => {
    const columns: WorkbookMeta["columns"] = [{ id: "issuekey", header: "Key", kind: "text" }]
    const rows = Array.from({ length: MAX_LINKS + 3 }, (_, i) => [`K-${i + 1}`])
    const parts = xmlParts(build(columns, rows, { pieces: 5 }).bytes)
    const rels = parts.get("xl/worksheets/_rels/sheet1.xml.rels") ?? ""
    expect(rels.match(/<Relationship /g)?.length).toBe(MAX_LINKS)
    expect(parts.get("xl/worksheets/sheet1.xml")?.match(/<hyperlink /g)?.length).toBe(MAX_LINKS)
  })

  const KINDS: ReadonlyArray<Kind> = ["text", "number", "date", "datetime"]
  const cellOf = (kind: Kind) =>
    fc.oneof(
      fc.constantFrom(...HOSTILE.slice(0, 12), ""),
      fc.string({ unit: "binary", maxLength: 20 }),
      kind === "number"
        ? fc.oneof(
            fc.integer().map(String),
            fc
              .double({ noNaN: true, noDefaultInfinity: true, min: -1e12, max: 1e12 })
              .map((n) => String(Math.round(n * 1000) / 1000)),
          )
        : kind === "text"
          ? fc.stringMatching(/^[A-Z]{1,4}-[1-9]\d{0,4}$/)
          : fc
              .date({
                min: new Date("1900-03-01T00:00:00Z"),
                max: new Date("9999-12-31T23:59:59Z"),
                noInvalidDate: true,
              })
              .map((d) => (kind === "date" ? d.toISOString().slice(0, 10) : d.toISOString())),
    )

  test.prop(
    [
      fc
        .array(fc.record({ kind: fc.constantFrom(...KINDS), key: fc.boolean() }), {
          minLength: 1,
          maxLength: 6,
        })
        .chain((cols) =>
          fc.tuple(
            fc.constant(cols),
            fc.array(fc.tuple(...cols.map((c) => cellOf(c.kind))), { maxLength: 8 }),
            fc.integer({ min: 1, max: 9 }),
          ),
        ),
    ],
    { numRuns: 25 },
  )("random columns and values come back with their type and value", async ([cols, rows, pieces]) => {
    const columns = cols.map((c, i) => ({
      id: c.key && c.kind === "text" ? "issuekey" : `c${i}`,
      header: `H${i}`,
      kind: c.kind,
    }))
    const { bytes } = build(columns, rows, { pieces })
    const [sheet] = await readWorkbook(bytes)
    const kinds = kindsOf(columns)
    const got = (sheet?.rows ?? []).slice(1).map((r) => r.slice(0, columns.length))
    const want = rows.map((r) => r.map((t, i) => expected(t, kinds[i] ?? "text")))
    // A row of empty cells is not a row to a reader.
    while (want.length > got.length && want[want.length - 1]?.every((c) => c.type === "empty")) want.pop()
    expect(got).toEqual(want)
  })
})
