import { Either } from "effect"
import fc from "fast-check"
import { describe, expect, it } from "vitest"
import { parseCli } from "../../src/cli/args.js"
import { missingReport, renderProgress } from "../../src/cli/progress.js"

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

  it("chooses a workbook from --format or an --out ending in .xlsx, and refuses one without a file", () => {
    const format = (argv: ReadonlyArray<string>) => {
      const parsed = parseCli(["--jql", "x", ...argv], env, "/tmp")
      return Either.isRight(parsed) && parsed.right._tag === "Run" ? parsed.right.args.format : parsed
    }
    expect(format(["--out", "a.XLSX"])).toBe("xlsx")
    expect(format(["--format", "xlsx", "--out", "a.bin"])).toBe("xlsx")
    expect(format(["--out", "a.csv"])).toBeUndefined()
    expect(format(["--format", "xlsx"])).toEqual(
      Either.left("An Excel workbook is written to a file: add --out FILE.xlsx."),
    )
    expect(format(["--format", "csv", "--out", "a.xlsx"])).toEqual(
      Either.left("--out /tmp/a.xlsx names a workbook but --format is csv; give the file a .csv name."),
    )
    expect(Either.isLeft(parseCli(["--jql", "x", "--format", "pdf", "--out", "a"], env))).toBe(true)
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

describe("command-line arguments that would be silently ignored or misread", () => {
  const refusal = (argv: ReadonlyArray<string>, environment: Record<string, string> = env) => {
    const parsed = parseCli(argv, environment, "/somewhere")
    expect(Either.isLeft(parsed)).toBe(true)
    const sentence = Either.isLeft(parsed) ? parsed.left : ""
    expect(sentence.split("\n")).toHaveLength(1)
    expect(sentence).toMatch(/\.$/)
    return sentence
  }
  const run = (
    argv: ReadonlyArray<string>,
    environment: Record<string, string> = env,
    cwd = "/somewhere",
  ) => {
    const parsed = parseCli(argv, environment, cwd)
    if (Either.isLeft(parsed) || parsed.right._tag !== "Run") throw new Error(`not a run: ${String(parsed)}`)
    return parsed.right.args
  }

  it("takes the site without the trailing slashes people paste, as every other entry point does", () => {
    expect(run(["--jql", "x", "--site", "https://example.atlassian.net//"]).site).toBe(
      "https://example.atlassian.net",
    )
  })

  for (const columns of ["", " ", ", ,"])
    it(`refuses --columns ${JSON.stringify(columns)}, which names no column`, () => {
      expect(refusal(["--jql", "x", "--columns", columns])).toContain("--columns")
    })

  for (const [flag, value] of [
    ["--jql", "project = B"],
    ["--columns", "key"],
    ["--preset", "data"],
    ["--delimiter", ";"],
    ["--strategy", "fast"],
    ["--history", undefined],
  ] as const)
    it(`refuses ${flag} with --resume instead of ignoring it`, () => {
      const sentence = refusal(["--resume", "x.cursor", flag, ...(value === undefined ? [] : [value])])
      expect(sentence).toContain("--resume")
      expect(sentence).toContain(flag)
    })

  it("resolves relative paths against the caller's directory (INIT_CWD under npm run), else the working directory", () => {
    const underNpm = run(
      ["--jql", "x", "--out", "out/a.csv"],
      { ...env, INIT_CWD: "/home/me/work" },
      "/project",
    )
    expect(underNpm.out).toBe("/home/me/work/out/a.csv")
    expect(underNpm.cursorFile).toBe("/home/me/work/out/a.csv.cursor")
    const direct = run(["--jql", "x", "--out", "a.csv"], env, "/here")
    expect(direct.out).toBe("/here/a.csv")
    expect(run(["--jql", "x", "--out", "/abs/a.csv"], { ...env, INIT_CWD: "/elsewhere" }).out).toBe(
      "/abs/a.csv",
    )
    const resumed = run(["--resume", "r.cursor"], { ...env, INIT_CWD: "/home/me" }, "/project")
    expect(resumed.resume).toBe("/home/me/r.cursor")
    expect(resumed.cursorFile).toBe("/home/me/r.cursor")
    expect(run(["--jql", "x"], { ...env, INIT_CWD: "/home/me" }, "/project").cursorFile).toBe(
      "/home/me/liquitim-export.cursor",
    )
  })

  it("takes --timeout in seconds and --force, and refuses a timeout that is not a number of seconds", () => {
    expect(run(["--jql", "x"]).timeoutSeconds).toBe(30)
    expect(run(["--jql", "x"]).force).toBe(false)
    expect(run(["--jql", "x", "--timeout", "5", "--force"])).toMatchObject({ timeoutSeconds: 5, force: true })
    for (const timeout of ["soon", "0", ""])
      expect(refusal(["--jql", "x", "--timeout", timeout])).toContain("--timeout")
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

describe("the line about issues that could not be read", () => {
  it("says what the list holds (ids) and counts in good English", () => {
    expect(missingReport(1, ["13314"])).toBe(
      "1 issue matched but could no longer be read (deleted, moved or hidden since): issue id 13314",
    )
    expect(missingReport(2, ["13314", "13315"])).toMatch(/^2 issues matched .*: issue ids 13314, 13315$/)
    expect(
      missingReport(
        25,
        Array.from({ length: 25 }, (_, i) => String(100 + i)),
      ),
    ).toMatch(/^25 issues .*: issue ids 100, .*, 119, …$/)
  })

  it("names issues by key, and by id only those whose key the export did not know", () => {
    expect(missingReport(1, ["OPS-12"])).toBe(
      "1 issue matched but could no longer be read (deleted, moved or hidden since): issue OPS-12",
    )
    expect(missingReport(3, ["OPS-12", "13314", "DEV-7"])).toMatch(
      /^3 issues matched .*: issues OPS-12, id 13314, DEV-7$/,
    )
  })
})
