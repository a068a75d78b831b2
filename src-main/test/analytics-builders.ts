import { createEventColumnsWriter, eventColumnValues } from '../db/event-columns'
import type { WritableDb } from '../db/types'

/** An analytics event for `insertEvents`, with readable defaults. */
export type EventSpec = {
  event: string
  /** The distinct id the event was sent with. */
  distinctId: string
  timestampMs: number
  /** The person id the export carries (null: resolved through person_distinct_ids, else the distinct id). */
  personId?: string | null
  sessionId?: string | null
  windowId?: string | null
  properties?: Record<string, unknown>
  uuid?: string
}

let uuidCounter = 0

/**
 * Inserts events by SQL and resolves `person_key` as the importer's relink does (person_id, else the person mapped
 * from the distinct id, else the distinct id). Rows are inserted in the order given, not sorted.
 */
export function insertEvents(db: WritableDb, events: EventSpec[]): void {
  const insert = db.prepare(
    `INSERT INTO events (uuid, event, distinct_id, person_id, session_id, window_id, timestamp_ms, url, properties)
     VALUES (@uuid, @event, @distinctId, @personId, @sessionId, @windowId, @timestampMs, @url, @properties)`
  )
  // A cache older than migration 0007 has no event_columns (the migration fills it from the events).
  const hasColumns = db.prepare(`SELECT 1 FROM sqlite_master WHERE name = 'event_columns'`).get()
  const writeColumns = hasColumns ? createEventColumnsWriter(db) : null
  db.transaction(() => {
    for (const spec of events) {
      const properties = { ...(spec.properties ?? {}) }
      if (spec.sessionId) properties.$session_id = spec.sessionId
      const { lastInsertRowid } = insert.run({
        uuid: spec.uuid ?? `test-event-${++uuidCounter}`,
        event: spec.event,
        distinctId: spec.distinctId,
        personId: spec.personId ?? null,
        sessionId: spec.sessionId ?? null,
        windowId: spec.windowId ?? null,
        timestampMs: spec.timestampMs,
        url: typeof properties.$current_url === 'string' ? properties.$current_url : null,
        properties: JSON.stringify(properties)
      })
      writeColumns?.(lastInsertRowid, eventColumnValues(properties))
    }
    relinkPersonKeys(db)
  })()
}

/** Fills `events.person_key` the way the importer's relink does. */
export function relinkPersonKeys(db: WritableDb): void {
  db.prepare(
    `UPDATE events SET person_key = COALESCE(person_id,
       (SELECT person_id FROM person_distinct_ids WHERE distinct_id = events.distinct_id), distinct_id)`
  ).run()
}

/** Inserts a person profile with its distinct ids. */
export function insertPerson(
  db: WritableDb,
  person: {
    id: string
    distinctIds: string[]
    email?: string | null
    name?: string | null
    properties?: Record<string, unknown>
  }
): void {
  db.prepare(
    `INSERT INTO persons (id, email, name, is_identified, has_profile, properties) VALUES (?, ?, ?, 1, 1, ?)`
  ).run(
    person.id,
    person.email ?? null,
    person.name ?? null,
    JSON.stringify(person.properties ?? {})
  )
  const map = db.prepare(`INSERT INTO person_distinct_ids (distinct_id, person_id) VALUES (?, ?)`)
  for (const distinctId of person.distinctIds) map.run(distinctId, person.id)
}

/** Inserts a minimal recording row (no snapshots) spanning [startMs, endMs]. */
export function insertRecording(
  db: WritableDb,
  recording: {
    id: string
    personId: string | null
    distinctId?: string | null
    startMs: number
    endMs: number
  }
): void {
  const maxRowid =
    (db.prepare(`SELECT max(rowid) FROM recordings`).pluck().get() as number | null) ?? 0
  db.prepare(
    `INSERT INTO recordings (rowid, id, distinct_id, person_id, start_ms, end_ms, duration_ms, active_ms, imported_at_ms)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, 0)`
  ).run(
    maxRowid + 1,
    recording.id,
    recording.distinctId ?? null,
    recording.personId,
    recording.startMs,
    recording.endMs,
    recording.endMs - recording.startMs,
    recording.endMs - recording.startMs
  )
}

/** Inserts an exception row of a session. */
export function insertException(
  db: WritableDb,
  exception: {
    sessionId: string
    timestampMs: number
    type: string
    message: string
    issueId?: string | null
  }
): void {
  db.prepare(
    `INSERT INTO exceptions (session_id, timestamp_ms, type, message, source, issue_id) VALUES (?, ?, ?, ?, 'event', ?)`
  ).run(
    exception.sessionId,
    exception.timestampMs,
    exception.type,
    exception.message,
    exception.issueId ?? null
  )
}
