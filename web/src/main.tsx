import { invoke, view } from "@forge/bridge"
import { render } from "preact"
import { useEffect, useState } from "preact/hooks"
import type { Result, Whoami } from "../../src/contract.js"
import "./theme.css"

const App = () => {
  const [me, setMe] = useState<Result<Whoami> | undefined>(undefined)
  useEffect(() => {
    invoke<Result<Whoami>>("session/whoami", {}).then(
      (r) => setMe(r as Result<Whoami>),
      (e: unknown) => setMe({ ok: false, error: { tag: "Transport", message: String(e) } }),
    )
  }, [])
  if (me === undefined) return <p>Loading…</p>
  if (!me.ok) return <p role="alert">{me.error.message}</p>
  return <p data-testid="whoami">Signed in as {me.value.displayName}</p>
}

view.theme.enable().catch(() => undefined)
const root = document.getElementById("root")
if (root) render(<App />, root)
