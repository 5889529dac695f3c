/** A dev script started on a port something else already listens on: what it exits with and says. */
import { spawn } from "node:child_process"
import { createServer } from "node:net"
import path from "node:path"

const root = path.resolve(__dirname, "../..")
const tsx = path.join(root, "node_modules/.bin/tsx")

/** Runs `script` (from the repository root, through tsx) with `--port` on a busy port and `args`. */
export const onBusyPort = async (
  script: string,
  args: ReadonlyArray<string>,
): Promise<{ readonly port: number; readonly code: number | null; readonly stderr: string }> => {
  const busy = createServer()
  await new Promise<void>((done) => busy.listen(0, "127.0.0.1", done))
  const address = busy.address()
  const port = typeof address === "object" && address !== null ? address.port : 0
  try {
    const run = await new Promise<{ code: number | null; stderr: string }>((done, fail) => {
      const child = spawn(tsx, [script, "--port", String(port), ...args], {
        cwd: root,
        stdio: ["ignore", "ignore", "pipe"],
      })
      let stderr = ""
      child.stderr.on("data", (d) => {
        stderr += String(d)
      })
      child.on("error", fail)
      child.on("close", (code) => done({ code, stderr }))
    })
    return { port, ...run }
  } finally {
    await new Promise<void>((done) => busy.close(() => done()))
  }
}
