/**
 * Account id -> user, for every place Jira gives only an account id (ADF mentions, changelog values).
 * Lookups go through a batched `RequestResolver` over `GET /rest/api/3/user/bulk` (never one GET per
 * user) with an explicit batch size and concurrency, and a cache shared by every caller of the runtime,
 * so no user is asked for twice, within a batch, across batches or across concurrent callers.
 */
import { Deferred, Effect, Exit, Layer, Request, RequestResolver, SynchronizedRef } from "effect"
import { JiraClient } from "./JiraClient.js"
import { type JiraError, retryKind } from "./JiraError.js"
import type { User } from "./schemas.js"

/** A user as the exporter shows it. */
export interface DirectoryUser {
  readonly accountId: string
  readonly displayName: string
  /** Absent when the user hides it (Jira sends null, "" or nothing: all mean "not visible"). */
  readonly emailAddress?: string
  readonly active: boolean
  /** False for a placeholder: Jira did not return this account (unknown, deleted, or the lookup failed). */
  readonly known: boolean
}

export interface UserDirectoryConfig {
  /** Account ids per `/user/bulk` request (Jira's per-call maximum is undocumented; 100 is safe). */
  readonly batchSize: number
  /** `/user/bulk` requests in flight at once. */
  readonly concurrency: number
}

export const defaultUserDirectoryConfig: UserDirectoryConfig = { batchSize: 100, concurrency: 4 }

/** Jira's longest account id (the `User` schema's maxLength). */
const MAX_ACCOUNT_ID_LENGTH = 128

/** What a user that Jira could not return is shown as. */
export const unknownUser = (accountId: string): DirectoryUser => ({
  accountId,
  displayName: `Unknown user (${accountId})`,
  active: false,
  known: false,
})

/** A Jira user as a directory entry: hidden emails are absent, not empty strings. */
export const toDirectoryUser = (user: User): DirectoryUser => {
  const displayName = user.displayName?.trim()
  const email = user.emailAddress?.trim()
  return {
    accountId: user.accountId,
    displayName: displayName ? displayName : unknownUser(user.accountId).displayName,
    ...(email ? { emailAddress: email } : {}),
    active: user.active ?? false,
    known: true,
  }
}

/** A lookup's answer; `keep: false` for a placeholder after a transient failure (asked again next time). */
interface Lookup {
  readonly user: DirectoryUser
  readonly keep: boolean
}

class GetUser extends Request.TaggedClass("GetUser")<Lookup, JiraError, { readonly accountId: string }> {}

const chunksOf = <A>(items: ReadonlyArray<A>, size: number): ReadonlyArray<ReadonlyArray<A>> => {
  const chunks: Array<ReadonlyArray<A>> = []
  for (let i = 0; i < items.length; i += size) chunks.push(items.slice(i, i + size))
  return chunks
}

