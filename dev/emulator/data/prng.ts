/**
 * Small seeded PRNG (mulberry32) and a 32-bit mixer, so every issue and every field of an issue can
 * be derived from (seed, index, salt) alone: issues are generated lazily, in any order, and the same
 * seed always yields the same data set.
 */

/** murmur3's finaliser: spreads the bits of a 32-bit value. */
const fmix = (h: number): number => {
  h ^= h >>> 16
  h = Math.imul(h, 0x85ebca6b)
  h ^= h >>> 13
  h = Math.imul(h, 0xc2b2ae35)
  h ^= h >>> 16
  return h >>> 0
}

/** A well-mixed 32-bit hash of three integers. */
export const mix = (seed: number, index: number, salt: number): number =>
  fmix((fmix((fmix(seed ^ 0x9e3779b9) ^ index) >>> 0) + Math.imul(salt + 1, 0x27d4eb2d)) >>> 0)

/** mulberry32: tiny, fast and good enough for test data. */
export class Rng {
  private state: number

  constructor(seed: number) {
    this.state = seed >>> 0
  }

  static of(seed: number, index: number, salt: number): Rng {
    return new Rng(mix(seed, index, salt))
  }

  /** Uniform in [0, 1). */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0
    let t = this.state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }

  /** Integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.next() * n)
  }

  /** Integer in [lo, hi]. */
  range(lo: number, hi: number): number {
    return lo + this.int(hi - lo + 1)
  }

  chance(p: number): boolean {
    return this.next() < p
  }

  pick<A>(items: ReadonlyArray<A>): A {
    const item = items[this.int(items.length)]
    if (item === undefined) throw new Error("Rng.pick on an empty list")
    return item
  }

  /** Up to `max` distinct items, in the list's order. */
  some<A>(items: ReadonlyArray<A>, max: number): Array<A> {
    const count = Math.min(this.int(max + 1), items.length)
    const out: Array<A> = []
    if (count === 0) return out
    if (items.length > 31) {
      const taken = new Set<number>()
      while (taken.size < count) taken.add(this.int(items.length))
      for (const i of [...taken].sort((a, b) => a - b)) out.push(items[i] as A)
      return out
    }
    // Lists here are short: mark chosen positions in a bit set, then read them back in order.
    let chosen = 0
    let picked = 0
    while (picked < count) {
      const bit = 1 << this.int(items.length)
      if ((chosen & bit) === 0) {
        chosen |= bit
        picked++
      }
    }
    for (let i = 0; i < items.length; i++) if ((chosen & (1 << i)) !== 0) out.push(items[i] as A)
    return out
  }

  hex(length: number): string {
    let out = ""
    while (out.length < length) out += this.int(0x10000).toString(16).padStart(4, "0")
    return out.slice(0, length)
  }
}
