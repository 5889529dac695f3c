/**
 * Validation of emulator responses against the official Jira Cloud OpenAPI document, through the
 * trimmed copy kept in the repository (dev/emulator/spec/, refreshed by `npm run spec:trim`). The spec
 * is loaded once; `$ref`s are resolved by ajv through one registered document.
 */
import { readFileSync } from "node:fs"
import path from "node:path"
import Ajv, { type ValidateFunction } from "ajv"
import addFormats from "ajv-formats"

/** The trimmed copy (this file is `<root>/test/support/`). */
export const openApiPath = (): string =>
  path.resolve(__dirname, "../../dev/emulator/spec/jira-platform-openapi.trimmed.json")

interface Operation {
  readonly responses: Record<string, { readonly content?: Record<string, { readonly schema?: unknown }> }>
}
interface Spec {
  readonly paths: Record<string, Record<string, Operation | unknown>>
  readonly components: { readonly schemas: Record<string, unknown> }
}

let loaded: { readonly spec: Spec; readonly ajv: Ajv } | undefined

const load = () => {
  if (loaded) return loaded
  const spec: Spec = JSON.parse(readFileSync(openApiPath(), "utf8"))
  // OpenAPI 3.0 schemas: `nullable`, `readOnly`, `xml`, `example` are annotations ajv must tolerate.
  const ajv = new Ajv({ strict: false, allErrors: true, validateFormats: true })
  addFormats(ajv)
  ajv.addKeyword({ keyword: "xml" })
  ajv.addKeyword({ keyword: "example" })
  ajv.addSchema(normalize({ components: spec.components }) as object, "jira")
  loaded = { spec, ajv }
  return loaded
}

/**
 * Points local `$ref`s at the registered document, and drops `additionalProperties: false` from
 * schemas that only combine others (`anyOf`/`oneOf`/`allOf` without `properties`, e.g.
 * JqlQueryClause): as written they would refuse every non-empty object, Jira's own responses included.
 */
const normalize = (schema: unknown): unknown => {
  if (Array.isArray(schema)) return schema.map(normalize)
  if (typeof schema !== "object" || schema === null) return schema
  const record = schema as Record<string, unknown>
  const combinesOnly =
    record.additionalProperties === false &&
    record.properties === undefined &&
    (record.anyOf !== undefined || record.oneOf !== undefined || record.allOf !== undefined)
  const out: Record<string, unknown> = {}
  for (const [k, v] of Object.entries(record)) {
    if (combinesOnly && k === "additionalProperties") continue
    out[k] = k === "$ref" && typeof v === "string" && v.startsWith("#/") ? `jira${v}` : normalize(v)
  }
  return out
}

const compiled = new Map<string, ValidateFunction>()

/** The schema of `operationId`'s response `status` (the JSON one), or undefined if the spec declares none. */
export const responseSchema = (operationId: string, status: number): unknown => {
  const { spec } = load()
  for (const methods of Object.values(spec.paths))
    for (const op of Object.values(methods)) {
      if (
        typeof op !== "object" ||
        op === null ||
        (op as { operationId?: unknown }).operationId !== operationId
      )
        continue
      const response = (op as Operation).responses[String(status)]
      const content = response?.content
      if (!content) return undefined
      return (content["application/json"] ?? Object.values(content)[0])?.schema
    }
  throw new Error(
    `No operation ${operationId} in the trimmed OpenAPI copy: add its path to OPERATIONS in dev/emulator/spec/trim.ts and run npm run spec:trim.`,
  )
}

const compile = (cacheKey: string, schema: unknown): ValidateFunction => {
  const hit = compiled.get(cacheKey)
  if (hit) return hit
  const fn = load().ajv.compile(normalize(schema) as object)
  compiled.set(cacheKey, fn)
  return fn
}

/** A validator for the response of `operationId` with `status`; 4xx without a spec schema use ErrorCollection. */
export const responseValidator = (operationId: string, status: number): ValidateFunction => {
  const schema = responseSchema(operationId, status)
  if (schema !== undefined) return compile(`${operationId} ${status}`, schema)
  if (status >= 400) return componentValidator("ErrorCollection")
  throw new Error(`${operationId} declares no JSON schema for ${status}.`)
}

export const componentValidator = (name: string): ValidateFunction =>
  compile(`#${name}`, { $ref: `#/components/schemas/${name}` })

/** Throws with ajv's messages when `body` does not match the response schema of the operation. */
export const expectMatchesSpec = (operationId: string, status: number, body: unknown): void => {
  const validate = responseValidator(operationId, status)
  if (!validate(body))
    throw new Error(
      `${operationId} ${status} response does not match the OpenAPI schema: ${load().ajv.errorsText(validate.errors)}`,
    )
}
