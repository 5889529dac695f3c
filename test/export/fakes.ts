/**
 * In-memory Jira and row format for pipeline tests: paging by token, bulkfetch in ascending id order
 * that silently omits deleted issues, truncated comment pages, seeded rate-limit chaos, and counts of
 * requests and peak requests in flight.
 */
import { Effect, Either } from "effect"
import type { ColumnInfo } from "../../src/contract.js"
import type { ExportIssue, ExportJiraShape, RowFormat } from "../../src/export/ports.js"
import { startExport } from "../../src/export/start.js"
import type { ChangeHistory } from "../../src/jira/changelogSchemas.js"
import { JiraError } from "../../src/jira/JiraError.js"

export interface FakeIssue {
  readonly id: string
  readonly key: string
  readonly summary: string
  readonly assignee: string | null
  readonly comments: number
}

export const makeIssues = (count: number, seed = 1): Array<FakeIssue> => {
  let state = seed
  const next = () => {
    state = (state * 1103515245 + 12345) % 2147483648
    return state
  }
  return Array.from({ length: count }, (_, i) => ({
    id: String(10000 + i * 3 + (next() % 3)),
    key: `P-${i + 1}`,
    summary: i % 7 === 0 ? `says "hi", then\nleaves ${i}` : `Issue ${i}`,
    assignee: i % 4 === 0 ? null : `user-${next() % 9}`,
    comments: next() % 30,
  }))
}

/** JQL of the fake: `mod N [desc]` keeps issues whose index is a multiple of N. */
export const referenceSearch = (issues: ReadonlyArray<FakeIssue>, jql: string): Array<FakeIssue> => {
  const match = /^mod (\d+)( desc)?$/.exec(jql)
  if (!match) return []
  const n = Number(match[1])
  const found = issues.filter((_, i) => i % n === 0)
  return match[2] ? found.reverse() : found
}

export interface FakeOptions {
  /** Probability that a request is answered RateLimited (seeded). */
  readonly rateLimitChance?: number
  readonly seed?: number
  /** Called before each bulkfetch: may delete issues mid-export. */
  readonly beforeBulkFetch?: (call: number) => void
  /** Simulated latency of each request, ms (uses the Effect clock). */
  readonly latencyMs?: number
  /** Short pages: the search returns fewer than asked. */
  readonly maxSearchPage?: number
  /**
   * Called for each request that carries a page token (n counts them): true makes Jira drop the
   * search, as when its token expires: that request and every token issued before get a 400.
   */
  readonly expireToken?: (n: number) => boolean
  /** Called before each changelog bulkfetch (n counts them): an error fails it; may delete issues. */
  readonly beforeChangelogs?: (n: number) => JiraError | undefined
}

export interface FakeJira {
  readonly jira: ExportJiraShape
  readonly issues: Array<FakeIssue>
  readonly deleted: Set<string>
  /** Drops every search, as a Jira restart or 7 days would: outstanding tokens get a 400. */
  readonly expireAll: () => void
  readonly stats: {
    requests: number
    peakInFlight: number
    inFlight: number
    byKind: Record<string, number>
    rateLimited: number
    expiredTokens: number
    /** The ids of each `changelog/bulkfetch`, in request order. */
    changelogRequests: Array<ReadonlyArray<string>>
  }
}

/** An issue's history in the fake: a few status changes, as many as its id modulo 4. */
export const fakeHistories = (id: string): ReadonlyArray<ChangeHistory> =>
  Array.from({ length: Number(id) % 4 }, (_, k) => ({
    id: `${id}-${k}`,
    created: `2024-01-0${k + 1}T00:00:00.000+0000`,
    items: [
      {
        field: "status",
        fieldId: "status",
        from: String(k),
        fromString: `S${k}`,
        to: String(k + 1),
        toString: `S${k + 1}`,
      },
    ],
  }))

/** What Jira says about a token it no longer accepts (docs/jira-cloud.md §5: a 400, kept as BadRequest). */
export const expiredTokenError = () =>
  new JiraError({
    reason: "BadRequest",
    status: 400,
    details: ["The nextPageToken is invalid or has expired; start the search again without one."],
    message: "Jira refused the request: The nextPageToken is invalid or has expired.",
  })

const toIssue = (issue: FakeIssue): ExportIssue => ({
  id: issue.id,
  key: issue.key,
  fields: {
    summary: issue.summary,
    assignee: issue.assignee === null ? null : { accountId: issue.assignee },
    comment: {
      comments: Array.from({ length: Math.min(issue.comments, 20) }, (_, i) => ({ id: String(i) })),
      total: issue.comments,
    },
  },
})

