import { useEffect, useRef, useState } from "preact/hooks"
import { fieldTypeWord } from "../../../src/contract/constants.js"
import type { ColumnsModel } from "../models/ColumnsModel.js"
import { useValue } from "../state/signal.js"

/** The field's type in Jira's words; Jira's own label in the tooltip. */
const TypeBadge = ({ type }: { type: string }) => (
  <span class="lozenge" title={type}>
    {fieldTypeWord(type)}
  </span>
)

/**
 * Two lists: the fields that can be added (with search) and the chosen columns in file order. Columns
 * are reordered by dragging, with the arrow buttons, or from the keyboard (Alt+↑/↓ on a column; Delete
 * removes it). Every move is announced to screen readers.
 */
export const ColumnPicker = ({ model, ignored = false }: { model: ColumnsModel; ignored?: boolean }) => {
  const available = useValue(model.available)
  const selected = useValue(model.selectedFields)
  const search = useValue(model.search)
  const [announcement, setAnnouncement] = useState("")
  const [dragFrom, setDragFrom] = useState<number | undefined>(undefined)
  const [dropAt, setDropAt] = useState<number | undefined>(undefined)
  const focusAfter = useRef<string | undefined>(undefined)
  const list = useRef<HTMLOListElement>(null)

  // Keyboard moves re-render the list; keep the focus on the column that moved.
  useEffect(() => {
    const id = focusAfter.current
    if (id === undefined) return
    focusAfter.current = undefined
    list.current?.querySelector<HTMLElement>(`[data-column="${CSS.escape(id)}"] .grip`)?.focus()
  })

  const move = (from: number, to: number, keepFocus: boolean) => {
    const field = selected[from]
    if (field === undefined || to < 0 || to >= selected.length || to === from) return
    model.move(from, to)
    if (keepFocus) focusAfter.current = field.id
    setAnnouncement(`${field.name} moved to position ${to + 1} of ${selected.length}.`)
  }
  const remove = (index: number) => {
    const field = selected[index]
    if (field === undefined) return
    model.remove(field.id)
    const next = selected[index + 1] ?? selected[index - 1]
    if (next !== undefined) focusAfter.current = next.id
    setAnnouncement(`${field.name} removed from the columns.`)
  }

  return (
    <section class="panel" aria-labelledby="columns-heading">
      <h2 id="columns-heading">Columns</h2>
      {ignored && (
        <p class="muted" data-testid="columns-ignored">
          A change history has its own columns (Issue key, Date, Author, Field, From, To); these apply to
          issue exports.
        </p>
      )}
      <fieldset class="columns-ignored" disabled={ignored}>
        <div class="columns">
          <div class="columns-pane">
            <label class="field-label" for="column-search">
              Find fields
            </label>
            <input
              id="column-search"
              type="search"
              class="text-input"
              placeholder="Name, id or type"
              value={search}
              onInput={(e) => model.setSearch(e.currentTarget.value)}
            />
            <ul class="field-list" aria-label="Fields you can add" data-testid="available-fields">
              {available.length === 0 && <li class="muted">No fields match.</li>}
              {available.map((f) => (
                <li key={f.id} class="field-row">
                  <span class="field-name" title={f.id}>
                    {f.name}
                  </span>
                  <TypeBadge type={f.type} />
                  {f.custom && <span class="lozenge lozenge-custom">custom</span>}
                  {f.help !== undefined && <span class="field-help">{f.help}</span>}
                  <button
                    type="button"
                    class="button button-small"
                    aria-label={`Add ${f.name}`}
                    onClick={() => {
                      model.add(f.id)
                      setAnnouncement(`${f.name} added as column ${selected.length + 1}.`)
                    }}
                  >
                    Add
                  </button>
                </li>
              ))}
            </ul>
          </div>
          <div class="columns-pane">
            <p class="field-label" id="selected-label">
              Columns in the file, in order
            </p>
            <ol
              ref={list}
              class="field-list selected-list"
              aria-labelledby="selected-label"
              aria-describedby="reorder-help"
              data-testid="selected-columns"
            >
              {selected.length === 0 && <li class="muted">No columns chosen yet.</li>}
              {selected.map((f, i) => (
                <li
                  key={f.id}
                  data-column={f.id}
                  class={`field-row selected-row${dropAt === i && dragFrom !== i ? " drop-target" : ""}`}
                  draggable
                  onDragStart={(e) => {
                    setDragFrom(i)
                    e.dataTransfer?.setData("text/plain", f.id)
                    if (e.dataTransfer) e.dataTransfer.effectAllowed = "move"
                  }}
                  onDragOver={(e) => {
                    e.preventDefault()
                    setDropAt(i)
                  }}
                  onDrop={(e) => {
                    e.preventDefault()
                    if (dragFrom !== undefined) move(dragFrom, i, false)
                    setDragFrom(undefined)
                    setDropAt(undefined)
                  }}
                  onDragEnd={() => {
                    setDragFrom(undefined)
                    setDropAt(undefined)
                  }}
                >
                  <button
                    type="button"
                    class="grip button-subtle"
                    aria-label={`${f.name}, column ${i + 1} of ${selected.length}. Press Alt+↑ or Alt+↓ to move it.`}
                    aria-keyshortcuts="Alt+ArrowUp Alt+ArrowDown Delete"
                    onKeyDown={(e) => {
                      if (e.altKey && (e.key === "ArrowUp" || e.key === "ArrowDown")) {
                        e.preventDefault()
                        move(i, e.key === "ArrowUp" ? i - 1 : i + 1, true)
                      } else if (e.key === "Delete" || e.key === "Backspace") {
                        e.preventDefault()
                        remove(i)
                      }
                    }}
                  >
                    ⠿
                  </button>
                  <span class="field-name" title={f.id}>
                    {f.name}
                  </span>
                  <TypeBadge type={f.type} />
                  <span class="row-buttons">
                    <button
                      type="button"
                      class="button button-small button-subtle"
                      aria-label={`Move ${f.name} up`}
                      disabled={i === 0}
                      onClick={() => move(i, i - 1, false)}
                    >
                      ↑
                    </button>
                    <button
                      type="button"
                      class="button button-small button-subtle"
                      aria-label={`Move ${f.name} down`}
                      disabled={i === selected.length - 1}
                      onClick={() => move(i, i + 1, false)}
                    >
                      ↓
                    </button>
                    <button
                      type="button"
                      class="button button-small button-subtle"
                      aria-label={`Remove ${f.name}`}
                      onClick={() => remove(i)}
                    >
                      ✕
                    </button>
                  </span>
                </li>
              ))}
            </ol>
            <p id="reorder-help" class="help">
              Drag to reorder, or focus a column and press Alt+↑ or Alt+↓. Delete removes it.
            </p>
            <button type="button" class="button button-subtle" onClick={() => model.resetToDefaults()}>
              Restore default columns
            </button>
          </div>
        </div>
      </fieldset>
      <p class="sr-only" aria-live="polite">
        {announcement}
      </p>
    </section>
  )
}
