/**
 * The export run by the page itself (web/src/engine over `requestJira`, answered by the local host as
 * the signed-in user): its file equals the command line's byte for byte under chaos, with and without
 * rate-limit headers on the page's answers; a reload in the middle resumes to the same bytes and
 * leaves nothing behind; a restricted user's file holds exactly what that user may browse.
 */
import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"
import { parse } from "csv-parse/sync"
import type { Browser, Page } from "playwright-core"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { type HostOptions, type RunningHost, startHost } from "../../dev/host.js"
import { runCli } from "../cli/run.js"
import { launchBrowser, screenshot, withPage } from "../support/browser.js"

const ISSUES = 1_000
// Every kind of fault, deletions included: the emulator deletes only issues the export has not read
// yet, so an exact file lacks exactly them; the command line then runs without chaos over what is left.
const CHAOS = "all,delete=0.05,seed=3"

let browser: Browser
let dir: string
const hosts: Array<RunningHost> = []
beforeAll(async () => {
  browser = await launchBrowser()
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "liquitim-page-engine-"))
})
afterAll(async () => {
  await browser?.close()
  for (const host of hosts) await host.close()
  fs.rmSync(dir, { recursive: true, force: true })
})

const host = async (options: HostOptions) => {
  const started = await startHost({ port: 0, ...options })
  hosts.push(started)
  return started
}

const allProjects = (h: RunningHost) =>
  `project in (${(h.emulator?.dataset.projects ?? []).map((p) => p.key).join(", ")}) ORDER BY key ASC`

/** The command line's file for `jql`, as the user `who` (an API token: no chaos-free shortcut). */
const cliFile = async (h: RunningHost, jql: string, who: "admin" | "restricted", name: string) => {
  const emulator = h.emulator
  if (emulator === undefined) throw new Error("no emulator")
  const out = path.join(dir, `${name}.csv`)
  const run = await runCli(
    { url: emulator.url, email: emulator.accounts[who].email, apiToken: emulator.apiToken },
    ["--jql", jql, "--out", out, "--quiet"],
  )
  expect(run.stderr).toBe("")
  expect(run.code).toBe(0)
  return fs.readFileSync(out)
}

const open = async (page: Page, h: RunningHost, jql: string) => {
  await page.goto(h.url)
  await page.getByTestId("whoami").waitFor()
  await page.getByTestId("selected-columns").waitFor()
  await page.getByLabel("JQL", { exact: true }).fill(jql)
  await page.getByTestId("run-in").selectOption("browser")
}

const downloaded = async (page: Page) => {
  const button = page.getByTestId("download-button")
  await button.waitFor({ timeout: 240_000 })
  const [file] = await Promise.all([page.waitForEvent("download"), button.click()])
  return fs.readFileSync(await file.path())
}

/** What the page keeps in IndexedDB: exports and parts. */
const kept = (page: Page) =>
  page.evaluate(
    () =>
      new Promise<{ exports: number; parts: number }>((resolve, reject) => {
        const request = indexedDB.open("liquitim-export", 1)
        request.onerror = () => reject(request.error)
        request.onsuccess = () => {
          const tx = request.result.transaction(["exports", "parts"])
          const exports = tx.objectStore("exports").count()
          const parts = tx.objectStore("parts").count()
          tx.oncomplete = () => resolve({ exports: exports.result, parts: parts.result })
        }
      }),
  )

describe.each([
  { headers: "on", rateLimitHeaders: true, http2: false, protocol: "HTTP/1.1" },
  // As Jira serves the frame: every read on one connection (dev/hostServer.ts).
  { headers: "off", rateLimitHeaders: false, http2: true, protocol: "HTTP/2" },
])(
  "the page engine under --chaos all, rate-limit headers $headers, $protocol",
  ({ headers, rateLimitHeaders, http2 }) => {
    it(`exports ${ISSUES} issues in the browser, byte for byte the command line's file`, async () => {
      const h = await host({
        http2,
        emulator: { issues: ISSUES, seed: 20, chaos: CHAOS, frontendRateLimitHeaders: rateLimitHeaders },
      })
      const jql = allProjects(h)
      await withPage(browser, `page-engine-${headers}`, async (page, pageErrors) => {
        await open(page, h, jql)
        await page.getByTestId("export-button").click()
        await page.getByTestId("export-placement").waitFor()
        expect(await page.getByTestId("export-placement").textContent()).toBe(
          "Running in this browser, as chosen in Options.",
        )
        const bytes = await downloaded(page)
        await screenshot(page, `page-engine-${headers}-done`)
        // Every issue but those deleted while the export ran, and those named.
        const done = (await page.getByTestId("export-done").textContent()) ?? ""
        const deleted = h.emulator?.stats().faults.byKind.delete ?? 0
        expect(deleted).toBeGreaterThan(0)
        expect(done).toContain(`Export complete: ${(ISSUES - deleted).toLocaleString("en-US")} issues`)
        expect(done).toContain(`could not be read any more (deleted or moved during the export)`)
        // The resolvers served the page's start-up only: the export itself made no invocation.
        expect(h.invocations().filter((i) => i.functionKey.startsWith("export/"))).toEqual([])
        const stats = h.emulator?.stats()
        expect(stats?.pointsBySource.frontend).toBeGreaterThan(ISSUES)
        expect(stats?.faults.total).toBeGreaterThan(0)
        expect(await kept(page)).toEqual({ exports: 0, parts: 0 })
        expect(pageErrors).toEqual([])
        // The page's reads went over the protocol asked (one HTTP/2 connection, or HTTP/1.1).
        const protocols = await page.evaluate(() => [
          ...new Set(
            performance
              .getEntriesByType("resource")
              .filter((e) => e.name.endsWith("/__host/fetch"))
              .map((e) => (e as PerformanceResourceTiming).nextHopProtocol),
          ),
        ])
        expect(protocols).toEqual([http2 ? "h2" : "http/1.1"])
        h.emulator?.setChaos("none")
        const cli = await cliFile(h, jql, "admin", `cli-${headers}`)
        expect(bytes.length).toBe(cli.length)
        expect(bytes.equals(cli)).toBe(true)
      })
    })
  },
)

