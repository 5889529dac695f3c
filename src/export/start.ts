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
    const selected = input.payload.issueKeys
    const plan: PlanInput = {
      jql: selected === undefined ? input.payload.jql : selectedJql(selected),
      columns: input.payload.columns,
      options: input.payload.options ?? {},
      timeZone: input.timeZone,
      siteUrl: input.siteUrl,
      // The as-of instant of history columns: fixed now, kept in the cursor.
      history: { asOf: yield* Clock.currentTimeMillis },
    }
    const [total, planned] = yield* Effect.all([input.jira.approximateCount(plan.jql), input.planner(plan)], {
      concurrency: 2,
    })
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
          ? selectedPhase(selected)
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

/** The query of exactly these issues (Jira validates the keys; the order comes from the list). */
export const selectedJql = (keys: ReadonlyArray<string>): string => `issuekey in (${keys.join(", ")})`

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
