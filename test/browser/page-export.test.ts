/**
 * Export through the page in Chromium, the local Forge host, the real resolvers and the emulator under
 * chaos: the downloaded file holds exactly the issues of the query, in order, with the preview's cells;
 * Cancel stops the calls.
 */
import { readFile } from "node:fs/promises"
import { parse } from "csv-parse/sync"
import type { Browser, Page } from "playwright-core"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { type RunningHost, startHost } from "../../dev/host.js"
import { launchBrowser, screenshot, withPage } from "../support/browser.js"

const ISSUES = 2_000
const CHAOS = "storm429=0.05,5xx=0.03,html429=0.02,html5xx=0.02,seed=7"

describe("the global page: export", () => {
  let host: RunningHost
  let browser: Browser
  let jql: string

  beforeAll(async () => {
    host = await startHost({
      port: 0,
      // A small quota window so the run meets the "quota spent" pause and resumes within the test.
      emulator: { issues: ISSUES, seed: 5, chaos: CHAOS, quota: 1_500, quotaWindowMs: 3_000 },
    })
    browser = await launchBrowser()
    const keys = host.emulator?.dataset.projects.map((p) => p.key) ?? []
    jql = `project in (${keys.join(", ")}) ORDER BY key ASC`
  })
  afterAll(async () => {
    await browser?.close()
    await host?.close()
  })

  const expectedKeys = () => {
    const emulator = host.emulator
    if (!emulator) throw new Error("no emulator")
    return emulator
      .referenceSearch(jql, host.accountId)
      .map((id) => emulator.dataset.issueByIdOrKey(id)?.key ?? `missing ${id}`)
  }

  const hostCalls = (page: Page, key: string) =>
    page.evaluate(
      (k) =>
        ((window as unknown as { __hostCalls?: string[] }).__hostCalls ?? []).filter(
          (c) => c === `invoke:${k}`,
        ).length,
      key,
    )

  const open = async (page: Page, preview: boolean) => {
    await page.goto(host.url)
    await page.getByTestId("whoami").waitFor()
    await page.getByTestId("selected-columns").waitFor()
    await page.getByLabel("JQL", { exact: true }).fill(jql)
    // These tests are of the resolver path: automatically, 2,000 issues would run in the browser.
    await page.getByTestId("run-in").selectOption("servers")
    if (!preview) return
    await page.getByLabel("JQL", { exact: true }).press("Control+Enter")
    await page.getByTestId("preview-table").waitFor()
  }

  it(`exports ${ISSUES} issues under chaos; the downloaded file is exact and matches the preview`, async () => {
    await withPage(browser, "page-export", async (page, pageErrors) => {
      await open(page, true)
      const headers = await page.locator('[data-testid="preview-table"] thead th').allTextContents()
      const previewRows = await page
        .locator('[data-testid="preview-table"] tbody tr')
        .evaluateAll((rows) =>
          rows.map((r) => [...r.querySelectorAll("td")].map((td) => td.textContent ?? "")),
        )
      expect(previewRows.length).toBe(50)

      await page.getByTestId("export-button").click()
      await page.getByTestId("export-progress").waitFor()
      await screenshot(page, "page-export-running")
      // Catch a rate-limit wait or a quota pause on camera when the chaos produces one (not asserted:
      // the backend may absorb it within a call).
      const stateText = page.getByTestId("export-state")
      const waited = await stateText
        .filter({ hasText: /Waiting|Paused/ })
        .waitFor({ timeout: 5_000 })
        .then(() => true)
        .catch(() => false)
      if (waited) await screenshot(page, "page-export-waiting")

      const download = page.getByTestId("download-button")
      await download.waitFor({ timeout: 120_000 })
      await screenshot(page, "page-export-done")
      expect(await page.getByTestId("export-done").textContent()).toContain(`Export complete: 2,000 issues`)

      const [file] = await Promise.all([page.waitForEvent("download"), download.click()])
      expect(file.suggestedFilename()).toMatch(/^project-in-.*-\d{4}-\d\d-\d\d\.csv$/)
      const bytes = await readFile(await file.path())
      expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf])
      expect(await download.textContent()).toContain(`(${Math.round(bytes.length / 1000)} KB)`)
      const records: string[][] = parse(bytes, { bom: true, relax_column_count: false })
      expect(records[0]).toEqual(headers)
      const rows = records.slice(1)
      const keyColumn = headers.indexOf("Issue key")
      expect(rows.map((r) => r[keyColumn])).toEqual(expectedKeys())
      expect(rows.slice(0, previewRows.length)).toEqual(previewRows)
      expect(host.invocations().filter((i) => i.status !== 200)).toEqual([])
      expect(pageErrors).toEqual([])
    })
  })

  it("Cancel stops the calls: no export/next is made after it, and the page says so", async () => {
    await withPage(browser, "page-export-cancel", async (page) => {
      await open(page, false)
      // Slow Jira down so an export/next call is still running when Cancel is pressed.
      host.emulator?.setChaos("slow=1:400")
      try {
        const finished = () => host.invocations().filter((i) => i.functionKey === "export/next").length
        const before = finished()
        await page.getByTestId("export-button").click()
        await page.waitForFunction(
          () =>
            ((window as unknown as { __hostCalls?: string[] }).__hostCalls ?? []).includes(
              "invoke:export/next",
            ),
          undefined,
          { timeout: 60_000 },
        )
        await page.getByTestId("cancel-button").click()
        await page.getByTestId("export-cancelled").waitFor()
        await screenshot(page, "page-export-cancelled")
        // Let the call that was in flight come back; the page must not follow it with another.
        await expect.poll(finished, { timeout: 30_000, interval: 100 }).toBe(before + 1)
        await page.waitForTimeout(1_000)
        expect(await hostCalls(page, "export/next")).toBe(1)
        expect(finished()).toBe(before + 1)
        expect(await page.getByTestId("download-button").count()).toBe(0)
      } finally {
        host.emulator?.setChaos(CHAOS)
      }
    })
  })
})
