import { describe, expect, it } from 'vitest'
import {
  countActiveFilters,
  DEFAULT_FILTERS,
  filtersFromParams,
  filtersFromQuery,
  filtersToParams,
  filtersToQuery,
  type RecordingFilters
} from './recording-filters'

const NOW = Date.UTC(2026, 9, 22, 12, 0, 0)

describe('recording filters in the URL', () => {
  it('round-trips every filter through the hash query', () => {
    const filters: RecordingFilters = {
      text: 'ada@example.com',
      range: '7d',
      fromDay: '',
      toDay: '',
      minDurationS: 60,
      maxDurationS: 900,
      minActiveS: 5,
      hasExceptions: true,
      hasConsoleErrors: true,
      person: 'p-1',
      urlContains: '/checkout',
      performedEvent: 'purchase_completed',
      viewed: 'unviewed',
      sort: 'most-errors'
    }
    const params = filtersToParams(filters)
    expect(params.toString()).toBe(
      'q=ada%40example.com&range=7d&minDur=60&maxDur=900&minActive=5&errors=1&console=1&person=p-1&url=%2Fcheckout&event=purchase_completed&viewed=unviewed&sort=most-errors'
    )
    expect(filtersFromParams(params)).toEqual(filters)
  })

  it('leaves defaults out and ignores malformed values', () => {
    expect(filtersToParams(DEFAULT_FILTERS).toString()).toBe('')
    expect(filtersFromParams(new URLSearchParams('sort=random&range=3y&minDur=-4&viewed=maybe&from=yesterday'))).toEqual(DEFAULT_FILTERS)
  })

  it('keeps a custom day range', () => {
    const filters = filtersFromParams(new URLSearchParams('from=2026-10-12&to=2026-10-14'))
    expect(filters).toMatchObject({ range: 'custom', fromDay: '2026-10-12', toDay: '2026-10-14' })
    expect(filtersToParams(filters).toString()).toBe('from=2026-10-12&to=2026-10-14')
  })
})

describe('filtersToQuery', () => {
  it('turns a relative range into a start time from now, and seconds into ms', () => {
    const query = filtersToQuery({ ...DEFAULT_FILTERS, range: '24h', minDurationS: 30, minActiveS: 1.5, viewed: 'viewed' }, NOW)
    expect(query).toEqual({ sort: 'latest', fromMs: NOW - 86_400_000, minDurationMs: 30_000, minActiveMs: 1500, viewed: true })
  })

  it('covers whole local days for a custom range and trims text', () => {
    const query = filtersToQuery({ ...DEFAULT_FILTERS, range: 'custom', fromDay: '2026-10-12', toDay: '2026-10-12', text: '  lamp ', person: ' ' }, NOW)
    expect(query.fromMs).toBe(new Date(2026, 9, 12).getTime())
    expect(query.toMs).toBe(new Date(2026, 9, 13).getTime() - 1)
    expect(query.text).toBe('lamp')
    expect(query.person).toBeUndefined()
  })

  it('maps a saved query back to filters (absolute times become days)', () => {
    const from = new Date(2026, 9, 12, 9, 30).getTime()
    const filters = filtersFromQuery({ fromMs: from, hasExceptions: true, viewed: false, sort: 'longest', maxDurationMs: 120_000 })
    expect(filters).toEqual({ ...DEFAULT_FILTERS, range: 'custom', fromDay: '2026-10-12', hasExceptions: true, viewed: 'unviewed', sort: 'longest', maxDurationS: 120 })
    expect(countActiveFilters(filters)).toBe(4)
  })
})
