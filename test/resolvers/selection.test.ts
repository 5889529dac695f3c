/**
 * Selected issues through `export/start` / `export/next` and `preview/page` against the emulator:
 * up to the 1,000 keys the navigator may send (their `issuekey in (…)` is longer than the cursor's
 * JQL bound), in the order of the navigator's query whatever order the keys arrive in, each once.
 */
import { Effect, Either } from "effect"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { MAX_JQL_LENGTH, MAX_SELECTED_ISSUES } from "../../src/contract.js"
import { decodeCursor } from "../../src/export/cursor.js"
import { selectedJql } from "../../src/export/start.js"
import { exportNext, exportStart } from "../../src/resolvers/export.js"
import { previewPage } from "../../src/resolvers/preview.js"
import { exportThrough, type Harness, jqlAll, keysOf, startHarness } from "./emulated.js"

let harness: Harness
beforeAll(async () => {
  harness = await startHarness({ issues: 1300, seed: 11 })
})
afterAll(() => harness.emulator.close())

const columns = ["issuekey", "summary", "status"]

/** The issues of `jql` as the emulator's reference search lists them, by key. */
const navigatorKeys = (jql: string) =>
  harness.emulator
    .referenceSearch(jql, harness.emulator.accounts.admin.accountId)
    .map((id) => harness.emulator.dataset.issueByIdOrKey(id)?.key ?? id)

/** A fixed shuffle (the navigator's `issueKeys` come in an order Forge does not document). */
const shuffled = <A>(items: ReadonlyArray<A>): Array<A> =>
  items
    .map((item, i) => [(i * 7919) % 1009, item] as const)
    .sort((a, b) => a[0] - b[0])
    .map(([, item]) => item)

describe("selected issues", () => {
  it("1,000 selected keys export exactly, in the navigator query's order, through many calls", async () => {
    const navigator = jqlAll(harness.emulator, "ORDER BY created DESC")
    const all = navigatorKeys(navigator)
    const chosen = all.filter((_, i) => i % 13 !== 5).slice(0, MAX_SELECTED_ISSUES)
    expect(chosen).toHaveLength(MAX_SELECTED_ISSUES)
    expect(selectedJql(chosen).length).toBeGreaterThan(MAX_JQL_LENGTH)
    const { started, csv, chunks } = await exportThrough(
      harness,
      () =>
        exportStart({ jql: navigator, columns, issueKeys: shuffled(chosen), options: { preset: "data" } }),
      (cursor) => exportNext({ cursor }),
    )
    expect(started.approximateTotal).toBe(MAX_SELECTED_ISSUES)
    expect(chunks.at(-1)?.progress.missing).toEqual([])
    expect(keysOf(csv)).toEqual(chosen)
  })

  it("keys in lower case or twice are exported once each; the preview shows the same order", async () => {
    const navigator = jqlAll(harness.emulator, "ORDER BY summary ASC, key DESC")
    const chosen = navigatorKeys(navigator).slice(40, 70)
    const sent = [...shuffled(chosen), chosen[3] ?? "", (chosen[5] ?? "").toLowerCase()]
    const { csv } = await exportThrough(
      harness,
      () => exportStart({ jql: navigator, columns, issueKeys: sent, options: { preset: "data" } }),
      (cursor) => exportNext({ cursor }),
    )
    expect(keysOf(csv)).toEqual(chosen)
    const preview = Either.getOrThrow(
      await harness.run(previewPage({ jql: navigator, columns, issueKeys: sent, pageSize: 20 })),
    )
    expect(preview.issueKeys).toEqual(chosen.slice(0, 20))
    expect(preview.approximateTotal).toBe(chosen.length)
  })

  it("the cursor keeps the navigator's query and the ordered keys, within its bounds", async () => {
    const navigator = jqlAll(harness.emulator, "ORDER BY key DESC")
    const chosen = navigatorKeys(navigator).slice(0, MAX_SELECTED_ISSUES)
    const started = Either.getOrThrow(
      await harness.run(exportStart({ jql: navigator, columns, issueKeys: shuffled(chosen) })),
    )
    const content = await Effect.runPromise(decodeCursor(started.cursor))
    expect(content.jql).toBe(navigator)
    expect(content.phase).toEqual({ _tag: "fast", pending: chosen, token: null, more: false })
  })
})
