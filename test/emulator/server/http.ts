/** A tiny HTTP client for emulator tests: Basic auth as a given account, JSON in and out. */
import type { EmulatorAccount, EmulatorSite } from "../../../dev/emulator/index.js"
import { createMiniatureDataset, createMiniatureJql } from "../../../dev/emulator/server/miniature.js"

/** The small hand-written data set (projects ALP, BET, SEC; SEC hidden from the restricted user). */
export const miniature = (issues: number, seed = 1) => {
  const dataset = createMiniatureDataset({ issues, seed })
  return { dataset, jql: createMiniatureJql(dataset) }
}

export interface Answer {
  readonly status: number
  readonly headers: Headers
  readonly text: string
  /** Parsed JSON body, or undefined when the body is not JSON. */
  // biome-ignore lint/suspicious/noExplicitAny: bodies are checked against the OpenAPI schemas; tests read into them freely.
  readonly json: any
}

export const basic = (email: string, token: string) =>
  `Basic ${Buffer.from(`${email}:${token}`).toString("base64")}`

export const asUser = (emulator: EmulatorSite, account: EmulatorAccount | null) => {
  const auth: Record<string, string> =
    account === null ? {} : { authorization: basic(account.email, emulator.apiToken) }
  const send = async (path: string, init: RequestInit = {}): Promise<Answer> => {
    const response = await fetch(`${emulator.url}${path}`, {
      ...init,
      headers: {
        accept: "application/json",
        ...auth,
        ...(init.headers as Record<string, string> | undefined),
      },
    })
    const text = await response.text()
    let json: unknown
    try {
      json = JSON.parse(text)
    } catch {
      json = undefined
    }
    return { status: response.status, headers: response.headers, text, json }
  }
  return {
    get: (path: string, headers: Record<string, string> = {}) => send(path, { headers }),
    post: (
      path: string,
      body: unknown,
      headers: Record<string, string> = { "content-type": "application/json" },
    ) =>
      send(path, { method: "POST", headers, body: typeof body === "string" ? body : JSON.stringify(body) }),
    send,
  }
}

export const q = (params: Record<string, string | number | ReadonlyArray<string>>) => {
  const search = new URLSearchParams()
  for (const [k, v] of Object.entries(params))
    for (const item of Array.isArray(v) ? v : [String(v)]) search.append(k, item)
  return search.toString()
}
