/**
 * One column of the file: what it reads and how its cells are written. Its own module because the
 * column model (columns.ts), the formatters and the history columns all speak of it, and the column
 * model imports the history columns.
 */
import type { FieldDetails } from "../jira/schemas.js"

export interface Column {
  /** What the user sent back: a field id or a pseudo-column id. */
  readonly id: string
  /** The Jira field id to request; null for pseudo-columns that need no field. */
  readonly fieldId: string | null
  readonly header: string
  /** `number` cells stay numbers (never quoted or guarded); `date`/`datetime` follow the date options. */
  readonly kind: "text" | "number" | "date" | "datetime"
  readonly field?: FieldDetails
}
