/**
 * The export cursor: everything the next `export/next` call needs, because resolvers keep no state.
 *
 * Wire form: base64url of JSON, versioned (`v: 1`), with a checksum over the content. A Forge resolver
 * has no secret to sign with (an HMAC key would need `storage:app`), so the checksum detects
 * corruption and casual tampering, not a determined forger; a forged cursor can only ask for issues
 * the user may read anyway, because every read runs `asUser()`.
 *
 * Size: the Forge invoke payload is at most 500 KB. Pending issue ids of the `fast` strategy (at most
 * one id page, 5000) are delta-encoded in base 36, which keeps them to a few tens of KB.
 */
import { Effect, Either, Schema } from "effect"
import { FORGE_LIMITS } from "../contract/constants.js"
import { Columns, ExportOptionsInput, Jql, MAX_CURSOR_LENGTH } from "../contract.js"
import { base64UrlOfBytes, base64UrlOfText, sha256, textOfBase64Url } from "./bytes.js"
import { BadCursor } from "./errors.js"

/** Most statuses a cursor keeps (a site's statuses; each becomes a "Time in …" column). */
export const MAX_STATUSES = 1000

/** Most statuses summed in the column of unlisted statuses that a cursor names (the export's notes). */
export const MAX_UNLISTED_STATUSES = 100

/** Most missing issue keys a cursor carries (the count goes on). */
export const MAX_MISSING_LISTED = 1000

const NUMERIC_ID = /^[1-9][0-9]{0,14}$|^0$/

/** Ids in search order as `base36(first),±base36(delta),…` when all are numeric, else as a list. */
export const encodeIds = (ids: ReadonlyArray<string>): string | ReadonlyArray<string> => {
  if (!ids.every((id) => NUMERIC_ID.test(id))) return ids
  let previous = 0
  const parts: Array<string> = []
  for (const id of ids) {
    const value = Number(id)
    parts.push((value - previous).toString(36))
    previous = value
  }
  return parts.join(",")
}

export const decodeIds = (encoded: string | ReadonlyArray<string>): Either.Either<Array<string>, string> => {
  if (typeof encoded !== "string") return Either.right([...encoded])
  if (encoded === "") return Either.right([])
  let previous = 0
  const ids: Array<string> = []
  for (const part of encoded.split(",")) {
    if (!/^-?[0-9a-z]{1,11}$/.test(part)) return Either.left("bad id delta")
    previous += Number.parseInt(part, 36)
    if (!Number.isSafeInteger(previous) || previous < 0) return Either.left("bad id")
    ids.push(String(previous))
  }
  return Either.right(ids)
}

/** Each id's key, from keys given in the same order (undefined or "" where not known). */
export const keysOf = (
  ids: ReadonlyArray<string>,
  keys: ReadonlyArray<string | undefined> | undefined,
): ReadonlyMap<string, string> => {
  const byId = new Map<string, string>()
  if (keys !== undefined)
    ids.forEach((id, i) => {
      const key = keys[i]
      if (key !== undefined && key !== "") byId.set(id, key)
    })
  return byId
}

/** The `keys` of a fast phase whose pending ids are `ids`: absent when none is known. */
export const keysField = (
  ids: ReadonlyArray<string>,
  keys: ReadonlyMap<string, string>,
): { readonly keys?: ReadonlyArray<string> } =>
  ids.some((id) => keys.has(id)) ? { keys: ids.map((id) => keys.get(id) ?? "") } : {}

const IdList = Schema.Union(
  Schema.String.pipe(Schema.maxLength(MAX_CURSOR_LENGTH)),
  Schema.Array(Schema.String.pipe(Schema.maxLength(64))).pipe(Schema.maxItems(5000)),
)

const Token = Schema.String.pipe(Schema.maxLength(8192))

/** Most parts a parallel thrifty export is cut into, and the longest condition of one. */
export const MAX_PARTS = 2000
export const MAX_PART_CONDITION_LENGTH = 4000

/** Most ids a phase remembers of the issues just before it (to find its place again, relocate.ts). */
export const MAX_RECENT_IDS = 20

