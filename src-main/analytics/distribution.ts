import type { HistogramBucket, Percentiles } from '@shared/analytics'

/** Statistics helpers for the session figures: histograms, percentiles, averages, days. Pure functions. */

const DAY_MS = 86_400_000

/** Duration buckets, in seconds. */
export const DURATION_EDGES_SECONDS = [0, 10, 30, 60, 180, 600, 1800, 3600, 4 * 3600]
/** Buckets of counts (pageviews, sessions per person). */
export const COUNT_EDGES = [0, 1, 2, 3, 4, 5, 10, 20]

/** Buckets [edges[i], edges[i+1]) plus a last open bucket [last edge, ∞) (its `to` is Infinity as null in JSON). */
export function histogram(values: number[], edges: number[]): HistogramBucket[] {
  const buckets = edges.map((from, i) => ({
    from,
    to: i + 1 < edges.length ? edges[i + 1] : Infinity,
    count: 0
  }))
  for (const value of values) {
    let i = buckets.length - 1
    while (i > 0 && value < buckets[i].from) i--
    buckets[i].count++
  }
  return buckets.map((b) => ({ ...b, to: Number.isFinite(b.to) ? b.to : -1 }))
}

export function sortedCopy(values: number[]): Float64Array {
  return Float64Array.from(values).sort()
}

/** Linear interpolation between closest ranks (numpy's default); 0 for no values. */
export function percentile(sorted: Float64Array, q: number): number {
  if (sorted.length === 0) return 0
  const rank = q * (sorted.length - 1)
  const low = Math.floor(rank)
  const high = Math.ceil(rank)
  return sorted[low] + (sorted[high] - sorted[low]) * (rank - low)
}

export function percentiles(values: number[]): Percentiles {
  const sorted = sortedCopy(values)
  return {
    p50: percentile(sorted, 0.5),
    p75: percentile(sorted, 0.75),
    p90: percentile(sorted, 0.9),
    p95: percentile(sorted, 0.95),
    p99: percentile(sorted, 0.99)
  }
}

export function average(values: number[]): number {
  if (values.length === 0) return 0
  let sum = 0
  for (const value of values) sum += value
  return sum / values.length
}

export function formatDay(day: number): string {
  return new Date(day * DAY_MS).toISOString().slice(0, 10)
}

export function fillDays(perDay: Map<number, number>): { day: string; sessions: number }[] {
  if (perDay.size === 0) return []
  const days = [...perDay.keys()]
  const first = Math.min(...days)
  const last = Math.min(Math.max(...days), first + 3660)
  const result: { day: string; sessions: number }[] = []
  for (let day = first; day <= last; day++)
    result.push({ day: formatDay(day), sessions: perDay.get(day) ?? 0 })
  return result
}
