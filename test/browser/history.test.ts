/**
 * The change-history mode through the page in Chromium, the local Forge host, the real resolvers and
 * the emulator: the preview switches to the history columns, the downloaded file has one row per
 * changed item in the query's issue order, oldest first within an issue, exactly as
 * `GET /rest/api/3/issue/{id}/changelog` lists them; the field filter keeps only those fields. The
 * column picker shows what the time-in-status columns mean.
 */
import { readFile } from "node:fs/promises"
import { parse } from "csv-parse/sync"
import type { Browser, Page } from "playwright-core"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { type RunningHost, startHost } from "../../dev/host.js"
import { launchBrowser, screenshot, withPage } from "../support/browser.js"

const HISTORY_HEADER = ["Issue key", "Date", "Author", "Field", "From", "To"]

interface ChangelogPage {
  readonly values: ReadonlyArray<{
    readonly created: string
    readonly items: ReadonlyArray<{
      readonly field: string
      readonly from?: string | null
      readonly fromString?: string | null
      readonly to?: string | null
      readonly toString?: string | null
    }>
  }>
  readonly isLast: boolean
}

describe("the global page: change history", () => {
  let host: RunningHost
  let browser: Browser
  let jql: string

  beforeAll(async () => {
    host = await startHost({ port: 0, emulator: { issues: 200, seed: 17 } })
    browser = await launchBrowser()
    const project = host.emulator?.dataset.projects[0]?.key ?? "none"
    jql = `project = ${project} ORDER BY key ASC`
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

  /** Jira's own list of an issue's changed items, oldest first, every page of it. */
  const changelogOf = async (key: string) => {
    const emulator = host.emulator
    if (!emulator) throw new Error("no emulator")
    const auth = Buffer.from(`${emulator.accounts.admin.email}:${emulator.apiToken}`).toString("base64")
    const items: Array<[string, number, string, string, string]> = []
    for (let startAt = 0; ; ) {
      const response = await fetch(`${emulator.url}/rest/api/3/issue/${key}/changelog?startAt=${startAt}`, {
        headers: { authorization: `Basic ${auth}`, accept: "application/json" },
      })
      expect(response.status).toBe(200)
      const page = (await response.json()) as ChangelogPage
      for (const entry of page.values)
        for (const item of entry.items)
          items.push([
            key,
            Date.parse(entry.created),
            item.field,
            item.fromString ?? item.from ?? "",
            item.toString ?? item.to ?? "",
          ])
      startAt += page.values.length
      if (page.isLast || page.values.length === 0) return items
    }
  }

  const previewCells = (page: Page) =>
    page
      .locator('[data-testid="preview-table"] tbody tr')
      .evaluateAll((rows) => rows.map((r) => [...r.querySelectorAll("td")].map((td) => td.textContent ?? "")))

  it("the column picker explains the time-in-status columns", async () => {
    await withPage(browser, "history-column-help", async (page, pageErrors) => {
      await page.goto(host.url)
      await page.getByTestId("selected-columns").waitFor()
      await page.getByLabel("Find fields").fill("history")
      const available = page.getByTestId("available-fields")
      await expect
        .poll(() => available.locator(".field-help").allTextContents())
        .toEqual(
          expect.arrayContaining([
            expect.stringContaining('One column per status, "Time in <status> (h)"'),
            expect.stringContaining("Hours from creation to the first move into a Done-category status"),
            expect.stringContaining("Hours from the first move into an In-progress-category status"),
          ]),
        )
      await screenshot(page, "history-column-help")
      expect(pageErrors).toEqual([])
    })
  })

  it("previews and downloads one row per changed item, in issue order, oldest first, as Jira lists them", async () => {
    await withPage(browser, "history-export", async (page, pageErrors) => {
      await page.goto(host.url)
      await page.getByTestId("whoami").waitFor()
      await page.getByTestId("selected-columns").waitFor()
      await page.getByLabel("Mode", { exact: true }).selectOption("history")
      // ISO dates with their offset, so each row's instant compares with Jira's exactly.
      await page.getByLabel("Preset", { exact: true }).selectOption("data")
      expect(await page.getByLabel("Mode", { exact: true }).inputValue()).toBe("history")
      await page.getByLabel("JQL", { exact: true }).fill(jql)
      await page.getByLabel("JQL", { exact: true }).press("Control+Enter")
      await page.getByTestId("preview-table").waitFor()
      expect(await page.locator('[data-testid="preview-table"] thead th').allTextContents()).toEqual(
        HISTORY_HEADER,
      )
      expect(await page.getByTestId("preview-count").textContent()).toMatch(
        /^Change history: showing [\d,]+ changes of \d+ issues/,
      )
      const previewRows = await previewCells(page)
      await screenshot(page, "history-preview")

      await page.getByTestId("export-button").click()
      const download = page.getByTestId("download-button")
      await download.waitFor({ timeout: 120_000 })
      const [file] = await Promise.all([page.waitForEvent("download"), download.click()])
      const bytes = await readFile(await file.path())
      const [header, ...rows] = parse(bytes, { bom: true, relax_column_count: false }) as string[][]
      expect(header).toEqual(HISTORY_HEADER)
      expect(rows.slice(0, previewRows.length)).toEqual(previewRows)

      // The query's issue order, each issue's rows together, oldest first within it.
      const keys = expectedKeys()
      const fileKeys = rows.map((r) => r[0] ?? "")
      const grouped = fileKeys.filter((k, i) => i === 0 || fileKeys[i - 1] !== k)
      expect(new Set(grouped).size).toBe(grouped.length)
      expect(grouped).toEqual(keys.filter((k) => grouped.includes(k)))
      expect(grouped.length).toBeGreaterThan(keys.length / 2)
      for (let i = 1; i < rows.length; i++)
        if (fileKeys[i] === fileKeys[i - 1])
          expect(Date.parse(rows[i]?.[1] ?? "")).toBeGreaterThanOrEqual(Date.parse(rows[i - 1]?.[1] ?? ""))

      // Issue by issue against Jira's per-issue changelog: the first few, one in the middle, the last.
      const sample = [...grouped.slice(0, 4), grouped[Math.floor(grouped.length / 2)], grouped.at(-1)]
      for (const key of sample) {
        if (key === undefined) continue
        const mine = rows
          .filter((r) => r[0] === key)
          .map((r) => [r[0], Date.parse(r[1] ?? ""), r[3], r[4], r[5]])
        expect(mine).toEqual(await changelogOf(key))
      }

      // The field filter: the preview keeps only status changes.
      await page.getByRole("button", { name: "New export" }).click()
      await page.getByLabel("Only changes of (optional)").fill("Status")
      await expect
        .poll(() => page.getByTestId("history-fields-help").textContent())
        .toBe("Only changes of: Status.")
      await expect
        .poll(async () => [...new Set((await previewCells(page)).map((r) => r[3]))], { timeout: 30_000 })
        .toEqual(["status"])
      await screenshot(page, "history-preview-status")
      expect(pageErrors).toEqual([])
    })
  })
})
