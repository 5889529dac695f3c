/**
 * The page runner's scheduler runs fiber steps in slices: past SLICE_MS the rest waits for a new task,
 * so the browser can paint and answer input between them.
 */
import { Effect } from "effect"
import { describe, expect, it } from "vitest"
import { SLICE_MS, slicedScheduler } from "../../web/src/engine/scheduler.js"

describe("the sliced scheduler", () => {
  it("stops a slice after SLICE_MS and goes on in a later task", async () => {
    let now = 0
    const tasks: Array<() => void> = []
    const scheduler = slicedScheduler(
      () => now,
      (task) => tasks.push(task),
    )
    const ran: Array<number> = []
    // Each step takes 5 ms of the (fake) clock.
    for (let i = 0; i < 10; i++)
      scheduler.scheduleTask(() => {
        ran.push(i)
        now += 5
      }, 0)
    // No slice is open: the first one starts in a task of its own.
    expect(ran).toEqual([])
    const slices: Array<number> = []
    while (tasks.length > 0) {
      tasks.shift()?.()
      await Promise.resolve()
      slices.push(ran.length)
    }
    // 12 ms per slice at 5 ms per step: three steps each (the third starts before 12 ms are over).
    expect(SLICE_MS).toBe(12)
    expect(slices).toEqual([3, 6, 9, 10])
    expect(ran).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9])
  })

  it("runs Effect programs to the same result", async () => {
    const program = Effect.forEach(
      Array.from({ length: 5_000 }, (_, i) => i),
      (i) => Effect.succeed(i * 2),
      {
        concurrency: 4,
      },
    ).pipe(Effect.map((xs) => xs.reduce((a, b) => a + b, 0)))
    expect(await Effect.runPromise(program.pipe(Effect.withScheduler(slicedScheduler())))).toBe(24_995_000)
  })
})
