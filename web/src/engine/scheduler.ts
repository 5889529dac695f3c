/**
 * The page runner's Effect scheduler: fibers run in slices of about {@link SLICE_MS}, after which the
 * rest waits for a new task (a `MessageChannel` message), so the browser paints and answers input
 * between slices. Effect's default scheduler chains microtasks for thousands of steps before it
 * yields to a timer, and a microtask never lets the page breathe: parsing and formatting pages of
 * issues back to back would freeze it for seconds.
 */
import { FiberRef, Scheduler } from "effect"

/** Longest run of fiber steps in one browser task (a frame at 60 Hz is 16 ms). */
export const SLICE_MS = 12

/** A new task through a `MessageChannel` message (a timer would be clamped to 4 ms once nested). */
const messageTask = (): ((task: () => void) => void) => {
  const channel = new MessageChannel()
  let pending: Array<() => void> = []
  channel.port1.onmessage = () => {
    const [first, ...rest] = pending
    pending = rest
    first?.()
  }
  return (task) => {
    pending.push(task)
    channel.port2.postMessage(null)
  }
}

export const slicedScheduler = (
  now: () => number = () => performance.now(),
  newTask: (task: () => void) => void = messageTask(),
): Scheduler.Scheduler => {
  const queue: Array<Scheduler.Task> = []
  let sliceStart = Number.NEGATIVE_INFINITY
  let scheduled = false
  const run = () => {
    scheduled = false
    while (queue.length > 0) {
      if (now() - sliceStart > SLICE_MS) return later()
      queue.shift()?.()
    }
  }
  const later = () => {
    scheduled = true
    newTask(() => {
      sliceStart = now()
      run()
    })
  }
  // A fiber yields when the slice is over, however few steps it took (Effect's default counts 2,048
  // steps, which can be far longer than a frame when steps format pages of issues).
  const shouldYield = (fiber: Parameters<Scheduler.Scheduler["shouldYield"]>[0]) =>
    now() - sliceStart > SLICE_MS ? fiber.getFiberRef(FiberRef.currentSchedulingPriority) : false
  return Scheduler.make((task) => {
    queue.push(task)
    if (scheduled) return
    // Within the current slice a microtask keeps going; past it, the next step waits for a new task.
    if (now() - sliceStart <= SLICE_MS) {
      scheduled = true
      queueMicrotask(run)
    } else later()
  }, shouldYield)
}
