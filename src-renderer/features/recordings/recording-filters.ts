/**
 * The recording list's filters as they live in the URL, and their translation to a `RecordingQuery`.
 *
 * The URL keeps what the user chose (a relative range stays relative: `range=7d`), so a shared or bookmarked link
 * means the same thing tomorrow. Pure functions; `nowMs` is passed in.
 */
import type { RecordingQuery, RecordingSort } from '@shared/domain'

export type RangePreset = '24h' | '7d' | '30d' | '90d'
export type ViewedFilter = 'any' | 'viewed' | 'unviewed'

export type RecordingFilters = {
  text: string
  range: RangePreset | 'any' | 'custom'
  /** Custom range, local calendar days `YYYY-MM-DD` (inclusive). */
  fromDay: string
  toDay: string
  /** Durations in seconds; `null` = no bound. */
  minDurationS: number | null
  maxDurationS: number | null
  minActiveS: number | null
  hasExceptions: boolean
  hasConsoleErrors: boolean
  person: string
  urlContains: string
  performedEvent: string
  viewed: ViewedFilter
  sort: RecordingSort
}

export const DEFAULT_FILTERS: RecordingFilters = {
  text: '',
  range: 'any',
  fromDay: '',
  toDay: '',
  minDurationS: null,
  maxDurationS: null,
  minActiveS: null,
  hasExceptions: false,
  hasConsoleErrors: false,
  person: '',
  urlContains: '',
  performedEvent: '',
  viewed: 'any',
  sort: 'latest'
}

export const RANGE_PRESETS: ReadonlyArray<{ value: RangePreset; label: string; ms: number }> = [
  { value: '24h', label: 'Last 24 hours', ms: 86_400_000 },
  { value: '7d', label: 'Last 7 days', ms: 7 * 86_400_000 },
  { value: '30d', label: 'Last 30 days', ms: 30 * 86_400_000 },
  { value: '90d', label: 'Last 90 days', ms: 90 * 86_400_000 }
]

export const SORTS: ReadonlyArray<{ value: RecordingSort; label: string }> = [
  { value: 'latest', label: 'Latest' },
  { value: 'oldest', label: 'Oldest' },
  { value: 'longest', label: 'Longest' },
  { value: 'most-active', label: 'Most active' },
  { value: 'most-errors', label: 'Most errors' }
]

const DAY_PATTERN = /^\d{4}-\d{2}-\d{2}$/

function readSeconds(value: string | null): number | null {
  if (value === null || value.trim() === '') return null
  const n = Number(value)
  return Number.isFinite(n) && n >= 0 ? n : null
}

/** Reads filters from the hash query; unknown or malformed values fall back to the defaults. */
export function filtersFromParams(params: URLSearchParams): RecordingFilters {
  const range = params.get('range')
  const sort = params.get('sort')
  const viewed = params.get('viewed')
  const fromDay = params.get('from') ?? ''
  const toDay = params.get('to') ?? ''
  const isCustom = DAY_PATTERN.test(fromDay) || DAY_PATTERN.test(toDay)
  return {
    text: params.get('q') ?? '',
    range: RANGE_PRESETS.some((p) => p.value === range) ? (range as RangePreset) : isCustom ? 'custom' : 'any',
    fromDay: DAY_PATTERN.test(fromDay) ? fromDay : '',
    toDay: DAY_PATTERN.test(toDay) ? toDay : '',
    minDurationS: readSeconds(params.get('minDur')),
    maxDurationS: readSeconds(params.get('maxDur')),
    minActiveS: readSeconds(params.get('minActive')),
    hasExceptions: params.get('errors') === '1',
    hasConsoleErrors: params.get('console') === '1',
    person: params.get('person') ?? '',
    urlContains: params.get('url') ?? '',
    performedEvent: params.get('event') ?? '',
    viewed: viewed === 'viewed' || viewed === 'unviewed' ? viewed : 'any',
    sort: SORTS.some((s) => s.value === sort) ? (sort as RecordingSort) : 'latest'
  }
}

