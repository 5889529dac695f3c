/**
 * `preview/page`: one page of rows formatted exactly as the CSV will hold them (same row format,
 * comment completion and user lookups as the export), with Jira's approximate total on the first page.
 */
import { Clock, Effect, Option, Stream } from "effect"
import { type PreviewPage, PreviewPayload } from "../contract.js"
import { ExportJira } from "../export/ExportJira.js"
import { exportUnits, normaliseKeys, orderSelected, selectedPhase } from "../export/engine.js"
import { openGate } from "../export/gate.js"
import { livePlanner, timeZoneFor } from "../export/planner.js"
import { defaultSettings } from "../export/types.js"
import { siteUrlOf } from "./context.js"
import { decodePayload } from "./payload.js"

/** Rows per preview page unless the page asks for another size. */
export const PREVIEW_PAGE_SIZE = 50

export const previewPage = (payload: unknown, context?: unknown) =>
  Effect.gen(function* () {
    const input = yield* decodePayload(PreviewPayload)(payload)
    const jira = yield* ExportJira
    const timeZone = yield* timeZoneFor(input.options?.timeZone)
    const planned = yield* livePlanner({
      jql: input.jql,
      columns: input.columns,
      options: input.options ?? {},
      timeZone,
      siteUrl: siteUrlOf(input.siteUrl, context),
      // History columns count the current status up to now.
      history: { asOf: yield* Clock.currentTimeMillis },
    })
    const first = input.nextPageToken === undefined
    // Selected issues: in the navigator query's order (one listing, which also validates the keys).
    const selected =
      input.issueKeys === undefined
        ? undefined
        : yield* orderSelected(jira, normaliseKeys(input.issueKeys), input.jql)
    const jql = input.jql
    const size = input.pageSize ?? PREVIEW_PAGE_SIZE
    const page = exportUnits({
      jira,
      format: planned.format,
      jql,
      // Selected issues: the first batch of them, in the given order (one preview page).
      phase:
        selected === undefined
          ? { _tag: "thrifty", token: input.nextPageToken ?? null }
          : selectedPhase(selected.slice(0, size)),
      gate: openGate,
      settings: {
        ...defaultSettings,
        searchPageSize: size,
        bulkSize: Math.min(size, defaultSettings.bulkSize),
      },
      keepCells: true,
    }).pipe(Stream.runHead)
    // The count validates the JQL with Jira's own messages, so it runs first on the first page.
    const total = selected !== undefined ? selected.length : first ? yield* jira.approximateCount(jql) : null
    const unit = yield* page
    const result: PreviewPage = {
      columns: planned.format.columns,
      rows: Option.match(unit, { onNone: () => [], onSome: (u) => u.cells ?? [] }),
      issueKeys: Option.match(unit, { onNone: () => [], onSome: (u) => u.keys ?? [] }),
      nextPageToken: Option.match(unit, {
        onNone: () => null,
        onSome: (u) => (u.after?._tag === "thrifty" ? u.after.token : null),
      }),
      approximateTotal: total,
    }
    return result
  }).pipe(Effect.withSpan("resolver.preview/page"))
