/**
 * `context/start` and `filters/list`: where the page starts when Jira opened it from the issue
 * navigator, a board, a sprint or a project (the module's extension context, docs/forge.md §3), and
 * the saved filters the global page offers. Reads run as the user: a filter or board they may not see
 * fails with Jira's own sentence (docs/jira-cloud.md §11).
 */
import { Effect, ParseResult, Schema } from "effect"
import {
  ContextStartPayload,
  type FilterList,
  type FilterSummary,
  FiltersListPayload,
  IssueKey,
  MAX_JQL_LENGTH,
  MAX_LISTED_FILTERS,
  MAX_SELECTED_ISSUES,
  type StartingPoint,
} from "../contract.js"
import { splitQuery } from "../export/parallel/order.js"
import { JiraClient } from "../jira/JiraClient.js"
import { BadPayload, decodePayload } from "./payload.js"

/** Ids arrive as strings or numbers depending on the module; they travel on as digits. */
const Id = Schema.Union(
  Schema.String.pipe(Schema.pattern(/^[1-9][0-9]{0,17}$/)),
  Schema.Int.pipe(Schema.positive()),
).pipe(Schema.transform(Schema.String, { strict: true, decode: String, encode: (s) => s }))

const ProjectKey = Schema.String.pipe(Schema.pattern(/^[A-Za-z][A-Za-z0-9_]{0,254}$/))

/** The extension contexts we start from; everything else a module sends along is ignored. */
const Extension = Schema.Union(
  // Unbounded here (the payload's size bounds them): a longer query or selection is said, not refused.
  Schema.Struct({
    type: Schema.Literal("jira:issueNavigatorAction"),
    jql: Schema.optional(Schema.String),
    issueKeys: Schema.optional(Schema.Array(IssueKey)),
    filterId: Schema.optional(Schema.NullOr(Id)),
  }),
  Schema.Struct({ type: Schema.Literal("jira:boardAction"), board: Schema.Struct({ id: Id }) }),
  Schema.Struct({ type: Schema.Literal("jira:sprintAction"), sprint: Schema.Struct({ id: Id }) }),
  Schema.Struct({ type: Schema.Literal("jira:projectPage"), project: Schema.Struct({ key: ProjectKey }) }),
  Schema.Struct({ type: Schema.Literal("jira:globalPage") }),
)

const decodeExtension = (extension: unknown) =>
  Schema.decodeUnknown(Extension, { onExcessProperty: "ignore" })(extension).pipe(
    Effect.mapError(
      (error) =>
        new BadPayload({
          message:
            "Jira opened this page from a place the app does not know; open it from Apps → Issue Export.",
          // Only the first problem's place: the user needs the sentence, not the schema.
          details: ParseResult.ArrayFormatter.formatErrorSync(error)
            .slice(0, 1)
            .map((issue) => `at ${issue.path.join(".") || "extension"}`),
        }),
    ),
  )

const start = (
  point: Partial<StartingPoint> & Pick<StartingPoint, "origin" | "label" | "jql">,
): StartingPoint => ({
  selectedKeys: [],
  columns: null,
  filter: null,
  ...point,
})

/** A saved filter's JQL, name and own columns (none: null). */
const savedFilter = (filterId: string) =>
  Effect.all([JiraClient.filter(filterId), JiraClient.filterColumns(filterId)], { concurrency: 2 }).pipe(
    Effect.map(([filter, columns]) => ({
      filter,
      columns: columns === undefined || columns.length === 0 ? null : columns.map((c) => c.value),
    })),
  )

