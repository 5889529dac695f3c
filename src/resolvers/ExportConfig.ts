/**
 * How exports run through the resolvers of this process: the per-call budgets of `export/next` (the
 * Forge chunk runner, chunk.ts), the engine's page sizes and bounds, whether reads use an API token
 * (exempt from Jira's points quota, so `auto` goes fast), and the steward of the app's shared points
 * pool (src/export/steward.ts; on for the Forge app: exports leave the pool's last 20% to interactive
 * calls and spend at most 25% of it per installation and window).
 */
import { Effect, Layer } from "effect"
import { defaultSteward, type StewardSettings } from "../export/steward.js"
import { defaultSettings, type PipelineSettings } from "../export/types.js"
import { type ChunkBudget, defaultBudget } from "./chunk.js"

export interface ExportConfigShape {
  readonly budget: ChunkBudget
  readonly settings: PipelineSettings
  readonly apiToken: boolean
  /** The shared-pool steward's figures; null: off (API-token traffic needs none). */
  readonly steward: StewardSettings | null
}

/** The export settings of this process; `layerForge` for the Forge app, `layer(config)` elsewhere. */
export class ExportConfig extends Effect.Tag("ExportConfig")<ExportConfig, ExportConfigShape>() {
  /** Forge: app traffic (points quota applies), Forge's 25 s / 5 MB limits. */
  static readonly layerForge: Layer.Layer<ExportConfig> = Layer.succeed(ExportConfig, {
    budget: defaultBudget,
    settings: defaultSettings,
    apiToken: false,
    steward: defaultSteward,
  })
  static readonly layer = (config: Partial<ExportConfigShape>): Layer.Layer<ExportConfig> =>
    Layer.succeed(ExportConfig, {
      budget: config.budget ?? defaultBudget,
      settings: config.settings ?? defaultSettings,
      apiToken: config.apiToken ?? false,
      steward: config.steward ?? null,
    })
}
