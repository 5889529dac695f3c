/**
 * Big selections from the issue navigator, in Chromium through the local host: 1,000 ticked issues
 * (a module URL past 10 KB) export exactly, in the navigator query's order whatever order the keys
 * came in; more than 1,000, or a query past the app's 10,000 characters, are said in one sentence
 * with the query offered, never a schema dump.
 */
import { readFile } from "node:fs/promises"
import { parse } from "csv-parse/sync"
import type { Browser } from "playwright-core"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { type RunningHost, startHost } from "../../dev/host.js"
import { launchBrowser, withPage } from "../support/browser.js"

let host: RunningHost
let browser: Browser
beforeAll(async () => {
  host = await startHost({ port: 0, emulator: { issues: 1600, seed: 5 } })
  browser = await launchBrowser()
})
afterAll(async () => {
  await browser?.close()
  await host?.close()
})

/** Every project's issues, newest first (Jira refuses unbounded queries). */
const navigatorJql = () =>
  `project in (${(host.emulator?.dataset.projects ?? []).map((p) => p.key).join(", ")}) ORDER BY created DESC`

const keysOf = (jql: string) => {
  const emulator = host.emulator
  if (!emulator) throw new Error("no emulator")
  return emulator
    .referenceSearch(jql, host.accountId)
    .map((id) => emulator.dataset.issueByIdOrKey(id)?.key ?? id)
}

/** The navigator action's URL on the local host (`issueKeys` in the order given). */
const navigatorUrl = (jql: string, keys: ReadonlyArray<string>) =>
  `${host.url}?module=jira:issueNavigatorAction&jql=${encodeURIComponent(jql)}&issueKeys=${keys.join("%2C")}`

describe("big selections from the navigator", () => {
  it("1,000 selected issues export exactly, in the navigator query's order", async () => {
    const NAVIGATOR = navigatorJql()
    const chosen = keysOf(NAVIGATOR)
      .filter((_, i) => i % 11 !== 3)
      .slice(0, 1000)
    expect(chosen).toHaveLength(1000)
    const sent = [...chosen].reverse()
    // The page's address the host reads from `getContext`: past the 10 KB it once read.
    expect(JSON.stringify({ search: navigatorUrl(NAVIGATOR, sent) }).length).toBeGreaterThan(10_000)
    await withPage(browser, "selection-1000", async (page, pageErrors) => {
      await page.goto(navigatorUrl(NAVIGATOR, sent))
      await page.getByTestId("only-selected").waitFor()
      expect(await page.getByTestId("only-selected").isChecked()).toBe(true)
      await page.getByTestId("preview-table").waitFor()
      const headers = await page.locator('[data-testid="preview-table"] thead th').allTextContents()
      const keyColumn = headers.indexOf("Issue key")
      const previewKeys = await page
        .locator('[data-testid="preview-table"] tbody tr')
        .evaluateAll(
          (trs, column) => trs.map((r) => r.querySelectorAll("td")[column]?.textContent ?? ""),
          keyColumn,
        )
      expect(previewKeys).toEqual(chosen.slice(0, previewKeys.length))
      await page.getByTestId("export-button").click()
      const download = page.getByTestId("download-button")
      await download.waitFor({ timeout: 120_000 })
      const [file] = await Promise.all([page.waitForEvent("download"), download.click()])
      const records: string[][] = parse(await readFile(await file.path()), { bom: true })
      expect(records.slice(1).map((r) => r[keyColumn])).toEqual(chosen)
      expect(pageErrors).toEqual([])
    })
  })

  it("more than 1,000 ticked issues: one sentence, the query offered without the selection", async () => {
    const NAVIGATOR = navigatorJql()
    const all = keysOf(NAVIGATOR)
    expect(all.length).toBeGreaterThan(1204)
    await withPage(browser, "selection-1204", async (page) => {
      await page.goto(navigatorUrl(NAVIGATOR, all.slice(0, 1204)))
      await page.getByTestId("start-notice").waitFor()
      expect(await page.getByTestId("start-notice").textContent()).toBe(
        "You selected 1,204 issues; the app exports at most 1,000 selected issues: export the whole query instead?",
      )
      expect(await page.getByLabel("JQL", { exact: true }).inputValue()).toBe(NAVIGATOR)
      expect(await page.getByTestId("only-selected").count()).toBe(0)
      expect(await page.getByTestId("page-error").count()).toBe(0)
      await page.getByTestId("preview-table").waitFor()
    })
  })

  it("a navigator query over 10,000 characters: one sentence, the query kept to shorten", async () => {
    const long = `project in (ALPHA, BETA) AND summary !~ "${"x".repeat(10_100)}" ORDER BY key ASC`
    await withPage(browser, "selection-long-jql", async (page) => {
      await page.goto(navigatorUrl(long, ["ALPHA-1"]))
      await page.getByTestId("start-notice").waitFor()
      expect(await page.getByTestId("start-notice").textContent()).toBe(
        `The navigator's query is ${long.length.toLocaleString("en-US")} characters long; the app takes at most 10,000: shorten it here to export it.`,
      )
      expect(await page.getByTestId("origin").textContent()).toContain("Issue navigator")
      expect(await page.locator("body").textContent()).not.toContain("Expected")
    })
  })
})
