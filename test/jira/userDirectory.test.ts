import { describe, expect, it } from "@effect/vitest"
import { Effect, Exit, Fiber, Random, TestClock } from "effect"
import type { JiraRequest } from "../../src/jira/JiraTransport.js"
import { jiraResponse } from "../../src/jira/JiraTransport.js"
import { JiraDeadline } from "../../src/jira/RetryPolicy.js"
import { UserDirectory } from "../../src/jira/UserDirectory.js"
import { ok, scripted } from "./scripted.js"

const askedIds = (request: JiraRequest) =>
  (request.query ?? []).filter(([k]) => k === "accountId").map(([, v]) => v)

/** A directory where `u-N` exists (odd N hide their email), `gone-N` are deleted, anything else unknown. */
const directoryAnswer = (request: JiraRequest) =>
  ok({
    isLast: true,
    values: askedIds(request).flatMap((accountId): ReadonlyArray<Record<string, unknown>> => {
      const n = Number(accountId.split("-")[1])
      if (accountId.startsWith("u-"))
        return [
          {
            accountId,
            displayName: `User ${n}`,
            active: true,
            emailAddress: n % 2 === 0 ? `u${n}@example.test` : n % 4 === 1 ? "" : null,
          },
        ]
      if (accountId.startsWith("gone-"))
        return [{ accountId, displayName: "Former user", active: false, accountType: "unknown" }]
      return []
    }),
  })

