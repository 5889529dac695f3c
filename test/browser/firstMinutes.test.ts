/**
 * What a new user meets in the first minutes (issue 23, items 1–6), in Chromium through the local host:
 * dialogs open at their top with the focus on their first control; column names are not cut and their
 * types are in Jira's words; the picker ranks name matches first; a bad query is said once, where the
 * query is, and Export waits; a Jira that stops answering is said to be so while we keep trying, and
 * the run ends in one sentence without internals.
 */
import type { Browser, Page } from "playwright-core"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { type RunningHost, startHost } from "../../dev/host.js"
import { launchBrowser, screenshot } from "../support/browser.js"

let host: RunningHost
let browser: Browser
beforeAll(async () => {
  host = await startHost({ port: 0, emulator: { issues: 300, seed: 4 } })
  browser = await launchBrowser()
})
afterAll(async () => {
  await browser?.close()
  await host?.close()
})

/** A fresh page at a viewport size; a failure leaves a screenshot. */
const at = async <A>(
  name: string,
  viewport: { width: number; height: number },
  body: (page: Page) => Promise<A>,
): Promise<A> => {
  const context = await browser.newContext({ acceptDownloads: true, viewport })
  const page = await context.newPage()
  try {
    return await body(page)
  } catch (error) {
    await screenshot(page, `FAILED-${name}`).catch(() => undefined)
    throw error
  } finally {
    await context.close()
  }
}

const DIALOGS = [
  [
    "navigator with 3 selected issues",
    "module=jira:issueNavigatorAction&jql=project%20in%20(ALPHA%2C%20BETA)&issueKeys=ALPHA-5,BETA-1,ALPHA-2",
    "only-selected",
  ],
  ["board", "module=jira:boardAction&boardId=1", "close"],
  ["sprint", "module=jira:sprintAction&boardId=1&sprintId=2", "close"],
] as const

