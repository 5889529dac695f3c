/**
 * The one way the page's models repeat a call that Jira (or the invocation's deadline) asked them to
 * wait for: every resolver hands a wait it cannot sit out inside Forge's 25 s back as `retryAfterMs`
 * (src/resolvers/deadline.ts), and the model shows the wait, sleeps, and calls again: a few times, and
 * never once the answer is no longer wanted. The export keeps its own, longer-lived loop
 * (ExportModel.ts), which also waits out quota pauses.
 */
import type { ErrorTag, ResolverError, Result } from "../../../src/contract.js"
import { type Clock, sleep } from "../clock.js"

/** Waits in a row before the page shows the error instead: a storm that outlasts them deserves a word. */
export const MAX_WAITS = 4
/** Longer waits (a spent hourly quota) are shown as errors with their time, not sat through here. */
export const MAX_WAIT_MS = 60_000

/** A wait under way, for the page to show. */
export interface Wait {
  readonly ms: number
  /** 1 for the first wait of this call. */
  readonly attempt: number
  readonly tag: ErrorTag
}

/** The wait an error asks for before the same call may succeed, when the page should sit it out. */
export const waitFor = (error: ResolverError): number | undefined => {
  if (error.tag === "QuotaExhausted") return undefined
  const ms = error.retryAfterMs
  return ms !== undefined && ms >= 0 && ms <= MAX_WAIT_MS ? ms : undefined
}

/** The wait in a sentence: "Jira asked us to wait 20 s; retrying…". */
export const waitText = (wait: Wait): string => {
  const seconds = Math.max(1, Math.ceil(wait.ms / 1000))
  return wait.tag === "RateLimited"
    ? `Jira asked us to wait ${seconds} s; retrying…`
    : `Jira is slow to answer; retrying in ${seconds} s…`
}

export interface RetryControl {
  /** False once the answer is no longer wanted (a newer request replaced it, or it was cancelled). */
  readonly isCurrent: () => boolean
  /** Called before each wait. */
  readonly onWait: (wait: Wait) => void
}

/** Repeats calls after the waits they ask for; one per model, so `cancel` ends that model's waits. */
export class Retries {
  readonly #clock: Clock
  readonly #waits = new Set<() => void>()

  constructor(clock: Clock) {
    this.#clock = clock
  }

  /**
   * Calls `call` until it answers something other than a wait to sit out, or `MAX_WAITS` waits have
   * passed (then the last answer stands). Answers `undefined` as soon as the call is no longer current:
   * its answer is dropped and no further call is made.
   */
  async run<A>(call: () => Promise<Result<A>>, control: RetryControl): Promise<Result<A> | undefined> {
    for (let attempt = 1; ; attempt++) {
      const result = await call()
      if (!control.isCurrent()) return undefined
      if (result.ok) return result
      const ms = waitFor(result.error)
      if (ms === undefined || attempt > MAX_WAITS) return result
      control.onWait({ ms, attempt, tag: result.error.tag })
      const wait = sleep(this.#clock, ms)
      this.#waits.add(wait.cancel)
      await wait.done
      this.#waits.delete(wait.cancel)
      if (!control.isCurrent()) return undefined
    }
  }

  /** Ends every wait now. Callers make their runs stale first, so those stop without calling again. */
  cancel(): void {
    for (const cancel of [...this.#waits]) cancel()
    this.#waits.clear()
  }
}
