/**
 * Forge's invocation overhead, which the local host leaves out unless asked (`startHost({
 * invokeLatencyMs })`, `npm start -- --invoke-latency MS`). On Forge an `invoke` crosses Atlassian's
 * edge and the function runtime on its way in and out; a page that makes many calls pays that each
 * time, and only a host that charges it shows what the page path costs. Half is spent before the
 * handler runs and half after it answered, so the handler's 25 s stay its own.
 */

export interface InvokeLatency {
  /** The way in: before the handler runs. */
  readonly inbound: () => Promise<void>
  /** The way back: after the handler answered, before the page gets the answer. */
  readonly outbound: () => Promise<void>
}

const wait = (ms: number): Promise<void> =>
  ms <= 0 ? Promise.resolve() : new Promise((done) => setTimeout(done, ms))

/** The overhead of one invoke, `ms` in all; none for 0 or undefined (the default, as tests want). */
export const invokeLatency = (ms: number | undefined): InvokeLatency => {
  const total = ms ?? 0
  if (!Number.isFinite(total) || total < 0)
    throw new Error(`The invoke latency must be a number of milliseconds, 0 or more (got ${ms}).`)
  const inbound = Math.floor(total / 2)
  return { inbound: () => wait(inbound), outbound: () => wait(total - inbound) }
}