describe("the page engine resumes after a reload", () => {
  it("offers the unfinished export, and the resumed file is byte for byte the command line's", async () => {
    const h = await host({ emulator: { issues: ISSUES, seed: 21, chaos: "slow=1:400,seed=2" } })
    const jql = allProjects(h)
    await withPage(browser, "page-engine-resume", async (page, pageErrors) => {
      await open(page, h, jql)
      await page.getByTestId("export-button").click()
      // Some parts kept, the export not done: reload in the middle.
      await expect
        .poll(async () => (await kept(page)).parts, { timeout: 60_000, interval: 50 })
        .toBeGreaterThan(2)
      expect(await page.getByTestId("download-button").count()).toBe(0)
      await page.reload()
      const offer = page.getByTestId("resume-offer")
      await offer.waitFor()
      await screenshot(page, "page-engine-resume-offer")
      expect(await offer.textContent()).toMatch(
        /^Resume the export of project in \(.*\) ORDER BY key ASC \(\d+%, [\d,]+ of 1,000 issues\)\?/,
      )
      await page.getByTestId("resume-button").click()
      const bytes = await downloaded(page)
      expect(await kept(page)).toEqual({ exports: 0, parts: 0 })
      h.emulator?.setChaos("")
      const cli = await cliFile(h, jql, "admin", "cli-resume")
      expect(bytes.equals(cli)).toBe(true)
      expect(pageErrors).toEqual([])
    })
  })

  it("a dismissed export leaves nothing behind", async () => {
    const h = await host({ emulator: { issues: ISSUES, seed: 21, chaos: "slow=1:400,seed=2" } })
    await withPage(browser, "page-engine-dismiss", async (page) => {
      await open(page, h, allProjects(h))
      await page.getByTestId("export-button").click()
      await expect
        .poll(async () => (await kept(page)).parts, { timeout: 60_000, interval: 50 })
        .toBeGreaterThan(1)
      await page.reload()
      await page.getByTestId("resume-offer").waitFor()
      await page.getByTestId("dismiss-button").click()
      await expect.poll(() => kept(page)).toEqual({ exports: 0, parts: 0 })
      await page.reload()
      await page.getByTestId("whoami").waitFor()
      expect(await page.getByTestId("resume-offer").count()).toBe(0)
    })
  })
})

describe("the automatic choice", () => {
  it("runs a large export in the browser after the servers started it, and says why in one line", async () => {
    const h = await host({ emulator: { issues: 1_200, seed: 23 } })
    const jql = allProjects(h)
    await withPage(browser, "page-engine-auto", async (page, pageErrors) => {
      await open(page, h, jql)
      await page.getByTestId("run-in").selectOption("auto")
      await page.getByTestId("export-button").click()
      const bytes = await downloaded(page)
      expect(await page.getByTestId("export-placement").textContent()).toBe(
        "Running in this browser: 1,200 issues are more than one answer from Atlassian's servers carries (about 1,000).",
      )
      expect(
        h
          .invocations()
          .map((i) => i.functionKey)
          .filter((k) => k.startsWith("export/")),
      ).toEqual(["export/start"])
      expect(bytes.equals(await cliFile(h, jql, "admin", "cli-auto"))).toBe(true)
      expect(pageErrors).toEqual([])
    })
  })
})

describe("a restricted user's page export", () => {
  it("holds exactly the issues that user may browse, byte for byte the command line's as that user", async () => {
    const h = await host({ user: "restricted", emulator: { issues: 600, seed: 22 } })
    const emulator = h.emulator
    if (emulator === undefined) throw new Error("no emulator")
    const jql = "created <= now() ORDER BY key ASC"
    await withPage(browser, "page-engine-restricted", async (page, pageErrors) => {
      await open(page, h, jql)
      await page.getByTestId("export-button").click()
      const bytes = await downloaded(page)
      const records: Array<Array<string>> = parse(bytes, { bom: true })
      const keyColumn = records[0]?.indexOf("Issue key") ?? -1
      const expected = emulator
        .referenceSearch(jql, h.accountId)
        .map((id) => emulator.dataset.issueByIdOrKey(id)?.key)
      expect(records.slice(1).map((r) => r[keyColumn])).toEqual(expected)
      // Hidden projects exist, and the admin sees more.
      expect(emulator.referenceSearch(jql, emulator.accounts.admin.accountId).length).toBeGreaterThan(
        expected.length,
      )
      expect(bytes.equals(await cliFile(h, jql, "restricted", "cli-restricted"))).toBe(true)
      expect(pageErrors).toEqual([])
    })
  })
})
