/**
 * `export/start`: validates the JQL (Jira's own messages, through approximate-count, which also gives
 * the total), resolves the columns and options, picks the strategy, and makes the first cursor.
 */
import { Clock, Effect } from "effect"
import type { ColumnInfo, ExportStartPayload } from "../contract.js"
import type { JiraError } from "../jira/JiraError.js"
import type { CursorContent, Phase } from "./cursor.js"
import type { PlanError } from "./errors.js"
import { orderPlan, splitQuery } from "./parallel/order.js"
import type { Planner } from "./planner.js"
import type { ExportJiraShape, PlanInput, RowFormat } from "./ports.js"
import { chooseStrategy } from "./strategy.js"

export interface Started {
  readonly header: string
  readonly columns: ReadonlyArray<ColumnInfo>
  readonly approximateTotal: number | null
  readonly strategy: "thrifty" | "fast"
  /** Why a thrifty export reads its pages one after another, when it does (the order does not allow parts). */
  readonly sequentialReason?: string
  readonly content: CursorContent
  readonly format: RowFormat
}

export const startExport = <R = never>(input: {
  readonly jira: ExportJiraShape
  readonly planner: Planner<R>
  readonly payload: ExportStartPayload
  readonly timeZone: string
  readonly siteUrl: string
  /** True for API-token traffic (exempt from the points quota). */
  readonly apiToken: boolean
}): Effect.Effect<Started, PlanError | JiraError, R> =>
  Effect.gen(function* () {
    const selected =
      input.payload.issueKeys === undefined ? undefined : normaliseKeys(input.payload.issueKeys)
    const plan: PlanInput = {
      // Selected issues: the navigator's query stays the cursor's (it fits the cursor's bound; the
      // keys, up to 1,000 of them, travel as the pending list instead of an `issuekey in (…)`).
      jql: input.payload.jql,
      columns: input.payload.columns,
      options: input.payload.options ?? {},
      timeZone: input.timeZone,
      siteUrl: input.siteUrl,
      // The as-of instant of history columns: fixed now, kept in the cursor.
      history: { asOf: yield* Clock.currentTimeMillis },
    }
    const [found, planned] = yield* Effect.all(
      [
        selected === undefined
          ? input.jira.approximateCount(plan.jql).pipe(Effect.map((total) => ({ total, keys: [] })))
          : orderSelected(input.jira, selected, plan.jql).pipe(
              Effect.map((keys) => ({ total: keys.length, keys })),
            ),
        input.planner(plan),
      ],
      { concurrency: 2 },
    )
    const total = found.total
    const quota = yield* input.jira.quota
    // Whether thrifty can read this query's pages in parallel (parallel/order.ts); said when not.
    const order = orderPlan(splitQuery(plan.jql), planned.format.rankFields ?? [])
    // Selected issues are bulk-fetched in the given order whatever the strategy: a search cannot keep it.
    const strategy =
      selected === undefined
        ? chooseStrategy({
            requested: planned.strategy,
            apiToken: input.apiToken,
            quota,
            approximateTotal: total,
            parallelThrifty: order._tag !== "sequential",
          })
        : "fast"
    const content: CursorContent = {
      v: 1,
      jql: plan.jql,
      columns: [...plan.columns],
      options: plan.options,
      timeZone: plan.timeZone,
      siteUrl: plan.siteUrl,
      strategy,
      phase:
        selected !== undefined
          ? selectedPhase(found.keys)
          : strategy === "thrifty"
            ? { _tag: "thrifty", token: null, parallel: true }
            : { _tag: "fast", pending: "", token: null, more: true },
      counters: { done: 0, total, missing: [], missingCount: 0, truncatedCells: 0 },
      ...(planned.history === undefined ? {} : { history: planned.history }),
    }
    return {
      header: planned.format.header,
      columns: planned.format.columns,
      approximateTotal: total,
      strategy,
      ...(strategy === "thrifty" && order._tag === "sequential" ? { sequentialReason: order.reason } : {}),
      content,
      format: planned.format,
    }
  })

/** The query of exactly these issues (Jira validates the keys), in the order of `orderBy`. */
export const selectedJql = (keys: ReadonlyArray<string>, orderBy = ""): string =>
  `issuekey in (${keys.join(", ")})${orderBy === "" ? "" : ` ${orderBy}`}`

/** Selected keys as Jira writes them, each once (a caller may send lower case or a key twice). */
export const normaliseKeys = (keys: ReadonlyArray<string>): ReadonlyArray<string> => [
  ...new Set(keys.map((key) => key.toUpperCase())),
]

/**
 * The selected keys in the order of the navigator's query (its `ORDER BY`), whatever order they came
 * in (Forge does not document the order of the action's `issueKeys`, docs/forge.md §3): one listing
 * of `issuekey in (…) ORDER BY …` with keys (1,000 keys fit one id page). Jira refuses the query when
 * a key is gone or hidden, so a key the listing misses can only be one that vanished meanwhile; it
 * follows the listed ones and the export reports it missing. A listing shorter than the selection is
 * the only case checked, so a key Jira renamed (a moved issue, listed under its new key) is not
 * exported twice.
 */
export const orderSelected = (
  jira: ExportJiraShape,
  keys: ReadonlyArray<string>,
  navigatorJql: string,
): Effect.Effect<ReadonlyArray<string>, JiraError> =>
  Effect.gen(function* () {
    const jql = selectedJql(keys, splitQuery(navigatorJql).orderBy)
    const listed: Array<string> = []
    let token: string | undefined
    do {
      const page = yield* jira.searchIds({
        jql,
        maxResults: keys.length,
        withKeys: true,
        ...(token === undefined ? {} : { nextPageToken: token }),
      })
      listed.push(...page.ids.map((id, i) => page.keys?.[i] ?? id))
      token = page.isLast ? undefined : page.nextPageToken
    } while (token !== undefined && listed.length < keys.length)
    if (listed.length >= keys.length) return listed
    const seen = new Set(listed)
    return [...listed, ...keys.filter((key) => !seen.has(key))]
  })

/**
 * The selected issues as a fast phase whose listing is already done: the keys, in the navigator's
 * order, are the pending list, so the cursor carries them and no search runs.
 */
export const selectedPhase = (keys: ReadonlyArray<string>): Phase => ({
  _tag: "fast",
  pending: [...keys],
  token: null,
  more: false,
})

/** The plan a cursor was made from, to rebuild its row format on every call. */
export const planOf = (content: CursorContent): PlanInput => ({
  jql: content.jql,
  columns: content.columns,
  options: content.options,
  timeZone: content.timeZone,
  siteUrl: content.siteUrl,
  ...(content.history === undefined ? {} : { history: content.history }),
})