describe("the first minutes on the page", () => {
  for (const viewport of [
    { width: 1280, height: 720 },
    { width: 1400, height: 900 },
  ]) {
    it.each(DIALOGS)(
      `the %s dialog opens at its top at ${viewport.width}×${viewport.height}, focus on its first control`,
      async (name, query, first) => {
        await at(`dialog-${name}-${viewport.width}`, viewport, async (page) => {
          await page.goto(`${host.url}?${query}`)
          await page.getByTestId("preview-table").waitFor()
          // The preview has loaded and the Export button shown: nothing may have scrolled meanwhile.
          await page.getByTestId("export-button").waitFor()
          const scroll = await page.evaluate(() => ({
            window: window.scrollY,
            dialog: document.getElementById("root")?.scrollTop ?? -1,
            focused: document.activeElement?.getAttribute("data-testid") ?? null,
          }))
          expect(scroll).toEqual({ window: 0, dialog: 0, focused: first })
          await expect(page.getByRole("heading", { level: 1 }).isVisible()).resolves.toBe(true)
          await expect(page.getByTestId("origin").isVisible()).resolves.toBe(true)
          if (viewport.width === 1280) await screenshot(page, `dialog-top-${name}`)
        })
      },
    )
  }

  it("at 1024 px the default columns' names are whole and their types are Jira's words; ids in tooltips", async () => {
    await at("names-1024", { width: 1024, height: 800 }, async (page) => {
      await page.goto(host.url)
      await page.getByTestId("selected-columns").waitFor()
      const rows = await page.locator(".field-row").evaluateAll((lis) =>
        lis.map((li) => {
          const name = li.querySelector<HTMLElement>(".field-name")
          const badge = li.querySelector<HTMLElement>(".lozenge")
          return {
            name: name?.textContent ?? "",
            cut: name === null || name.scrollWidth > name.clientWidth + 1,
            tooltip: name?.title ?? "",
            badge: badge?.textContent ?? "",
            badgeCut: badge === null || badge.scrollWidth > badge.clientWidth + 1,
          }
        }),
      )
      expect(rows.length).toBeGreaterThan(7)
      expect(rows.filter((r) => r.cut)).toEqual([])
      expect(rows.filter((r) => r.badgeCut)).toEqual([])
      for (const row of rows) {
        expect(row.badge).toMatch(/^(URL|[A-Z][a-z &]+)$/)
        expect(row.tooltip).not.toBe("")
      }
      const selected = await page
        .locator('[data-testid="selected-columns"] .field-row')
        .evaluateAll((lis) => lis.map((li) => li.querySelector(".lozenge")?.textContent))
      expect(selected).toEqual(["Text", "Text", "Status", "User", "Priority", "Date & time", "Date & time"])
      await page.getByLabel("Find fields").fill("labels")
      await expect(
        page.locator('[data-testid="available-fields"] .lozenge').first().textContent(),
      ).resolves.toBe("Labels")
      await screenshot(page, "names-1024")
    })
  })

  it('the picker lists Story Points first for "story", before the history columns that match by type', async () => {
    await at("ranking", { width: 1280, height: 900 }, async (page) => {
      await page.goto(host.url)
      await page.getByTestId("selected-columns").waitFor()
      await page.getByLabel("Find fields").fill("story")
      const names = await page.locator('[data-testid="available-fields"] .field-name').allTextContents()
      expect(names[0]).toBe("Story Points")
      const firstHistory = names.findIndex((n) => n.includes("(h)") || n.includes("status"))
      expect(firstHistory === -1 || firstHistory > 0).toBe(true)
    })
  })

  it("a bad query is said once, under the query box, and Export waits until it is corrected", async () => {
    await at("one-message", { width: 1280, height: 900 }, async (page) => {
      await page.goto(host.url)
      await page.getByTestId("selected-columns").waitFor()
      const box = page.getByLabel("JQL", { exact: true })
      await box.fill("project = = ALPHA")
      await box.press("Control+Enter")
      await page.getByTestId("jql-error").waitFor()
      await page.getByTestId("preview-invalid").waitFor()
      await expect(page.getByTestId("export-button").isDisabled()).resolves.toBe(true)
      // A second, different mistake replaces the first; it is not shown next to it.
      await box.fill("project = ALPHA AND")
      await page.waitForFunction(() => {
        const errors = document.querySelectorAll('[data-testid="jql-error"]')
        return errors.length === 1 && !errors[0]?.textContent?.includes("'='")
      })
      expect(await page.locator(".notice-error").count()).toBe(0)
      expect(await page.locator('[data-testid="jql-error"] .error-text').count()).toBe(1)
      await screenshot(page, "one-message")
      await box.fill("project = ALPHA ORDER BY key")
      await page.getByText("The query is valid.").waitFor()
      await expect(page.getByTestId("export-button").isDisabled()).resolves.toBe(false)
    })
  })

  it("history mode sets the column picker aside; a quick export says it took under a second, never 0 s", async () => {
    await at("small-ones", { width: 1280, height: 900 }, async (page) => {
      await page.goto(host.url)
      await page.getByTestId("selected-columns").waitFor()
      const box = page.getByLabel("JQL", { exact: true })
      await box.fill("key = ALPHA-1")
      await box.press("Control+Enter")
      await page.getByTestId("preview-table").waitFor()
      await page.getByTestId("export-button").click()
      const done = await page.getByTestId("export-done").textContent()
      expect(done).not.toContain(" 0 s")
      expect(done).toMatch(/Export complete: 1 issues in (under a second|\d+ s)\./)
      await page.getByRole("button", { name: "New export" }).click()
      await page.getByLabel("Mode").selectOption("history")
      await page.getByTestId("columns-ignored").waitFor()
      await expect(page.getByLabel("Find fields").isDisabled()).resolves.toBe(true)
      // The saved-filter picker is one of the page's styled controls.
      expect(await page.getByTestId("filter-picker").getAttribute("class")).toContain("select")
    })
  })
})

describe("a Jira that stops answering", () => {
  let gone: RunningHost
  beforeAll(async () => {
    gone = await startHost({ port: 0, emulator: { issues: 50, seed: 4 } })
  })
  afterAll(async () => {
    await gone?.close().catch(() => undefined)
  })

  it("says that Jira is not answering and that we keep trying, with a countdown; ends in one sentence", async () => {
    await at("not-answering", { width: 1280, height: 900 }, async (page) => {
      await page.goto(gone.url)
      await page.getByTestId("selected-columns").waitFor()
      await page.getByLabel("JQL", { exact: true }).fill("project = ALPHA ORDER BY key")
      await gone.emulator?.close()
      await page.getByTestId("export-button").click()
      const state = page.getByTestId("export-state")
      await page.waitForFunction(
        () => document.querySelector('[data-testid="export-state"]')?.textContent?.includes("not answering"),
        undefined,
        { timeout: 30_000 },
      )
      expect(await state.textContent()).toMatch(
        /^Jira is not answering; we keep trying: next try in \d+ s \(attempt 2 of 6\)\.$/,
      )
      // The first answer came after one retry inside the call (about 2 s), not after 14 s of silence.
      const calls = gone.invocations().filter((i) => i.functionKey === "export/start")
      expect(calls.length).toBe(1)
      await screenshot(page, "not-answering")
      const error = page.getByTestId("export-error")
      await error.waitFor({ timeout: 150_000 })
      expect(await error.locator("p").allTextContents()).toEqual([
        "Jira is not answering",
        "Jira did not answer; check your connection, then try again.",
      ])
    })
  }, 180_000)
})
