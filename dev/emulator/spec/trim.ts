/**
 * The copy of Atlassian's Jira Cloud platform OpenAPI document that the emulator's tests check its
 * answers against: only the operations the product calls or the emulator serves, and every schema
 * they reference, transitively. The whole document is 2.4 MB and describes some 420 paths; the copy
 * keeps the tests self-contained and the repository small.
 *
 * Refresh it from a newer Atlassian release (the document is published at
 * https://developer.atlassian.com/cloud/jira/platform/swagger-v3.v3.json):
 *
 *   npm run spec:trim -- FULL.json [--out FILE] [--date YYYY-MM-DD]
 *
 * A route added to the emulator needs its path and method in OPERATIONS first; a test fails until it is.
 */
import { createHash } from "node:crypto"
import { readFileSync, writeFileSync } from "node:fs"
import path from "node:path"
import { parseArgs } from "node:util"

export type Method = "get" | "post" | "put" | "delete" | "patch"

/** The one list of what is kept: path -> methods. Extend it here, then run `npm run spec:trim`. */
export const OPERATIONS: Readonly<Record<string, ReadonlyArray<Method>>> = {
  "/rest/api/3/myself": ["get"],
  "/rest/api/3/field": ["get"],
  "/rest/api/3/search/jql": ["get", "post"],
  "/rest/api/3/search/approximate-count": ["post"],
  "/rest/api/3/issue/bulkfetch": ["post"],
  "/rest/api/3/issue/{issueIdOrKey}": ["get"],
  "/rest/api/3/issue/{issueIdOrKey}/comment": ["get"],
  "/rest/api/3/issue/{issueIdOrKey}/worklog": ["get"],
  "/rest/api/3/issue/{issueIdOrKey}/changelog": ["get"],
  "/rest/api/3/changelog/bulkfetch": ["post"],
  "/rest/api/3/user": ["get"],
  "/rest/api/3/user/bulk": ["get"],
  "/rest/api/3/jql/parse": ["post"],
  "/rest/api/3/jql/autocompletedata": ["get"],
  "/rest/api/3/jql/autocompletedata/suggestions": ["get"],
  "/rest/api/3/status": ["get"],
  "/rest/api/3/statuses/search": ["get"],
  "/rest/api/3/filter/{id}": ["get"],
  "/rest/api/3/filter/{id}/columns": ["get"],
  "/rest/api/3/filter/search": ["get"],
  "/rest/api/3/filter/favourite": ["get"],
  "/rest/api/3/settings/columns": ["get"],
}

const METHODS: ReadonlyArray<string> = ["get", "post", "put", "delete", "patch", "head", "options", "trace"]
const SCHEMA_REF = "#/components/schemas/"
const DEFAULT_OUT = path.join(import.meta.dirname, "jira-platform-openapi.trimmed.json")

type Json = null | boolean | number | string | ReadonlyArray<Json> | { readonly [key: string]: Json }
type JsonObject = { readonly [key: string]: Json }

const isObject = (value: Json | undefined): value is JsonObject =>
  typeof value === "object" && value !== null && !Array.isArray(value)

const objectAt = (value: JsonObject, key: string, where: string): JsonObject => {
  const found = value[key]
  if (!isObject(found)) throw new Error(`The document has no object at ${where}.`)
  return found
}

/** Every `#/components/schemas/X` named anywhere inside `value`. */
const schemaRefs = (value: Json, into: Set<string>): Set<string> => {
  if (Array.isArray(value)) for (const item of value) schemaRefs(item, into)
  else if (isObject(value))
    for (const [key, inner] of Object.entries(value)) {
      if (key === "$ref" && typeof inner === "string") {
        if (!inner.startsWith(SCHEMA_REF)) throw new Error(`Unexpected $ref ${inner}: only schemas are kept.`)
        into.add(inner.slice(SCHEMA_REF.length))
      } else schemaRefs(inner, into)
    }
  return into
}

