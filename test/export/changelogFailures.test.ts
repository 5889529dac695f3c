/**
 * Histories are never made up: a changelog read that fails fails the export (issue 19 item 1), and an
 * issue the changelog read leaves out is re-checked and, when it is gone, reported missing instead of
 * written with an empty history (issue 24 item 4).
 */
import { describe, expect, it } from "@effect/vitest"
import { Effect, Stream } from "effect"
import { exportStream } from "../../src/export/engine.js"
import { defaultSettings } from "../../src/export/types.js"
import { JiraError } from "../../src/jira/JiraError.js"
import {
  beginFake,
  expectedHistoryCsv,
  fakeHistories,
  historyFormat,
  makeFakeJira,
  makeIssues,
} from "./fakes.js"

const forbidden = () =>
  new JiraError({ reason: "Forbidden", status: 403, message: "Jira refused access to the changelogs." })

const run = (
  fake: ReturnType<typeof makeFakeJira>,
  strategy: "thrifty" | "fast",
  settings = defaultSettings,
) =>
  Effect.gen(function* () {
    const started = yield* beginFake(fake, {
      format: historyFormat,
      strategy,
      columns: ["key", "summary", "assignee", "comment", "statusChanges"],
    })
    const units = yield* Stream.runCollect(
      exportStream({ jira: fake.jira, format: historyFormat, content: started.content, settings }),
    ).pipe(Effect.either)
    return units
  })

describe("changelog reads that fail or miss issues", () => {
  for (const strategy of ["thrifty", "fast"] as const) {
    it.effect(`${strategy}: a changelog request that fails fails the export, with no row written`, () =>
      Effect.gen(function* () {
        const fake = makeFakeJira(makeIssues(250, 2), { beforeChangelogs: () => forbidden() })
        const result = yield* run(fake, strategy)
        expect(result._tag).toBe("Left")
        if (result._tag === "Left") expect(result.left).toMatchObject({ reason: "Forbidden" })
      }),
    )

    it.effect(`${strategy}: a later changelog request that fails stops the export there`, () =>
      Effect.gen(function* () {
        const issues = makeIssues(2_300, 4)
        const fake = makeFakeJira(issues, { beforeChangelogs: (n) => (n >= 1 ? forbidden() : undefined) })
        const result = yield* run(fake, strategy)
        expect(result._tag).toBe("Left")
      }),
    )

    it.effect(
      `${strategy}: issues deleted between their field read and their changelog read are missing`,
      () =>
        Effect.gen(function* () {
          const issues = makeIssues(450, 6)
          // One with a history and one without (ids ≡ 0 mod 4 have none), both from the first request.
          const withHistory = issues.find((i) => fakeHistories(i.id).length > 0 && i !== issues[0])
          const without = issues.find((i) => fakeHistories(i.id).length === 0)
          const victims = [withHistory, without].flatMap((i) => (i === undefined ? [] : [i]))
          expect(victims).toHaveLength(2)
          const fake = makeFakeJira(issues, {
            beforeChangelogs: (n) => {
              if (n === 0) for (const victim of victims) fake.deleted.add(victim.id)
              return undefined
            },
          })
          const result = yield* run(fake, strategy)
          expect(result._tag).toBe("Right")
          if (result._tag !== "Right") return
          const units = [...result.right]
          const kept = issues.filter((i) => !victims.includes(i))
          expect(units.map((u) => u.text).join("")).toBe(expectedHistoryCsv(kept))
          const counters = units.at(-1)?.counters
          expect(counters?.missingCount).toBe(2)
          expect([...(counters?.missing ?? [])].sort()).toEqual(victims.map((v) => v.key).sort())
        }),
    )
  }
})
