/**
 * The calls of an export run, one at a time (ExportModel.ts): each repeated with the same cursor until
 * it succeeds, the run is stopped, or its error is final. Jira's rate limits and spent quotas are
 * waited out for as long as they last (the user can cancel); network and server errors get
 * `MAX_CONSECUTIVE_FAILURES` tries with backoff. Calls are also spaced so the bridge's own limit
 * (500 invokes per 25 s, docs/forge.md §3) is never reached, and the time a call has been out is
 * counted so a silent Jira can be told apart from a slow one.
 */
import type { ResolverError } from "../../../src/contract.js"
import { type Clock, sleep } from "../clock.js"
import { isRetryable } from "../errors.js"
import { type ReadSignal, type Signal, signal } from "../state/signal.js"
import { type Activity, backoff, MAX_CONSECUTIVE_FAILURES, QUOTA_RECHECK_MS, TICK_MS } from "./exportRun.js"

/** A call's outcome: its value, or no value (the run was stopped, or `error` is final). */
export type Attempted<A> =
  | { readonly ok: true; readonly value: A }
  | { readonly ok: false; readonly error?: ResolverError }

export interface RunHooks {
  /** Whether `run` is still the model's current run (a stopped run makes no more calls). */
  readonly live: (run: number) => boolean
  /** Shows what the run does while it waits. */
  readonly show: (activity: Activity) => void
  /** The model's clock signal, moved every second while a wait lasts (countdowns). */
  readonly now: Signal<number>
}

export class RunCalls {
  readonly #clock: Clock
  readonly #hooks: RunHooks
  readonly #callWaitedMs: Signal<number | undefined> = signal<number | undefined>(undefined)
  /** Time spent waiting for Jira since the last `resetWaited`. */
  #waitedMs = 0
  #lastCallAt = Number.NEGATIVE_INFINITY
  #cancelWait: () => void = () => undefined

  constructor(clock: Clock, hooks: RunHooks) {
    this.#clock = clock
    this.#hooks = hooks
  }

  /** How long the call now out has waited for its answer, in whole seconds' ticks; undefined between calls. */
  get callWaitedMs(): ReadSignal<number | undefined> {
    return this.#callWaitedMs
  }
  /** Time spent waiting; excluded from the issues/s rate so a pause does not distort it. */
  get waitedMs(): number {
    return this.#waitedMs
  }
  resetWaited(): void {
    this.#waitedMs = 0
  }
  /** Ends the wait under way (the run was stopped). */
  cancelWait(): void {
    this.#cancelWait()
  }

  async attempt<A>(
    run: number,
    spacingMs: number,
    call: () => Promise<{ ok: true; value: A } | { ok: false; error: ResolverError }>,
  ): Promise<Attempted<A>> {
    let failures = 0
    let limited = 0
    for (;;) {
      if (!(await this.#space(run, spacingMs))) return { ok: false }
      this.#lastCallAt = this.#clock.now()
      const stopTicking = this.#tickDuringCall()
      const result = await call()
      stopTicking()
      if (!this.#hooks.live(run)) return { ok: false }
      if (result.ok) return result
      const error = result.error
      if (error.tag === "QuotaExhausted") {
        const reset = error.resetAt === undefined ? Number.NaN : Date.parse(error.resetAt)
        const until = Number.isNaN(reset) ? this.#clock.now() + QUOTA_RECHECK_MS : reset
        if (!(await this.pause(run, until))) return { ok: false }
      } else if (error.tag === "RateLimited") {
        limited++
        const wait = error.retryAfterMs ?? backoff(limited)
        if (!(await this.wait(run, wait, "rateLimit", limited))) return { ok: false }
      } else if (isRetryable(error.tag) && failures + 1 < MAX_CONSECUTIVE_FAILURES) {
        failures++
        if (!(await this.wait(run, backoff(failures), "retry", failures))) return { ok: false }
      } else return { ok: false, error }
    }
  }

  wait(run: number, ms: number, reason: "rateLimit" | "retry", attempt: number): Promise<boolean> {
    const until = this.#clock.now() + ms
    this.#hooks.show({ kind: "waiting", until, reason, attempt })
    return this.#sleepUntil(run, until)
  }

  pause(run: number, until: number, by?: "steward"): Promise<boolean> {
    this.#hooks.show({ kind: "paused", until, ...(by === undefined ? {} : { by }) })
    return this.#sleepUntil(run, until)
  }

  /** Counts the time a call is out, every second, so a silent Jira can be told apart from a slow one. */
  #tickDuringCall(): () => void {
    const since = this.#clock.now()
    this.#callWaitedMs.value = 0
    let cancel: () => void = () => undefined
    const tick = () => {
      this.#callWaitedMs.value = this.#clock.now() - since
      cancel = this.#clock.after(TICK_MS, tick)
    }
    cancel = this.#clock.after(TICK_MS, tick)
    return () => {
      cancel()
      this.#callWaitedMs.value = undefined
    }
  }

  /** Keeps calls at least `spacingMs` apart (the bridge's invoke limit; none in the browser). */
  async #space(run: number, spacingMs: number): Promise<boolean> {
    const gap = this.#lastCallAt + spacingMs - this.#clock.now()
    if (gap <= 0) return this.#hooks.live(run)
    const wait = sleep(this.#clock, gap)
    this.#cancelWait = wait.cancel
    await wait.done
    return this.#hooks.live(run)
  }

  /** Sleeps until `until`, ticking `now` every second for countdowns; false when the run was stopped. */
  async #sleepUntil(run: number, until: number): Promise<boolean> {
    const began = this.#clock.now()
    while (this.#hooks.live(run)) {
      const now = this.#clock.now()
      this.#hooks.now.value = now
      if (now >= until) break
      const wait = sleep(this.#clock, Math.min(TICK_MS, until - now))
      this.#cancelWait = wait.cancel
      await wait.done
    }
    this.#waitedMs += this.#clock.now() - began
    return this.#hooks.live(run)
  }
}
