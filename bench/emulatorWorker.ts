/**
 * The emulator on its own thread of the benchmark process, so its CPU (generating and rendering
 * issues) does not run on the client's event loop and the client's figures measure the client.
 */
import { parentPort, workerData } from "node:worker_threads"
import { startEmulator } from "../dev/emulator/index.js"

const main = async () => {
  const emulator = await startEmulator(workerData)
  parentPort?.on(
    "message",
    async (message: { readonly id: number; readonly op: string; readonly args?: unknown }) => {
      const reply = (value: unknown) => parentPort?.postMessage({ id: message.id, value })
      if (message.op === "stats") reply(emulator.stats())
      else if (message.op === "resetStats") reply(emulator.resetStats())
      else if (message.op === "warm") {
        // Generate the lazy data set up front: Jira has its issues already, the emulator makes them on
        // first use, and that cost is not the client's.
        for (let i = 0; i < emulator.dataset.issueCount; i++) emulator.dataset.issueAt(i)
        reply(null)
      } else if (message.op === "referenceSearch")
        reply(emulator.referenceSearch(String(message.args), emulator.accounts.admin.accountId))
      else if (message.op === "close") {
        await emulator.close()
        reply(null)
      }
    },
  )
  parentPort?.postMessage({
    id: 0,
    value: {
      url: emulator.url,
      accounts: emulator.accounts,
      apiToken: emulator.apiToken,
      projects: emulator.dataset.projects.map((p) => p.key),
    },
  })
}

void main()
