/**
 * The Forge platform's side of a user's consent, as the local host plays it. On Forge, a user must
 * allow an app to act as them before its `asUser()` requests go through: until then the platform
 * answers a product request with the `forge-proxy-error: NEEDS_AUTHENTICATION_ERR` header,
 * `@forge/api` throws `NeedsAuthenticationError`, the error leaves the resolver uncaught, and Jira shows
 * its "Allow access" prompt in place of the app (docs/forge.md §4,
 * https://developer.atlassian.com/platform/forge/runtime-reference/product-fetch-api/).
 */

/** `granted`: the user has allowed access (the default); `required`: the first call asks for it. */
export type ConsentMode = "granted" | "required"

/** The platform's answer to a product request of a user who has not allowed access. */
export const consentMissing = (): Response =>
  new Response("", { status: 401, headers: { "forge-proxy-error": "NEEDS_AUTHENTICATION_ERR" } })

/** The error `@forge/api` throws for that answer, once it has left the resolver. */
export const isConsentError = (error: unknown): boolean =>
  error instanceof Error && error.name === "NEEDS_AUTHENTICATION_ERR"

/** What the frame's bridge gets for such an invocation: it shows the prompt (dev/frame.ts). */
export const consentRequired = {
  consentRequired: true,
  message: "Forge needs you to allow this app to access Jira as you.",
} as const
