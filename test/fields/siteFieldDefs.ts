/** Field definitions of the site-dependent fields, as Jira Cloud's `/field` gives their schemas. */
import { Either } from "effect"
import type { Column } from "../../src/fields/column.js"
import { resolveColumns } from "../../src/fields/columns.js"
import type { FieldDetails } from "../../src/jira/schemas.js"

const custom = (id: string, name: string, type: string, key: string): FieldDetails => ({
  id,
  name,
  custom: true,
  schema: { type, custom: key, customId: Number(id.replace("customfield_", "")) },
})

/** The site-dependent fields, with the schemas Jira Cloud gives them in `/field`. */
export const SITE_FIELDS: ReadonlyArray<FieldDetails> = [
  custom("customfield_10018", "Parent Link", "any", "com.atlassian.jpo:jpo-custom-field-parent"),
  custom(
    "customfield_10030",
    "Time to resolution",
    "sd-servicelevelagreement",
    "com.atlassian.servicedesk:sd-sla-field",
  ),
  custom(
    "customfield_10000",
    "Development",
    "any",
    "com.atlassian.jira.plugins.jira-development-integration-plugin:devsummarycf",
  ),
  custom("customfield_10012", "Epic Colour", "string", "com.pyxis.greenhopper.jira:gh-epic-color"),
  custom("customfield_10017", "Issue color", "string", "com.pyxis.greenhopper.jira:jsw-issue-color"),
  custom(
    "customfield_10025",
    "[CHART] Time in Status",
    "any",
    "com.atlassian.jira.ext.charting:timeinstatus",
  ),
  {
    id: "issuerestriction",
    name: "Restrict to",
    custom: false,
    schema: { type: "issuerestriction", system: "issuerestriction" },
  },
]

export const columnsOf = (
  all: ReadonlyArray<FieldDetails>,
  ids: ReadonlyArray<string>,
): ReadonlyArray<Column> => {
  const resolved = resolveColumns(all, ids)
  if (Either.isLeft(resolved)) throw new Error(resolved.left.message)
  return resolved.right
}
