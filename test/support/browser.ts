/**
 * Browser test harness: playwright-core driving Debian's Chromium (no browser download; none is
 * reachable here) against the local Forge host.
 */
import { existsSync } from "node:fs"
import { mkdir } from "node:fs/promises"
import { join, resolve } from "node:path"
import { type Browser, chromium, type Page } from "playwright-core"

export const chromiumPath = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium"
export const artifactsDir = resolve(__dirname, "..", "..", "test-artifacts")

/** Starts headless Chromium with a fresh profile, or fails with how to install it. */
export const launchBrowser = async (): Promise<Browser> => {
  if (!existsSync(chromiumPath)) {
    throw new Error(
      `Chromium is not installed at ${chromiumPath}: install it with "apt-get install -y chromium" ` +
        "(or set CHROMIUM_PATH to a Chromium binary), then run the browser tests again.",
    )
  }
  // launch() gives each browser a fresh temporary profile directory.
  return chromium.launch({
    executablePath: chromiumPath,
    headless: true,
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-background-networking",
      "--disable-quic",
      "--no-first-run",
      "--disable-component-update",
      "--disable-sync",
      "--disable-dev-shm-usage",
    ],
  })
}

/** Writes `test-artifacts/<name>.png` and returns its path. */
export const screenshot = async (page: Page, name: string): Promise<string> => {
  await mkdir(artifactsDir, { recursive: true })
  const path = join(artifactsDir, `${name.replace(/[^\w.-]+/g, "_")}.png`)
  await page.screenshot({ path, fullPage: true })
  return path
}

/**
 * Runs `body` with a fresh page; on failure saves a screenshot named after the test and rethrows.
 * Collects page errors so a test can assert there were none.
 */
export const withPage = async <A>(
  browser: Browser,
  name: string,
  body: (page: Page, pageErrors: ReadonlyArray<string>) => Promise<A>,
): Promise<A> => {
  // The local host's HTTP/2 mode has a self-signed certificate (dev/hostServer.ts).
  const context = await browser.newContext({
    acceptDownloads: true,
    ignoreHTTPSErrors: true,
    viewport: { width: 1280, height: 900 },
  })
  const page = await context.newPage()
  const pageErrors: string[] = []
  page.on("pageerror", (error) => pageErrors.push(error.message))
  try {
    return await body(page, pageErrors)
  } catch (error) {
    await screenshot(page, `FAILED-${name}`).catch(() => undefined)
    throw error
  } finally {
    await context.close()
  }
}
