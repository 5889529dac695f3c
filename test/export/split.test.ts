import { describe, expect, it } from "@effect/vitest"
import fc from "fast-check"
import { type Cut, type Listed, type SplitInput, splitRows } from "../../src/export/split.js"

type Row = ReadonlyArray<string>

/** A CSV-like encoder whose texts concatenate exactly; cells over 8 characters count as truncated. */
const encode = (rows: ReadonlyArray<Row>) => ({
  text: rows.map((row) => `${row.join(",")}\n`).join(""),
  truncatedCells: rows.reduce((n, row) => n + row.filter((cell) => cell.length > 8).length, 0),
})

const bytes = (text: string) => Buffer.byteLength(text)

/** After the source: "end"; inside it: the position to resume from. */
const input = (
  rows: ReadonlyArray<Row>,
  positions: ReadonlyArray<number>,
  missing: ReadonlyArray<Listed>,
  maxBytes: number,
): SplitInput<number | "end"> => ({
  rows,
  positions,
  missing,
  after: "end",
  resumeAt: (position) => position,
  encode,
  maxBytes,
})

const spans = (cuts: ReadonlyArray<Cut<unknown>>) => cuts.map((c) => [c.from, c.to, c.after, c.missing])

describe("unit splitter", () => {
  it("keeps a source that fits as one unit with all its missing issues and the phase after it", () => {
    const rows = [["a", "b"], ["c"]]
    const cuts = splitRows(input(rows, [0, 2], [{ id: "m", position: 1 }], 100))
    expect(cuts).toEqual([
      { from: 0, to: 2, text: "a,b\nc\n", truncatedCells: 0, missing: ["m"], after: "end" },
    ])
  })

  it("keeps a single row as one unit even when it is larger than the budget", () => {
    const cuts = splitRows(input([["a very long cell"]], [4], [], 3))
    expect(cuts).toEqual([
      { from: 0, to: 1, text: "a very long cell\n", truncatedCells: 1, missing: [], after: "end" },
    ])
  })

  it("an empty source is one empty unit that still reports its missing issues", () => {
    const cuts = splitRows(input([], [], [{ id: "m", position: 0 }], 10))
    expect(spans(cuts)).toEqual([[0, 0, "end", ["m"]]])
  })

  it("cuts between rows, fills each unit, and reports each missing issue in the unit it falls in", () => {
    // Rows of 4 bytes ("xx,\n" style) at positions 3, 5, 6, 9; budget of two rows.
    const rows = [
      ["aa", ""],
      ["bb", ""],
      ["cc", ""],
      ["dd", ""],
    ]
    const missing = [
      { id: "before", position: 1 },
      { id: "between", position: 4 },
      { id: "gap", position: 7 },
      { id: "tail", position: 12 },
    ]
    const cuts = splitRows(input(rows, [3, 5, 6, 9], missing, 8))
    expect(spans(cuts)).toEqual([
      [0, 2, 6, ["before", "between"]],
      [2, 4, "end", ["gap", "tail"]],
    ])
    expect(cuts.map((c) => c.text)).toEqual(["aa,\nbb,\n", "cc,\ndd,\n"])
  })

  it("counts bytes, not characters", () => {
    // "é\n" is 3 bytes (2 characters): two rows are 6 bytes, over a budget of 5.
    const cuts = splitRows(input([["é"], ["é"]], [0, 1], [], 5))
    expect(spans(cuts)).toEqual([
      [0, 1, 1, []],
      [1, 2, "end", []],
    ])
  })

  const sources = fc.record({
    slots: fc.array(
      fc.record({
        listedOnly: fc.boolean(),
        row: fc.array(fc.fullUnicodeString({ maxLength: 12 }), { minLength: 1, maxLength: 4 }),
      }),
      { maxLength: 30 },
    ),
    // A source resumed inside a page starts past position 0.
    offset: fc.nat(40),
    maxBytes: fc.integer({ min: 1, max: 160 }),
  })

  const build = ({
    slots,
    offset,
  }: {
    slots: ReadonlyArray<{ listedOnly: boolean; row: Row }>
    offset: number
  }) => {
    const rows: Array<Row> = []
    const positions: Array<number> = []
    const missing: Array<Listed> = []
    slots.forEach((slot, i) => {
      if (slot.listedOnly) missing.push({ id: `m${i}`, position: offset + i })
      else {
        rows.push(slot.row)
        positions.push(offset + i)
      }
    })
    return { rows, positions, missing }
  }

  it("property: units concatenate to the whole, stay within budget, and resume exactly", () => {
    fc.assert(
      fc.property(sources, (source) => {
        const { rows, positions, missing } = build(source)
        const cuts = splitRows(input(rows, positions, missing, source.maxBytes))

        // Concatenated units are the whole, rows contiguous and in order.
        expect(cuts.map((c) => c.text).join("")).toBe(encode(rows).text)
        expect(cuts.reduce((n, c) => n + c.truncatedCells, 0)).toBe(encode(rows).truncatedCells)
        expect(cuts[0]?.from).toBe(0)
        expect(cuts.at(-1)?.to).toBe(rows.length)
        cuts.forEach((cut, k) => {
          expect(cut.text).toBe(encode(rows.slice(cut.from, cut.to)).text)
          if (k > 0) expect(cut.from).toBe(cuts[k - 1]?.to)
          if (rows.length > 0) expect(cut.to).toBeGreaterThan(cut.from)
        })
        // Each missing issue is reported once, in order.
        expect(cuts.flatMap((c) => c.missing)).toEqual(missing.map((m) => m.id))

        if (cuts.length === 1) {
          expect(cuts[0]?.after).toBe("end")
          return
        }
        cuts.forEach((cut, k) => {
          const row = rows[cut.to]
          // Within budget unless a single row exceeds it, and cut only when the next row would not fit.
          expect(bytes(cut.text) <= source.maxBytes || cut.to - cut.from === 1).toBe(true)
          if (row !== undefined)
            expect(bytes(cut.text) + bytes(encode([row]).text)).toBeGreaterThan(source.maxBytes)
          if (k === cuts.length - 1) {
            expect(cut.after).toBe("end")
            return
          }
          // Resuming from the phase after a unit gives exactly the units' rows and missing issues after it.
          const from = cut.after
          if (from === "end") throw new Error("an inner cut resumes inside the source")
          expect(from).toBe((positions[cut.to - 1] ?? Number.NaN) + 1)
          const rest = splitRows(
            input(
              rows.filter((_, i) => (positions[i] ?? -1) >= from),
              positions.filter((p) => p >= from),
              missing.filter((m) => m.position >= from),
              source.maxBytes,
            ),
          )
          const later = cuts.slice(k + 1)
          expect(rest.map((c) => c.text).join("")).toBe(later.map((c) => c.text).join(""))
          expect(rest.flatMap((c) => c.missing)).toEqual(later.flatMap((c) => c.missing))
        })
      }),
      { numRuns: 300 },
    )
  })
})
