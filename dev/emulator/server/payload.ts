/**
 * Strict request-body checking, like the Jackson beans behind Jira's POST endpoints: an unknown property
 * or a wrongly typed one is a 400 (docs/jira-cloud.md §1.1, §1.7, §1.8).
 */

export type PropertyType = "string" | "integer" | "boolean" | "strings" | "integers"

export type BeanShape = Readonly<Record<string, PropertyType>>

export const INVALID_PAYLOAD = "Invalid request payload. Refer to the REST API documentation and try again."

const fits = (type: PropertyType, value: unknown): boolean => {
  switch (type) {
    case "string":
      return typeof value === "string"
    case "integer":
      return typeof value === "number" && Number.isInteger(value)
    case "boolean":
      return typeof value === "boolean"
    case "strings":
      return Array.isArray(value) && value.every((v) => typeof v === "string")
    case "integers":
      return Array.isArray(value) && value.every((v) => typeof v === "number" && Number.isInteger(v))
  }
}

/** The body as a record when it matches `shape`; otherwise the Jira error message to send with a 400. */
export const checkBean = (
  body: unknown,
  shape: BeanShape,
  beanClass: string,
):
  | { readonly ok: true; readonly value: Readonly<Record<string, unknown>> }
  | { readonly ok: false; readonly message: string } => {
  if (typeof body !== "object" || body === null || Array.isArray(body))
    return { ok: false, message: INVALID_PAYLOAD }
  const record = body as Record<string, unknown>
  for (const [key, value] of Object.entries(record)) {
    const type = shape[key]
    if (type === undefined)
      return {
        ok: false,
        message: `Unrecognized field "${key}" (class ${beanClass}), not marked as ignorable`,
      }
    // Jackson maps null onto any property (as "not given"); only non-null values must fit the type.
    if (value !== null && !fits(type, value)) return { ok: false, message: INVALID_PAYLOAD }
  }
  return { ok: true, value: record }
}

export const stringOf = (record: Readonly<Record<string, unknown>>, key: string): string | undefined => {
  const v = record[key]
  return typeof v === "string" ? v : undefined
}

export const stringsOf = (record: Readonly<Record<string, unknown>>, key: string): ReadonlyArray<string> => {
  const v = record[key]
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === "string") : []
}
