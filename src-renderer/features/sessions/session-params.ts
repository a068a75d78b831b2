/**
 * The sessions screen's URL: how sessions are defined (`def`, `gap` in minutes, `prop`) and which figure is drilled
 * into (`show`). Pure functions.
 */
import type { SessionDefinition, SessionFilter } from '@shared/analytics'

/** Reads the session definition; `$session_id` unless the URL says otherwise. */
export function definitionFromParams(params: URLSearchParams): SessionDefinition {
  const kind = params.get('def')
  if (kind === 'gap') {
    const minutes = Number(params.get('gap') ?? '30')
    return {
      kind: 'gap',
      gapMs: Math.round((Number.isFinite(minutes) && minutes > 0 ? minutes : 30) * 60_000)
    }
  }
  if (kind === 'property') {
    const property = params.get('prop')?.trim()
    if (property) return { kind: 'property', property }
  }
  return { kind: 'session-id' }
}

/** Reads the drill-down: `all`, `day:2026-10-12`, `duration:10-30`, `pageviews:1-1`, `bounced`, `multi-device`,
 * `person:<id>`; null when nothing is selected. */
export function filterFromParams(params: URLSearchParams): SessionFilter | null {
  const show = params.get('show')
  if (!show) return null
  if (show === 'all' || show === 'bounced' || show === 'multi-device') return { kind: show }
  const at = show.indexOf(':')
  const kind = show.slice(0, at)
  const value = show.slice(at + 1)
  if (kind === 'day' && /^\d{4}-\d{2}-\d{2}$/.test(value)) return { kind: 'day', day: value }
  if (kind === 'person' && value) return { kind: 'person', personId: value }
  const range = /^(\d+(?:\.\d+)?)-(\d+(?:\.\d+)?|inf)$/.exec(value)
  if (range && (kind === 'duration' || kind === 'pageviews')) {
    const min = Number(range[1])
    const max = range[2] === 'inf' ? Number.MAX_SAFE_INTEGER : Number(range[2])
    return kind === 'duration' ? { kind, minSeconds: min, maxSeconds: max } : { kind, min, max }
  }
  return null
}

/** The hash query for a definition and a drill-down. */
export function toParams(
  definition: SessionDefinition,
  filter: SessionFilter | null
): Record<string, string> {
  const params: Record<string, string> = {}
  if (definition.kind === 'gap') {
    params.def = 'gap'
    params.gap = String(definition.gapMs / 60_000)
  } else if (definition.kind === 'property') {
    params.def = 'property'
    params.prop = definition.property
  }
  if (filter) params.show = describeFilterParam(filter)
  return params
}

function describeFilterParam(filter: SessionFilter): string {
  switch (filter.kind) {
    case 'all':
    case 'bounced':
    case 'multi-device':
      return filter.kind
    case 'day':
      return `day:${filter.day}`
    case 'person':
      return `person:${filter.personId}`
    case 'duration':
      return `duration:${filter.minSeconds}-${filter.maxSeconds >= Number.MAX_SAFE_INTEGER ? 'inf' : filter.maxSeconds}`
    case 'pageviews':
      return `pageviews:${filter.min}-${filter.max >= Number.MAX_SAFE_INTEGER ? 'inf' : filter.max}`
  }
}

/** A heading for the drill-down. */
export function describeFilter(filter: SessionFilter): string {
  switch (filter.kind) {
    case 'all':
      return 'All sessions'
    case 'bounced':
      return 'Bounced sessions'
    case 'multi-device':
      return 'Sessions of persons on several devices'
    case 'day':
      return `Sessions started on ${filter.day} (UTC)`
    case 'person':
      return `Sessions of ${filter.personId}`
    case 'duration':
      return filter.maxSeconds >= Number.MAX_SAFE_INTEGER
        ? `Sessions of ${filter.minSeconds} s or more`
        : `Sessions from ${filter.minSeconds} s to under ${filter.maxSeconds} s`
    case 'pageviews':
      return filter.max >= Number.MAX_SAFE_INTEGER
        ? `Sessions with ${filter.min} or more pageviews`
        : filter.min === filter.max
          ? `Sessions with ${filter.min} pageview${filter.min === 1 ? '' : 's'}`
          : `Sessions with ${filter.min} to ${filter.max} pageviews`
  }
}

/** Labels for the per-day chart: `10-16` while all days are in one year, the whole `2024-10-16` when they span years. */
export function perDayLabels(days: string[]): string[] {
  const spansYears = days.length > 0 && days[0]?.slice(0, 4) !== days.at(-1)?.slice(0, 4)
  return days.map((day) => (spansYears ? day : day.slice(5)))
}
