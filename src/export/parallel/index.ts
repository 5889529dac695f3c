/**
 * Entry of the parallel thrifty strategy (docs/jira-cloud.md §13): a thrifty export that may be cut
 * into parts plans them at its first page (plan.ts) and reads them (concat.ts, merge.ts); one whose order does
 * not allow it, or too small to gain from it, reads its pages one after another (thrifty.ts).
 */
import { Effect, Stream } from "effect"
import { JiraError } from "../../jira/JiraError.js"
import type { ExportContext, ExportFailure, Unit } from "../types.js"
import { concatenated } from "./concat.js"
import { merged } from "./merge.js"
import { type Direction, type OrderPlan, orderPlan, type SplitQuery, splitQuery } from "./order.js"
import { knownParts, type PartsPlan, planParts, refusedQuery } from "./plan.js"
import type { ParallelPhase } from "./stream.js"

export type { ParallelPhase } from "./stream.js"

const orderOf = (ctx: ExportContext) => {
  const query = splitQuery(ctx.jql)
  return { query, order: orderPlan(query, ctx.format.rankFields ?? []) }
}

const mergeOf = (order: OrderPlan) => (order._tag === "merge" ? order : undefined)

/** Reads the parts of `plan`, merged by Rank or one after another (`recent`: ids written just before). */
const parallel = (
  ctx: ExportContext,
  plan: PartsPlan,
  recent: ParallelPhase["recent"],
  query: SplitQuery,
  merge: { readonly rankFieldId: string; readonly direction: Direction } | undefined,
): Stream.Stream<Unit, ExportFailure> =>
  plan.mode === "merge" && merge !== undefined
    ? merged(ctx, plan.planned(), recent, query, merge)
    : concatenated(ctx, plan, recent, query)

/** Plans the parts of a thrifty export at its start, or `sequential` when it reads one chain. */
export const plannedParts = (
  ctx: ExportContext,
  sequential: Stream.Stream<Unit, ExportFailure>,
): Stream.Stream<Unit, ExportFailure> =>
  Stream.unwrap(
    Effect.gen(function* () {
      const { query, order } = orderOf(ctx)
      if (order._tag === "sequential") return sequential
      // A plan Jira will not take (a bound it refuses) leaves the query to one chain.
      const plan = yield* planParts(ctx, query, order).pipe(
        Effect.catchIf(refusedQuery, () => Effect.succeed(null)),
      )
      if (plan === null) return sequential
      return parallel(ctx, plan, [], query, mergeOf(order))
    }),
  )

/** Reads the parts of a parallel phase on from where each stands. */
export const resumedParts = (ctx: ExportContext, phase: ParallelPhase): Stream.Stream<Unit, ExportFailure> =>
  Stream.unwrap(
    Effect.gen(function* () {
      const { query, order } = orderOf(ctx)
      const merge = mergeOf(order)
      if (phase.mode === "merge" && merge === undefined)
        return yield* new JiraError({
          reason: "Decode",
          message:
            "The export position no longer fits the query's order (its Rank field is gone); start it again.",
        })
      return parallel(ctx, knownParts(phase.mode, phase.parts), phase.recent, query, merge)
    }),
  )
