/**
 * Forge's key-value storage as the local host provides it: in memory, one store per installation, as
 * Forge keeps each installation's storage apart (docs/forge.md §8). `@forge/kvs` sends its calls through
 * the platform's fetch hook (`{type: "kvs", remote: "kvs"}`, a POST of JSON to `/api/v1/<operation>`);
 * the host answers the operations the app uses (get, set with its create-only `keyPolicy`, delete,
 * batch get/set/delete) with the service's shapes and its limits on keys and values, and refuses the
 * others with the service's error body rather than pretend.
 */

/** Forge's key rule and limits (docs/forge.md §8). */
const KEY_PATTERN = /^(?!\s+$)[a-zA-Z0-9:._\s\-#]+$/
const MAX_KEY_LENGTH = 500
const MAX_VALUE_BYTES = 240 * 1024

interface Stored {
  readonly value: unknown
  readonly createdAt: number
  readonly updatedAt: number
}

const json = (status: number, body: unknown): Response =>
  new Response(body === undefined ? null : JSON.stringify(body), {
    status,
    headers: { "content-type": "application/json" },
  })

const problem = (status: number, code: string, message: string) => json(status, { code, message })

const keyProblem = (key: unknown): Response | undefined =>
  typeof key !== "string" || key.length === 0 || key.length > MAX_KEY_LENGTH || !KEY_PATTERN.test(key)
    ? problem(
        400,
        "INVALID_KEY",
        `The key must match ${KEY_PATTERN} and be 1 to ${MAX_KEY_LENGTH} characters long.`,
      )
    : undefined

const field = (body: unknown, name: string): unknown =>
  typeof body === "object" && body !== null ? Reflect.get(body, name) : undefined

/** Every installation's store, kept for the life of the host. */
export class MemoryKvs {
  private readonly stores = new Map<string, Map<string, Stored>>()

  private store(installation: string): Map<string, Stored> {
    const existing = this.stores.get(installation)
    if (existing !== undefined) return existing
    const created = new Map<string, Stored>()
    this.stores.set(installation, created)
    return created
  }

  /** What an installation holds under a key (tests read the app's state with it). */
  peek(installation: string, key: string): unknown {
    return this.stores.get(installation)?.get(key)?.value
  }

  /** Answers one `@forge/kvs` request for an installation, as the platform would. */
  async answer(installation: string, path: string, init?: RequestInit): Promise<Response> {
    if ((init?.method ?? "GET").toUpperCase() !== "POST")
      return problem(405, "METHOD_NOT_ALLOWED", "Forge storage takes POST requests only.")
    let body: unknown
    try {
      body = JSON.parse(typeof init?.body === "string" ? init.body : "")
    } catch {
      return problem(400, "INVALID_REQUEST", "The storage request body was not JSON.")
    }
    const store = this.store(installation)
    const get = (key: unknown) => {
      const stored = typeof key === "string" ? store.get(key) : undefined
      return stored === undefined
        ? undefined
        : {
            key,
            value: stored.value,
            createdAt: new Date(stored.createdAt).toISOString(),
            updatedAt: new Date(stored.updatedAt).toISOString(),
          }
    }
    const set = (key: unknown, value: unknown, options?: unknown): Response | undefined => {
      const bad = keyProblem(key)
      if (bad !== undefined || typeof key !== "string") return bad
      if (value === undefined) return problem(400, "INVALID_VALUE", "A value is required.")
      // Forge's create-only write: one writer wins, every other is refused (the steward's claims).
      if (field(options, "keyPolicy") === "FAIL_IF_EXISTS" && store.has(key))
        return problem(409, "KEY_CONFLICT", "A value already exists under that key.")
      if (Buffer.byteLength(JSON.stringify(value)) > MAX_VALUE_BYTES)
        return problem(413, "VALUE_TOO_LARGE", `A value may take at most ${MAX_VALUE_BYTES} bytes.`)
      const now = Date.now()
      store.set(key, { value, createdAt: store.get(key)?.createdAt ?? now, updatedAt: now })
      return undefined
    }
    const items = (): ReadonlyArray<unknown> => {
      const list: unknown = Array.isArray(body) ? body : field(body, "items")
      return Array.isArray(list) ? list : []
    }
    switch (path) {
      case "/api/v1/get": {
        const key = field(body, "key")
        const bad = keyProblem(key)
        if (bad !== undefined) return bad
        const found = get(key)
        return found === undefined
          ? problem(404, "KEY_NOT_FOUND", "No value under that key.")
          : json(200, found)
      }
      case "/api/v1/set":
        return (
          set(field(body, "key"), field(body, "value"), field(body, "options")) ??
          new Response(null, { status: 204 })
        )
      case "/api/v1/delete": {
        const key = field(body, "key")
        if (typeof key === "string") store.delete(key)
        return new Response(null, { status: 204 })
      }
      case "/api/v1/batch/get": {
        const keys = items().map((item) => field(item, "key"))
        const found = keys.flatMap((key) => {
          const one = get(key)
          return one === undefined ? [] : [one]
        })
        const failedKeys = keys
          .filter((key) => get(key) === undefined)
          .map((key) => ({ key, error: { code: "KEY_NOT_FOUND", message: "No value under that key." } }))
        return json(200, { successfulKeys: found, failedKeys })
      }
      case "/api/v1/batch/set": {
        const failedKeys: Array<unknown> = []
        const successfulKeys: Array<unknown> = []
        for (const item of items()) {
          const refused = set(field(item, "key"), field(item, "value"))
          if (refused === undefined) successfulKeys.push({ key: field(item, "key") })
          else failedKeys.push({ key: field(item, "key"), error: await refused.json() })
        }
        return json(200, { successfulKeys, failedKeys })
      }
      case "/api/v1/batch/delete": {
        const successfulKeys = items().map((item) => {
          const key = field(item, "key")
          if (typeof key === "string") store.delete(key)
          return { key }
        })
        return json(200, { successfulKeys, failedKeys: [] })
      }
      default:
        return problem(501, "NOT_IMPLEMENTED", `The local Forge host does not provide ${path}.`)
    }
  }
}
