/**
 * How exports run through the resolvers of this process: the per-call budgets of `export/next` (the
 * Forge chunk runner, chunk.ts), the engine's page sizes
 * and bounds, and whether reads use an API token (exempt from Jira's points quota, so `auto` goes fast).
 */
import { Effect, Layer } from "effect"
import { defaultSettings, type PipelineSettings } from "../export/types.js"
import { type ChunkBudget, defaultBudget } from "./chunk.js"

export interface ExportConfigShape {
  readonly budget: ChunkBudget
  readonly settings: PipelineSettings
  readonly apiToken: boolean
}

/** The export settings of this process; `layerForge` for the Forge app, `layer(config)` elsewhere. */
export class ExportConfig extends Effect.Tag("ExportConfig")<ExportConfig, ExportConfigShape>() {
  /** Forge: app traffic (points quota applies), Forge's 25 s / 5 MB limits. */
  static readonly layerForge: Layer.Layer<ExportConfig> = Layer.succeed(ExportConfig, {
    budget: defaultBudget,
    settings: defaultSettings,
    apiToken: false,
  })
  static readonly layer = (config: Partial<ExportConfigShape>): Layer.Layer<ExportConfig> =>
    Layer.succeed(ExportConfig, {
      budget: config.budget ?? defaultBudget,
      settings: config.settings ?? defaultSettings,
      apiToken: config.apiToken ?? false,
    })
}
