/**
 * House rules that @forge/manifest's schema validation does not check (and `forge lint`, which does
 * check the first, needs an Atlassian login):
 * - no `timeoutSeconds` on a function that a UI module calls (Forge's FunctionTimeoutLinter: "Only
 *   consumer and scheduledTrigger functions support custom timeouts");
 * - no `permissions.external` (nothing leaves Atlassian).
 */
type Loose = { readonly [key: string]: unknown }

const isObject = (value: unknown): value is Loose => typeof value === "object" && value !== null

const asArray = (value: unknown): ReadonlyArray<unknown> => (Array.isArray(value) ? value : [])

export const manifestRuleViolations = (manifest: unknown): ReadonlyArray<string> => {
  const problems: string[] = []
  if (!isObject(manifest)) return ["The manifest is not a YAML mapping."]
  const modules = isObject(manifest.modules) ? manifest.modules : {}
  const functions = asArray(modules.function).filter(isObject)
  const timed = new Map(
    functions.filter((f) => f.timeoutSeconds !== undefined).map((f) => [String(f.key), f.timeoutSeconds]),
  )
  for (const [moduleType, entries] of Object.entries(modules)) {
    if (moduleType === "function" || moduleType === "consumer" || moduleType === "scheduledTrigger") continue
    for (const entry of asArray(entries).filter(isObject)) {
      const resolver = isObject(entry.resolver) ? entry.resolver.function : undefined
      const direct = entry.function
      for (const key of [resolver, direct]) {
        if (typeof key === "string" && timed.has(key))
          problems.push(
            `Function "${key}" has timeoutSeconds but is called by ${moduleType} "${String(entry.key)}"; Forge rejects that.`,
          )
      }
    }
  }
  const permissions = isObject(manifest.permissions) ? manifest.permissions : {}
  if (permissions.external !== undefined)
    problems.push("permissions.external is present; the app promises that nothing leaves Atlassian.")
  return problems
}
