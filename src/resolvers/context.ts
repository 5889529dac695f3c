import { isSiteUrl, siteBase } from "../contract/constants.js"

/**
 * What resolvers read from the Forge invocation context. Forge documents `cloudId`, `moduleKey`,
 * `localId`…; the local host also passes `siteUrl`. The payload's `siteUrl` (the page's
 * `view.getContext()`) wins; without either, Issue URL cells are site-relative (`/browse/KEY`).
 */
export const siteUrlOf = (payloadSiteUrl: string | undefined, context: unknown): string => {
  if (payloadSiteUrl !== undefined) return siteBase(payloadSiteUrl)
  if (typeof context === "object" && context !== null) {
    const site: unknown = Reflect.get(context, "siteUrl")
    if (typeof site === "string" && isSiteUrl(site)) return siteBase(site)
  }
  return ""
}
