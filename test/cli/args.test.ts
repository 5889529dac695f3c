import { Either } from "effect"
import fc from "fast-check"
import { describe, expect, it } from "vitest"
import { parseCli } from "../../src/cli/args.js"
import { renderProgress } from "../../src/cli/progress.js"

const env = { JIRA_SITE: "https://example.atlassian.net", JIRA_EMAIL: "a@example.test", JIRA_API_TOKEN: "t" }

describe("command-line arguments", () => {
  it("takes credentials from the environment and splits columns", () => {
    const parsed = parseCli(
      ["--jql", "project = A", "--columns", "summary, Status ,,key", "--delimiter", "tab"],
      env,
    )
    expect(Either.isRight(parsed)).toBe(true)
    if (Either.isRight(parsed) && parsed.right._tag === "Run") {
      expect(parsed.right.args.site).toBe(env.JIRA_SITE)
      expect(parsed.right.args.columns).toEqual(["summary", "Status", "key"])
      expect(parsed.right.args.delimiter).toBe("\t")
    }
  })

  it("takes the jira-import preset and its columns per multi-value field", () => {
    const parsed = parseCli(["--jql", "x", "--preset", "jira-import", "--value-columns", "35"], env)
    expect(Either.isRight(parsed) && parsed.right._tag === "Run" && parsed.right.args).toMatchObject({
      preset: "jira-import",
      valueColumns: 35,
    })
  })

  it("flags win over the environment", () => {
    const parsed = parseCli(["--site", "http://127.0.0.1:1", "--jql", "x"], env)
    expect(Either.isRight(parsed) && parsed.right._tag === "Run" && parsed.right.args.site).toBe(
      "http://127.0.0.1:1",
    )
  })

  for (const [argv, environment, fragment] of [
    [["--jql", "x"], {}, "--site"],
    [["--jql", "x", "--site", "ftp://x"], { JIRA_EMAIL: "e", JIRA_API_TOKEN: "t" }, "--site"],
    [[], env, "--jql"],
    [["--jql", "x", "--strategy", "warp"], env, "--strategy"],
    [["--jql", "x", "--value-columns", "0"], env, "--value-columns"],
    [["--jql", "x", "--value-columns", "2.5"], env, "--value-columns"],
    [["--jql", "x", "--value-columns", "many"], env, "--value-columns"],
    [["--jql", "x", "--bogus"], env, "bogus"],
    [["--jql", "x", "extra"], env, "extra"],
  ] as const)
    it(`refuses ${JSON.stringify(argv)} with one sentence naming ${fragment}`, () => {
      const parsed = parseCli(argv, environment)
      expect(Either.isLeft(parsed)).toBe(true)
      if (Either.isLeft(parsed)) {
        expect(parsed.left).toContain(fragment)
        expect(parsed.left.split("\n")).toHaveLength(1)
      }
    })

  it("never throws, whatever the arguments", () => {
    fc.assert(
      fc.property(fc.array(fc.string(), { maxLength: 8 }), (argv) => {
        const parsed = parseCli(argv, env)
        expect(Either.isLeft(parsed) || Either.isRight(parsed)).toBe(true)
      }),
    )
  })
})

describe("progress line", () => {
  it("fits the terminal and never shows more than the total", () => {
    fc.assert(
      fc.property(
        fc.nat(1_000_000),
        fc.option(fc.nat(1_000_000), { nil: null }),
        fc.nat(10_000_000),
        fc.nat(100_000),
        fc.integer({ min: 10, max: 300 }),
        (done, total, elapsedMs, waitingMs, width) => {
          const line = renderProgress(
            { done, total, elapsedMs, doneThisRun: done, waitingMs, missing: 0 },
            width,
          )
          expect(line.length).toBe(width - 1)
          const shown = /(\d+)\/(\d+) issues/.exec(line)
          if (shown) expect(Number(shown[1])).toBeLessThanOrEqual(Number(shown[2]))
        },
      ),
    )
  })

  it("says when it waits for Jira", () => {
    const line = renderProgress(
      { done: 10, total: 100, elapsedMs: 1000, doneThisRun: 10, waitingMs: 3000, missing: 0 },
      120,
    )
    expect(line).toContain("10/100 issues")
    expect(line).toContain("10/s")
    expect(line).toContain("waiting 0:03")
  })
})
