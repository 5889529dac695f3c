import { Effect } from "effect"
import { type Whoami, WhoamiPayload } from "../contract.js"
import { JiraClient } from "../jira/JiraClient.js"
import { decodePayload } from "./payload.js"

/** `session/whoami`: the signed-in user, read from Jira as that user. */
export const whoami = (payload: unknown) =>
  Effect.gen(function* () {
    yield* decodePayload(WhoamiPayload)(payload)
    const me = yield* JiraClient.myself()
    const result: Whoami = {
      accountId: me.accountId,
      displayName: me.displayName,
      timeZone: me.timeZone ?? "UTC",
      ...(me.locale ? { locale: me.locale } : {}),
      ...(me.emailAddress ? { emailAddress: me.emailAddress } : {}),
    }
    return result
  }).pipe(Effect.withSpan("resolver.session/whoami"))
