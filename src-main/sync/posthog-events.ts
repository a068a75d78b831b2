import type { PostHogApi } from './posthog-api'

/** One analytics event in the batch-export JSONL shape the importer reads (FORMATS.md §3.2). */
export type ExportedEvent = {
  uuid: string
  event: string
  distinct_id: string
  person_id: string | null
  timestamp: string
  properties: Record<string, unknown>
  elements_chain: string | null
  created_at: string | null
}

const EVENT_COLUMNS = [
  'uuid',
  'event',
  'distinct_id',
  'person_id',
  'timestamp',
  'properties',
  'elements_chain',
  'created_at',
  '$session_id'
] as const

/** Rows per query page; PostHog returns at most 50 000 with an explicit LIMIT. */
export const EVENTS_PAGE_SIZE = 5_000

/** Quotes a string for a HogQL literal. */
export function quoteHogQL(value: string): string {
  return `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`
}

/**
 * A HogQL timestamp literal with microseconds.
 *
 * HogQL maps `toDateTime(string)` to `parseDateTime64BestEffortOrNull` (microsecond precision); the `Z` keeps it
 * in UTC whatever the project's time zone.
 */
function hogqlTime(ms: number, micros = 0): string {
  const iso = new Date(ms).toISOString().replace('Z', '')
  return `toDateTime(${quoteHogQL(`${iso}${String(micros).padStart(3, '0')}Z`)})`
}

export type EventsWindow = {
  sessionIds: readonly string[]
  /** Only events at or after this time (a margin before the earliest recording start). */
  fromMs: number
  /** Only events at or before this time. */
  toMs: number
}

type PageKey = { timestamp: string; timestampMs: number; micros: number; uuid: string }

/**
 * The HogQL query for one page of a window's events, ordered by (timestamp, uuid).
 *
 * Pages by a timestamp window rather than OFFSET (PostHog's advice): each page starts strictly after the last
 * (timestamp, uuid) of the previous one, so ties at one timestamp are neither lost nor repeated.
 */
export function buildEventsQuery(
  window: EventsWindow,
  after: PageKey | null,
  limit = EVENTS_PAGE_SIZE
): string {
  const ids = window.sessionIds.map(quoteHogQL).join(', ')
  const conditions = [
    `$session_id IN (${ids})`,
    `timestamp >= ${hogqlTime(window.fromMs)}`,
    `timestamp <= ${hogqlTime(window.toMs)}`
  ]
  if (after) {
    const at = hogqlTime(after.timestampMs, after.micros)
    conditions.push(
      `(timestamp > ${at} OR (timestamp = ${at} AND toString(uuid) > ${quoteHogQL(after.uuid)}))`
    )
  }
  return (
    `SELECT ${EVENT_COLUMNS.join(', ')} FROM events WHERE ${conditions.join(' AND ')} ` +
    `ORDER BY timestamp ASC, toString(uuid) ASC LIMIT ${Math.trunc(limit)}`
  )
}

/** Reads `2026-10-12T08:04:06.891123Z` (or with an offset) into epoch ms plus the microseconds past it. */
export function parseEventTimestamp(value: string): { ms: number; micros: number } {
  const ms = Date.parse(
    value.includes('T') || value.includes('Z') ? value : `${value.replace(' ', 'T')}Z`
  )
  const fraction = /\.(\d+)/.exec(value)?.[1] ?? ''
  const micros = Number(fraction.slice(3, 6).padEnd(3, '0'))
  return { ms, micros }
}

/**
 * Downloads the events of some sessions through the query API, grouped by session id.
 *
 * `properties` arrive as a JSON string (HogQL returns the column as text) or an object; both become objects.
 */
export async function fetchSessionEvents(
  api: PostHogApi,
  window: EventsWindow,
  signal?: AbortSignal,
  pageSize = EVENTS_PAGE_SIZE
): Promise<Map<string, ExportedEvent[]>> {
  const bySession = new Map<string, ExportedEvent[]>()
  let after: PageKey | null = null
  for (;;) {
    const response = await api.query(buildEventsQuery(window, after, pageSize), signal)
    if (response.error) throw new Error(`the events query failed: ${response.error}`)
    const columns = response.columns ?? [...EVENT_COLUMNS]
    const index = (name: string) => columns.indexOf(name)
    const rows = response.results ?? []
    for (const row of rows) {
      const event = rowToEvent(row, index)
      if (!event) continue
      const sessionId = String(row[index('$session_id')] ?? event.properties.$session_id ?? '')
      const list = bySession.get(sessionId) ?? []
      list.push(event)
      bySession.set(sessionId, list)
    }
    const last = rows.at(-1)
    if (!last || rows.length < pageSize) break
    const timestamp = String(last[index('timestamp')])
    const { ms, micros } = parseEventTimestamp(timestamp)
    after = { timestamp, timestampMs: ms, micros, uuid: String(last[index('uuid')]) }
  }
  return bySession
}

function rowToEvent(row: unknown[], index: (name: string) => number): ExportedEvent | null {
  const get = (name: string) => {
    const i = index(name)
    return i < 0 ? undefined : row[i]
  }
  const uuid = get('uuid')
  const event = get('event')
  const timestamp = get('timestamp')
  if (typeof uuid !== 'string' || typeof event !== 'string' || typeof timestamp !== 'string')
    return null
  const rawProperties = get('properties')
  let properties: Record<string, unknown> = {}
  if (typeof rawProperties === 'string') {
    try {
      properties = JSON.parse(rawProperties) as Record<string, unknown>
    } catch {
      properties = {}
    }
  } else if (typeof rawProperties === 'object' && rawProperties !== null) {
    properties = rawProperties as Record<string, unknown>
  }
  const text = (value: unknown) =>
    value === undefined || value === null || value === '' ? null : String(value)
  return {
    uuid,
    event,
    distinct_id: String(get('distinct_id') ?? ''),
    person_id: text(get('person_id')),
    timestamp,
    properties,
    elements_chain: text(get('elements_chain')),
    created_at: text(get('created_at'))
  }
}
