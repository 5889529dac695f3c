/**
 * What a user may not browse never reaches them, also not through another issue or a suggestion:
 * Jira leaves links to such issues out of `issuelinks` and lists no hidden project in JQL value
 * suggestions (docs/jira-cloud.md §3).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { type RunningEmulator, startEmulator } from "../../../dev/emulator/index.js"
import { asUser, q } from "./http.js"

describe("what the restricted user cannot browse stays hidden", () => {
  let emulator: RunningEmulator
  let hidden: ReadonlyArray<string>
  let visibleJql: string
  beforeAll(async () => {
    emulator = await startEmulator({ issues: 3000, seed: 3 })
    const user = emulator.dataset.userByAccountId(emulator.accounts.restricted.accountId)
    hidden = [...(user?.hiddenProjects ?? [])]
    const shown = emulator.dataset.projects.map((p) => p.key).filter((k) => !hidden.includes(k))
    visibleJql = `project in (${shown.join(", ")}) ORDER BY key`
  })
  afterAll(async () => {
    await emulator?.close()
  })

  const mentionsHidden = (text: string) => hidden.some((key) => new RegExp(`\\b${key}\\b`).test(text))

  const linkedKeys = (issues: ReadonlyArray<{ fields: { issuelinks?: ReadonlyArray<unknown> } }>) =>
    issues.flatMap((issue) =>
      (issue.fields.issuelinks ?? []).map((link) => {
        const l = link as { inwardIssue?: { key: string }; outwardIssue?: { key: string } }
        return (l.inwardIssue ?? l.outwardIssue)?.key ?? ""
      }),
    )

  it("has a hidden project whose issues are linked from visible ones (the admin sees those links)", async () => {
    expect(hidden.length).toBeGreaterThan(0)
    const admin = asUser(emulator, emulator.accounts.admin)
    const page = await admin.post("/rest/api/3/search/jql", {
      jql: visibleJql,
      fields: ["issuelinks"],
      maxResults: 100,
    })
    expect(linkedKeys(page.json.issues).some(mentionsHidden)).toBe(true)
  })

  it("search, bulkfetch and GET issue leave out links to issues the user cannot browse", async () => {
    const restricted = asUser(emulator, emulator.accounts.restricted)
    const page = await restricted.post("/rest/api/3/search/jql", {
      jql: visibleJql,
      fields: ["issuelinks", "summary"],
      maxResults: 100,
    })
    expect(page.status).toBe(200)
    const keys = linkedKeys(page.json.issues)
    expect(keys.length).toBeGreaterThan(0)
    expect(keys.filter(mentionsHidden)).toEqual([])
    const ids: Array<string> = page.json.issues.map((i: { id: string }) => i.id)
    const bulk = await restricted.post("/rest/api/3/issue/bulkfetch", {
      issueIdsOrKeys: ids,
      fields: ["issuelinks"],
    })
    expect(linkedKeys(bulk.json.issues).filter(mentionsHidden)).toEqual([])
    for (const id of ids.slice(0, 30)) {
      const one = await restricted.get(`/rest/api/3/issue/${id}?fields=issuelinks`)
      expect(linkedKeys([one.json]).filter(mentionsHidden)).toEqual([])
    }
  })

  it("JQL value suggestions list no hidden project, key or value read from its issues", async () => {
    const restricted = asUser(emulator, emulator.accounts.restricted)
    const admin = asUser(emulator, emulator.accounts.admin)
    const suggest = (who: typeof admin, fieldName: string) =>
      who.get(`/rest/api/3/jql/autocompletedata/suggestions?${q({ fieldName, fieldValue: "" })}`)
    const adminProjects = await suggest(admin, "project")
    expect(mentionsHidden(JSON.stringify(adminProjects.json))).toBe(true)
    for (const fieldName of ["project", "Epic Link", "sprint", "parent", "labels"]) {
      const answer = await suggest(restricted, fieldName)
      expect(answer.status).toBe(200)
      expect(mentionsHidden(JSON.stringify(answer.json))).toBe(false)
    }
  })

  it("still suggests the values the user may see, for every kind of field", async () => {
    // A dangling `else` once tied every non-project field to the project loop: no suggestions at all.
    const restricted = asUser(emulator, emulator.accounts.restricted)
    for (const fieldName of ["status", "labels", "assignee", "project"]) {
      const answer = await restricted.get(
        `/rest/api/3/jql/autocompletedata/suggestions?${q({ fieldName, fieldValue: "" })}`,
      )
      const results = (answer.json as { results: ReadonlyArray<unknown> }).results
      expect(results.length, fieldName).toBeGreaterThan(0)
    }
  })
})
