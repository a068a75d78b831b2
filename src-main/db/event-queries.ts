import type { AnalyticsEvent } from '@shared/domain'
import type { ReadableDb } from './types'

type EventRow = {
  uuid: string
  event: string
  distinct_id: string
  person_key: string | null
  session_id: string | null
  window_id: string | null
  timestamp_ms: number
  url: string | null
  properties: string
}

const EVENT_COLUMNS = `uuid, event, distinct_id, person_key, session_id, window_id, timestamp_ms, url, properties`

function rowToEvent(row: EventRow): AnalyticsEvent {
  let properties: Record<string, unknown> = {}
  try {
    properties = JSON.parse(row.properties) as Record<string, unknown>
  } catch {
    // A CSV export can carry a mangled properties cell; the event is still worth showing.
  }
  return {
    uuid: row.uuid,
    event: row.event,
    distinctId: row.distinct_id,
    personId: row.person_key,
    sessionId: row.session_id,
    windowId: row.window_id,
    timestampMs: row.timestamp_ms,
    url: row.url,
    properties
  }
}

/**
 * A person's events, newest first, optionally of one event name.
 *
 * `personKey` is the resolved person (`events.person_key`). Uses the (person_key, timestamp_ms, event) index.
 */
export function listPersonEvents(
  db: ReadableDb,
  personKey: string,
  options: { event?: string; offset: number; limit: number }
): { total: number; events: AnalyticsEvent[] } {
  const params = {
    personKey,
    event: options.event ?? null,
    offset: options.offset,
    limit: options.limit
  }
  const where = `person_key = @personKey AND (@event IS NULL OR event = @event)`
  const total = db
    .prepare(`SELECT count(*) FROM events WHERE ${where}`)
    .pluck()
    .get(params) as number
  const rows = db
    .prepare(
      `SELECT ${EVENT_COLUMNS} FROM events WHERE ${where}
       ORDER BY timestamp_ms DESC, rowid DESC LIMIT @limit OFFSET @offset`
    )
    .all(params) as EventRow[]
  return { total, events: rows.map(rowToEvent) }
}

/** Event names of one person with their counts, most frequent first. */
export function listPersonEventNames(
  db: ReadableDb,
  personKey: string
): { name: string; count: number }[] {
  return db
    .prepare(
      `SELECT event AS name, count(*) AS count FROM events WHERE person_key = ?
       GROUP BY event ORDER BY count DESC, event`
    )
    .all(personKey) as { name: string; count: number }[]
}

/** Every event name in the cache with its count, most frequent first (the funnel builder's choices). */
export function listEventNames(db: ReadableDb): { name: string; count: number }[] {
  return db
    .prepare(
      `SELECT event AS name, count(*) AS count FROM events GROUP BY event ORDER BY count DESC, event`
    )
    .all() as { name: string; count: number }[]
}

/**
 * Property names seen on a sample of an event's occurrences (the latest `sample`), most frequent first.
 *
 * A sample, because reading every properties object of a common event is slow on a large cache.
 */
export function listEventPropertyNames(db: ReadableDb, event: string, sample = 500): string[] {
  return db
    .prepare(
      `SELECT j.key AS name FROM (SELECT properties FROM events WHERE event = ? ORDER BY timestamp_ms DESC LIMIT ?) e,
         json_each(e.properties) j
       GROUP BY j.key ORDER BY count(*) DESC, j.key`
    )
    .pluck()
    .all(event, sample) as string[]
}

/** The session id of each event rowid given (rowids without a session are left out). */
export function getSessionIdsOfEvents(
  db: ReadableDb,
  rowids: readonly number[]
): Map<number, string> {
  const result = new Map<number, string>()
  if (rowids.length === 0) return result
  const rows = db
    .prepare(
      `SELECT e.rowid AS rowid, e.session_id AS sessionId FROM json_each(?) j JOIN events e ON e.rowid = j.value
       WHERE e.session_id IS NOT NULL`
    )
    .all(JSON.stringify(rowids)) as { rowid: number; sessionId: string }[]
  for (const row of rows) result.set(row.rowid, row.sessionId)
  return result
}

/** The device properties of each rowid given ($device_id, $device_type, $browser, $os). */
export function getDevicePropertiesOfEvents(
  db: ReadableDb,
  rowids: readonly number[]
): Map<
  number,
  { deviceId: string | null; deviceType: string | null; browser: string | null; os: string | null }
> {
  const result = new Map<
    number,
    {
      deviceId: string | null
      deviceType: string | null
      browser: string | null
      os: string | null
    }
  >()
  for (let i = 0; i < rowids.length; i += 5000) {
    const rows = db
      .prepare(
        `SELECT e.rowid AS rowid, e.properties ->> '$."$device_id"' AS deviceId,
           e.properties ->> '$."$device_type"' AS deviceType, e.properties ->> '$."$browser"' AS browser,
           e.properties ->> '$."$os"' AS os
         FROM json_each(?) j JOIN events e ON e.rowid = j.value`
      )
      .all(JSON.stringify(rowids.slice(i, i + 5000))) as {
      rowid: number
      deviceId: unknown
      deviceType: unknown
      browser: unknown
      os: unknown
    }[]
    for (const row of rows) {
      result.set(row.rowid, {
        deviceId: textOrNull(row.deviceId),
        deviceType: textOrNull(row.deviceType),
        browser: textOrNull(row.browser),
        os: textOrNull(row.os)
      })
    }
  }
  return result
}

function textOrNull(value: unknown): string | null {
  return value === null || value === undefined || value === '' ? null : String(value)
}