export const contextStart = (payload: unknown) =>
  Effect.gen(function* () {
    const input = yield* decodePayload(ContextStartPayload)(payload)
    const extension = yield* decodeExtension(input.extension)
    switch (extension.type) {
      case "jira:globalPage":
        return start({ origin: "global", label: "Issue Export", jql: "" })
      case "jira:issueNavigatorAction": {
        const ticked = [...new Set((extension.issueKeys ?? []).map((k) => k.toUpperCase()))]
        const jql = extension.jql
        const problem = navigatorProblem(ticked.length, jql?.length ?? 0)
        // More than the app exports: the whole query is offered instead of the selection.
        const selectedKeys = ticked.length > MAX_SELECTED_ISSUES ? [] : ticked
        const notice = problem === undefined ? {} : { notice: problem }
        const filterId = extension.filterId ?? undefined
        if (filterId === undefined)
          return start({
            origin: "navigator",
            label: "Issue navigator",
            jql: jql ?? "",
            selectedKeys,
            ...notice,
          })
        const { filter, columns } = yield* savedFilter(filterId)
        return start({
          origin: "navigator",
          label: `Filter ${filter.name}`,
          // The navigator's JQL may hold unsaved edits of the filter: it is what the user sees.
          jql: jql ?? filter.jql ?? "",
          selectedKeys,
          ...notice,
          columns,
          filter: { id: filter.id, name: filter.name },
        })
      }
      case "jira:boardAction": {
        const board = yield* JiraClient.boardConfiguration(extension.board.id)
        const { filter, columns } = yield* savedFilter(board.filter.id)
        const sub = board.subQuery?.query?.trim() ?? ""
        return start({
          origin: "board",
          label: `Board ${board.name}`,
          jql: sub === "" ? (filter.jql ?? "") : withSubQuery(filter.jql ?? "", sub),
          columns,
          filter: { id: filter.id, name: filter.name },
        })
      }
      case "jira:sprintAction": {
        const sprint = yield* JiraClient.sprint(extension.sprint.id)
        return start({
          origin: "sprint",
          label: `Sprint ${sprint.name}`,
          jql: `sprint = ${sprint.id} ORDER BY Rank ASC`,
        })
      }
      case "jira:projectPage": {
        const key = extension.project.key.toUpperCase()
        return start({ origin: "project", label: `Project ${key}`, jql: `project = ${key} ORDER BY key ASC` })
      }
    }
  }).pipe(Effect.withSpan("resolver.context/start"))

const count = (n: number) => n.toLocaleString("en-US")

/** What the navigator sent that the app cannot export as it is, in one sentence (none: undefined). */
export const navigatorProblem = (selected: number, jqlLength: number): string | undefined => {
  if (selected > MAX_SELECTED_ISSUES)
    return `You selected ${count(selected)} issues; the app exports at most ${count(MAX_SELECTED_ISSUES)} selected issues: export the whole query instead?`
  if (jqlLength > MAX_JQL_LENGTH)
    return `The navigator's query is ${count(jqlLength)} characters long; the app takes at most ${count(MAX_JQL_LENGTH)}: shorten it here to export it.`
  return undefined
}

/**
 * A kanban board's subquery narrows its filter: `(filter) AND (sub)`, keeping the filter's ORDER BY
 * (found by the JQL scanner, so an `order by` inside quotes is text).
 */
export const withSubQuery = (jql: string, sub: string): string => {
  const { where, orderBy } = splitQuery(jql)
  return `${where === "" ? `(${sub})` : `(${where}) AND (${sub})`}${orderBy === "" ? "" : ` ${orderBy}`}`
}

const rank = (f: FilterSummary) => (f.starred ? 0 : f.mine ? 1 : 2)

export const filtersList = (payload: unknown) =>
  Effect.gen(function* () {
    yield* decodePayload(FiltersListPayload)(payload)
    const [me, found] = yield* Effect.all(
      [JiraClient.myself(), JiraClient.filterSearch(MAX_LISTED_FILTERS)],
      {
        concurrency: 2,
      },
    )
    const filters = found
      .map(
        (f): FilterSummary => ({
          id: f.id,
          name: f.name,
          jql: f.jql ?? "",
          starred: f.favourite === true,
          mine: f.owner?.accountId === me.accountId,
          ownerName: f.owner?.displayName ?? null,
        }),
      )
      .sort((a, b) => rank(a) - rank(b) || a.name.localeCompare(b.name) || a.id.localeCompare(b.id))
    const result: FilterList = { filters }
    return result
  }).pipe(Effect.withSpan("resolver.filters/list"))
