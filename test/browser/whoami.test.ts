import type { Browser } from "playwright-core"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { type RunningHost, startHost } from "../../dev/host.js"
import { launchBrowser, screenshot, withPage } from "../support/browser.js"

describe("the page through the local Forge host", () => {
  let host: RunningHost
  let browser: Browser

  beforeAll(async () => {
    host = await startHost({ port: 0 })
    browser = await launchBrowser()
  })
  afterAll(async () => {
    await browser?.close()
    await host?.close()
  })

  it("shows the signed-in user's name from session/whoami, through the real bridge, resolver and @forge/api", async () => {
    await withPage(browser, "whoami", async (page, pageErrors) => {
      await page.goto(host.url)
      const who = page.getByTestId("whoami")
      await who.waitFor()
      expect(await who.textContent()).toContain(`Signed in as ${host.emulator?.accounts.admin.displayName}`)
      await screenshot(page, "foundation-whoami-light")
      expect(host.invocations().map((call) => call.functionKey)).toContain("session/whoami")
      expect(pageErrors).toEqual([])
    })
  })

  it("runs as the restricted user when the host says so", async () => {
    const restrictedHost = await startHost({ port: 0, user: "restricted" })
    try {
      await withPage(browser, "whoami-restricted", async (page) => {
        await page.goto(restrictedHost.url)
        const who = page.getByTestId("whoami")
        await who.waitFor()
        expect(await who.textContent()).toContain(restrictedHost.emulator?.accounts.restricted.displayName)
      })
    } finally {
      await restrictedHost.close()
    }
  })

  it("follows Jira's dark theme", async () => {
    await withPage(browser, "whoami-dark", async (page) => {
      await page.goto(`${host.url}?theme=dark`)
      await page.getByTestId("whoami").waitFor()
      await page.waitForFunction(() => document.documentElement.getAttribute("data-color-mode") === "dark")
      const background = await page.evaluate(() => getComputedStyle(document.body).backgroundColor)
      // Jira's dark surface token is #1D2125 (rgb(29, 33, 37)); light would be white.
      expect(background).toBe("rgb(29, 33, 37)")
      await screenshot(page, "foundation-whoami-dark")
    })
  })
})
