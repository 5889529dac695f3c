/**
 * How the command-line exporter reads: the engine's settings, with the requests in flight an API
 * token's traffic can keep (the Jira emulator's `cloud` profile caps a user at 10 in flight; its
 * benchmark figures are measured at that). The limiter gives a permit up on every 429, so a site that
 * allows fewer is met where it stands (src/export/limiter.ts). The Forge app keeps the default 8:
 * its calls share Forge's own per-invocation limits.
 */
import { defaultSettings, type PipelineSettings } from "../export/types.js"

export const cliSettings: PipelineSettings = { ...defaultSettings, requestConcurrency: 10 }
