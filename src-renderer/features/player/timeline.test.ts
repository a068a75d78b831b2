import { describe, expect, it } from 'vitest'
import { buildChunk, buildDetail, buildException, T0 } from '../../test/builders'
import {
  buildInspectorRows,
  buildMarkers,
  dedupeExceptions,
  filterInspectorRows,
  findActiveWindow,
  findChunkIndexAt,
  findCurrentRowIndex,
  findExceptionAt,
  findInactiveSpans,
  findKeyframeIndex,
  findNextException,
  findPreviousException,
  findSkipTarget,
  groupChunksByWindow,
  sortExceptions,
  thinMarkers
} from './timeline'

const chunks = [
  buildChunk({ seq: 0, firstMs: T0, lastMs: T0 + 9_000, hasFullSnapshot: true }),
  buildChunk({ seq: 1, firstMs: T0 + 10_000, lastMs: T0 + 19_000, hasFullSnapshot: false }),
  buildChunk({ seq: 2, firstMs: T0 + 20_000, lastMs: T0 + 29_000, hasFullSnapshot: true }),
  buildChunk({ seq: 3, firstMs: T0 + 30_000, lastMs: T0 + 39_000, hasFullSnapshot: false })
]

describe('keyframes and chunks', () => {
  it('seeks from the last full snapshot at or before the target', () => {
    expect(findKeyframeIndex(chunks, T0 + 5_000)).toBe(0)
    expect(findKeyframeIndex(chunks, T0 + 15_000)).toBe(0)
    expect(findKeyframeIndex(chunks, T0 + 20_000)).toBe(2)
    expect(findKeyframeIndex(chunks, T0 + 35_000)).toBe(2)
    expect(findKeyframeIndex(chunks, T0 - 1_000)).toBe(0)
  })

  it('starts at the first full snapshot when the window begins without one, and gives up without any', () => {
    const late = [buildChunk({ seq: 0, hasFullSnapshot: false }), buildChunk({ seq: 1, firstMs: T0 + 20_000, hasFullSnapshot: true })]
    expect(findKeyframeIndex(late, T0 + 1_000)).toBe(1)
    expect(findKeyframeIndex([buildChunk({ hasFullSnapshot: false })], T0)).toBe(-1)
  })

  it('finds the chunk holding a time, and groups chunks by window in time order', () => {
    expect(findChunkIndexAt(chunks, T0 + 25_000)).toBe(2)
    expect(findChunkIndexAt(chunks, T0 + 10_000)).toBe(1)
    expect(findChunkIndexAt(chunks, T0 - 5)).toBe(0)
    const grouped = groupChunksByWindow([
      buildChunk({ seq: 2, windowId: 'b', firstMs: T0 + 5 }),
      buildChunk({ seq: 0, windowId: 'a', firstMs: T0 + 9 }),
      buildChunk({ seq: 1, windowId: 'a', firstMs: T0 + 1 })
    ])
    expect([...grouped.keys()]).toEqual(['b', 'a'])
    expect(grouped.get('a')?.map((c) => c.seq)).toEqual([1, 0])
  })
})

describe('inactivity and windows', () => {
  const segments = [
    { windowId: 'w1', startMs: T0, endMs: T0 + 5_000, isActive: true },
    { windowId: 'w1', startMs: T0 + 5_000, endMs: T0 + 30_000, isActive: false },
    { windowId: 'w2', startMs: T0 + 12_000, endMs: T0 + 14_000, isActive: true },
    { windowId: 'w1', startMs: T0 + 30_000, endMs: T0 + 40_000, isActive: true }
  ]

  it('finds the gaps no window is active in', () => {
    expect(findInactiveSpans(segments, T0, T0 + 50_000)).toEqual([
      { startMs: T0 + 5_000, endMs: T0 + 12_000 },
      { startMs: T0 + 14_000, endMs: T0 + 30_000 },
      { startMs: T0 + 40_000, endMs: T0 + 50_000 }
    ])
    expect(findInactiveSpans(segments, T0, T0 + 41_000, 2_000)).toHaveLength(2)
  })

  it('skips to just before activity resumes', () => {
    const spans = findInactiveSpans(segments, T0, T0 + 40_000)
    expect(findSkipTarget(spans, T0 + 6_000)).toBe(T0 + 12_000 - 250)
    expect(findSkipTarget(spans, T0 + 13_000)).toBeNull()
    expect(findSkipTarget(spans, T0 + 11_900)).toBeNull()
  })

  it('follows the window with the latest activity', () => {
    const windows = [
      { windowId: 'w1', index: 1, firstMs: T0, lastMs: T0 + 40_000, eventCount: 1, startUrl: null },
      { windowId: 'w2', index: 2, firstMs: T0 + 11_000, lastMs: T0 + 15_000, eventCount: 1, startUrl: null }
    ]
    expect(findActiveWindow(windows, segments, T0 + 1_000)).toBe('w1')
    expect(findActiveWindow(windows, segments, T0 + 13_000)).toBe('w2')
    expect(findActiveWindow(windows, segments, T0 + 20_000)).toBe('w2')
    expect(findActiveWindow(windows, segments, T0 + 31_000)).toBe('w1')
    expect(findActiveWindow(windows, [], T0 + 12_000)).toBe('w2')
  })
})