const make = (config: UserDirectoryConfig) =>
  Effect.gen(function* () {
    const client = yield* JiraClient
    const batchSize = Math.max(1, Math.floor(config.batchSize))
    /** `/user/bulk` requests in flight at once. */
    const lookupConcurrency = Math.max(1, Math.floor(config.concurrency))

    /**
     * One `/user/bulk` round for one batch. Hand-back errors fail the requests; other failures become
     * placeholders, cached unless transient (a refusal such as 403 would only repeat).
     */
    const lookup = (requests: ReadonlyArray<GetUser>) =>
      client.usersBulk(requests.map((r) => r.accountId)).pipe(
        Effect.matchEffect({
          onSuccess: (users) => {
            const byId = new Map(users.map((u) => [u.accountId, toDirectoryUser(u)]))
            return Effect.forEach(
              requests,
              (r) =>
                Request.succeed(r, { user: byId.get(r.accountId) ?? unknownUser(r.accountId), keep: true }),
              { discard: true },
            )
          },
          onFailure: (error) =>
            Effect.forEach(
              requests,
              (r) =>
                // A wait Jira asked for is handed back to the export's caller (wait and resume) rather
                // than hidden behind "Unknown user"; after a transient failure the placeholder is not
                // kept, so the next unit asks again.
                retryKind(error) === "wait"
                  ? Request.fail(r, error)
                  : Request.succeed(r, {
                      user: unknownUser(r.accountId),
                      keep: retryKind(error) !== "transient",
                    }),
              { discard: true },
            ),
        }),
      )

    const resolver = RequestResolver.makeBatched((requests: ReadonlyArray<GetUser>) =>
      Effect.forEach(chunksOf(requests, batchSize), lookup, {
        concurrency: lookupConcurrency,
        discard: true,
      }),
    )

    // Settled and in-flight lookups by account id. A handed-back or transient lookup is dropped so
    // the next call asks again; a placeholder for a refusal is kept (asking again would fail the same way).
    const cache = yield* SynchronizedRef.make(new Map<string, Deferred.Deferred<DirectoryUser, JiraError>>())

    const forget = (accountIds: ReadonlyArray<string>) =>
      SynchronizedRef.update(cache, (map) => {
        const next = new Map(map)
        for (const id of accountIds) next.delete(id)
        return next
      })

    /** Resolves every id; fails only with a hand-back error (RateLimited, QuotaExhausted). */
    const resolve = (accountIds: ReadonlyArray<string>) =>
      Effect.gen(function* () {
        const unique = [...new Set(accountIds)]
        const valid = unique.filter((id) => id.length > 0 && id.length <= MAX_ACCOUNT_ID_LENGTH)
        const claimed = yield* SynchronizedRef.modifyEffect(cache, (map) =>
          Effect.gen(function* () {
            const mine: Array<readonly [string, Deferred.Deferred<DirectoryUser, JiraError>]> = []
            const next = new Map(map)
            for (const id of valid) {
              if (next.has(id)) continue
              const deferred = yield* Deferred.make<DirectoryUser, JiraError>()
              next.set(id, deferred)
              mine.push([id, deferred])
            }
            return [{ mine, all: next }, next] as const
          }),
        )
        // This caller fetches what nobody else is fetching; it fails or interrupts its deferreds
        // exactly when it does, so concurrent waiters never hang.
        yield* Effect.forEach(
          claimed.mine,
          ([accountId, deferred]) =>
            Effect.request(new GetUser({ accountId }), resolver).pipe(
              Effect.exit,
              Effect.flatMap((exit) => {
                const keep = Exit.isSuccess(exit) && exit.value.keep
                const settle = Deferred.done(
                  deferred,
                  Exit.map(exit, (lookup) => lookup.user),
                )
                return keep ? settle : forget([accountId]).pipe(Effect.zipRight(settle))
              }),
            ),
          { batching: true, concurrency: "unbounded", discard: true },
        ).pipe(
          Effect.onInterrupt(() =>
            forget(claimed.mine.map(([id]) => id)).pipe(
              Effect.zipRight(
                Effect.forEach(claimed.mine, ([, deferred]) => Deferred.interrupt(deferred), {
                  discard: true,
                }),
              ),
            ),
          ),
        )
        const result = new Map<string, DirectoryUser>()
        for (const id of unique) {
          const deferred = claimed.all.get(id)
          result.set(id, deferred === undefined ? unknownUser(id) : yield* Deferred.await(deferred))
        }
        const readonlyResult: ReadonlyMap<string, DirectoryUser> = result
        return readonlyResult
      }).pipe(Effect.withSpan("UserDirectory.resolve", { attributes: { count: accountIds.length } }))

    /**
     * Takes users that Jira already showed in full (an issue's assignee, reporter, authors…) into the
     * cache, so a later mention of them costs no lookup. Users already cached or in flight are kept.
     */
    const remember = (users: ReadonlyArray<DirectoryUser>) =>
      users.length === 0
        ? Effect.void
        : SynchronizedRef.updateEffect(cache, (map) =>
            Effect.gen(function* () {
              const fresh = users.filter((user) => !map.has(user.accountId))
              if (fresh.length === 0) return map
              const next = new Map(map)
              for (const user of fresh) {
                const deferred = yield* Deferred.make<DirectoryUser, JiraError>()
                yield* Deferred.succeed(deferred, user)
                next.set(user.accountId, deferred)
              }
              return next
            }),
          )

    return { resolve, remember } as const
  })

/**
 * The user directory. `resolve` never fails because a user is unknown, deleted or could not be looked
 * up (placeholders: `Unknown user (<id>)`, or Jira's own "Former user" name); it fails only with
 * `RateLimited` / `QuotaExhausted`, which the export hands back to its caller.
 */
export class UserDirectory extends Effect.Tag("UserDirectory")<
  UserDirectory,
  Effect.Effect.Success<ReturnType<typeof make>>
>() {
  static readonly layer = (config: UserDirectoryConfig = defaultUserDirectoryConfig) =>
    Layer.effect(UserDirectory, make(config))
}
