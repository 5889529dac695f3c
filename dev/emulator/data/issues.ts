/**
 * Lazy issue generation. Everything about issue `index` is a pure function of (seed, index): a cheap
 * core (issue-core.ts) and, per field, its own random stream, so one field can be computed without
 * the others (`field`) and the JQL engine can index a 200,000-issue data set without building
 * 200,000 full issues. The value generators are tables: system-fields.ts and custom-fields.ts.
 */
import { commentsOf, worklogsOf } from "./activity.js"
import { CUSTOM_FIELDS } from "./custom-fields.js"
import { ISSUE_FIELD_IDS } from "./fields.js"
import type { Core } from "./issue-core.js"
import { type FieldValue, type GeneratorContext, type Json, type Memo, Site } from "./site.js"
import { SITE_DEPENDENT_FIELDS } from "./site-fields.js"
import { SYSTEM_FIELDS } from "./system-fields.js"

const VALUES: ReadonlyMap<string, FieldValue> = new Map([
  ...SYSTEM_FIELDS,
  ...CUSTOM_FIELDS,
  ...SITE_DEPENDENT_FIELDS,
])
/** The catalogue's fields in order with their generators, so a whole issue needs no lookups. */
const EVERY_FIELD: ReadonlyArray<readonly [string, FieldValue | undefined]> = ISSUE_FIELD_IDS.map((id) => [
  id,
  VALUES.get(id),
])

export class IssueGenerator {
  private readonly site: Site

  constructor(ctx: GeneratorContext) {
    this.site = new Site(ctx)
  }

  get projectsJson(): ReadonlyArray<Json> {
    return this.site.projectJson
  }

  core(index: number): Core {
    return this.site.core(index)
  }

  /** Every comment of the issue (the `comment` field embeds the first page only). */
  commentsOf(core: Core): ReadonlyArray<Json> {
    return commentsOf(this.site, core)
  }

  /** Every worklog of the issue (the `worklog` field embeds the first page only). */
  worklogsOf(core: Core): ReadonlyArray<Json> {
    return worklogsOf(this.site, core)
  }

  /**
   * One field's REST v3 value for the issue (null where empty or unknown). Pass one `memo` for the
   * fields of one issue: time tracking and the worklog field then share one worklog list.
   */
  field(core: Core, id: string, memo: Memo = {}): unknown {
    const value = VALUES.get(id)
    return value === undefined ? null : value(this.site, core, id, memo)
  }

  /** Every field of the issue, in catalogue order. */
  fields(core: Core): Json {
    const memo: Memo = {}
    const out: Json = {}
    for (const [id, value] of EVERY_FIELD)
      out[id] = value === undefined ? null : value(this.site, core, id, memo)
    return out
  }
}