/** The closure of `roots` under `$ref` through `schemas`. */
const reachableSchemas = (roots: Set<string>, schemas: JsonObject): Array<string> => {
  const seen = new Set<string>()
  const pending = [...roots]
  for (let name = pending.pop(); name !== undefined; name = pending.pop()) {
    if (seen.has(name)) continue
    const schema = schemas[name]
    if (schema === undefined) throw new Error(`The schema ${name} is referenced but not defined.`)
    seen.add(name)
    pending.push(...schemaRefs(schema, new Set()))
  }
  return [...seen].sort()
}

export interface TrimOptions {
  /** The day the copy is made, `YYYY-MM-DD`. */
  readonly trimmedOn: string
  /** sha256 of the source file as downloaded, so a copy can be traced to its bytes. */
  readonly sourceSha256: string
}

/**
 * The document reduced to OPERATIONS and the schemas they reach, with `x-trimmed` saying from which
 * release and when. Throws when an operation or a referenced schema is missing, so a newer release that
 * renamed something is noticed here rather than in a puzzling test failure.
 */
export const trimSpec = (full: JsonObject, options: TrimOptions): JsonObject => {
  const info = objectAt(full, "info", "info")
  const sourcePaths = objectAt(full, "paths", "paths")
  const components = objectAt(full, "components", "components")
  const schemas = objectAt(components, "schemas", "components.schemas")
  const paths: Record<string, JsonObject> = {}
  for (const [template, methods] of Object.entries(OPERATIONS)) {
    const item = objectAt(sourcePaths, template, `paths["${template}"]`)
    const kept: Record<string, Json> = {}
    for (const [key, value] of Object.entries(item)) {
      const isMethod = METHODS.includes(key)
      if (!isMethod || methods.some((m) => m === key)) kept[key] = value
    }
    for (const method of methods) objectAt(item, method, `paths["${template}"].${method}`)
    paths[template] = kept
  }
  const names = reachableSchemas(schemaRefs(paths, new Set()), schemas)
  const keptSchemas: Record<string, Json> = {}
  for (const name of names) keptSchemas[name] = schemas[name] ?? null
  const { schemas: _all, ...otherComponents } = components
  const previous = full["x-trimmed"]
  const source = isObject(previous) ? previous.source : undefined
  return {
    openapi: full.openapi ?? null,
    info,
    servers: full.servers ?? [],
    "x-trimmed": {
      // A copy trimmed again (as the tests do) keeps naming the Atlassian release it came from.
      source: isObject(source)
        ? source
        : {
            publishedAt: "https://developer.atlassian.com/cloud/jira/platform/swagger-v3.v3.json",
            title: info.title ?? null,
            version: info.version ?? null,
            sha256: options.sourceSha256,
          },
      trimmedOn: options.trimmedOn,
      by: "npm run spec:trim (dev/emulator/spec/trim.ts)",
      operations: Object.values(OPERATIONS).reduce((n, methods) => n + methods.length, 0),
      schemas: names.length,
    },
    paths,
    components: { ...otherComponents, schemas: keptSchemas },
  }
}

const main = () => {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: { out: { type: "string", default: DEFAULT_OUT }, date: { type: "string" } },
  })
  const file = positionals[0]
  if (file === undefined || positionals.length > 1) {
    process.stderr.write("Usage: npm run spec:trim -- FULL.json [--out FILE] [--date YYYY-MM-DD]\n")
    process.exitCode = 2
    return
  }
  const bytes = readFileSync(file)
  const full: Json = JSON.parse(bytes.toString("utf8"))
  if (!isObject(full)) throw new Error(`${file} is not an OpenAPI document.`)
  const trimmed = trimSpec(full, {
    trimmedOn: values.date ?? new Date().toISOString().slice(0, 10),
    sourceSha256: createHash("sha256").update(bytes).digest("hex"),
  })
  const text = `${JSON.stringify(trimmed, null, 2)}\n`
  writeFileSync(values.out, text)
  const schemaCount = Object.keys(objectAt(objectAt(trimmed, "components", ""), "schemas", "")).length
  process.stdout.write(
    `wrote ${path.relative(process.cwd(), values.out)}: ${Object.keys(trimmed.paths ?? {}).length} paths, ` +
      `${schemaCount} schemas, ${text.length} bytes (source ${bytes.length} bytes)\n`,
  )
}

if (process.argv[1] !== undefined && path.resolve(process.argv[1]) === import.meta.filename) main()
