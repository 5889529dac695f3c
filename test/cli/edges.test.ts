/** Command-line edges from the second adversarial pass (issue 24, item 6), one test each. */
import { Either } from "effect"
import { describe, expect, it } from "vitest"
import { parseCli } from "../../src/cli/args.js"

const env = { JIRA_SITE: "https://example.atlassian.net", JIRA_EMAIL: "a@example.test", JIRA_API_TOKEN: "t" }

describe("command-line edges", () => {
  it.each([
    [["--jql", "x", "--value-columns", "30"]],
    [["--jql", "x", "--preset", "data", "--value-columns", "30"]],
    [["--resume", "x.cursor", "--value-columns", "30"]],
  ])("--value-columns without --preset jira-import is refused, not ignored: %j", (argv) => {
    expect(parseCli(argv, env)).toEqual(
      Either.left(
        "--value-columns goes with --preset jira-import (the other presets write a multi-value field in one cell).",
      ),
    )
  })
})
