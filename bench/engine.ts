/** Exports through the engine in this process (the code the app and the CLI run), text counted and dropped. */
import { Effect, Layer, ManagedRuntime, Stream } from "effect"
import { httpJira } from "../src/cli/jiraLayer.js"
import { DEFAULT_COLUMNS } from "../src/contract/constants.js"
import { ExportJira } from "../src/export/ExportJira.js"
import { exportStream } from "../src/export/engine.js"
import { livePlanner, timeZoneFor } from "../src/export/planner.js"
import { startExport } from "../src/export/start.js"
import type { PipelineSettings } from "../src/export/types.js"
import { listFields } from "../src/fields/columns.js"
import { JiraClient } from "../src/jira/JiraClient.js"
import { ExportConfig } from "../src/resolvers/ExportConfig.js"
import { type BenchEmulator, queryOf } from "./emulatorThread.js"
import { figures, type RunFigures } from "./figures.js"

export const COLUMN_COUNT = 30

const jiraOf = (emulator: BenchEmulator) =>
  httpJira({ baseUrl: emulator.url, email: emulator.accounts.admin.email, apiToken: emulator.apiToken })

/** The 30 columns: the app's defaults, then the other fields in `/field` order (no pseudo-columns). */
export const pickColumns = async (emulator: BenchEmulator): Promise<Array<string>> => {
  const fields = await Effect.runPromise(JiraClient.fields().pipe(Effect.provide(jiraOf(emulator))))
  const ids = new Set<string>(DEFAULT_COLUMNS)
  const known = new Set(fields.map((f) => f.id))
  for (const info of listFields(fields)) {
    if (ids.size >= COLUMN_COUNT) break
    if (known.has(info.id)) ids.add(info.id)
  }
  return [...ids]
}

/** One export of every issue in `order` (default `key ASC`) through the engine. */
export const engineRun = async (
  emulator: BenchEmulator,
  columns: ReadonlyArray<string>,
  strategy: "thrifty" | "fast",
  settings: PipelineSettings,
  order?: string,
): Promise<RunFigures> => {
  const runtime = ManagedRuntime.make(
    Layer.mergeAll(jiraOf(emulator), ExportConfig.layer({ apiToken: true, settings })),
  )
  await emulator.resetStats()
  const started = performance.now()
  const result = await runtime.runPromise(
    Effect.gen(function* () {
      const jira = yield* ExportJira
      const begun = yield* startExport({
        jira,
        planner: livePlanner,
        payload: { jql: queryOf(emulator, order), columns, options: { strategy, preset: "data" } },
        timeZone: yield* timeZoneFor(undefined),
        siteUrl: emulator.url,
        apiToken: true,
      })
      let bytes = begun.header.length
      let issues = 0
      yield* exportStream({ jira, format: begun.format, content: begun.content, settings }).pipe(
        Stream.runForEach(({ text, counters }) =>
          Effect.sync(() => {
            bytes += text.length
            issues = counters.done
          }),
        ),
      )
      return { bytes, issues }
    }),
  )
  const wallMs = performance.now() - started
  await runtime.dispose()
  return figures(emulator, wallMs, result.issues, result.bytes)
}
