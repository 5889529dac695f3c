/**
 * The local Forge host with several sites (issue 21): one page URL per installation, each invocation
 * reaching its own site's Jira, and Forge's key-value storage kept per installation, spoken to by the
 * real `@forge/kvs` SDK through the platform's fetch hook.
 */
import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"
import { Effect } from "effect"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { type RunningHost, startHost } from "../../dev/host.js"
import { MemoryKvs } from "../../dev/kvs.js"
import { SpendLedger, type SpendLedgerShape } from "../../src/resolvers/SpendLedger.js"

describe("the local Forge host with several sites", () => {
  let host: RunningHost
  let dist: string
  beforeAll(async () => {
    dist = fs.mkdtempSync(path.join(os.tmpdir(), "liquitim-host-sites-"))
    fs.writeFileSync(path.join(dist, "index.html"), "<html><head></head><body></body></html>")
    host = await startHost({ distDir: dist, sites: 3, emulator: { issues: 20, seed: 4 } })
  })
  afterAll(async () => {
    await host?.close()
    fs.rmSync(dist, { recursive: true, force: true })
  })

  const whoami = async (url: string, port: number) => {
    const response = await fetch(`${url}__host/invoke`, {
      method: "POST",
      headers: { "content-type": "application/json", origin: `http://127.0.0.1:${port}` },
      body: JSON.stringify({ functionKey: "session/whoami", payload: {} }),
    })
    return (await response.json()).result
  }

  it("serves each installation at its own URL, against its own site, with its own context", async () => {
    expect(host.sites).toHaveLength(3)
    expect(new Set(host.sites.map((s) => s.url)).size).toBe(3)
    expect(new Set(host.sites.map((s) => s.installContext)).size).toBe(3)
    const emulated = host.emulator?.sites ?? []
    for (const [i, site] of host.sites.entries()) {
      expect(site.siteUrl).toBe(emulated[i]?.url)
      expect(site.cloudId).toBe(emulated[i]?.cloudId)
      expect(site.installContext).toBe(`ari:cloud:jira::site/${site.cloudId}`)
      const me = await whoami(site.url, site.port)
      expect(me).toMatchObject({ ok: true, value: { accountId: site.accountId } })
      // The request reached this site's Jira and no other.
      expect(emulated[i]?.stats().requests.total).toBe(1)
    }
  })

  it("refuses an invoke from another installation's page origin", async () => {
    const [one, two] = host.sites
    if (one === undefined || two === undefined) throw new Error("three sites")
    const response = await fetch(`${one.url}__host/invoke`, {
      method: "POST",
      headers: { "content-type": "application/json", origin: `http://127.0.0.1:${two.port}` },
      body: JSON.stringify({ functionKey: "session/whoami", payload: {} }),
    })
    expect(response.status).toBe(403)
  })
})

describe("Forge storage in memory, through @forge/kvs", () => {
  it("keeps each installation's keys apart, answers a missing key with undefined and checks keys", async () => {
    const store = new MemoryKvs()
    let installation = "ari:cloud:jira::site/a"
    const previous = Reflect.get(globalThis, "__forge_fetch__")
    Object.assign(globalThis, {
      __forge_fetch__: (descriptor: { type?: string }, where: string, init?: RequestInit) => {
        expect(descriptor.type).toBe("kvs")
        return store.answer(installation, where, init)
      },
    })
    try {
      const { kvs } = await import("@forge/kvs")
      expect(await kvs.get("steward:2026-12-05T21")).toBeUndefined()
      await kvs.set("steward:2026-12-05T21", { points: 120 })
      expect(await kvs.get("steward:2026-12-05T21")).toEqual({ points: 120 })
      installation = "ari:cloud:jira::site/b"
      expect(await kvs.get("steward:2026-12-05T21")).toBeUndefined()
      await kvs.set("steward:2026-12-05T21", { points: 7 })
      expect(store.peek("ari:cloud:jira::site/a", "steward:2026-12-05T21")).toEqual({ points: 120 })
      expect(store.peek("ari:cloud:jira::site/b", "steward:2026-12-05T21")).toEqual({ points: 7 })
      await kvs.delete("steward:2026-12-05T21")
      expect(await kvs.get("steward:2026-12-05T21")).toBeUndefined()
      await expect(kvs.set("bad/key", 1)).rejects.toThrow(/key/)
    } finally {
      Object.assign(globalThis, { __forge_fetch__: previous })
    }
  })

  it("holds the steward's spend per installation and window through the app's own ledger", async () => {
    const store = new MemoryKvs()
    let installation = "ari:cloud:jira::site/a"
    const previous = Reflect.get(globalThis, "__forge_fetch__")
    Object.assign(globalThis, {
      __forge_fetch__: (_: unknown, where: string, init?: RequestInit) =>
        store.answer(installation, where, init),
    })
    try {
      const window = "2026-12-05T21:00:00.000Z"
      const ledger = <A>(effect: (l: SpendLedgerShape) => Effect.Effect<A>) =>
        Effect.runPromise(SpendLedger.pipe(Effect.flatMap(effect), Effect.provide(SpendLedger.layerForge)))
      const claimOf = (points: number) =>
        ledger((l) =>
          l.claim(
            window,
            () => points,
            (p) => p,
            0,
          ),
        ).then(({ claim }) => {
          if (claim === undefined) throw new Error("Nothing was claimed.")
          return claim
        })
      expect(await ledger((l) => l.spent(window))).toBe(0)
      const first = await claimOf(1200)
      await claimOf(300)
      expect(await ledger((l) => l.spent(window))).toBe(1500)
      // A call that spent less than it claimed gives the rest back.
      await ledger((l) => l.settle(first, 1000))
      expect(await ledger((l) => l.spent(window))).toBe(1300)
      expect(await ledger((l) => l.spent("2026-12-05T22:00:00.000Z"))).toBe(0)
      installation = "ari:cloud:jira::site/b"
      expect(await ledger((l) => l.spent(window))).toBe(0)
      expect(store.peek("ari:cloud:jira::site/a", `steward:spent:${window}:0`)).toEqual({ points: 1000 })
      // The second call has not ended: its claim is held until no call of it could still run.
      expect(store.peek("ari:cloud:jira::site/a", `steward:spent:${window}:1`)).toEqual({
        points: 300,
        heldUntil: 30_000,
      })
    } finally {
      Object.assign(globalThis, { __forge_fetch__: previous })
    }
  })
})
