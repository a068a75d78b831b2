/**
 * The list part of `npm run bench:ui`: recording list and search latency through the contract (`recordings:search`,
 * a page of 100 rows plus the total the list shows), for every sort with the common filters and for searches
 * combined with a sort and a filter. When the page's total stops at 1,000 ("1000+"), the exact count the list asks
 * for next (`recordings:count`) is timed too, and the matches column shows it with a `*`.
 *
 * The list keeps some answers per connection until the cache changes (a search prefix's index terms, the matches a
 * sort-index walk gathered), so repeated runs of a case reuse them: the `first` column is the case's first call
 * (page, then count), before its warm-ups. A case after another of the same search or URL may find them kept too.
 */
import type { RecordingQuery, RecordingSort } from '../src-main/shared/domain'
import { createApi } from '../src-main/api/create-api'
import type { AppContext } from '../src-main/core/app-context'

const SORTS: RecordingSort[] = ['latest', 'oldest', 'longest', 'most-active', 'most-errors']
const WEEK_AGO_MS = Date.UTC(2026, 9, 15)

const FILTERS: Array<[string, RecordingQuery]> = [
  ['no filter', {}],
  ['has exceptions', { hasExceptions: true }],
  ['console errors + ≥ 1 min', { hasConsoleErrors: true, minDurationMs: 60_000 }],
  ['last 7 days + unviewed', { fromMs: WEEK_AGO_MS, viewed: false }],
  ['URL contains /cart', { urlContains: '/cart' }],
  ['search "checkout"', { text: 'checkout' }],
  ['search "shop" + has exceptions', { text: 'shop', hasExceptions: true }],
  ['person (distinct id)', { person: 'bench-user-777' }]
]

/** Every case: each sort with each filter, then single queries (the ones the bench printed before, and a few more). */
export const LIST_QUERIES: Array<[string, RecordingQuery]> = [
  ...FILTERS.flatMap(([label, filter]) =>
    SORTS.map((sort): [string, RecordingQuery] => [
      `${label} · ${sort}`,
      { ...filter, sort, limit: 100 }
    ])
  ),
  ['latest, offset 5000', { sort: 'latest', limit: 100, offset: 5000 }],
  ['most errors, offset 50000', { sort: 'most-errors', limit: 100, offset: 50_000 }],
  ['search: an email', { text: 'user1234@bench.test', limit: 100 }],
  ['search: email prefix "user12"', { text: 'user12', limit: 100 }],
  ['search: exception text', { text: 'Cannot read properties', limit: 100 }],
  [
    'search "checkout" + 7 days · longest',
    { text: 'checkout', fromMs: WEEK_AGO_MS, sort: 'longest', limit: 100 }
  ],
  [
    'URL contains /cart + exceptions · errors',
    { urlContains: '/cart', hasExceptions: true, sort: 'most-errors', limit: 100 }
  ],
  ['URL contains (no match)', { urlContains: '/nothing-here', limit: 100 }],
  ['performed event $pageview', { performedEvent: '$pageview', limit: 100 }]
]

/** The p-th percentile of sorted samples, nearest rank (the benchmarks' p50/p95). */
export function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN
}

const fmt = (ms: number) => (ms >= 100 ? ms.toFixed(0) : ms.toFixed(1))

export type ListBenchOptions = {
  runs: number
  /** Also time each query over HTTP against a running `tapedeck serve`. */
  http?: { origin: string; token: string }
  /** Only the cases whose label contains this text. */
  only?: string
}

/**
 * Times every case of `LIST_QUERIES` (runs each after 10 warm-ups) through the contract handler, and over HTTP when
 * asked; prints p50/p95 per case and a summary line with the worst p95 and how many cases are above 15 ms.
 */
export async function benchListContract(
  context: AppContext,
  options: ListBenchOptions
): Promise<void> {
  const api = createApi(context)
  const load = (await import('node:os')).loadavg()[0]?.toFixed(1)
  console.log(
    `\nList and search through the contract (${options.runs} runs each after 10 warm-ups; ms; load ${load})`
  )
  console.log(
    `${'query'.padEnd(44)} ${'matches'.padStart(8)}  handler p50/p95${options.http ? '   HTTP p50/p95' : ''}   count p50/p95   first page+count`
  )
  const p95s: number[] = []
  for (const [label, query] of LIST_QUERIES) {
    if (options.only && !label.includes(options.only)) continue
    const inProcess: number[] = []
    const overHttp: number[] = []
    const counting: number[] = []
    let total = ''
    let first = ''
    for (let i = 0; i < options.runs + 10; i++) {
      const t0 = performance.now()
      const page = await api['recordings:search'](query)
      const t1 = performance.now()
      if (options.http) {
        const response = await fetch(`${options.http.origin}/api/invoke/recordings:search`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-tapedeck-token': options.http.token },
          body: JSON.stringify([query])
        })
        await response.json()
      }
      const t2 = performance.now()
      total = `${page.total}${page.totalIsExact ? '' : '+'}`
      let t3 = t2
      if (!page.totalIsExact) {
        // The exact count the list shows next ("*": the page itself said "1000+").
        total = `${await api['recordings:count'](query)}*`
        t3 = performance.now()
      }
      if (i === 0) first = `${fmt(t1 - t0)}${page.totalIsExact ? '' : ` + ${fmt(t3 - t2)}`}`
      if (i >= 10) {
        inProcess.push(t1 - t0)
        overHttp.push(t2 - t1)
        if (!page.totalIsExact) counting.push(t3 - t2)
      }
    }
    const a = [...inProcess].sort((x, y) => x - y)
    const b = [...overHttp].sort((x, y) => x - y)
    const c = [...counting].sort((x, y) => x - y)
    p95s.push(percentile(a, 95))
    console.log(
      `${label.padEnd(44)} ${String(total).padStart(8)}  ${fmt(percentile(a, 50)).padStart(6)} / ${fmt(percentile(a, 95)).padEnd(7)}` +
        (options.http
          ? ` ${fmt(percentile(b, 50)).padStart(6)} / ${fmt(percentile(b, 95)).padEnd(7)}`
          : '') +
        (c.length > 0
          ? ` ${fmt(percentile(c, 50)).padStart(6)} / ${fmt(percentile(c, 95)).padEnd(7)}`
          : ' '.repeat(17)) +
        `   ${first}`
    )
  }
  const worst = Math.max(...p95s)
  console.log(
    `${p95s.length} cases: worst handler p95 ${fmt(worst)} ms; ${p95s.filter((p) => p > 15).length} above 15 ms`
  )
}
