/**
 * A small signal store: enough for "a model exposes read-only signals and actions". It stays
 * hand-written: @preact/signals-core 1.14.5 behind this same interface made the page 2.3 KB larger
 * minified (0.8 KB gzip), and its `subscribe` calls the listener at once, which every model and
 * test here would have to work around, for features the models do not use (effects, disposal).
 *
 * - `computed` caches: every source carries a version that moves only when its value changes, and a
 *   computed re-runs only when a source it read last time has a new version.
 * - Listeners run after the write (or the outermost `batch`) completes, once each, and only when the
 *   value they watch has a new version, so a diamond (two computeds over one signal, a third over
 *   both) notifies once and its listener never sees half an update.
 */
import { useEffect, useState } from "preact/hooks"

/** A value that can be read and watched, not written. */
export interface ReadSignal<T> {
  readonly value: T
  /** Reads without registering a dependency. */
  peek(): T
  /** Calls `listener` (with no arguments) after each change of the value; returns the unsubscribe. */
  subscribe(listener: () => void): () => void
}

/** A value that can be read, watched and written. */
export interface Signal<T> extends ReadSignal<T> {
  value: T
  update(fn: (current: T) => T): void
}

/** A listener with the version of the value it was last told about. */
interface Watcher {
  readonly fn: () => void
  seen: number
}

/** Bumped on every change anywhere: a computed checked at the current one is up to date. */
let globalVersion = 0
/** The computed whose function is running, which records what it reads. */
let evaluating: ComputedImpl<unknown> | undefined
let batchDepth = 0
/** Nodes with watchers that a change may have reached, checked when the outermost write or batch ends. */
const pending = new Set<Source>()

abstract class Source {
  version = 0
  readonly watchers = new Set<Watcher>()
  /** Computeds that read this node and are watched, directly or through other computeds. */
  readonly targets = new Set<ComputedImpl<unknown>>()
  #marked = -1

  get live(): boolean {
    return this.watchers.size > 0 || this.targets.size > 0
  }

  /** Brings the value up to date (only computeds have work to do). */
  abstract refresh(): void

  addTarget(target: ComputedImpl<unknown>): void {
    this.targets.add(target)
  }

  removeTarget(target: ComputedImpl<unknown>): void {
    this.targets.delete(target)
  }

