/**
 * `jql/parse`, `jql/autocomplete`, `jql/suggestions`: the JQL editor's helpers, answered by Jira as
 * the user, with Jira's own wording.
 */
import { Effect } from "effect"
import {
  type JqlAutocomplete,
  JqlAutocompletePayload,
  JqlParsePayload,
  type JqlParseResult,
  type JqlProblem,
  type JqlSuggestions,
  JqlSuggestionsPayload,
} from "../contract.js"
import { JiraClient } from "../jira/JiraClient.js"
import { decodePayload } from "./payload.js"

const POSITION = /\(line (\d+), character (\d+)\)/

/** Jira's message, with the line and character it names ("… (line 1, character 9)"). */
export const jqlProblem = (message: string): JqlProblem => {
  const match = POSITION.exec(message)
  if (match === null) return { message }
  return { message, line: Number(match[1]), character: Number(match[2]) }
}

export const jqlParse = (payload: unknown) =>
  Effect.gen(function* () {
    const input = yield* decodePayload(JqlParsePayload)(payload)
    const [parsed] = yield* JiraClient.parseJql([input.jql])
    const errors = (parsed?.errors ?? []).map(jqlProblem)
    const result: JqlParseResult = {
      valid: errors.length === 0,
      errors,
      warnings: (parsed?.warnings ?? []).map(jqlProblem),
    }
    return result
  }).pipe(Effect.withSpan("resolver.jql/parse"))

export const jqlAutocomplete = (payload: unknown) =>
  Effect.gen(function* () {
    yield* decodePayload(JqlAutocompletePayload)(payload)
    const data = yield* JiraClient.autocompleteData()
    const result: JqlAutocomplete = {
      fields: data.visibleFieldNames.map((f) => ({
        value: f.value,
        displayName: f.displayName,
        operators: f.operators,
        types: f.types,
      })),
      functions: data.visibleFunctionNames.map((f) => ({ value: f.value, displayName: f.displayName })),
      reservedWords: data.jqlReservedWords,
    }
    return result
  }).pipe(Effect.withSpan("resolver.jql/autocomplete"))

export const jqlSuggestions = (payload: unknown) =>
  Effect.gen(function* () {
    const input = yield* decodePayload(JqlSuggestionsPayload)(payload)
    const results = yield* JiraClient.autocompleteSuggestions(input)
    const result: JqlSuggestions = { results }
    return result
  }).pipe(Effect.withSpan("resolver.jql/suggestions"))
