/**
 * CSV encoding throughput: this project's encoder against csv-stringify on the same 100,000 rows x 30
 * columns, with the same delimiter, line ending, quoting and formula escaping, measured in one run.
 *
 *   npx tsx bench/csv.ts [--json] [--rows N]
 *
 * Target (docs/architecture.md, Targets): at least 1.5 times csv-stringify's MB/s.
 */
import { performance } from "node:perf_hooks"
import { stringify } from "csv-stringify/sync"
import { seededRandom } from "../dev/emulator/server/chaos.js"
import { type CellKind, type CsvOptions, encodeHeader, encodeRows } from "../src/csv/encoder.js"
import { verdict } from "./targets.js"

const COLUMNS = 30
const DEFAULT_ROWS = 100_000
/** Rows per encodeRows call, about what one export chunk holds. */
const CHUNK_ROWS = 1_000
const ROUNDS = 5
const DATETIME_COLUMN = 1
const SEED = 20_261_129

/** A small seeded generator (the emulator's mulberry32), so both encoders see the same rows every run. */
const prng = seededRandom

const WORDS = [
  "export",
  "Jira",
  "sprint",
  "backlog",
  "bug",
  "Überprüfung",
  "日本語",
  "naïve",
  "😀",
  "release",
]
const HOSTILE = [
  'say "hi"',
  "a,b",
  "line\nbreak",
  "=SUM(A1:A2)",
  "+1",
  "@here",
  "-x",
  " lead",
  "＝1",
  "tab\there",
]

const buildTable = (rows: number) => {
  const random = prng(SEED)
  const pick = <A>(xs: ReadonlyArray<A>): A => xs[Math.floor(random() * xs.length)] as A
  // Every fifth column is numeric; one holds datetimes (text to the encoder); the rest is text, some
  // of it hostile.
  const kinds: Array<CellKind> = Array.from({ length: COLUMNS }, (_, i) => (i % 5 === 4 ? "number" : "text"))
  const table: Array<Array<string>> = []
  for (let r = 0; r < rows; r++) {
    const row: Array<string> = []
    for (let c = 0; c < COLUMNS; c++) {
      const kind = kinds[c]
      if (kind === "number") row.push(String(Math.round(random() * 100_000) / 100))
      else if (c === DATETIME_COLUMN) row.push(`2026-11-${String(1 + (r % 28)).padStart(2, "0")} 10:17`)
      else if (random() < 0.1) row.push(pick(HOSTILE))
      else {
        const n = 1 + Math.floor(random() * 6)
        const words: Array<string> = []
        for (let w = 0; w < n; w++) words.push(pick(WORDS))
        row.push(words.join(" "))
      }
    }
    table.push(row)
  }
  const headers = Array.from({ length: COLUMNS }, (_, i) => `Column ${i + 1}`)
  return { headers, kinds, table }
}

const OPTIONS: CsvOptions = {
  delimiter: ",",
  lineEnding: "\r\n",
  bom: false,
  formulaGuard: true,
  truncateLongCells: false,
}

const ours = (
  headers: ReadonlyArray<string>,
  kinds: ReadonlyArray<CellKind>,
  table: Array<Array<string>>,
) => {
  let out = encodeHeader(headers, OPTIONS)
  for (let i = 0; i < table.length; i += CHUNK_ROWS)
    out += encodeRows(table.slice(i, i + CHUNK_ROWS), kinds, OPTIONS).text
  return out
}

/** csv-stringify with the same rules; numeric columns given as numbers so `-` numbers stay unguarded. */
const theirs = (headers: ReadonlyArray<string>, records: Array<Array<string | number>>) => {
  let out = stringify([headers], { delimiter: ",", record_delimiter: "windows", escape_formulas: true })
  for (let i = 0; i < records.length; i += CHUNK_ROWS)
    out += stringify(records.slice(i, i + CHUNK_ROWS), {
      delimiter: ",",
      record_delimiter: "windows",
      escape_formulas: true,
    })
  return out
}

const best = (run: () => string): { ms: number; bytes: number } => {
  let ms = Number.POSITIVE_INFINITY
  let bytes = 0
  run() // warm-up
  for (let i = 0; i < ROUNDS; i++) {
    const start = performance.now()
    const text = run()
    ms = Math.min(ms, performance.now() - start)
    bytes = Buffer.byteLength(text, "utf8")
  }
  return { ms, bytes }
}

export async function runCsvBench(args: { json: boolean; rows?: number }): Promise<Record<string, number>> {
  const rows = args.rows ?? DEFAULT_ROWS
  const { headers, kinds, table } = buildTable(rows)
  const records = table.map((row) => row.map((c, i) => (kinds[i] === "number" ? Number(c) : c)))
  const a = best(() => ours(headers, kinds, table))
  const b = best(() => theirs(headers, records))
  const mb = 1024 * 1024
  const figures = {
    rows,
    columns: COLUMNS,
    outputBytes: a.bytes,
    csvStringifyOutputBytes: b.bytes,
    encoderMs: Math.round(a.ms),
    csvStringifyMs: Math.round(b.ms),
    encoderMBps: Math.round((a.bytes / mb / (a.ms / 1000)) * 10) / 10,
    csvStringifyMBps: Math.round((b.bytes / mb / (b.ms / 1000)) * 10) / 10,
    ratio: Math.round((b.ms / a.ms) * 100) / 100,
  }
  console.log(
    `csv: ${rows} rows x ${COLUMNS} columns, best of ${ROUNDS} rounds, chunks of ${CHUNK_ROWS} rows`,
  )
  console.log(`  encoder        ${figures.encoderMBps} MB/s (${figures.encoderMs} ms, ${a.bytes} bytes)`)
  console.log(
    `  csv-stringify  ${figures.csvStringifyMBps} MB/s (${figures.csvStringifyMs} ms, ${b.bytes} bytes)`,
  )
  console.log(
    `  ratio          ${figures.ratio}x ${verdict(figures.ratio, ">=", 1.5, "the encoder benchmark's rows")}`,
  )
  if (args.json) console.log(JSON.stringify(figures))
  return figures
}

// Run when executed directly (`npx tsx bench/csv.ts`), not when imported by bench/main.ts.
if (/bench[\\/]csv\.ts$/.test(process.argv[1] ?? "")) {
  const rowsArg = process.argv.indexOf("--rows")
  const rows = rowsArg === -1 ? undefined : Number(process.argv[rowsArg + 1])
  runCsvBench({ json: process.argv.includes("--json"), ...(rows === undefined ? {} : { rows }) }).catch(
    (error: unknown) => {
      console.error(error)
      process.exitCode = 1
    },
  )
}
