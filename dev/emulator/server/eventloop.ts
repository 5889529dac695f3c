/**
 * The emulator's own event-loop delay, for telling a client that ignored a Retry-After from a server
 * that was too busy to read its requests on time. A timer drift probe: a short repeating timer notes how
 * late each tick ran; a tick overdue right now counts as the delay so far.
 */
import { performance } from "node:perf_hooks"

/** Tick interval: short enough to see a stall of a few ms, cheap enough to run always. */
const TICK_MS = 10

export class EventLoopProbe {
  private lastTick = performance.now()
  private lastLateMs = 0
  private timer: NodeJS.Timeout | undefined

  start(): this {
    this.stop()
    this.lastTick = performance.now()
    this.lastLateMs = 0
    this.timer = setInterval(() => {
      const now = performance.now()
      this.lastLateMs = Math.max(0, now - this.lastTick - TICK_MS)
      this.lastTick = now
    }, TICK_MS)
    // The probe must never keep a process alive on its own.
    this.timer.unref()
    return this
  }

  stop(): void {
    if (this.timer !== undefined) clearInterval(this.timer)
    this.timer = undefined
  }

  /** Milliseconds the loop is (or last was) behind, rounded to 0.1 ms; 0 when the probe is stopped. */
  delayMs(): number {
    if (this.timer === undefined) return 0
    const overdue = performance.now() - this.lastTick - TICK_MS
    return Math.round(Math.max(this.lastLateMs, overdue, 0) * 10) / 10
  }
}
