import type { ColumnInfo } from "../../../src/contract.js"
import { formatCount } from "../format.js"
import type { PageModel } from "../models/PageModel.js"
import type { PreviewTable as Table } from "../models/PreviewModel.js"
import { waitText } from "../models/retry.js"
import { useValue } from "../state/signal.js"
import { ErrorNotice } from "./ErrorNotice.js"

const isKeyColumn = (c: ColumnInfo | undefined) => c?.id === "key" || c?.id === "issuekey"

const Rows = ({ page, table }: { page: PageModel; table: Table }) => {
  const siteUrl = page.context.siteUrl
  return (
    <div class="table-wrap">
      <table class="preview" data-testid="preview-table">
        <caption class="sr-only">
          {table.request.options.history === undefined
            ? "First issues of the export, with the cells the CSV file will hold"
            : "First changes of the history export, with the cells the CSV file will hold"}
        </caption>
        <thead>
          <tr>
            {/* A jira-import file repeats a multi-value field's column, id and all: key by position. */}
            {table.columns.map((c, i) => (
              <th key={`${c.id}-${i}`} scope="col">
                {c.header}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {table.rows.map((row, r) => {
            const issueKey = table.issueKeys[r] ?? ""
            return (
              <tr key={`${issueKey}-${r}`}>
                {row.map((cell, c) => {
                  const column = table.columns[c]
                  return (
                    <td
                      key={`${column?.id ?? ""}-${c}`}
                      class={`cell-${column?.kind ?? "text"}`}
                      title={cell.length > 60 ? cell : undefined}
                    >
                      {isKeyColumn(column) && issueKey !== "" ? (
                        <a
                          href={`${siteUrl}/browse/${encodeURIComponent(issueKey)}`}
                          target="_blank"
                          rel="noreferrer"
                          onClick={(e) => {
                            // Inside the Forge iframe a plain link cannot open a tab; the bridge can.
                            e.preventDefault()
                            void page.backend.openIssue(issueKey)
                          }}
                        >
                          {cell}
                        </a>
                      ) : (
                        cell
                      )}
                    </td>
                  )
                })}
              </tr>
            )
          })}
        </tbody>
      </table>
    </div>
  )
}

/** A history preview has a row per change, so its rows count changes, and the issues they belong to. */
const describeHistory = (table: Table, locale: string): string => {
  const issues = new Set(table.issueKeys).size
  const total = table.approximateTotal
  if (table.rows.length === 0)
    return total === 0
      ? "No issues match this query."
      : table.nextPageToken === null
        ? "Change history: these issues have no changes to export."
        : "Change history: no changes on the first pages; load more to keep looking."
  const of =
    total === null ? "" : ` (the query matches about ${formatCount(Math.max(total, issues), locale)})`
  return `Change history: showing ${formatCount(table.rows.length, locale)} changes of ${formatCount(issues, locale)} issues${of}.`
}

/** The first page of results; "Load more" appends the next. */
export const PreviewPanel = ({ page }: { page: PageModel }) => {
  const state = useValue(page.preview.state)
  const locale = page.context.locale
  return (
    <section class="panel" aria-labelledby="preview-heading" aria-busy={state.kind === "loading"}>
      <h2 id="preview-heading">Preview</h2>
      {state.kind === "idle" && <p class="muted">Run a query to see its first issues here.</p>}
      {state.kind === "loading" && (
        <p class="muted" role="status" data-testid="preview-loading">
          Loading issues…
          {state.wait !== undefined && (
            <>
              {` ${waitText(state.wait)} `}
              <button type="button" class="button" onClick={() => page.preview.cancel()}>
                Cancel
              </button>
            </>
          )}
        </p>
      )}
      {state.kind === "failed" &&
        (state.error.tag === "InvalidJql" ? (
          // The query box says what is wrong; one message, where the query is.
          <p class="muted" data-testid="preview-invalid">
            Correct the query to see its issues.
          </p>
        ) : (
          <ErrorNotice
            error={state.error}
            testId="preview-error"
            action={{ label: "Try again", run: () => void page.search() }}
          />
        ))}
      {(state.kind === "ready" || state.kind === "moreFailed") && (
        <>
          <p class="preview-count" role="status" data-testid="preview-count">
            {state.table.request.options.history !== undefined
              ? describeHistory(state.table, locale)
              : state.table.rows.length === 0
                ? state.table.nextPageToken === null
                  ? "No issues match this query."
                  : "Jira has not returned any issues on the first pages; load more to keep looking."
                : state.table.approximateTotal === null
                  ? `Showing ${formatCount(state.table.rows.length, locale)} issues.`
                  : `Showing ${formatCount(state.table.rows.length, locale)} of about ${formatCount(Math.max(state.table.approximateTotal, state.table.rows.length), locale)} issues.`}
          </p>
          {state.table.rows.length > 0 && <Rows page={page} table={state.table} />}
          {state.kind === "moreFailed" && (
            <ErrorNotice
              error={state.error}
              action={{ label: "Try again", run: () => void page.preview.loadMore() }}
            />
          )}
          {state.kind === "ready" && state.table.nextPageToken !== null && (
            <button
              type="button"
              class="button"
              data-testid="load-more"
              disabled={state.loadingMore}
              onClick={() => void page.preview.loadMore()}
            >
              {state.loadingMore ? "Loading…" : "Load more"}
            </button>
          )}
          {state.kind === "ready" && state.wait !== undefined && (
            <p class="muted" role="status" data-testid="load-more-wait">
              {`${waitText(state.wait)} `}
              <button type="button" class="button" onClick={() => page.preview.cancel()}>
                Cancel
              </button>
            </p>
          )}
        </>
      )}
    </section>
  )
}
