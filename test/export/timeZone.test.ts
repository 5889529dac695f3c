/**
 * The one choice of the zone dates are written in (`timeZoneFor`): the option when it names a zone,
 * else the user's Jira profile zone, for which `/myself` is read only then and once per client.
 */
import { describe, expect, it } from "@effect/vitest"
import { Effect } from "effect"
import { timeZoneFor } from "../../src/export/planner.js"
import { JiraClient } from "../../src/jira/JiraClient.js"
import { ok, scripted } from "../jira/scripted.js"

const me = ok({ accountId: "acc-1", displayName: "Ada Admin", timeZone: "America/New_York" })

const chosen = (requested: string | undefined) => {
  const jira = scripted([me])
  return timeZoneFor(requested).pipe(
    Effect.map((zone) => ({ zone, myselfReads: jira.sent.length })),
    Effect.provide(jira.layer),
  )
}

describe("timeZoneFor", () => {
  it.effect("a named zone is taken as it is, without reading the profile", () =>
    Effect.gen(function* () {
      expect(yield* chosen("Asia/Calcutta")).toEqual({ zone: "Asia/Calcutta", myselfReads: 0 })
      expect(yield* chosen("utc")).toEqual({ zone: "UTC", myselfReads: 0 })
    }),
  )

  it.effect("`user` or none is the profile's zone", () =>
    Effect.gen(function* () {
      expect(yield* chosen("user")).toEqual({ zone: "America/New_York", myselfReads: 1 })
      expect(yield* chosen(undefined)).toEqual({ zone: "America/New_York", myselfReads: 1 })
    }),
  )

  it.effect("a profile without a zone writes UTC", () =>
    Effect.gen(function* () {
      const jira = scripted([ok({ accountId: "acc-1", displayName: "Ada Admin" })])
      expect(yield* timeZoneFor(undefined).pipe(Effect.provide(jira.layer))).toBe("UTC")
    }),
  )

  it.effect(
    "one client reads /myself once, however often it is asked (the CLI checks the credentials with it first)",
    () =>
      Effect.gen(function* () {
        const jira = scripted([me])
        yield* Effect.gen(function* () {
          yield* JiraClient.myself()
          expect(yield* timeZoneFor(undefined)).toBe("America/New_York")
        }).pipe(Effect.provide(jira.layer))
        expect(jira.sent.map((s) => s.request.path.join("/"))).toEqual(["rest/api/3/myself"])
      }),
  )

  it.effect("a failed /myself is not kept: the next ask reads it again", () =>
    Effect.gen(function* () {
      const jira = scripted([ok("not json"), me])
      yield* Effect.gen(function* () {
        yield* Effect.either(JiraClient.myself())
        expect((yield* JiraClient.myself()).timeZone).toBe("America/New_York")
      }).pipe(Effect.provide(jira.layer))
      expect(jira.sent).toHaveLength(2)
    }),
  )
})