  /** Collects every watched node downstream of a change, each once per change. */
  mark(): void {
    if (this.#marked === globalVersion) return
    this.#marked = globalVersion
    if (this.watchers.size > 0) pending.add(this)
    for (const target of this.targets) target.mark()
  }

  protected track(): void {
    evaluating?.read(this)
  }

  subscribe(listener: () => void): () => void {
    this.refresh()
    const watcher: Watcher = { fn: listener, seen: this.version }
    const wasLive = this.live
    this.watchers.add(watcher)
    if (!wasLive) this.activate()
    return () => {
      if (!this.watchers.delete(watcher)) return
      if (!this.live) this.deactivate()
    }
  }

  /** A computed that becomes watched starts receiving changes from its sources. */
  protected activate(): void {}
  protected deactivate(): void {}

  /** Tells each watcher whose version is behind; called by `flush` only. */
  notify(failed: (error: unknown) => void): void {
    try {
      this.refresh()
    } catch (error) {
      failed(error)
      return
    }
    for (const watcher of [...this.watchers]) {
      if (watcher.seen === this.version || !this.watchers.has(watcher)) continue
      watcher.seen = this.version
      try {
        watcher.fn()
      } catch (error) {
        failed(error)
      }
    }
  }
}

/** A listener that keeps writing what it watches would never end: stop after this many rounds. */
const MAX_ROUNDS = 100

/** Notifies every pending node; one failing listener does not silence the others, its error is rethrown after. */
const flush = (): void => {
  let failure: { readonly error: unknown } | undefined
  const failed = (error: unknown) => {
    failure ??= { error }
  }
  // A listener's own writes wait for the next round, so listeners never run inside one another.
  batchDepth++
  for (let round = 0; pending.size > 0; round++) {
    if (round === MAX_ROUNDS) {
      pending.clear()
      failed(new Error("signal listeners keep changing what they watch"))
      break
    }
    const nodes = [...pending]
    pending.clear()
    for (const node of nodes) node.notify(failed)
  }
  batchDepth--
  if (failure !== undefined) throw failure.error
}

/** Runs `fn`, holding every notification until it returns (nested batches wait for the outermost). */
export const batch = <T>(fn: () => T): T => {
  batchDepth++
  try {
    return fn()
  } finally {
    batchDepth--
    if (batchDepth === 0) flush()
  }
}

class SignalImpl<T> extends Source implements Signal<T> {
  #value: T
  constructor(value: T) {
    super()
    this.#value = value
  }
  get value(): T {
    this.track()
    return this.#value
  }
  set value(next: T) {
    if (Object.is(next, this.#value)) return
    this.#value = next
    this.version++
    globalVersion++
    this.mark()
    if (batchDepth === 0) flush()
  }
  peek(): T {
    return this.#value
  }
  update(fn: (current: T) => T): void {
    this.value = fn(this.#value)
  }
  refresh(): void {}
}

class ComputedImpl<T> extends Source implements ReadSignal<T> {
  readonly #fn: () => T
  /** Undefined until the first run succeeds (the value itself may be undefined). */
  #state: { value: T } | undefined
  /** What the last run read, with the version it saw. */
  #sources = new Map<Source, number>()
  #checkedAt = -1
  #running = false

  constructor(fn: () => T) {
    super()
    this.#fn = fn
  }

  get value(): T {
    const value = this.peek()
    this.track()
    return value
  }

  peek(): T {
    this.refresh()
    if (this.#state === undefined) throw new Error("a computed value was read before it ran")
    return this.#state.value
  }

  read(source: Source): void {
    this.#sources.set(source, source.version)
  }

  refresh(): void {
    if (this.#checkedAt === globalVersion) return
    if (this.#running) throw new Error("a computed value reads itself")
    if (this.#state !== undefined && this.#checkedAt >= 0 && !this.#sourcesChanged()) {
      this.#checkedAt = globalVersion
      return
    }
    this.#run()
  }

  #sourcesChanged(): boolean {
    for (const [source, seen] of this.#sources) {
      source.refresh()
      if (source.version !== seen) return true
    }
    return false
  }

  #run(): void {
    const before = this.#sources
    this.#sources = new Map()
    // If `fn` throws, what it read so far says nothing: the next read runs it again.
    this.#checkedAt = -1
    const outer = evaluating
    evaluating = this
    this.#running = true
    try {
      const next = this.#fn()
      if (this.#state === undefined || !Object.is(next, this.#state.value)) {
        this.#state = { value: next }
        this.version++
      }
      this.#checkedAt = globalVersion
    } finally {
      evaluating = outer
      this.#running = false
      if (this.live) this.#relink(before)
    }
  }

  /** A watched computed follows exactly the sources its last run read. */
  #relink(before: ReadonlyMap<Source, number>): void {
    for (const source of this.#sources.keys()) if (!before.has(source)) source.addTarget(this)
    for (const source of before.keys()) if (!this.#sources.has(source)) source.removeTarget(this)
  }

  override addTarget(target: ComputedImpl<unknown>): void {
    const wasLive = this.live
    super.addTarget(target)
    if (!wasLive) this.activate()
  }

  override removeTarget(target: ComputedImpl<unknown>): void {
    super.removeTarget(target)
    if (!this.live) this.deactivate()
  }

  protected override activate(): void {
    this.refresh()
    for (const source of this.#sources.keys()) source.addTarget(this)
  }

  protected override deactivate(): void {
    for (const source of this.#sources.keys()) source.removeTarget(this)
  }
}

/** A writable signal holding `initial`. */
export const signal = <T>(initial: T): Signal<T> => new SignalImpl(initial)

/** A value derived from other signals, recomputed only when one of them changed. */
export const computed = <T>(fn: () => T): ReadSignal<T> => new ComputedImpl(fn)

/**
 * Reads a signal's value in a component and re-renders the component when it changes. (Preact's own
 * `useSignal(initial)` creates a signal; this one watches an existing one, hence another name.)
 */
export const useValue = <T>(source: ReadSignal<T>): T => {
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