/**
 * Where the stream stands. Always a point at which every issue before it has been emitted.
 *
 * `recent` (search order, latest last) are the ids just before that point. Jira's page tokens expire
 * (after 7 days, or when Jira drops the search; docs/jira-cloud.md §1.2): the export then lists the
 * query's ids again and continues after the latest of them still listed (a `relocate` phase).
 */
export const Phase = Schema.Union(
  /** Next `/search/jql` page to read (null: the first). */
  Schema.TaggedStruct("thrifty", {
    token: Schema.NullOr(Token),
    /** Issues of that page already emitted (a page too large for one answer is cut). */
    skip: Schema.optional(Schema.Int.pipe(Schema.between(0, 5000))),
    /** Ids of the last issues emitted. */
    recent: Schema.optional(IdList),
    /** At the first page: the query may be cut into parts read in parallel (parallel/plan.ts). */
    parallel: Schema.optional(Schema.Boolean),
  }),
  /**
   * A thrifty export cut into parts (parallel/): the position of every part not yet read to its end,
   * in the query's order. `concat`: the parts follow one another; `merge`: their issues interleave
   * and are merged by the query's order.
   */
  Schema.TaggedStruct("parallel", {
    mode: Schema.Literal("concat", "merge"),
    parts: Schema.Array(
      Schema.Struct({
        where: Schema.String.pipe(Schema.maxLength(MAX_PART_CONDITION_LENGTH)),
        token: Schema.NullOr(Token),
        skip: Schema.optional(Schema.Int.pipe(Schema.between(0, 5000))),
        size: Schema.optional(Schema.NonNegativeInt),
      }),
    ).pipe(Schema.maxItems(MAX_PARTS)),
    recent: Schema.optional(IdList),
  }),
  /**
   * Ids already listed but not yet emitted, in search order, and the token of the id page after them
   * (null with `more: false` at the last page).
   */
  Schema.TaggedStruct("fast", {
    pending: IdList,
    /**
     * The keys of `pending` as their id page listed them, in the same order ("" where not known), so
     * an issue gone before its bulkfetch is named by key also after a resume or a relocation.
     */
    keys: Schema.optional(Schema.Array(Schema.String.pipe(Schema.maxLength(64))).pipe(Schema.maxItems(5000))),
    token: Schema.NullOr(Token),
    more: Schema.Boolean,
    /** With nothing pending: ids of the last issues listed before the token. */
    recent: Schema.optional(IdList),
  }),
  /**
   * Listing the query's ids again to find the place after the latest of `recent` still listed.
   * `token`: the next id page of that listing (null: the first). `found`: the index in `recent` of
   * the id that ended the previous id page; the place is right after it unless this page lists a
   * later one. `tries`: listings started again because a token of the listing itself expired.
   */
  Schema.TaggedStruct("relocate", {
    recent: IdList,
    token: Schema.NullOr(Token),
    found: Schema.optional(Schema.NonNegativeInt),
    tries: Schema.optional(Schema.Int.pipe(Schema.between(0, 100))),
  }),
)
export type Phase = typeof Phase.Type

export const Counters = Schema.Struct({
  done: Schema.NonNegativeInt,
  total: Schema.NullOr(Schema.NonNegativeInt),
  missing: Schema.Array(Schema.String.pipe(Schema.maxLength(255))).pipe(Schema.maxItems(MAX_MISSING_LISTED)),
  missingCount: Schema.NonNegativeInt,
  truncatedCells: Schema.NonNegativeInt,
  /** Times Jira's page token expired and the export found its place again (absent: never). */
  relocations: Schema.optional(Schema.NonNegativeInt),
  /**
   * Statuses the rows so far summed in the column of unlisted statuses (historyColumns.ts), named as
   * their histories name them, for the export's notes (absent: none).
   */
  unlistedStatuses: Schema.optional(
    Schema.Array(
      Schema.Struct({
        id: Schema.String.pipe(Schema.maxLength(64)),
        name: Schema.String.pipe(Schema.maxLength(255)),
      }),
    ).pipe(Schema.maxItems(MAX_UNLISTED_STATUSES)),
  ),
})
export type Counters = typeof Counters.Type

