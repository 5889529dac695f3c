/**
 * The global page in Chromium through the local Forge host, the real resolvers and the emulator:
 * query, preview, Jira's error message, columns, issue links and the dark theme.
 */
import type { Browser, Page } from "playwright-core"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { type RunningHost, startHost } from "../../dev/host.js"
import { launchBrowser, screenshot, withPage } from "../support/browser.js"

describe("the global page: query, preview and columns", () => {
  let host: RunningHost
  let browser: Browser
  let jql: string

  beforeAll(async () => {
    host = await startHost({ port: 0, emulator: { issues: 300, seed: 11 } })
    browser = await launchBrowser()
    const keys = host.emulator?.dataset.projects.map((p) => p.key) ?? []
    jql = `project in (${keys.join(", ")}) ORDER BY key ASC`
  })
  afterAll(async () => {
    await browser?.close()
    await host?.close()
  })

  const expectedKeys = (query: string) => {
    const emulator = host.emulator
    if (!emulator) throw new Error("no emulator")
    return emulator
      .referenceSearch(query, host.accountId)
      .map((id) => emulator.dataset.issueByIdOrKey(id)?.key ?? `missing ${id}`)
  }

  const open = async (page: Page, query = "") => {
    await page.goto(`${host.url}${query}`)
    await page.getByTestId("whoami").waitFor()
    await page.getByTestId("selected-columns").waitFor()
  }

  const run = async (page: Page, text: string) => {
    await page.getByLabel("JQL", { exact: true }).fill(text)
    await page.getByLabel("JQL", { exact: true }).press("Control+Enter")
  }

  const firstColumn = (page: Page) =>
    page.locator('[data-testid="preview-table"] tbody tr td:first-child').allTextContents()

  it("runs a query with Ctrl+Enter and shows the first page, the total, load more and issue links", async () => {
    await withPage(browser, "page-preview", async (page, pageErrors) => {
      await open(page)
      await run(page, jql)
      await page.getByTestId("preview-table").waitFor()
      const keys = expectedKeys(jql)
      expect(await firstColumn(page)).toEqual(keys.slice(0, 50))
      expect(await page.getByTestId("preview-count").textContent()).toBe(
        `Showing 50 of about ${keys.length} issues.`,
      )
      await screenshot(page, "page-preview-light")

      await page.getByTestId("load-more").click()
      await page.waitForFunction(
        () => document.querySelectorAll('[data-testid="preview-table"] tbody tr').length === 100,
      )
      expect(await firstColumn(page)).toEqual(keys.slice(0, 100))

      await page.getByRole("link", { name: keys[0] ?? "", exact: true }).click()
      // router.open reaches the host as a "navigate" bridge call with type new-tab.
      const opened = await page.evaluate(
        () => (window as unknown as { __hostNavigated?: unknown[] }).__hostNavigated,
      )
      expect(opened).toEqual([{ target: "issue", issueKey: keys[0], type: "new-tab" }])
      expect(pageErrors).toEqual([])
    })
  })

  it("shows Jira's own message and position for an invalid query, and says so when nothing matches", async () => {
    await withPage(browser, "page-invalid-jql", async (page) => {
      await open(page)
      const invalid = "project = = X"
      await page.getByLabel("JQL", { exact: true }).fill(invalid)
      const emulator = host.emulator
      if (!emulator) throw new Error("no emulator")
      // Jira's words, straight from the emulator's /jql/parse.
      const auth = Buffer.from(`${emulator.accounts.admin.email}:${emulator.apiToken}`).toString("base64")
      const parsed = await fetch(`${emulator.url}/rest/api/3/jql/parse?validation=strict`, {
        method: "POST",
        headers: { authorization: `Basic ${auth}`, "content-type": "application/json" },
        body: JSON.stringify({ queries: [invalid] }),
      }).then((r) => r.json() as Promise<{ queries: Array<{ errors?: string[] }> }>)
      const message = parsed.queries[0]?.errors?.[0]
      expect(message).toBeTruthy()
      const error = page.getByTestId("jql-error")
      await error.waitFor()
      expect(await error.textContent()).toContain(message)
      expect(await page.getByLabel("JQL", { exact: true }).getAttribute("aria-invalid")).toBe("true")
      await page.getByTestId("search-button").click()
      // Said once, under the query box: the preview points there instead of repeating it.
      await page.getByTestId("preview-invalid").waitFor()
      expect(await page.getByTestId("preview-error").count()).toBe(0)
      expect(await page.getByTestId("jql-error").count()).toBe(1)
      await screenshot(page, "page-invalid-jql")

      const none = `${jql.replace(" ORDER BY key ASC", "")} AND key > ${expectedKeys(jql).at(-1)} ORDER BY key ASC`
      if (expectedKeys(none).length === 0) {
        await run(page, none)
        await page.getByText("No issues match this query.").waitFor()
        await screenshot(page, "page-no-results")
      }
    })
  })

  it("adds, reorders (drag and keyboard) and removes columns; the preview follows and the choice is remembered", async () => {
    await withPage(browser, "page-columns", async (page) => {
      await open(page)
      await run(page, jql)
      await page.getByTestId("preview-table").waitFor()
      const selected = () =>
        page
          .locator("[data-testid=selected-columns] li")
          .evaluateAll((els) => els.map((e) => e.getAttribute("data-column")))
      const before = await selected()
      // Jira's field id for the key is `issuekey`; the app may also offer it as `key`.
      const key = before[0] ?? ""
      expect(["issuekey", "key"]).toContain(key)
      expect(before.slice(1, 3)).toEqual(["summary", "status"])

      // Add a field found by search.
      await page.getByLabel("Find fields").fill("reporter")
      await page.getByRole("button", { name: /^Add Reporter$/ }).click()
      expect((await selected()).at(-1)).toBe("reporter")

      // Keyboard: Alt+ArrowUp twice on the new column's grip.
      const grip = page.locator('[data-column="reporter"] .grip')
      await grip.focus()
      await page.keyboard.press("Alt+ArrowUp")
      await page.keyboard.press("Alt+ArrowUp")
      const afterKeys = await selected()
      expect(afterKeys.indexOf("reporter")).toBe(afterKeys.length - 3)
      expect(
        await page.evaluate(() => document.activeElement?.closest("li")?.getAttribute("data-column")),
      ).toBe("reporter")

      // Drag status above key.
      await page.locator('[data-column="status"]').dragTo(page.locator(`[data-column="${key}"]`))
      expect((await selected()).slice(0, 3)).toEqual(["status", key, "summary"])

      // Remove summary with its button.
      await page
        .locator('[data-column="summary"]')
        .getByRole("button", { name: /^Remove/ })
        .click()
      const final = await selected()
      expect(final).not.toContain("summary")

      // The preview is refreshed with the new columns, in order.
      const headers = () => page.locator('[data-testid="preview-table"] thead th').allTextContents()
      await expect.poll(async () => (await headers())[0], { timeout: 10_000 }).toBe("Status")
      expect(await headers()).toHaveLength(final.length)
      await screenshot(page, "page-columns")

      // Opening the page again restores the query and the columns.
      await open(page)
      expect(await selected()).toEqual(final)
      expect(await page.getByLabel("JQL", { exact: true }).inputValue()).toBe(jql)
    })
  })

  it("suggests field names and values from Jira's autocomplete endpoints, from the keyboard", async () => {
    await withPage(browser, "page-suggestions", async (page) => {
      await open(page)
      const box = page.getByLabel("JQL", { exact: true })
      await box.click()
      await page.keyboard.type("sta")
      const options = page.locator("#jql-suggestions [role=option]")
      await options.first().waitFor()
      expect((await options.allTextContents())[0]).toMatch(/^Status/)
      await page.keyboard.press("Enter")
      expect(await box.inputValue()).toBe("status ")
      await page.keyboard.type('= "In Pro')
      await options.filter({ hasText: "In Progress" }).waitFor()
      await screenshot(page, "page-suggestions")
      await page.keyboard.press("Tab")
      expect(await box.inputValue()).toBe('status = "In Progress" ')
      await page.getByText("The query is valid.").waitFor()
    })
  })

  it("renders the dark theme with Jira's dark tokens", async () => {
    await withPage(browser, "page-dark", async (page) => {
      await open(page, "?theme=dark")
      await page.waitForFunction(() => document.documentElement.getAttribute("data-color-mode") === "dark")
      await run(page, jql)
      // The preview's outcome (rows or a sentence) is enough here; what matters is the colours.
      await page.locator('[data-testid="preview-table"], [data-testid="preview-count"]').first().waitFor()
      const colours = await page.evaluate(() => ({
        body: getComputedStyle(document.body).backgroundColor,
        text: getComputedStyle(document.body).color,
        panel: getComputedStyle(document.querySelector(".panel") ?? document.body).backgroundColor,
      }))
      expect(colours.body).toBe("rgb(29, 33, 37)")
      expect(colours.text).not.toBe("rgb(23, 43, 77)")
      expect(colours.panel).not.toBe("rgb(255, 255, 255)")
      await screenshot(page, "page-preview-dark")
    })
  })
})
