/**
 * The steward's pause on Atlassian's servers offers the rest to the page (issue 21): the export paused
 * to leave Jira's shared allowance to others goes on at once in this browser, from the same cursor,
 * and the file is byte for byte the command line's.
 */
import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"
import type { Browser } from "playwright-core"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { type RunningHost, startHost } from "../../dev/host.js"
import { runCli } from "../cli/run.js"
import { launchBrowser, screenshot, withPage } from "../support/browser.js"

const ISSUES = 1_500

describe("a steward's pause on the servers", () => {
  let host: RunningHost
  let browser: Browser
  let dir: string
  let jql: string

  beforeAll(async () => {
    // A pool of 3,000 points a minute: one installation's exports may spend a quarter of it, so the
    // export pauses after some 500 issues, for the rest of the minute.
    host = await startHost({
      port: 0,
      emulator: { issues: ISSUES, seed: 12, quota: 3_000, quotaWindowMs: 60_000 },
    })
    browser = await launchBrowser()
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "liquitim-run-here-"))
    const keys = host.emulator?.dataset.projects.map((p) => p.key) ?? []
    jql = `project in (${keys.join(", ")}) ORDER BY key ASC`
  })
  afterAll(async () => {
    await browser?.close()
    await host?.close()
    fs.rmSync(dir, { recursive: true, force: true })
  })

  it("goes on in this browser when asked, and the file is the command line's", async () => {
    await withPage(browser, "steward-run-here", async (page, pageErrors) => {
      await page.goto(host.url)
      await page.getByTestId("selected-columns").waitFor()
      await page.getByLabel("JQL", { exact: true }).fill(jql)
      await page.getByTestId("run-in").selectOption("servers")
      await page.getByTestId("export-button").click()
      const runHere = page.getByTestId("run-here-button")
      await runHere.waitFor({ timeout: 120_000 })
      expect(await page.getByTestId("export-state").textContent()).toContain(
        "Paused to leave Jira's shared allowance to other users",
      )
      await screenshot(page, "steward-paused")
      const before = host.invocations().filter((i) => i.functionKey === "export/next").length
      await runHere.click()
      const button = page.getByTestId("download-button")
      await button.waitFor({ timeout: 120_000 })
      expect(await page.getByTestId("export-placement").textContent()).toContain("Running in this browser")
      // The rest was read by the page: no more export calls to the servers.
      expect(host.invocations().filter((i) => i.functionKey === "export/next").length).toBe(before)
      const [download] = await Promise.all([page.waitForEvent("download"), button.click()])
      const bytes = fs.readFileSync(await download.path())
      const emulator = host.emulator
      if (emulator === undefined) throw new Error("no emulator")
      const out = path.join(dir, "cli.csv")
      const cli = await runCli(
        { url: emulator.url, email: emulator.accounts.admin.email, apiToken: emulator.apiToken },
        ["--jql", jql, "--out", out, "--quiet"],
      )
      expect(cli.code).toBe(0)
      expect(bytes.equals(fs.readFileSync(out))).toBe(true)
      expect(pageErrors).toEqual([])
    })
  })
})
