/**
 * The page opened from each place in Jira (the local host's module URLs), in Chromium: it starts from
 * that place's query and columns, previews it, and the downloaded file equals the preview and the
 * place's issues; selected issues export exactly, in the navigator's order; a restricted user opening
 * a filter or board they may not see gets Jira's sentence and no rows; Close closes the dialog.
 */
import { readFile } from "node:fs/promises"
import { parse } from "csv-parse/sync"
import type { Browser, Page } from "playwright-core"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { BOARD_NOT_FOUND, FILTER_UNAVAILABLE } from "../../dev/emulator/server/places.js"
import { type RunningHost, startHost } from "../../dev/host.js"
import { launchBrowser, withPage } from "../support/browser.js"

let admin: RunningHost
let restricted: RunningHost
let browser: Browser
beforeAll(async () => {
  admin = await startHost({ port: 0, emulator: { issues: 300, seed: 4 } })
  restricted = await startHost({ port: 0, emulator: { issues: 300, seed: 4 }, user: "restricted" })
  browser = await launchBrowser()
})
afterAll(async () => {
  await browser?.close()
  await admin?.close()
  await restricted?.close()
})

const keysOf = (host: RunningHost, jql: string) => {
  const emulator = host.emulator
  if (!emulator) throw new Error("no emulator")
  return emulator
    .referenceSearch(jql, host.accountId)
    .map((id) => emulator.dataset.issueByIdOrKey(id)?.key ?? id)
}

const previewOf = async (page: Page) => {
  await page.getByTestId("preview-table").waitFor()
  const headers = await page.locator('[data-testid="preview-table"] thead th').allTextContents()
  const rows = await page
    .locator('[data-testid="preview-table"] tbody tr')
    .evaluateAll((trs) => trs.map((r) => [...r.querySelectorAll("td")].map((td) => td.textContent ?? "")))
  return { headers, rows }
}

const exportFile = async (page: Page) => {
  await page.getByTestId("export-button").click()
  const download = page.getByTestId("download-button")
  await download.waitFor({ timeout: 60_000 })
  const [file] = await Promise.all([page.waitForEvent("download"), download.click()])
  const records: string[][] = parse(await readFile(await file.path()), { bom: true })
  return { headers: records[0] ?? [], rows: records.slice(1) }
}

const PLACES = [
  [
    "navigator with a saved filter",
    "module=jira:issueNavigatorAction&jql=project%20%3D%20ALPHA%20ORDER%20BY%20key%20ASC&filterId=10000",
    "project = ALPHA ORDER BY key ASC",
    ["Issue key", "Summary", "Status", "Priority", "Updated"],
  ],
  ["board", "module=jira:boardAction&boardId=1", "project = ALPHA ORDER BY Rank ASC", undefined],
  ["sprint", "module=jira:sprintAction&boardId=1&sprintId=2", "sprint = 2 ORDER BY Rank ASC", undefined],
  ["project page", "module=jira:projectPage&projectKey=BETA", "project = BETA ORDER BY key ASC", undefined],
] as const

describe("the page opened from a place in Jira", () => {
  it.each(PLACES)(
    "%s: starts from its query and columns; the file equals the preview and its issues",
    async (name, query, jql, headers) => {
      await withPage(browser, `place-${name}`, async (page, pageErrors) => {
        await page.goto(`${admin.url}?${query}`)
        await page.getByTestId("origin").waitFor()
        expect(await page.getByLabel("JQL", { exact: true }).inputValue()).toBe(jql)
        const preview = await previewOf(page)
        if (headers !== undefined) expect(preview.headers).toEqual(headers)
        const file = await exportFile(page)
        expect(file.headers).toEqual(preview.headers)
        const keyColumn = preview.headers.indexOf("Issue key")
        expect(file.rows.map((r) => r[keyColumn])).toEqual(keysOf(admin, jql))
        expect(file.rows.slice(0, preview.rows.length)).toEqual(preview.rows)
        expect(pageErrors).toEqual([])
      })
    },
  )

  it("the navigator's selected issues export exactly, in its order; Close closes the dialog", async () => {
    const selected = ["ALPHA-5", "BETA-1", "ALPHA-2"].filter((k) => admin.emulator?.dataset.issueByIdOrKey(k))
    // In the order of the navigator's query, not the order the keys came in.
    const inOrder = keysOf(admin, "project in (ALPHA, BETA)").filter((k) => selected.includes(k))
    await withPage(browser, "place-selected", async (page) => {
      await page.goto(
        `${admin.url}?module=jira:issueNavigatorAction&jql=project%20in%20(ALPHA%2C%20BETA)&issueKeys=${selected.join(",")}`,
      )
      expect(await page.locator("body.host-modal").count()).toBe(1)
      await page.getByTestId("only-selected").waitFor()
      expect(await page.getByTestId("only-selected").isChecked()).toBe(true)
      const preview = await previewOf(page)
      const keyColumn = preview.headers.indexOf("Issue key")
      expect(preview.rows.map((r) => r[keyColumn])).toEqual(inOrder)
      const file = await exportFile(page)
      expect(file.rows.map((r) => r[keyColumn])).toEqual(inOrder)
      await page.getByTestId("close").click()
      await page.waitForFunction(
        () => (window as unknown as { __hostClosed?: boolean }).__hostClosed === true,
      )
    })
  })

  it.each([
    [
      "a filter",
      "module=jira:issueNavigatorAction&jql=project%20%3D%20OPS&filterId=10001",
      FILTER_UNAVAILABLE,
    ],
    ["a board", "module=jira:boardAction&boardId=3", BOARD_NOT_FOUND],
  ])(
    "a restricted user opening %s they may not see gets Jira's sentence and no rows",
    async (_what, query, sentence) => {
      await withPage(browser, `place-hidden-${_what}`, async (page) => {
        await page.goto(`${restricted.url}?${query}`)
        await page.getByTestId("page-error").waitFor()
        expect(await page.getByTestId("page-error").textContent()).toContain(sentence)
        expect(await page.getByTestId("preview-table").count()).toBe(0)
      })
    },
  )
})
