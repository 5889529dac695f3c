import type { FilterSummary } from "../../../src/contract.js"
import type { PageModel } from "../models/PageModel.js"
import { useValue } from "../state/signal.js"

const groups = (filters: ReadonlyArray<FilterSummary>) =>
  [
    ["Starred", filters.filter((f) => f.starred)],
    ["Yours", filters.filter((f) => !f.starred && f.mine)],
    ["Shared with you", filters.filter((f) => !f.starred && !f.mine)],
  ] as const

/** The global page's saved-filter picker: fills the query box and offers the filter's own columns. */
const FilterPicker = ({ page }: { page: PageModel }) => {
  const state = useValue(page.start.filters)
  const offered = useValue(page.start.filterColumns)
  if (state.kind !== "ready" || state.filters.length === 0) return null
  const choose = (id: string) => {
    const filter = state.filters.find((f) => f.id === id)
    if (filter !== undefined) void page.useFilter(filter)
  }
  return (
    <div class="start-filters">
      <label>
        Saved filter{" "}
        <select class="select" data-testid="filter-picker" onChange={(e) => choose(e.currentTarget.value)}>
          <option value="">Choose a filter…</option>
          {groups(state.filters).map(([label, list]) =>
            list.length === 0 ? null : (
              <optgroup label={label} key={label}>
                {list.map((f) => (
                  <option value={f.id} key={f.id}>
                    {f.name}
                  </option>
                ))}
              </optgroup>
            ),
          )}
        </select>
      </label>
      {offered !== null && (
        <button
          type="button"
          class="button button-subtle"
          data-testid="use-filter-columns"
          onClick={() => {
            page.columns.useColumns(offered)
            page.start.dismissFilterColumns()
          }}
        >
          Use the filter's {offered.length} columns
        </button>
      )}
    </div>
  )
}

/** Where the export starts: the place Jira opened the page from, the selection, Close in a dialog. */
export const StartBar = ({ page }: { page: PageModel }) => {
  const point = useValue(page.start.point)
  const only = useValue(page.start.onlySelected)
  const askClose = useValue(page.start.askClose)
  const selected = point?.selectedKeys.length ?? 0
  return (
    <section class="start-bar" aria-label="Where the export starts">
      {point !== undefined && point.origin !== "global" && (
        <p class="muted" data-testid="origin">
          From: {point.label}
          {point.columns === null && point.origin === "navigator"
            ? " · columns: the app's defaults (Jira lets only administrators read your navigator columns)"
            : point.columns !== null
              ? " · columns as on screen"
              : ""}
        </p>
      )}
      {point?.notice !== undefined && (
        <p class="notice" role="status" data-testid="start-notice">
          {point.notice}
        </p>
      )}
      {selected > 0 && (
        <label class="start-selected">
          <input
            type="checkbox"
            data-testid="only-selected"
            checked={only}
            onChange={(e) => void page.setOnlySelected(e.currentTarget.checked)}
          />{" "}
          Only the {selected} selected {selected === 1 ? "issue" : "issues"}
        </label>
      )}
      {!page.start.fromPlace && <FilterPicker page={page} />}
      {page.start.modal && (
        <div class="start-close">
          {askClose ? (
            <div role="alertdialog" data-testid="close-confirm" class="notice">
              <p>An export is running; closing loses it.</p>
              <button type="button" class="button" onClick={() => page.start.keepOpen()}>
                Keep exporting
              </button>{" "}
              <button type="button" class="button button-subtle" onClick={() => void page.closeAnyway()}>
                Close anyway
              </button>
            </div>
          ) : (
            <button
              type="button"
              class="button button-subtle"
              data-testid="close"
              onClick={() => void page.requestClose()}
            >
              Close
            </button>
          )}
        </div>
      )}
    </section>
  )
}
