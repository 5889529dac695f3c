/**
 * What the backend and the page share has one definition: the page's default columns are the ones
 * `fields/list` lists and resolves, and every bound and budget fits Forge's limits.
 */
import { Either, Schema } from "effect"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import {
  FORGE_LIMITS,
  isSiteUrl,
  MAX_CURSOR_LENGTH,
  sameSite,
  siteBase,
} from "../../src/contract/constants.js"
import { SiteUrl } from "../../src/contract.js"
import { resolveColumns } from "../../src/fields/columns.js"
import { JiraClient } from "../../src/jira/JiraClient.js"
import { defaultBudget, MAX_ANSWER_BYTES } from "../../src/resolvers/chunk.js"
import { fieldsList } from "../../src/resolvers/fields.js"
import { ColumnsModel, DEFAULT_COLUMNS as PAGE_DEFAULT_COLUMNS } from "../../web/src/models/ColumnsModel.js"
import { type Harness, startHarness } from "./emulated.js"

describe("default columns", () => {
  let harness: Harness
  beforeAll(async () => {
    harness = await startHarness({ issues: 10, seed: 2 })
  })
  afterAll(async () => {
    await harness.emulator.close()
  })

  it("the page starts with the columns fields/list names, and keeps them all", async () => {
    const answer = await harness.run(fieldsList({}))
    if (Either.isLeft(answer)) throw new Error(answer.left.message)
    expect(PAGE_DEFAULT_COLUMNS).toEqual(answer.right.defaults)
    // Jira's answer without defaults: the page falls back on its own, which must survive the field list.
    const model = new ColumnsModel(undefined, () => undefined)
    expect(model.selected.peek()).toEqual(answer.right.defaults)
    model.load(answer.right.fields, [])
    expect(model.selected.peek()).toEqual(answer.right.defaults)
  })

  it("each default column resolves to itself, so the export gets exactly the columns the page shows", async () => {
    const fields = await harness.run(JiraClient.fields())
    if (Either.isLeft(fields)) throw new Error(fields.left.message)
    const resolved = resolveColumns(fields.right, PAGE_DEFAULT_COLUMNS)
    expect(Either.map(resolved, (columns) => columns.map((c) => c.id))).toEqual(
      Either.right(PAGE_DEFAULT_COLUMNS),
    )
  })
})

describe("Forge's limits", () => {
  it("the longest cursor the contract accepts still fits an invoke payload", () => {
    const payload = JSON.stringify({
      functionKey: "export/next",
      payload: { cursor: "a".repeat(MAX_CURSOR_LENGTH) },
    })
    expect(Buffer.byteLength(payload)).toBeLessThan(FORGE_LIMITS.invokePayloadBytes)
  })

  it("an export/next call stops taking work and answers inside one invocation", () => {
    expect(defaultBudget.timeMs + defaultBudget.graceMs).toBeLessThan(FORGE_LIMITS.invocationMs)
    expect(defaultBudget.maxBytes).toBeLessThan(MAX_ANSWER_BYTES)
    expect(MAX_ANSWER_BYTES).toBeLessThan(FORGE_LIMITS.invokeResponseBytes)
  })
})

describe("a site URL", () => {
  it("is checked and normalised in one place, the same for the contract, the CLI, the page and the host", () => {
    for (const url of [
      "https://acme.atlassian.net",
      "http://127.0.0.1:8080/jira/",
      "https://acme.atlassian.net//",
    ])
      expect([isSiteUrl(url), Schema.is(SiteUrl)(url)]).toEqual([true, true])
    for (const url of [
      "acme.atlassian.net",
      "https://",
      "https://acme atlassian.net",
      `https://a.net/${"x".repeat(2048)}`,
    ])
      expect([isSiteUrl(url), Schema.is(SiteUrl)(url)]).toEqual([false, false])
    expect(siteBase("https://acme.atlassian.net//")).toBe("https://acme.atlassian.net")
    expect(sameSite("HTTPS://Acme.Atlassian.net/", "https://acme.atlassian.net")).toBe(true)
    expect(sameSite("https://acme.atlassian.net/Jira", "https://acme.atlassian.net/jira")).toBe(false)
    expect(sameSite("https://acme.atlassian.net", "https://other.atlassian.net")).toBe(false)
  })
})
