import { Effect } from "effect"
import { DEFAULT_COLUMNS, type FieldList, FieldsPayload } from "../contract.js"
import { listFields } from "../fields/columns.js"
import { JiraClient } from "../jira/JiraClient.js"
import { decodePayload } from "./payload.js"

/** `fields/list`: every column the user may pick (pseudo-columns, then Jira's fields) and the defaults. */
export const fieldsList = (payload: unknown) =>
  Effect.gen(function* () {
    yield* decodePayload(FieldsPayload)(payload)
    const fields = yield* JiraClient.fields()
    const result: FieldList = { fields: listFields(fields), defaults: DEFAULT_COLUMNS }
    return result
  }).pipe(Effect.withSpan("resolver.fields/list"))
