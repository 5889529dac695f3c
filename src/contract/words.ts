/**
 * Sizes and durations in words, as the page and the command line both say them ("Wrote 14,000 issues
 * to alpha.csv (1.6 MB) in 17 s"). Like constants.ts it imports nothing, so the page may take it.
 */

const units = ["bytes", "KB", "MB", "GB"] as const

/** `1234567` → `1.2 MB` (decimal units, as file managers show them). */
export const formatBytes = (bytes: number): string => {
  let value = bytes
  let unit = 0
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000
    unit++
  }
  if (unit === 0) return `${bytes} ${bytes === 1 ? "byte" : "bytes"}`
  return `${value < 10 ? value.toFixed(1) : Math.round(value)} ${units[unit]}`
}

/** `75_000` → `1 min 15 s`; under a second → `0 s`. */
export const formatDuration = (ms: number): string => {
  const total = Math.max(0, Math.round(ms / 1000))
  const h = Math.floor(total / 3600)
  const m = Math.floor((total % 3600) / 60)
  const s = total % 60
  if (h > 0) return m > 0 ? `${h} h ${m} min` : `${h} h`
  if (m > 0) return s > 0 ? `${m} min ${s} s` : `${m} min`
  return `${s} s`
}

/** How long a finished run took: `17 s`, `1 min 15 s`, or `under a second` (never `0 s`). */
export const formatElapsed = (ms: number): string => (ms < 1000 ? "under a second" : formatDuration(ms))
