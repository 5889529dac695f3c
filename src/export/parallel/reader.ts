/**
 * One part of a parallel thrifty export, read page by page into a bounded queue by its own fiber:
 * the queue's bound is what keeps a part read ahead from filling memory. The reader stops at the end
 * of its part, when the call's budget refuses its next page, or at a failure, and says which.
 */
import { Effect, Queue } from "effect"
import type { ExportIssue } from "../ports.js"
import { isExpiredToken } from "../relocate.js"
import type { ExportContext, ExportFailure } from "../types.js"
import type { PartPosition } from "./ranges.js"

/** A page of a part as read: the token it was read with, what of it was emitted before, the next. */
export interface PartPage {
  readonly token: string | null
  readonly skip: number
  readonly issues: ReadonlyArray<ExportIssue>
  readonly following: string | null
}

export type PartEvent =
  /** `held`: the page holds one of the pages read ahead (`hold`), given back once it is written. */
  | { readonly _tag: "page"; readonly page: PartPage; readonly held: boolean }
  /** The part is read to its end. */
  | { readonly _tag: "end" }
  /** The call's budget refused the part's next page. */
  | { readonly _tag: "stopped" }
  /** Jira refused the part's page token (expired). */
  | { readonly _tag: "expired" }
  | { readonly _tag: "failed"; readonly error: ExportFailure }

export interface PartReader {
  readonly index: number
  readonly part: PartPosition
  readonly events: Queue.Dequeue<PartEvent>
}

/**
 * Starts reading `part` (its query is `jql`) in a fiber of `scope`. `admit(pagesRead)` is asked
 * before each page.
 */
export const startReader = (input: {
  readonly ctx: ExportContext
  readonly index: number
  readonly part: PartPosition
  readonly jql: string
  readonly fields: ReadonlyArray<string>
  /** Pages the queue holds before the reader waits for them to be taken. */
  readonly capacity: number
  readonly admit: (pagesRead: number) => Effect.Effect<boolean>
  /** Before each request, after `admit`: waits for room to hold the page; whether it took some. */
  readonly hold?: Effect.Effect<boolean>
  /** Runs when the reader stops reading, however it stops. */
  readonly done?: Effect.Effect<void>
  /** Given the ids of each page read before it is handed on (their changelogs are read ahead). */
  readonly read?: (ids: ReadonlyArray<string>) => Effect.Effect<void>
}): Effect.Effect<PartReader, never, import("effect").Scope.Scope> =>
  Effect.gen(function* () {
    const { ctx, part } = input
    const events = yield* Queue.bounded<PartEvent>(input.capacity)
    const read = Effect.gen(function* () {
      let token = part.token
      let skip = part.skip ?? 0
      for (let pages = 0; ; pages++) {
        if (!(yield* input.admit(pages))) return yield* Queue.offer(events, { _tag: "stopped" })
        const holds = input.hold === undefined ? false : yield* input.hold
        const answer = yield* ctx
          .call(
            ctx.jira.searchPage({
              jql: input.jql,
              fields: [...input.fields],
              maxResults: ctx.settings.searchPageSize,
              ...(token === null ? {} : { nextPageToken: token }),
            }),
          )
          .pipe(Effect.either)
        if (answer._tag === "Left") {
          const expired = token !== null && isExpiredToken(answer.left)
          return yield* Queue.offer(
            events,
            expired ? { _tag: "expired" } : { _tag: "failed", error: answer.left },
          )
        }
        const { issues, isLast, nextPageToken } = answer.right
        const following = isLast || !nextPageToken ? null : nextPageToken
        if (input.read !== undefined) yield* input.read(issues.slice(skip).map((issue) => issue.id))
        yield* Queue.offer(events, { _tag: "page", page: { token, skip, issues, following }, held: holds })
        if (following === null) return yield* Queue.offer(events, { _tag: "end" })
        token = following
        skip = 0
      }
    })
    yield* Effect.forkScoped(input.done === undefined ? read : Effect.ensuring(read, input.done))
    return { index: input.index, part, events }
  })
