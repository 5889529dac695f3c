/**
 * What the two ways of reading a query's parts share (concat.ts, merge.ts; docs/jira-cloud.md §13):
 * positions, the stream of what the parts give until a halt, and how a part's stop ends it.
 *
 * Every unit carries the position of every part not yet written to its end, so a cursor resumes each
 * where it stood; what a part read ahead but did not write is read again then. A refused page token
 * hands over to a relocation of the whole query after the last issues written (relocate.ts), as the
 * sequential thrifty does.
 */
import { Effect, Ref, Stream } from "effect"
import type { Phase } from "../cursor.js"
import { afterRefusal } from "../fast.js"
import type { ExportIssue } from "../ports.js"
import { placeLost, type RelocatePhase, recentField, relocation } from "../relocate.js"
import type { ExportContext, ExportFailure, Unit } from "../types.js"
import { type Source, toUnits } from "../units.js"
import type { HistoryBatcher } from "./histories.js"
import type { PartPosition } from "./ranges.js"
import type { PartEvent } from "./reader.js"

export type ParallelPhase = Extract<Phase, { readonly _tag: "parallel" }>

export const idsOf = (issues: ReadonlyArray<ExportIssue>) => issues.map((issue) => issue.id)

export const position = (part: PartPosition, token: string | null, skip: number): PartPosition => ({
  where: part.where,
  token,
  ...(skip > 0 ? { skip } : {}),
  ...(part.size === undefined ? {} : { size: part.size }),
})

export const phaseOf = (
  mode: ParallelPhase["mode"],
  parts: ReadonlyArray<PartPosition>,
  recent: ReadonlyArray<string>,
): Phase | null => (parts.length === 0 ? null : { _tag: "parallel", mode, parts, ...recentField(recent) })

/** What the stream of a part plan yields: sources to write, a failure after them, or its early end. */
export type Item =
  | { readonly _tag: "sources"; readonly sources: ReadonlyArray<Source> }
  | { readonly _tag: "fail"; readonly error: ExportFailure }
  | { readonly _tag: "halt" }

/**
 * Sources until the first halt, made into units (their histories sent for first when still waiting);
 * a refused token was remembered in `refused` for the relocation.
 */
export const written = (
  ctx: ExportContext,
  items: Stream.Stream<ReadonlyArray<Item>, ExportFailure>,
  refused: Ref.Ref<RelocatePhase | null>,
  histories: HistoryBatcher | undefined,
): Stream.Stream<Unit, ExportFailure> =>
  items.pipe(
    Stream.flattenIterables,
    Stream.takeWhile((item) => item._tag !== "halt"),
    Stream.flatMap((item) =>
      item._tag === "fail"
        ? Stream.fail(item.error)
        : Stream.fromIterable(item._tag === "sources" ? item.sources : []),
    ),
    Stream.mapEffect((source) =>
      histories === undefined
        ? toUnits(ctx, source)
        : histories.need(idsOf(source.issues)).pipe(Effect.zipRight(toUnits(ctx, source))),
    ),
    Stream.flattenIterables,
    Stream.concat(afterRefusal(ctx, refused)),
  )

/** What ends a plan's stream early after `sources`: a part's failure, the call's budget, a refused token. */
export const ending = (
  ctx: ExportContext,
  sources: ReadonlyArray<Source>,
  event: PartEvent | undefined,
  recent: ReadonlyArray<string>,
  refused: Ref.Ref<RelocatePhase | null>,
): Effect.Effect<ReadonlyArray<Item>> => {
  const written: ReadonlyArray<Item> = sources.length === 0 ? [] : [{ _tag: "sources", sources }]
  if (event === undefined || event._tag === "page" || event._tag === "end") return Effect.succeed(written)
  if (event._tag === "failed") return Effect.succeed([...written, { _tag: "fail", error: event.error }])
  // The call's budget: it ends here on purpose, and its answer carries the position.
  if (event._tag === "stopped") return ctx.gate.stop.pipe(Effect.as([...written, { _tag: "halt" } as const]))
  // Everything written so far is a prefix of the query: find the place after it.
  if (recent.length === 0) return Effect.succeed([...written, { _tag: "fail", error: placeLost() }])
  return Ref.set(refused, relocation(recent)).pipe(Effect.as([...written, { _tag: "halt" } as const]))
}