export const makeFakeJira = (issues: Array<FakeIssue>, options: FakeOptions = {}): FakeJira => {
  const deleted = new Set<string>()
  const stats = {
    requests: 0,
    peakInFlight: 0,
    inFlight: 0,
    byKind: {} as Record<string, number>,
    rateLimited: 0,
    expiredTokens: 0,
    changelogRequests: [] as Array<ReadonlyArray<string>>,
  }
  let random = options.seed ?? 7
  const roll = () => {
    random = (random * 1103515245 + 12345) % 2147483648
    return random / 2147483648
  }
  const live = (jql: string) => referenceSearch(issues, jql).filter((i) => !deleted.has(i.id))
  // Tokens are positions in the undeleted order, so a deletion does not shift later pages (like a
  // search-after key, not an offset).
  const all = (jql: string) => referenceSearch(issues, jql)
  const request = <A>(kind: string, answer: () => A): Effect.Effect<A, JiraError> =>
    Effect.gen(function* () {
      stats.requests++
      stats.byKind[kind] = (stats.byKind[kind] ?? 0) + 1
      stats.inFlight++
      stats.peakInFlight = Math.max(stats.peakInFlight, stats.inFlight)
      if (options.latencyMs) yield* Effect.sleep(options.latencyMs)
      if (options.rateLimitChance && roll() < options.rateLimitChance) {
        stats.rateLimited++
        return yield* Effect.fail(
          new JiraError({ reason: "RateLimited", message: "Jira asked us to slow down.", retryAfterMs: 50 }),
        )
      }
      return answer()
    }).pipe(Effect.ensuring(Effect.sync(() => stats.inFlight--)))
  // Tokens name the search generation they belong to; an expiry starts a new generation.
  let generation = 0
  let tokened = 0
  const page = (
    list: ReadonlyArray<FakeIssue>,
    max: number,
    token: string | undefined,
  ): Either.Either<
    { items: Array<FakeIssue>; nextPageToken: string | undefined; isLast: boolean },
    JiraError
  > => {
    const [, issuedIn, at] = token === undefined ? [] : token.split(":")
    if (token !== undefined) {
      if (Number(issuedIn) !== generation || options.expireToken?.(tokened++) === true) {
        generation += 1
        stats.expiredTokens++
        return Either.left(expiredTokenError())
      }
    }
    const start = token === undefined ? 0 : Number(at)
    const end = Math.min(start + max, list.length)
    const isLast = end >= list.length
    return Either.right({
      items: list.slice(start, end).filter((i) => !deleted.has(i.id)),
      nextPageToken: isLast ? undefined : `t:${generation}:${end}`,
      isLast,
    })
  }
  let bulkCalls = 0
  let changelogCalls = 0
  const changelogAnswer = (ids: ReadonlyArray<string>) =>
    request("changelogs", () => {
      stats.changelogRequests.push(ids)
      const known = new Set(issues.filter((i) => !deleted.has(i.id)).map((i) => i.id))
      // Issues without any history are absent, as in Jira's answer.
      return new Map(
        ids.flatMap((id) => {
          const histories = fakeHistories(id)
          return known.has(id) && histories.length > 0 ? [[id, histories] as const] : []
        }),
      )
    })
  const jira: ExportJiraShape = {
    rememberUsers: () => Effect.void,
    searchPage: (r) =>
      request("search", () =>
        page(all(r.jql), Math.min(r.maxResults, options.maxSearchPage ?? 100), r.nextPageToken),
      ).pipe(
        Effect.flatten,
        Effect.map((p) => ({
          issues: p.items.map(toIssue),
          nextPageToken: p.nextPageToken,
          isLast: p.isLast,
        })),
      ),
    searchIds: (r) =>
      request("ids", () => page(all(r.jql), Math.min(r.maxResults, 5000), r.nextPageToken)).pipe(
        Effect.flatten,
        Effect.map((p) => ({
          ids: p.items.map((i) => i.id),
          ...(r.withKeys === true ? { keys: p.items.map((i) => i.key) } : {}),
          nextPageToken: p.nextPageToken,
          isLast: p.isLast,
        })),
      ),
    bulkFetch: (r) =>
      Effect.suspend(() => {
        options.beforeBulkFetch?.(bulkCalls++)
        return request("bulk", () => {
          const wanted = new Set(r.ids)
          const found = issues
            .filter((i) => wanted.has(i.id) && !deleted.has(i.id))
            .sort((a, b) => Number(a.id) - Number(b.id))
          return { issues: found.map(toIssue), issueErrors: [] }
        })
      }),
    issueComments: (id) =>
      request("comments", () => {
        const issue = issues.find((i) => i.id === id)
        return Array.from({ length: issue?.comments ?? 0 }, (_, i) => ({ id: String(i) }))
      }),
    issueWorklogs: () => request("worklogs", () => []),
    changelogBulk: (r) =>
      Effect.suspend(() => {
        const failure = options.beforeChangelogs?.(changelogCalls++)
        return failure === undefined ? Effect.void : Effect.fail(failure)
      }).pipe(Effect.zipRight(changelogAnswer(r.ids))),
    approximateCount: (jql) => request("count", () => live(jql).length),
    resolveUsers: (ids) =>
      request("users", () => new Map(ids.map((id) => [id, { accountId: id, displayName: `Name of ${id}` }]))),
    withDeadline: (effect) => effect,
    quota: Effect.succeed({ nearLimit: false }),
  }
  const expireAll = () => {
    generation += 1
  }
  return { jira, issues, deleted, expireAll, stats }
}

