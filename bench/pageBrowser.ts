/**
 * One export run by the page itself in headless Chromium (Options → "Run the export: in this
 * browser"), against a page the local Forge host serves: the page engine bench (bench/pageEngine.ts)
 * and the shared pool's page modes (bench/sharedPool.ts) both drive it. The user comes back with
 * columns and options saved (prefs.ts), types the query, picks the browser and clicks Export; the
 * file is the page's download. Measured in the page: wall time (from the click on Export to the
 * Download button, both on the page's clock, as the user waits for them), the peak JS heap
 * (CDP `Performance.getMetrics`, polled) and the longest task (`longtask` entries from the click on;
 * only tasks over 50 ms are reported, so 0 means none was).
 */
import * as fs from "node:fs"
import type { ExportOptionsInput } from "../src/contract.js"
import { launchBrowser } from "../test/support/browser.js"

export interface BrowserExport {
  /** The page's URL (one installation of the host) and the user it runs as. */
  readonly url: string
  readonly accountId: string
  readonly jql: string
  readonly columns: ReadonlyArray<string>
  readonly options: ExportOptionsInput
  /** Runs just before the click: resetting counters, starting other load. */
  readonly beforeClick?: () => Promise<void> | void
}

export interface BrowserExportRun {
  readonly wallMs: number
  readonly heapPeakMb: number
  readonly longestTaskMs: number
  /** Times the page showed the steward's pause (it holds the reads at the pool's reserve), as sampled. */
  readonly stewardPauses: number
  readonly file: Buffer
}

export const browserExport = async (run: BrowserExport): Promise<BrowserExportRun> => {
  const browser = await launchBrowser()
  try {
    // The local host's HTTP/2 runs over TLS with its own certificate (dev/tls/).
    const context = await browser.newContext({ acceptDownloads: true, ignoreHTTPSErrors: true })
    // The columns and options as a returning user left them (prefs.ts); no query, so no preview runs.
    await context.addInitScript(
      ([key, value]) => {
        localStorage.setItem(key, value)
        const w = window as unknown as {
          __tasks: Array<[number, number]>
          __clickedAt?: number
          __shownAt?: number
        }
        w.__tasks = []
        new PerformanceObserver((list) => {
          for (const entry of list.getEntries()) w.__tasks.push([entry.startTime, entry.duration])
        }).observe({ type: "longtask", buffered: true })
        // The wall time as the user lives it, on the page's clock: from the click on Export to the
        // Download button in the page (Playwright's own polling would add up to half a second).
        document.addEventListener(
          "click",
          (event) => {
            const target = event.target instanceof Element ? event.target : null
            if (target?.closest('[data-testid="export-button"]')) w.__clickedAt ??= performance.now()
          },
          true,
        )
        new MutationObserver(() => {
          if (w.__clickedAt !== undefined && w.__shownAt === undefined)
            if (document.querySelector('[data-testid="download-button"]')) w.__shownAt = performance.now()
        }).observe(document, { childList: true, subtree: true })
      },
      [
        `liquitim-export:v1:${run.accountId}`,
        JSON.stringify({ columns: run.columns, options: run.options }),
      ] as const,
    )
    const page = await context.newPage()
    const cdp = await context.newCDPSession(page)
    await cdp.send("Performance.enable")
    await page.goto(run.url)
    await page.getByTestId("selected-columns").waitFor()
    await page.getByLabel("JQL", { exact: true }).fill(run.jql)
    await page.getByTestId("run-in").selectOption("browser")
    await run.beforeClick?.()
    let heapPeak = 0
    let stewardPauses = 0
    let stewardPaused = false
    let sampling = true
    const sample = async () => {
      while (sampling) {
        const { metrics } = await cdp.send("Performance.getMetrics")
        const used = metrics.find((m) => m.name === "JSHeapUsedSize")?.value ?? 0
        heapPeak = Math.max(heapPeak, used)
        const state = await page.evaluate(
          () => document.querySelector('[data-testid="export-state"]')?.textContent ?? "",
        )
        const paused = state.includes("to leave Jira's shared allowance")
        if (paused && !stewardPaused) stewardPauses++
        stewardPaused = paused
        await new Promise((r) => setTimeout(r, 100))
      }
    }
    const sampler = sample()
    const clickedAt = await page.evaluate(() => performance.now())
    await page.getByTestId("export-button").click()
    const button = page.getByTestId("download-button")
    await button.waitFor({ timeout: 30 * 60_000 })
    const shown = await page.evaluate(() => {
      const w = window as unknown as { __clickedAt?: number; __shownAt?: number }
      return { clickedAt: w.__clickedAt, shownAt: w.__shownAt }
    })
    if (shown.clickedAt === undefined || shown.shownAt === undefined)
      throw new Error("The page did not record its click or its Download button.")
    const wallMs = shown.shownAt - shown.clickedAt
    sampling = false
    await sampler
    // Only tasks of the export: from the click on (the page's own load is not the export's).
    const tasks = await page.evaluate(
      () => (window as unknown as { __tasks: Array<[number, number]> }).__tasks,
    )
    const during = tasks.filter(([at]) => at >= clickedAt)
    if (process.env.BENCH_TASKS !== undefined)
      process.stderr.write(
        `long tasks: ${JSON.stringify(during.map(([a, d]) => [Math.round(a - clickedAt), Math.round(d)]))}\n`,
      )
    const longestTaskMs = Math.max(0, ...during.map(([, duration]) => duration))
    const [download] = await Promise.all([page.waitForEvent("download"), button.click()])
    const file = fs.readFileSync(await download.path())
    return { wallMs, heapPeakMb: heapPeak / 1024 / 1024, longestTaskMs, stewardPauses, file }
  } finally {
    await browser.close()
  }
}
