/** Time as the models see it, so tests can drive it (vitest fake timers replace the globals used here). */
export interface Clock {
  now(): number
  /** Runs `fn` after `ms`; the returned function cancels it. */
  after(ms: number, fn: () => void): () => void
}

export const systemClock: Clock = {
  now: () => Date.now(),
  after: (ms, fn) => {
    const handle = setTimeout(fn, Math.max(0, ms))
    return () => clearTimeout(handle)
  },
}

/** A promise that resolves after `ms`, or as soon as `cancel` is called on the returned handle. */
export const sleep = (clock: Clock, ms: number): { done: Promise<void>; cancel: () => void } => {
  let finish: () => void = () => undefined
  const done = new Promise<void>((resolve) => {
    finish = resolve
  })
  const stop = clock.after(ms, finish)
  return {
    done,
    cancel: () => {
      stop()
      finish()
    },
  }
}