describe("UserDirectory", () => {
  it.effect("500 mentions of 60 users take ceil(60 / batch) requests, then none", () => {
    const jira = scripted([directoryAnswer], { batchSize: 25, concurrency: 2 })
    const mentions = Array.from({ length: 500 }, (_, i) => `u-${(i * 7) % 60}`)
    return Effect.gen(function* () {
      const users = yield* UserDirectory.resolve(mentions)
      expect(users.size).toBe(60)
      expect(jira.sent.length).toBe(Math.ceil(60 / 25))
      const asked = jira.sent.flatMap((s) => askedIds(s.request))
      expect(new Set(asked).size).toBe(asked.length)
      yield* UserDirectory.resolve(mentions.slice(0, 100))
      expect(jira.sent.length).toBe(3)
      expect(users.get("u-2")).toEqual({
        accountId: "u-2",
        displayName: "User 2",
        emailAddress: "u2@example.test",
        active: true,
        known: true,
      })
      // Hidden emails are absent, whether Jira sent "" or null.
      expect(users.get("u-1")).not.toHaveProperty("emailAddress")
      expect(users.get("u-3")).not.toHaveProperty("emailAddress")
    }).pipe(Effect.provide(jira.layer))
  })

  it.effect("users remembered from issue fields are never looked up; the rest still are", () => {
    const jira = scripted([directoryAnswer], { batchSize: 25, concurrency: 2 })
    const seen = { accountId: "u-7", displayName: "Shown In Full", active: true, known: true }
    return Effect.gen(function* () {
      yield* UserDirectory.remember([seen])
      const users = yield* UserDirectory.resolve(["u-7", "u-8"])
      expect(users.get("u-7")).toEqual(seen)
      expect(users.get("u-8")?.displayName).toBe("User 8")
      expect(jira.sent.flatMap((s) => askedIds(s.request))).toEqual(["u-8"])
      // A user already resolved keeps what the directory answered.
      yield* UserDirectory.remember([{ ...seen, accountId: "u-8", displayName: "Other" }])
      expect((yield* UserDirectory.resolve(["u-8"])).get("u-8")?.displayName).toBe("User 8")
    }).pipe(Effect.provide(jira.layer))
  })

  it.effect("concurrent callers share lookups: nobody asks for the same user twice", () => {
    const jira = scripted([directoryAnswer], { batchSize: 10, concurrency: 3 })
    const lists = Array.from({ length: 6 }, (_, k) =>
      Array.from({ length: 30 }, (_, i) => `u-${(i + k * 5) % 40}`),
    )
    return Effect.gen(function* () {
      const results = yield* Effect.forEach(lists, (ids) => UserDirectory.resolve(ids), { concurrency: 6 })
      expect(results.every((r) => r.size === 30)).toBe(true)
      const asked = jira.sent.flatMap((s) => askedIds(s.request))
      expect(new Set(asked).size).toBe(asked.length)
      expect(asked.length).toBe(40)
    }).pipe(Effect.provide(jira.layer))
  })

  it.effect("unknown and deleted users resolve to placeholders, never an error", () => {
    const jira = scripted([directoryAnswer])
    // Longer than Jira's 128-character account ids: never sent.
    const long = "a".repeat(129)
    return Effect.gen(function* () {
      const users = yield* UserDirectory.resolve(["nobody-1", "gone-1", "", long, "u-4"])
      expect(users.get("nobody-1")).toEqual({
        accountId: "nobody-1",
        displayName: "Unknown user (nobody-1)",
        active: false,
        known: false,
      })
      expect(users.get("gone-1")).toMatchObject({ displayName: "Former user", active: false })
      expect(users.get("")?.known).toBe(false)
      expect(users.get(long)?.known).toBe(false)
      expect(users.get("u-4")?.known).toBe(true)
      expect(jira.sent.flatMap((s) => askedIds(s.request))).toEqual(["nobody-1", "gone-1", "u-4"])
    }).pipe(Effect.provide(jira.layer))
  })

  it.effect("a lookup Jira refuses (403) gives placeholders and the export goes on", () => {
    const jira = scripted([jiraResponse(403, { errorMessages: ["No Browse users permission"], errors: {} })])
    return Effect.gen(function* () {
      const users = yield* UserDirectory.resolve(["u-1", "u-2"])
      expect([...users.values()].map((u) => u.displayName)).toEqual([
        "Unknown user (u-1)",
        "Unknown user (u-2)",
      ])
    }).pipe(Effect.provide(jira.layer))
  })

  it.effect("after a transient failure the placeholders are not kept: the next call asks again", () => {
    const jira = scripted([jiraResponse(500, "down"), directoryAnswer])
    return Effect.gen(function* () {
      const first = yield* UserDirectory.resolve(["u-2"])
      expect(first.get("u-2")?.known).toBe(false)
      const second = yield* UserDirectory.resolve(["u-2"])
      expect(second.get("u-2")?.known).toBe(true)
      expect(jira.sent.length).toBe(2)
    }).pipe(Effect.provide(jira.layer))
  })

  it.effect("a rate-limit hand-back propagates, and the users are asked again afterwards", () => {
    const jira = scripted([jiraResponse(429, "", { "Retry-After": "30" }), directoryAnswer])
    return Effect.gen(function* () {
      const exit = yield* UserDirectory.resolve(["u-1", "u-2"]).pipe(JiraDeadline.within(5_000), Effect.exit)
      expect(Exit.isFailure(exit)).toBe(true)
      if (Exit.isFailure(exit) && exit.cause._tag === "Fail") {
        expect(exit.cause.error.reason).toBe("RateLimited")
        expect(exit.cause.error.retryAfterMs).toBe(30_000)
      }
      // The next lookup first waits out the Retry-After, then asks again.
      const fiber = yield* Effect.fork(UserDirectory.resolve(["u-1", "u-2"]))
      yield* TestClock.adjust("29999 millis")
      expect(jira.sent.length).toBe(1)
      yield* TestClock.adjust("1 millis")
      const users = yield* Fiber.join(fiber)
      expect(users.get("u-1")?.known).toBe(true)
      expect(jira.sent.map((s) => s.at)).toEqual([0, 30_000])
      // Without the release spread (pause.test.ts), so the held lookup leaves right at the end.
    }).pipe(Effect.provide(jira.layer), Effect.withRandom(Random.fixed([0])))
  })
})