export const CursorContent = Schema.Struct({
  v: Schema.Literal(1),
  jql: Jql,
  columns: Columns,
  options: ExportOptionsInput,
  timeZone: Schema.String.pipe(Schema.maxLength(64)),
  siteUrl: Schema.String.pipe(Schema.maxLength(2048)),
  strategy: Schema.Literal("thrifty", "fast"),
  phase: Phase,
  counters: Counters,
  /**
   * History columns and the history mode: the as-of instant fixed at the start and the statuses read
   * then, so a resumed export gives the same numbers and the same header. Optional: older cursors decode.
   */
  history: Schema.optional(
    Schema.Struct({
      asOf: Schema.Number,
      statuses: Schema.optional(
        Schema.Array(
          Schema.Struct({
            id: Schema.String.pipe(Schema.maxLength(64)),
            name: Schema.String.pipe(Schema.maxLength(255)),
            category: Schema.String.pipe(Schema.maxLength(64)),
          }),
        ).pipe(Schema.maxItems(MAX_STATUSES)),
      ),
    }),
  ),
  /**
   * What the previous `export/next` call measured, so the next one starts warm instead of admitting
   * little until it has measured its own first output (gate.ts). Optional: older cursors decode.
   */
  learned: Schema.optional(
    Schema.Struct({
      bytesPerRow: Schema.Number.pipe(
        Schema.positive(),
        Schema.lessThanOrEqualTo(FORGE_LIMITS.invokeResponseBytes),
      ),
    }),
  ),
})
export type CursorContent = typeof CursorContent.Type

const Envelope = Schema.parseJson(Schema.Struct({ c: CursorContent, sum: Schema.String }))
// Only a cursor that states a version number can be blamed on another version; empty or shapeless
// content is damage.
const VersionProbe = Schema.parseJson(Schema.Struct({ c: Schema.Struct({ v: Schema.Int }) }))

/** JSON with sorted keys, so the checksum does not depend on the order an object was built in. */
const canonical = (value: unknown): string => {
  if (Array.isArray(value)) return `[${value.map(canonical).join(",")}]`
  if (typeof value === "object" && value !== null)
    return `{${Object.entries(value)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`)
      .join(",")}}`
  return JSON.stringify(value)
}

const checksum = (content: CursorContent): string => base64UrlOfBytes(sha256(canonical(content))).slice(0, 22)

/** The opaque cursor string for `content`. */
export const encodeCursor = (content: CursorContent): string =>
  base64UrlOfText(JSON.stringify({ c: content, sum: checksum(content) }))

const bad = (reason: BadCursor["reason"], message: string) => new BadCursor({ reason, message })

/** Reads a cursor back; anything but an intact cursor of this version is a `BadCursor`. */
export const decodeCursor = (cursor: string): Effect.Effect<CursorContent, BadCursor> =>
  Effect.gen(function* () {
    if (cursor.length > MAX_CURSOR_LENGTH || !/^[A-Za-z0-9_-]+$/.test(cursor))
      return yield* bad("Malformed", "The export position is damaged; start the export again.")
    const json = textOfBase64Url(cursor)
    // Only the canonical encoding: a last character differing in the bits base64 leaves unused is damage too.
    if (json === undefined || base64UrlOfText(json) !== cursor)
      return yield* bad("Malformed", "The export position is damaged; start the export again.")
    const envelope = Schema.decodeUnknownEither(Envelope)(json)
    if (Either.isLeft(envelope)) {
      const probe = Schema.decodeUnknownEither(VersionProbe)(json)
      if (Either.isRight(probe) && probe.right.c.v !== 1)
        return yield* bad("Version", "This export was started by another version of the app; start it again.")
      return yield* bad("Malformed", "The export position is damaged; start the export again.")
    }
    const { c, sum } = envelope.right
    if (checksum(c) !== sum)
      return yield* bad("Checksum", "The export position was altered or corrupted; start the export again.")
    if (c.phase._tag === "fast" && Either.isLeft(decodeIds(c.phase.pending)))
      return yield* bad("Malformed", "The export position is damaged; start the export again.")
    return c
  })
