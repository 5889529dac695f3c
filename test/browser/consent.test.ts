/**
 * Forge's "Allow access" prompt through the local host: the user has not allowed the app to act as
 * them yet, so the first `asUser()` request is refused as Forge refuses it, the error leaves the
 * resolver, the frame shows the prompt, and allowing access brings up the page with Jira's data.
 */
import type { Browser } from "playwright-core"
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest"
import { type RunningHost, startHost } from "../../dev/host.js"
import { launchBrowser, screenshot, withPage } from "../support/browser.js"

describe("the consent prompt", () => {
  let host: RunningHost
  let browser: Browser

  beforeAll(async () => {
    host = await startHost({ port: 0, consent: "required", emulator: { issues: 50, seed: 3 } })
    browser = await launchBrowser()
  })
  afterEach(() => {
    host.setConsent("required")
  })
  afterAll(async () => {
    await browser?.close()
    await host?.close()
  })

  it("answers an invocation without consent as Forge does, and answers it once consent is given", async () => {
    const invoke = () =>
      fetch(`${host.url}__host/invoke`, {
        method: "POST",
        // As the page sends it: JSON from the host's own origin (the host refuses anything else).
        headers: { "content-type": "application/json", origin: new URL(host.url).origin },
        body: JSON.stringify({ functionKey: "session/whoami", payload: {} }),
      })
    const refused = await invoke()
    expect(refused.status).toBe(401)
    expect(await refused.json()).toMatchObject({ consentRequired: true })
    expect(host.invocations().at(-1)).toMatchObject({ functionKey: "session/whoami", status: 401 })
    // Nothing reached Jira: the platform refused before.
    expect(host.emulator?.stats().requests.total).toBe(0)
    await fetch(`${host.url}__host/consent`, { method: "POST" })
    expect(host.consent()).toBe("granted")
    const answered = await invoke()
    expect(answered.status).toBe(200)
    expect(await answered.json()).toMatchObject({ result: { ok: true } })
  })

  it("shows Allow access first; allowing it leads to the page with the user and their fields", async () => {
    await withPage(browser, "consent-prompt", async (page) => {
      await page.goto(host.url)
      const prompt = page.getByRole("dialog", { name: "Allow access" })
      await prompt.waitFor()
      expect(await page.getByTestId("whoami").count()).toBe(0)
      await screenshot(page, "consent-prompt")
      await prompt.getByRole("button", { name: "Allow access" }).click()
      const who = page.getByTestId("whoami")
      await who.waitFor()
      expect(await who.textContent()).toContain(`Signed in as ${host.emulator?.accounts.admin.displayName}`)
      await page.getByTestId("selected-columns").waitFor()
      expect(await page.getByRole("dialog", { name: "Allow access" }).count()).toBe(0)
      expect(host.consent()).toBe("granted")
      expect(host.invocations().some((call) => call.status === 401)).toBe(true)
    })
  })
})