/** Writes filters to a hash query, leaving defaults out so links stay short. */
export function filtersToParams(filters: RecordingFilters): URLSearchParams {
  const params = new URLSearchParams()
  if (filters.text.trim()) params.set('q', filters.text)
  if (filters.range === 'custom') {
    if (filters.fromDay) params.set('from', filters.fromDay)
    if (filters.toDay) params.set('to', filters.toDay)
  } else if (filters.range !== 'any') {
    params.set('range', filters.range)
  }
  if (filters.minDurationS !== null) params.set('minDur', String(filters.minDurationS))
  if (filters.maxDurationS !== null) params.set('maxDur', String(filters.maxDurationS))
  if (filters.minActiveS !== null) params.set('minActive', String(filters.minActiveS))
  if (filters.hasExceptions) params.set('errors', '1')
  if (filters.hasConsoleErrors) params.set('console', '1')
  if (filters.person.trim()) params.set('person', filters.person.trim())
  if (filters.urlContains.trim()) params.set('url', filters.urlContains.trim())
  if (filters.performedEvent.trim()) params.set('event', filters.performedEvent.trim())
  if (filters.viewed !== 'any') params.set('viewed', filters.viewed)
  if (filters.sort !== 'latest') params.set('sort', filters.sort)
  return params
}

function localDayStartMs(day: string): number {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number]
  return new Date(y, m - 1, d).getTime()
}

/** The query the core runs for these filters (without paging). */
export function filtersToQuery(filters: RecordingFilters, nowMs: number): RecordingQuery {
  const query: RecordingQuery = { sort: filters.sort }
  const text = filters.text.trim()
  if (text) query.text = text
  if (filters.range === 'custom') {
    if (filters.fromDay) query.fromMs = localDayStartMs(filters.fromDay)
    if (filters.toDay) query.toMs = localDayStartMs(filters.toDay) + 86_400_000 - 1
  } else if (filters.range !== 'any') {
    const preset = RANGE_PRESETS.find((p) => p.value === filters.range)
    if (preset) query.fromMs = Math.max(0, nowMs - preset.ms)
  }
  if (filters.minDurationS !== null) query.minDurationMs = Math.round(filters.minDurationS * 1000)
  if (filters.maxDurationS !== null) query.maxDurationMs = Math.round(filters.maxDurationS * 1000)
  if (filters.minActiveS !== null) query.minActiveMs = Math.round(filters.minActiveS * 1000)
  if (filters.hasExceptions) query.hasExceptions = true
  if (filters.hasConsoleErrors) query.hasConsoleErrors = true
  if (filters.person.trim()) query.person = filters.person.trim()
  if (filters.urlContains.trim()) query.urlContains = filters.urlContains.trim()
  if (filters.performedEvent.trim()) query.performedEvent = filters.performedEvent.trim()
  if (filters.viewed !== 'any') query.viewed = filters.viewed === 'viewed'
  return query
}

function toLocalDay(ms: number): string {
  const date = new Date(ms)
  const pad = (n: number) => String(n).padStart(2, '0')
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`
}

/** Filters for a saved query (a saved view); absolute times become a custom day range. */
export function filtersFromQuery(query: RecordingQuery): RecordingFilters {
  const hasRange = query.fromMs !== undefined || query.toMs !== undefined
  return {
    ...DEFAULT_FILTERS,
    text: query.text ?? '',
    range: hasRange ? 'custom' : 'any',
    fromDay: query.fromMs !== undefined ? toLocalDay(query.fromMs) : '',
    toDay: query.toMs !== undefined ? toLocalDay(query.toMs) : '',
    minDurationS: query.minDurationMs !== undefined ? query.minDurationMs / 1000 : null,
    maxDurationS: query.maxDurationMs !== undefined ? query.maxDurationMs / 1000 : null,
    minActiveS: query.minActiveMs !== undefined ? query.minActiveMs / 1000 : null,
    hasExceptions: query.hasExceptions === true,
    hasConsoleErrors: query.hasConsoleErrors === true,
    person: query.person ?? '',
    urlContains: query.urlContains ?? '',
    performedEvent: query.performedEvent ?? '',
    viewed: query.viewed === undefined ? 'any' : query.viewed ? 'viewed' : 'unviewed',
    sort: query.sort ?? 'latest'
  }
}

/** How many filters differ from the defaults (text and sort excluded), for the "Filters (3)" label. */
export function countActiveFilters(filters: RecordingFilters): number {
  let n = 0
  if (filters.range !== 'any') n++
  if (filters.minDurationS !== null) n++
  if (filters.maxDurationS !== null) n++
  if (filters.minActiveS !== null) n++
  if (filters.hasExceptions) n++
  if (filters.hasConsoleErrors) n++
  if (filters.person.trim()) n++
  if (filters.urlContains.trim()) n++
  if (filters.performedEvent.trim()) n++
  if (filters.viewed !== 'any') n++
  return n
}
