/**
 * An Excel workbook through the page in Chromium: Options → File: Excel workbook, the chunks' sheet
 * fragments zipped in the browser by the writer loaded on first use, downloaded as `….xlsx` and read
 * back by exceljs with the issues of the query, in order, their keys linked.
 */
import { readFile } from "node:fs/promises"
import type { Browser } from "playwright-core"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { type RunningHost, startHost } from "../../dev/host.js"
import { launchBrowser, screenshot, withPage } from "../support/browser.js"
import { readWorkbook } from "../xlsx/reader.js"

describe("the global page: an Excel workbook", () => {
  let host: RunningHost
  let browser: Browser
  let jql: string

  beforeAll(async () => {
    host = await startHost({ port: 0, emulator: { issues: 300, seed: 4 } })
    browser = await launchBrowser()
    const keys = host.emulator?.dataset.projects.map((p) => p.key) ?? []
    jql = `project in (${keys.join(", ")}) ORDER BY key ASC`
  })
  afterAll(async () => {
    await browser?.close()
    await host?.close()
  })

  it("the page runner in the browser makes the same workbook's rows", async () => {
    await withPage(browser, "page-xlsx-browser", async (page, pageErrors) => {
      await page.goto(host.url)
      await page.getByTestId("whoami").waitFor()
      await page.getByTestId("selected-columns").waitFor()
      await page.getByLabel("JQL", { exact: true }).fill(jql)
      await page.getByTestId("run-in").selectOption("browser")
      await page.getByLabel("File", { exact: true }).selectOption("xlsx")
      await page.getByTestId("export-button").click()
      const download = page.getByTestId("download-button")
      await download.waitFor({ timeout: 120_000 })
      const [file] = await Promise.all([page.waitForEvent("download"), download.click()])
      expect(file.suggestedFilename()).toMatch(/\.xlsx$/)
      const [sheet] = await readWorkbook(await readFile(await file.path()))
      const emulator = host.emulator
      if (emulator === undefined) throw new Error("no emulator")
      const keys = emulator
        .referenceSearch(jql, host.accountId)
        .map((id) => emulator.dataset.issueByIdOrKey(id)?.key ?? `missing ${id}`)
      const first = sheet?.rows.slice(1).map((r) => r[0] ?? { type: "empty" as const }) ?? []
      expect(first.map((c) => ("value" in c ? c.value : ""))).toEqual(keys)
      expect(first.every((c) => c.type === "link")).toBe(true)
      expect(pageErrors).toEqual([])
    })
  })

  it("downloads an .xlsx of the query's issues, zipped in the page", async () => {
    await withPage(browser, "page-xlsx", async (page, pageErrors) => {
      const scripts: Array<string> = []
      page.on("request", (r) => {
        if (r.url().endsWith(".js")) scripts.push(r.url())
      })
      await page.goto(host.url)
      await page.getByTestId("whoami").waitFor()
      await page.getByTestId("selected-columns").waitFor()
      await page.getByLabel("JQL", { exact: true }).fill(jql)
      // The writer is not part of the first load.
      expect(scripts.some((s) => /\/xlsx\.js$/.test(s))).toBe(false)
      await page.getByLabel("File", { exact: true }).selectOption("xlsx")
      await page.getByTestId("export-button").click()
      const download = page.getByTestId("download-button")
      await download.waitFor({ timeout: 120_000 })
      await screenshot(page, "page-xlsx-done")
      expect(scripts.some((s) => /\/xlsx\.js$/.test(s))).toBe(true)
      const [file] = await Promise.all([page.waitForEvent("download"), download.click()])
      expect(file.suggestedFilename()).toMatch(/^project-in-.*-\d{4}-\d\d-\d\d\.xlsx$/)
      const [sheet, about] = await readWorkbook(await readFile(await file.path()))
      const emulator = host.emulator
      if (emulator === undefined) throw new Error("no emulator")
      const keys = emulator
        .referenceSearch(jql, host.accountId)
        .map((id) => emulator.dataset.issueByIdOrKey(id)?.key ?? `missing ${id}`)
      expect(sheet?.name).toBe("Issues")
      expect(sheet?.rows[0]?.[0]).toEqual({ type: "text", value: "Issue key" })
      const first = sheet?.rows.slice(1).map((r) => r[0] ?? { type: "empty" as const }) ?? []
      expect(first.map((c) => ("value" in c ? c.value : ""))).toEqual(keys)
      expect(first.every((c) => c.type === "link")).toBe(true)
      expect(about?.rows[0]?.[1]).toEqual({ type: "text", value: jql })
      expect(pageErrors).toEqual([])
    })
  })
})
