/**
 * Excel workbooks against CSV (issue 22): the same command-line export of N issues (the default
 * columns, emulator on the instant profile, so the figure is the exporter's own work, not Jira's
 * latency) written as a CSV and as an `.xlsx`, and the workbook's peak RSS at two sizes. Child
 * processes run the sources through tsx with the exporter's heap budget, as bench/rss.ts does.
 */
import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"
import { startEmulator } from "../dev/emulator/index.js"
import { type CliStats, cliExport } from "./cliExport.js"
import { queryOf } from "./emulatorThread.js"

export interface XlsxFigures {
  readonly issues: number
  readonly rowsPerSecond: number
  readonly csvRowsPerSecond: number
  /** Workbook rows per second over CSV rows per second (target >= 0.5). */
  readonly ratio: number
  readonly bytes: number
  readonly csvBytes: number
  /** Peak RSS of the larger workbook export over the smaller one's (target <= 1.3). */
  readonly rssRatio: number | null
  readonly rss: ReadonlyArray<{ readonly issues: number; readonly maxRssKb: number; readonly wallMs: number }>
}

const cli = path.join(import.meta.dirname ?? __dirname, "..", "src", "cli", "main.ts")

/** One export of `issues` issues into `out` (the format from its name). */
const exportInto = async (issues: number, out: string): Promise<CliStats & { readonly bytes: number }> => {
  const emulator = await startEmulator({ issues, seed: 1, profile: "instant" })
  try {
    const stats = await cliExport(
      emulator,
      ["--import", "tsx", cli],
      [
        "--jql",
        queryOf({ projects: emulator.dataset.projects.map((p) => p.key) }),
        "--strategy",
        "fast",
        "--out",
        out,
        "--force",
      ],
    )
    return { ...stats, bytes: fs.statSync(out).size }
  } finally {
    await emulator.close()
  }
}

const perSecond = (s: CliStats) => Math.round((s.issues * 1000) / Math.max(1, s.ms))

export const runXlsxBench = async (options: {
  readonly issues: number
  readonly rssIssues: ReadonlyArray<number>
  readonly say: (line: string) => void
}): Promise<XlsxFigures> => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "liquitim-bench-xlsx-"))
  try {
    const csv = await exportInto(options.issues, path.join(dir, "issues.csv"))
    const xlsx = await exportInto(options.issues, path.join(dir, "issues.xlsx"))
    const ratio = Number((perSecond(xlsx) / perSecond(csv)).toFixed(3))
    options.say(
      `xlsx: ${xlsx.issues} issues in ${xlsx.ms} ms (${perSecond(xlsx)}/s, ${xlsx.bytes} bytes) vs CSV ${csv.ms} ms ` +
        `(${perSecond(csv)}/s, ${csv.bytes} bytes): ${ratio}x CSV's rows per second (target >= 0.5)`,
    )
    const rss: Array<{ issues: number; maxRssKb: number; wallMs: number }> = []
    for (const count of options.rssIssues) {
      const r = await exportInto(count, path.join(dir, `rss-${count}.xlsx`))
      fs.rmSync(path.join(dir, `rss-${count}.xlsx`))
      rss.push({ issues: r.issues, maxRssKb: r.maxRssKb, wallMs: r.ms })
      options.say(
        `xlsx CLI export of ${r.issues} issues: peak RSS ${(r.maxRssKb / 1024).toFixed(1)} MB in ${r.ms} ms`,
      )
    }
    const [small, large] = [rss[0], rss.at(-1)]
    const rssRatio =
      small !== undefined && large !== undefined && rss.length > 1
        ? Number((large.maxRssKb / small.maxRssKb).toFixed(3))
        : null
    if (rssRatio !== null)
      options.say(`xlsx peak RSS ${large?.issues} / ${small?.issues} issues = ${rssRatio} (target <= 1.3)`)
    return {
      issues: xlsx.issues,
      rowsPerSecond: perSecond(xlsx),
      csvRowsPerSecond: perSecond(csv),
      ratio,
      bytes: xlsx.bytes,
      csvBytes: csv.bytes,
      rssRatio,
      rss,
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true })
  }
}
