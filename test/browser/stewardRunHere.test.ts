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
import { startEmulator } from "../../dev/emulator/index.js"
import { type RunningHost, startHost } from "../../dev/host.js"
import { runCli } from "../cli/run.js"
import { launchBrowser, screenshot, withPage } from "../support/browser.js"

const ISSUES = 1_500
const SEED = 12

describe("a steward's pause on the servers", () => {
  let host: RunningHost
  let browser: Browser
  let dir: string
  let jql: string
  let cliFile: Buffer

  beforeAll(async () => {
    // A pool of 3,000 points a minute: one installation's exports may spend a quarter of it, so the
    // export pauses after some 500 issues, for the rest of the minute.
    host = await startHost({
      port: 0,
      emulator: { issues: ISSUES, seed: SEED, quota: 3_000, quotaWindowMs: 60_000 },
    })
    browser = await launchBrowser()
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "liquitim-run-here-"))
    const keys = host.emulator?.dataset.projects.map((p) => p.key) ?? []
    jql = `project in (${keys.join(", ")}) ORDER BY key ASC`
    // The command line's file from the same data on a site of its own with no quota: on the host's
    // site it would spend the pool the test needs (the emulator's quota counts API-token reads too),
    // or wait most of a minute for the next window after the page's export.
    const twin = await startEmulator({ issues: ISSUES, seed: SEED })
    const out = path.join(dir, "cli.csv")
    const cli = await runCli({ url: twin.url, email: twin.accounts.admin.email, apiToken: twin.apiToken }, [
      "--jql",
      jql,
      "--out",
      out,
      "--quiet",
    ]).finally(() => twin.close())
    expect(cli.code).toBe(0)
    cliFile = fs.readFileSync(out)
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
      expect(bytes.equals(cliFile)).toBe(true)
      expect(pageErrors).toEqual([])
    })
  })
})