const columns: ReadonlyArray<ColumnInfo> = [
  { id: "key", header: "Key", kind: "text" },
  { id: "summary", header: "Summary", kind: "text" },
  { id: "assignee", header: "Assignee", kind: "text" },
  { id: "comment", header: "Comments", kind: "number" },
]

const quote = (cell: string) => (/[",\n\r]/.test(cell) ? `"${cell.replaceAll('"', '""')}"` : cell)

const accountOf = (issue: ExportIssue): string | undefined => {
  const assignee = issue.fields?.assignee
  if (typeof assignee !== "object" || assignee === null) return undefined
  const id: unknown = Reflect.get(assignee, "accountId")
  return typeof id === "string" ? id : undefined
}

const commentCount = (issue: ExportIssue): number => {
  const page = issue.fields?.comment
  if (typeof page !== "object" || page === null) return 0
  const list: unknown = Reflect.get(page, "comments")
  return Array.isArray(list) ? list.length : 0
}

export const fakeFormat: RowFormat = {
  columns,
  fields: ["summary", "assignee", "comment"],
  needsComments: true,
  needsWorklogs: false,
  cellTexts: (row) => row,
  knownUsers: () => [],
  accountIds: (issue) => {
    const id = accountOf(issue)
    return id === undefined ? [] : [id]
  },
  formatRow: (issue, users) => {
    const id = accountOf(issue)
    const user = id === undefined ? undefined : users.get(id)
    return [
      issue.key ?? issue.id,
      String(issue.fields?.summary ?? ""),
      user?.displayName ?? "",
      String(commentCount(issue)),
    ]
  },
  header: "Key,Summary,Assignee,Comments\r\n",
  encodeRows: (rows) => ({
    text: rows.map((r) => `${r.map(quote).join(",")}\r\n`).join(""),
    truncatedCells: 0,
  }),
}

/** The fake's columns and the number of status changes, which only the changelog knows. */
export const historyFormat: RowFormat = {
  ...fakeFormat,
  columns: [...fakeFormat.columns, { id: "statusChanges", header: "Status changes", kind: "number" }],
  changelogFields: ["status"],
  formatRow: (issue, users) => [
    ...fakeFormat.formatRow(issue, users),
    issue.changelog === undefined ? "no changelog" : String(issue.changelog.histories.length),
  ],
  header: "Key,Summary,Assignee,Comments,Status changes\r\n",
}

export const expectedHistoryCsv = (issues: ReadonlyArray<FakeIssue>) =>
  referenceCsv(issues)
    .split("\r\n")
    .slice(0, -1)
    .map((line, i) => `${line},${fakeHistories(issues[i]?.id ?? "").length}\r\n`)
    .join("")

/** The CSV the fake format makes for `issues`, with no paging at all. */
export const referenceCsv = (issues: ReadonlyArray<FakeIssue>): string =>
  fakeFormat.encodeRows(
    issues.map((i) => [
      i.key,
      i.summary,
      i.assignee === null ? "" : `Name of ${i.assignee}`,
      String(i.comments),
    ]),
  ).text

/**
 * export/start of an export over the fake Jira: the planner gives `format` (default `fakeFormat`) and
 * the strategy asked for, so the start picks it as it would (the payload's columns only label it).
 */
export const beginFake = (
  fake: FakeJira,
  options: {
    readonly jql?: string
    readonly strategy?: "thrifty" | "fast"
    readonly format?: RowFormat
    readonly columns?: ReadonlyArray<string>
  } = {},
) =>
  startExport({
    jira: fake.jira,
    planner: () =>
      Effect.succeed({ format: options.format ?? fakeFormat, strategy: options.strategy ?? "fast" }),
    payload: {
      jql: options.jql ?? "mod 1",
      columns: [...(options.columns ?? ["key", "summary", "assignee", "comment"])],
    },
    timeZone: "UTC",
    siteUrl: "https://example.test",
    apiToken: true,
  })
