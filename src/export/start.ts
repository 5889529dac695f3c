/**
 * `export/start`: validates the JQL (Jira's own messages, through approximate-count, which also gives
 * the total), resolves the columns and options, picks the strategy, and makes the first cursor.
 */
import { Effect, Schema } from "effect"
import type { ColumnInfo, ExportStartPayload } from "../contract.js"
import type { JiraError } from "../jira/JiraError.js"
import type { CursorContent } from "./cursor.js"
import type { ExportJira, PlanFormat, PlanInput, RowFormat } from "./ports.js"
import { chooseStrategy } from "./strategy.js"

/** The columns or options asked for cannot be used. */
export class PlanError extends Schema.TaggedError<PlanError>()("PlanError", {
  /** `TooManyValues`: an issue does not fit the columns a `jira-import` file gives its multi-value fields. */
  reason: Schema.Literal("UnknownColumn", "AmbiguousColumn", "BadPayload", "TooManyValues"),
  message: Schema.String,
  details: Schema.optional(Schema.Array(Schema.String)),
}) {}

/** Builds the row format of a plan (columns from `/field`, options for the user's time zone). */
export type Planner<R = never> = (plan: PlanInput) => Effect.Effect<PlanFormat, PlanError | JiraError, R>

export interface Started {
  readonly header: string
  readonly columns: ReadonlyArray<ColumnInfo>
  readonly approximateTotal: number | null
  readonly strategy: "thrifty" | "fast"
  readonly content: CursorContent
  readonly format: RowFormat
}

export const startExport = <R = never>(input: {
  readonly jira: ExportJira
  readonly planner: Planner<R>
  readonly payload: ExportStartPayload
  readonly timeZone: string
  readonly siteUrl: string
  /** True for API-token traffic (exempt from the points quota). */
  readonly apiToken: boolean
}): Effect.Effect<Started, PlanError | JiraError, R> =>
  Effect.gen(function* () {
    const plan: PlanInput = {
      jql: input.payload.jql,
      columns: input.payload.columns,
      options: input.payload.options ?? {},
      timeZone: input.timeZone,
      siteUrl: input.siteUrl,
    }
    const [total, planned] = yield* Effect.all([input.jira.approximateCount(plan.jql), input.planner(plan)], {
      concurrency: 2,
    })
    const quota = yield* input.jira.quota
    const strategy = chooseStrategy({
      requested: planned.strategy,
      apiToken: input.apiToken,
      quota,
      approximateTotal: total,
    })
    const content: CursorContent = {
      v: 1,
      jql: plan.jql,
      columns: [...plan.columns],
      options: plan.options,
      timeZone: plan.timeZone,
      siteUrl: plan.siteUrl,
      strategy,
      phase:
        strategy === "thrifty"
          ? { _tag: "thrifty", token: null }
          : { _tag: "fast", pending: "", token: null, more: true },
      counters: { done: 0, total, missing: [], missingCount: 0, truncatedCells: 0 },
    }
    return {
      header: planned.format.header,
      columns: planned.format.columns,
      approximateTotal: total,
      strategy,
      content,
      format: planned.format,
    }
  })

/** The plan a cursor was made from, to rebuild its row format on every call. */
export const planOf = (content: CursorContent): PlanInput => ({
  jql: content.jql,
  columns: content.columns,
  options: content.options,
  timeZone: content.timeZone,
  siteUrl: content.siteUrl,
})
