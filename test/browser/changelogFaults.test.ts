/**
 * The page under a changelog read that always fails (issue 19 item 1, the page's part): with every
 * changelog request answered 403 (emulator chaos `changelog=403`), an export that needs histories, run
 * on Atlassian's servers (the resolvers) or in this browser (the page engine), ends in the page's
 * error with "Try again" and never offers a file; once Jira answers again, "Try again" finishes it
 * (and, for time in status, says after the export which statuses it summed in one column: the
 * manifest has no scope to list every status, so the app's paths get no column per retired status).
 */
import { readFile } from "node:fs/promises"
import { parse } from "csv-parse/sync"
import type { Browser, Page } from "playwright-core"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { type RunningHost, startHost } from "../../dev/host.js"
import { launchBrowser, screenshot, withPage } from "../support/browser.js"
import { readWorkbook } from "../xlsx/reader.js"

describe("the page when every changelog request fails", () => {
  let host: RunningHost
  let browser: Browser
  let jql: string
  const headers = new Map<string, ReadonlyArray<string>>()

  beforeAll(async () => {
    host = await startHost({ port: 0, emulator: { issues: 150, seed: 9 } })
    browser = await launchBrowser()
    jql = `project = ${host.emulator?.dataset.projects[0]?.key ?? "none"} ORDER BY key ASC`
  })
  afterAll(async () => {
    host?.emulator?.setChaos("")
    await browser?.close()
    await host?.close()
  })

  /** The page set up for an export that reads histories: time in status columns, or the history mode. */
  const prepare = async (page: Page, runIn: "servers" | "browser", mode: "columns" | "history") => {
    await page.goto(host.url)
    await page.getByTestId("whoami").waitFor()
    await page.getByTestId("selected-columns").waitFor()
    if (mode === "history") await page.getByLabel("Mode", { exact: true }).selectOption("history")
    else {
      await page.getByLabel("Find fields").fill("Time in status")
      await page.getByRole("button", { name: "Add Time in status (h)" }).click()
      await expect
        .poll(() => page.getByTestId("selected-columns").textContent())
        .toContain("Time in status (h)")
    }
    await page.getByLabel("JQL", { exact: true }).fill(jql)
    await page.getByTestId("run-in").selectOption(runIn)
  }

  for (const runIn of ["servers", "browser"] as const)
    for (const mode of ["columns", "history"] as const)
      it(`run ${runIn === "servers" ? "on Atlassian's servers" : "in this browser"}, ${mode === "history" ? "change history" : "time in status"}: the error with "Try again", no file`, async () => {
        await withPage(browser, `changelog-403-${runIn}-${mode}`, async (page) => {
          host.emulator?.setChaos("changelog=403")
          await prepare(page, runIn, mode)
          const before = host.invocations().length
          await page.getByTestId("export-button").click()
          const error = page.getByTestId("export-error")
          await error.waitFor({ timeout: 120_000 })
          const retry = error.getByRole("button", { name: "Try again" })
          expect(await retry.count()).toBe(1)
          expect(await page.getByTestId("download-button").count()).toBe(0)
          expect(await page.getByTestId("export-done").count()).toBe(0)
          await screenshot(page, `changelog-403-${runIn}-${mode}`)
          // Where it ran: the export's calls went to the resolvers, or none did (the page's engine).
          const exportCalls = host
            .invocations()
            .slice(before)
            .filter((i) => i.functionKey.startsWith("export/"))
          if (runIn === "servers") expect(exportCalls.length).toBeGreaterThan(0)
          else expect(exportCalls).toEqual([])

          // Jira answers again: the same export goes on to its file, histories and all.
          host.emulator?.setChaos("")
          await retry.click()
          const download = page.getByTestId("download-button")
          await download.waitFor({ timeout: 120_000 })
          const [file] = await Promise.all([page.waitForEvent("download"), download.click()])
          const [header, ...rows] = parse(await readFile(await file.path()), { bom: true }) as string[][]
          expect(rows.length).toBeGreaterThan(5)
          if (mode === "history") expect(rows.filter((r) => r[3] === "status").length).toBeGreaterThan(5)
          else {
            const times = (header ?? []).flatMap((h, i) => (/^Time in .+ \(h\)$/.test(h) ? [i] : []))
            expect(times.length).toBeGreaterThan(2)
            // Histories were read: some issue spent time in more than one status.
            expect(rows.some((r) => times.filter((i) => (r[i] ?? "") !== "").length > 1)).toBe(true)
            // The app's manifest has no scope to list every status, so a status that left the workflow
            // and one deleted from the site share a column, and the page names both after the export.
            expect(header).not.toContain("Time in Awaiting Triage (h)")
            expect(header).toContain("Time in statuses no longer in a workflow (h)")
            const notes = await page.getByTestId("export-note").allTextContents()
            expect(notes).toHaveLength(1)
            expect(notes[0]).toContain("Awaiting Triage (id 10099)")
            expect(notes[0]).toContain("Needs Info (id 10098)")
            // The same header wherever the export ran.
            headers.set(runIn, header ?? [])
            const other = headers.get(runIn === "servers" ? "browser" : "servers")
            if (other !== undefined) expect(header).toEqual(other)
          }
        })
      }, 300_000)

  it("an Excel workbook made by the page names the statuses summed in one column on its About sheet", async () => {
    await withPage(browser, "departed-statuses-xlsx", async (page) => {
      host.emulator?.setChaos("")
      await prepare(page, "browser", "columns")
      await page.getByLabel("File", { exact: true }).selectOption("xlsx")
      await page.getByTestId("export-button").click()
      const download = page.getByTestId("download-button")
      await download.waitFor({ timeout: 120_000 })
      const [file] = await Promise.all([page.waitForEvent("download"), download.click()])
      const sheets = await readWorkbook(await readFile(await file.path()))
      const about = sheets.at(-1)
      expect(about?.name).toBe("About this export")
      expect(about?.rows.at(-1)?.[0]).toEqual({ type: "text", value: "Notes" })
      const note = about?.rows.at(-1)?.[1]
      expect(note?.type === "text" ? note.value : "").toContain("Needs Info (id 10098)")
    })
  }, 300_000)
})
