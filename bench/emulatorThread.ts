/**
 * The emulator as the benchmark sees it: on a worker thread of the benchmark process (bench/
 * emulatorWorker.ts), reached by messages and HTTP, so its CPU does not run on the client's loop.
 */
import * as path from "node:path"
import { Worker } from "node:worker_threads"
import type { EmulatorAccount, EmulatorStats } from "../dev/emulator/index.js"

export interface BenchEmulator {
  readonly url: string
  readonly accounts: { readonly admin: EmulatorAccount }
  readonly apiToken: string
  readonly projects: ReadonlyArray<string>
  readonly stats: () => Promise<EmulatorStats>
  readonly resetStats: () => Promise<void>
  readonly warm: () => Promise<void>
  readonly close: () => Promise<void>
}

/** Starts the emulator in a worker thread of this process. */
export const startEmulatorThread = (options: {
  readonly issues: number
  readonly profile: "cloud" | "instant"
}) =>
  new Promise<BenchEmulator>((resolve, reject) => {
    const file = path.join(import.meta.dirname ?? __dirname, "emulatorWorker.ts")
    const worker = new Worker(`require("tsx/cjs/api").register(); require(${JSON.stringify(file)})`, {
      eval: true,
      workerData: { issues: options.issues, seed: 1, profile: options.profile },
    })
    const waiting = new Map<number, (value: unknown) => void>()
    let next = 1
    const ask = (op: string) =>
      new Promise<unknown>((done) => {
        const id = next++
        waiting.set(id, done)
        worker.postMessage({ id, op })
      })
    worker.on("error", reject)
    worker.on("message", (message: { readonly id: number; readonly value: unknown }) => {
      if (message.id === 0) {
        const v = message.value as Omit<BenchEmulator, "stats" | "resetStats" | "warm" | "close">
        resolve({
          ...v,
          stats: () => ask("stats") as Promise<EmulatorStats>,
          resetStats: async () => {
            await ask("resetStats")
          },
          warm: async () => {
            await ask("warm")
          },
          close: async () => {
            await ask("close")
            await worker.terminate()
          },
        })
        return
      }
      waiting.get(message.id)?.(message.value)
      waiting.delete(message.id)
    })
  })

/** Every issue of the data set, in the given order (Jira's `ORDER BY` clause without the keywords). */
export const queryOf = (emulator: { readonly projects: ReadonlyArray<string> }, order = "key ASC") =>
  `project in (${emulator.projects.join(", ")}) ORDER BY ${order}`
