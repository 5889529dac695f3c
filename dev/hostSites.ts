/**
 * The installations the local Forge host serves: one over a real site (its API token), or one per
 * site of the emulator, each with the context Forge gives its invocations (cloud id, site URL,
 * `installContext`) and how its Jira requests are sent.
 */
import { siteBase } from "../src/contract/constants.js"
import { FORGE_ACCOUNT_HEADER, type RunningEmulator } from "./emulator/index.js"

/** One installation the host serves: its page, its Jira and what Forge tells its invocations. */
export interface HostSite {
  readonly url: string
  readonly port: number
  readonly site: number
  readonly cloudId: string
  /** Forge's `installContext` of the installation (the key of its storage). */
  readonly installContext: string
  readonly siteUrl: string
  readonly accountId: string
}

/** An installation before its page listens, with where its Jira requests go. */
export type Installation = Omit<HostSite, "url" | "port"> & {
  readonly target: {
    readonly baseUrl: string
    readonly headers: Record<string, string>
    readonly installContext: string
  }
}

const installContextOf = (cloudId: string) => `ari:cloud:jira::site/${cloudId}`

const basicAuth = (site: { readonly email: string; readonly apiToken: string }) =>
  `Basic ${Buffer.from(`${site.email}:${site.apiToken}`).toString("base64")}`

/** A real site, reached with an API token: one installation, as the token's user. */
export const realSiteInstallation = async (given: {
  readonly url: string
  readonly email: string
  readonly apiToken: string
}): Promise<Installation> => {
  const site = { ...given, url: siteBase(given.url) }
  const me = await fetch(`${site.url}/rest/api/3/myself`, {
    headers: { Authorization: basicAuth(site), Accept: "application/json" },
  })
  if (me.status !== 200)
    throw new Error(`${site.url} did not accept the email and API token (HTTP ${me.status}); check them.`)
  const body: unknown = await me.json()
  const accountId =
    typeof body === "object" && body !== null && "accountId" in body && typeof body.accountId === "string"
      ? body.accountId
      : ""
  const cloudId = "00000000-0000-4000-8000-00000000c10d"
  return {
    site: 1,
    cloudId,
    installContext: installContextOf(cloudId),
    siteUrl: site.url,
    accountId,
    target: {
      baseUrl: site.url,
      headers: { Authorization: basicAuth(site) },
      installContext: installContextOf(cloudId),
    },
  }
}

/** Every site of the emulator, as `user` (Forge's account header: the quota counts it as app traffic). */
export const emulatedInstallations = (
  emulator: RunningEmulator,
  user: "admin" | "restricted",
): ReadonlyArray<Installation> =>
  emulator.sites.map((site) => {
    const accountId = site.accounts[user].accountId
    return {
      site: site.site,
      cloudId: site.cloudId,
      installContext: installContextOf(site.cloudId),
      siteUrl: site.url,
      accountId,
      target: {
        baseUrl: site.url,
        headers: { [FORGE_ACCOUNT_HEADER]: accountId },
        installContext: installContextOf(site.cloudId),
      },
    }
  })

/** An emulator already running elsewhere (the benchmark's, on its own thread), as one installation. */
export const emulatorAtInstallation = (url: string, accountId: string): Installation => {
  const cloudId = "00000000-0000-4000-8000-00000000c10d"
  return {
    site: 1,
    cloudId,
    installContext: installContextOf(cloudId),
    siteUrl: url,
    accountId,
    target: {
      baseUrl: url,
      headers: { [FORGE_ACCOUNT_HEADER]: accountId },
      installContext: installContextOf(cloudId),
    },
  }
}
