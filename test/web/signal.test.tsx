// @vitest-environment happy-dom
import { act, cleanup, render, screen } from "@testing-library/preact"
import { afterEach, describe, expect, it } from "vitest"
import { batch, computed, signal, useValue } from "../../web/src/state/signal.js"

/** A computed over `fn` that counts its runs. */
const counted = <T,>(fn: () => T) => {
  const runs = { count: 0 }
  const value = computed(() => {
    runs.count++
    return fn()
  })
  return { value, runs }
}

describe("computed caches", () => {
  it("a computed read twice runs once", () => {
    const a = signal(2)
    const { value: double, runs } = counted(() => a.value * 2)
    expect(double.value).toBe(4)
    expect(double.peek()).toBe(4)
    expect(runs.count).toBe(1)
  })

  it("re-runs only when a signal it read changed", () => {
    const a = signal(1)
    const unrelated = signal("x")
    const { value: double, runs } = counted(() => a.value * 2)
    expect(double.value).toBe(2)
    unrelated.value = "y"
    expect(double.value).toBe(2)
    expect(runs.count).toBe(1)
    a.value = 5
    expect(double.value).toBe(10)
    expect(double.value).toBe(10)
    expect(runs.count).toBe(2)
  })

  it("a computed whose value did not change does not re-run what reads it", () => {
    const a = signal(1)
    const { value: parity, runs: parityRuns } = counted(() => a.value % 2)
    const { value: label, runs: labelRuns } = counted(() => (parity.value === 0 ? "even" : "odd"))
    expect(label.value).toBe("odd")
    a.value = 3
    expect(label.value).toBe("odd")
    expect(parityRuns.count).toBe(2)
    expect(labelRuns.count).toBe(1)
  })

  it("follows the signals the last run read, not the ones read before", () => {
    const useA = signal(true)
    const a = signal("a")
    const b = signal("b")
    const picked = computed(() => (useA.value ? a.value : b.value))
    const seen: string[] = []
    const stop = picked.subscribe(() => seen.push(picked.peek()))
    useA.value = false
    a.value = "a2" // no longer read: no notification
    b.value = "b2"
    stop()
    expect(seen).toEqual(["b", "b2"])
  })

  it("a computed that throws throws on every read until it succeeds", () => {
    const a = signal(0)
    const { value: inverse, runs } = counted(() => {
      if (a.value === 0) throw new Error("division by zero")
      return 1 / a.value
    })
    expect(() => inverse.value).toThrow("division by zero")
    expect(() => inverse.value).toThrow("division by zero")
    a.value = 4
    expect(inverse.value).toBe(0.25)
    expect(runs.count).toBe(3)
  })

  it("an unwatched computed does no work when its signals change", () => {
    const a = signal(1)
    const { value: double, runs } = counted(() => a.value * 2)
    const stop = double.subscribe(() => {})
    stop()
    const before = runs.count
    a.value = 2
    a.value = 3
    expect(runs.count).toBe(before)
    expect(double.value).toBe(6)
  })
})

describe("notifications", () => {
  it("batch: two writes notify once, with both applied", () => {
    const first = signal("Ada")
    const last = signal("Lovelace")
    const full = computed(() => `${first.value} ${last.value}`)
    const seen: string[] = []
    const stop = full.subscribe(() => seen.push(full.peek()))
    const result = batch(() => {
      first.value = "Grace"
      last.value = "Hopper"
      batch(() => {
        first.value = "Grace B."
      })
      expect(seen).toEqual([]) // nested batches wait for the outermost
      return "done"
    })
    stop()
    expect(result).toBe("done")
    expect(seen).toEqual(["Grace B. Hopper"])
  })

  it("batch: a signal written twice notifies its listener once", () => {
    const a = signal(0)
    let calls = 0
    const stop = a.subscribe(() => calls++)
    batch(() => {
      a.value = 1
      a.value = 2
    })
    stop()
    expect(calls).toBe(1)
    expect(a.value).toBe(2)
  })

  it("a diamond notifies once per change and never shows half an update", () => {
    const a = signal(1)
    const plusOne = computed(() => a.value + 1)
    const times2 = computed(() => a.value * 2)
    const { value: both, runs } = counted(() => [a.value, plusOne.value, times2.value] as const)
    const seen: Array<readonly [number, number, number]> = []
    const stop = both.subscribe(() => seen.push(both.peek()))
    a.value = 2
    a.value = 5
    stop()
    expect(seen).toEqual([
      [2, 3, 4],
      [5, 6, 10],
    ])
    expect(runs.count).toBe(3)
  })

  it("a watched computed whose value stays the same does not notify", () => {
    const a = signal(1)
    const parity = computed(() => a.value % 2)
    let calls = 0
    const stop = parity.subscribe(() => calls++)
    a.value = 3
    a.value = 4
    stop()
    expect(calls).toBe(1)
  })

  it("a listener may write another signal; its listeners run after it", () => {
    const a = signal(1)
    const b = signal(0)
    const order: string[] = []
    const stopA = a.subscribe(() => {
      order.push(`a=${a.peek()}`)
      b.value = a.peek() * 10
      order.push("a done")
    })
    const stopB = b.subscribe(() => order.push(`b=${b.peek()}`))
    a.value = 2
    stopA()
    stopB()
    expect(order).toEqual(["a=2", "a done", "b=20"])
  })

  it("a failing listener does not silence the others; the write rethrows its error", () => {
    const a = signal(1)
    let told = 0
    const stopBad = a.subscribe(() => {
      throw new Error("listener failed")
    })
    const stopGood = a.subscribe(() => told++)
    expect(() => {
      a.value = 2
    }).toThrow("listener failed")
    stopBad()
    stopGood()
    expect(told).toBe(1)
  })
  it("a listener that keeps changing what it watches stops with an error instead of looping", () => {
    const a = signal(0)
    const stop = a.subscribe(() => {
      a.value = a.peek() + 1
    })
    expect(() => {
      a.value = 1
    }).toThrow("keep changing")
    stop()
    expect(a.value).toBeLessThan(200)
  })
})

describe("useValue", () => {
  afterEach(cleanup)

  it("re-renders a component once for a batch of writes", () => {
    const first = signal("Ada")
    const last = signal("Lovelace")
    const full = computed(() => `${first.value} ${last.value}`)
    let renders = 0
    const Name = () => {
      renders++
      return <p>{useValue(full)}</p>
    }
    render(<Name />)
    expect(screen.getByText("Ada Lovelace")).toBeTruthy()
    const before = renders
    act(() => {
      batch(() => {
        first.value = "Grace"
        last.value = "Hopper"
      })
    })
    expect(screen.getByText("Grace Hopper")).toBeTruthy()
    expect(renders).toBe(before + 1)
  })
})
