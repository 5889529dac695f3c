/**
 * A tiny signal store: enough for "a model exposes read-only signals and actions" without adding
 * @preact/signals to the bundle. Reads inside `computed` are tracked; subscribers are notified
 * synchronously after each write.
 */
import { useEffect, useState } from "preact/hooks"

/** A value that can be read and watched, not written. */
export interface ReadSignal<T> {
  readonly value: T
  /** Reads without registering a dependency. */
  peek(): T
  subscribe(listener: () => void): () => void
}

/** A value that can be read, watched and written. */
export interface Signal<T> extends ReadSignal<T> {
  value: T
  update(fn: (current: T) => T): void
}

type Source = { subscribe(listener: () => void): () => void }
let tracking: Set<Source> | undefined

class SignalImpl<T> implements Signal<T> {
  #value: T
  readonly #listeners = new Set<() => void>()
  constructor(value: T) {
    this.#value = value
  }
  get value(): T {
    tracking?.add(this)
    return this.#value
  }
  set value(next: T) {
    if (Object.is(next, this.#value)) return
    this.#value = next
    for (const listener of [...this.#listeners]) listener()
  }
  peek(): T {
    return this.#value
  }
  update(fn: (current: T) => T): void {
    this.value = fn(this.#value)
  }
  subscribe(listener: () => void): () => void {
    this.#listeners.add(listener)
    return () => this.#listeners.delete(listener)
  }
}

/** A writable signal holding `initial`. */
export const signal = <T>(initial: T): Signal<T> => new SignalImpl(initial)

/** Runs `fn` and returns its result together with the signals it read. */
const track = <T>(fn: () => T): { value: T; sources: Set<Source> } => {
  const outer = tracking
  const sources = new Set<Source>()
  tracking = sources
  try {
    return { value: fn(), sources }
  } finally {
    tracking = outer
    // An outer computed depends on everything the inner one read.
    if (outer) for (const s of sources) outer.add(s)
  }
}

/**
 * A value derived from other signals. It is recomputed on every read (derivations here are cheap), and
 * its subscribers are told whenever one of the signals it last read changes.
 */
export const computed = <T>(fn: () => T): ReadSignal<T> => ({
  get value() {
    return track(fn).value
  },
  peek: () => {
    const outer = tracking
    tracking = undefined
    try {
      return fn()
    } finally {
      tracking = outer
    }
  },
  subscribe(listener) {
    let unsubscribers: Array<() => void> = []
    const watch = () => {
      for (const u of unsubscribers) u()
      const { sources } = track(fn)
      unsubscribers = [...sources].map((s) =>
        s.subscribe(() => {
          watch()
          listener()
        }),
      )
    }
    watch()
    return () => {
      for (const u of unsubscribers) u()
      unsubscribers = []
    }
  },
})

/** Reads a signal in a component and re-renders the component when it changes. */
export const useSignal = <T>(source: ReadSignal<T>): T => {
  const [, setVersion] = useState(0)
  const rendered = source.peek()
  useEffect(() => {
    const unsubscribe = source.subscribe(() => setVersion((v) => v + 1))
    // A write between render and this effect would otherwise be missed.
    if (!Object.is(source.peek(), rendered)) setVersion((v) => v + 1)
    return unsubscribe
    // Only a new source needs a new subscription; `rendered` is read once on purpose.
  }, [source])
  return rendered
}