describe('exceptions', () => {
  const event = buildException({ id: 1, timestampMs: T0 + 10_014, source: 'event', message: "Cannot read properties of undefined (reading 'primary')" })
  const echo = buildException({ id: 2, timestampMs: T0 + 10_000, source: 'console', message: "Uncaught TypeError: Cannot read properties of undefined (reading 'primary')" })
  const consoleOnly = buildException({ id: 3, timestampMs: T0 + 4_000, source: 'console', type: 'console.error', message: 'Failed to load recommendations' })
  const later = buildException({ id: 4, timestampMs: T0 + 10_080, source: 'event', message: "Cannot read properties of undefined (reading 'primary')" })
  const sorted = dedupeExceptions(sortExceptions([event, echo, consoleOnly, later]))

  it('drops console echoes of $exception events but keeps other console errors', () => {
    expect(sorted.map((e) => e.id)).toEqual([3, 1, 4])
  })

  it('shows the latest exception at the playhead, preferring the $exception over its echo', () => {
    expect(findExceptionAt(sorted, T0 + 3_999)).toBeNull()
    expect(findExceptionAt(sorted, T0 + 5_000)?.id).toBe(3)
    expect(findExceptionAt(sorted, T0 + 10_014)?.id).toBe(1)
    expect(findExceptionAt(sorted, T0 + 50_000)?.id).toBe(4)
    expect(findExceptionAt(sortExceptions([event, echo]), T0 + 10_005)?.id).toBe(2)
    expect(findExceptionAt(sortExceptions([echo, event]), T0 + 10_020)?.id).toBe(1)
  })

  it('steps through exceptions a few ms apart with next and previous', () => {
    expect(findNextException(sorted, T0)?.id).toBe(3)
    expect(findNextException(sorted, T0 + 10_014)?.id).toBe(4)
    expect(findNextException(sorted, T0 + 10_080)).toBeNull()
    expect(findPreviousException(sorted, T0 + 10_080)?.id).toBe(1)
    expect(findPreviousException(sorted, T0 + 10_014)?.id).toBe(3)
    expect(findPreviousException(sorted, T0 + 30_000)?.id).toBe(4)
    expect(findPreviousException(sorted, T0 + 4_000)).toBeNull()
  })
})

describe('markers and inspector rows', () => {
  const detail = buildDetail({
    items: [
      { timestampMs: T0 + 1_000, windowId: 'w1', kind: 'navigation', level: null, label: 'https://shop/', detail: null },
      { timestampMs: T0 + 2_000, windowId: 'w1', kind: 'click', level: null, label: 'Add to cart', detail: null },
      { timestampMs: T0 + 3_000, windowId: 'w1', kind: 'console', level: 'error', label: 'boom', detail: 'at x' },
      { timestampMs: T0 + 3_500, windowId: 'w1', kind: 'console', level: 'log', label: 'hello', detail: null },
      { timestampMs: T0 + 4_000, windowId: 'w1', kind: 'network', level: '500', label: 'GET /api', detail: null },
      { timestampMs: T0 + 5_000, windowId: 'w1', kind: 'exception', level: 'error', label: 'dup of the exception row', detail: null }
    ],
    exceptions: [buildException({ id: 7, timestampMs: T0 + 5_000, frames: [
      { function: 'outer', filename: 'app.js', lineno: 1, colno: 2, inApp: true },
      { function: 'thrower', filename: 'app.js', lineno: 9, colno: 4, inApp: true }
    ] })]
  })

  it('marks exceptions, console errors, navigations and clicks at their offsets', () => {
    const markers = buildMarkers(detail)
    expect(markers.map((m) => [m.kind, m.offsetMs])).toEqual([
      ['click', 2_000],
      ['navigation', 1_000],
      ['console-error', 3_000],
      ['exception', 5_000]
    ])
    expect(markers[3]?.label).toBe('TypeError: x is undefined')
  })

  it('builds one row per item (exceptions with their stack, throwing frame first) and filters by tab, text and level', () => {
    const rows = buildInspectorRows(detail)
    expect(rows.map((r) => r.kind)).toEqual(['navigation', 'click', 'console', 'console', 'network', 'exception'])
    expect(rows[5]?.detail).toBe('thrower (app.js:9:4)\nouter (app.js:1:2)')
    expect(filterInspectorRows(rows, 'events', '', 'all').map((r) => r.label)).toEqual(['https://shop/', 'Add to cart'])
    expect(filterInspectorRows(rows, 'console', '', 'error').map((r) => r.label)).toEqual(['boom'])
    expect(filterInspectorRows(rows, 'all', 'AT X', 'all').map((r) => r.label)).toEqual(['boom'])
    expect(filterInspectorRows(rows, 'network', '', 'error').map((r) => r.label)).toEqual(['GET /api'])
    expect(filterInspectorRows(rows, 'exceptions', '', 'all')).toHaveLength(1)
    expect(findCurrentRowIndex(rows, 3_200)).toBe(2)
    expect(findCurrentRowIndex(rows, 500)).toBe(-1)
  })
})

describe('thinMarkers', () => {
  it('keeps one marker per kind and slice of the bar, counting the rest', () => {
    const clicks = Array.from({ length: 1000 }, (_, i) => ({ offsetMs: i * 10, kind: 'click' as const, label: 'Click' }))
    const thinned = thinMarkers([...clicks, { offsetMs: 5, kind: 'exception', label: 'boom' }], 10_000, 100)
    const kept = thinned.filter((m) => m.kind === 'click')
    expect(kept.length).toBeGreaterThanOrEqual(99)
    expect(kept.length).toBeLessThanOrEqual(100)
    expect(kept.reduce((n, m) => n + m.count, 0)).toBe(1000)
    expect(thinned.find((m) => m.kind === 'exception')).toMatchObject({ offsetMs: 5, count: 1 })
  })
})
