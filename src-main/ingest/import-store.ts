import { createEventColumnsWriter } from '../db/event-columns'
import type { WritableDb } from '../db/types'
import { insertRecordingAssets } from '../assets/asset-queries'
import { createKeyframeWriter } from './keyframe-store'
import type { PreparedRecording } from './recording-builder'
import type { EventRow, ExceptionRow, PersonRow } from './rows'

/** What storing a recording did. `kept`: the cache already holds an equal or more complete export of the session. */
export type StoreRecordingOutcome = 'inserted' | 'replaced' | 'kept'

/** Sessions, distinct ids and recordings touched by an import run, so relinking touches only those. */
export type ChangeSet = {
  recordingIds: Set<string>
  sessionIds: Set<string>
  distinctIds: Set<string>
}

export function createChangeSet(): ChangeSet {
  return { recordingIds: new Set(), sessionIds: new Set(), distinctIds: new Set() }
}

/** An event's columns in the order of the event statements' placeholders. */
type EventParams = [
  uuid: string,
  event: string,
  distinctId: string,
  personId: string | null,
  sessionId: string | null,
  windowId: string | null,
  timestampMs: number,
  url: string | null,
  properties: string,
  elementsChain: string | null,
  fidelity: number
]

const ID_SOURCE_RANK: Record<string, number> = { export: 3, 'file-name': 2, 'recording-event': 1, 'content-hash': 0 }

/**
 * Prepared statements the importer writes with; create once per connection.
 *
 * Every write function runs inside the caller's transaction (the import service opens one per file).
 */
export function createImportStore(db: WritableDb) {
  const selectRecording = db.prepare<
    [string],
    { rowid: number; end_ms: number; event_count: number; viewed_at_ms: number | null; id_source: string; window_ids: string }
  >(`SELECT rowid, end_ms, event_count, viewed_at_ms, id_source, window_ids FROM recordings WHERE id = ?`)
  const deleteRecording = db.prepare<[string]>(`DELETE FROM recordings WHERE id = ?`)
  const deleteFts = db.prepare<[number]>(`DELETE FROM recordings_fts WHERE rowid = ?`)
  const deleteRecordingExceptions = db.prepare<[string]>(
    `DELETE FROM exceptions WHERE session_id = ? AND source <> 'event'`
  )
  const rowidTaken = db.prepare<[number], { one: number }>(`SELECT 1 AS one FROM recordings WHERE rowid = ?`)
  const insertRecording = db.prepare(`
    INSERT INTO recordings (
      rowid, id, id_source, distinct_id, person_id, start_ms, end_ms, duration_ms, active_ms,
      click_count, keypress_count, mouse_activity_count, console_log_count, console_warn_count, console_error_count,
      start_url, urls, window_ids, window_count, event_count, raw_bytes, has_full_snapshot, broken_reason,
      snapshot_source, has_network, custom_tags, console_text, viewed_at_ms, format, source_path, content_hash,
      imported_at_ms
    ) VALUES (
      @rowid, @id, @idSource, @distinctId, @personId, @startMs, @endMs, @durationMs, @activeMs,
      @clickCount, @keypressCount, @mouseActivityCount, @consoleLogCount, @consoleWarnCount, @consoleErrorCount,
      @startUrl, @urls, @windowIds, @windowCount, @eventCount, @rawBytes, @hasFullSnapshot, @brokenReason,
      @snapshotSource, @hasNetwork, @customTags, @consoleText, @viewedAtMs, @format, @sourcePath, @contentHash,
      @importedAtMs
    )`)
  const insertWindow = db.prepare(
    `INSERT INTO recording_windows (recording_id, window_id, window_index, first_ms, last_ms, event_count, start_url)
     VALUES (?, ?, ?, ?, ?, ?, ?)`
  )
  const insertSegment = db.prepare(
    `INSERT INTO recording_segments (recording_id, window_id, start_ms, end_ms, is_active) VALUES (?, ?, ?, ?, ?)`
  )
  const insertItem = db.prepare(
    `INSERT INTO recording_items (recording_id, timestamp_ms, window_id, kind, level, label, detail)
     VALUES (?, ?, ?, ?, ?, ?, ?)`
  )
  const insertChunk = db.prepare(
    `INSERT INTO snapshot_chunks (recording_id, seq, window_id, first_ms, last_ms, event_count, has_full_snapshot, raw_bytes, data)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`
  )
  const insertKeyframes = createKeyframeWriter(db)
  const insertException = db.prepare(`
    INSERT INTO exceptions (session_id, window_id, timestamp_ms, type, message, level, handled, frames, stack_text,
                            source, event_uuid, fingerprint, issue_id)
    VALUES (@sessionId, @windowId, @timestampMs, @type, @message, @level, @handled, @frames, @stackText,
            @source, @eventUuid, @fingerprint, @issueId)
    ON CONFLICT (event_uuid) DO NOTHING`)
  // A new event is a plain insert (the upsert's conflict clause made each insert ~1.6x as costly, and nearly every
  // event of an import is new); a uuid already stored takes the upsert, whose update trigger keeps `event_columns`
  // equal when a richer source replaces the properties. The insert resolves `person_key` as the relink does from
  // what the cache knows now (the relink's later rewrite of every new 3 KB row cost about half as much again as the
  // insert); a person mapping that a later file changes is the relink's, by distinct id. The upsert's WHERE skips
  // the update when it would change nothing (the same event again), which rewrote the whole row and two indexes.
  const insertEvent = db.prepare<[...EventParams, string | null, string, string]>(`
    INSERT OR IGNORE INTO events (uuid, event, distinct_id, person_id, session_id, window_id, timestamp_ms, url,
                                  properties, elements_chain, fidelity, person_key)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?,
            COALESCE(?, (SELECT person_id FROM person_distinct_ids WHERE distinct_id = ?), ?))`)
  const upsertEvent = db.prepare<EventParams>(`
    INSERT INTO events (uuid, event, distinct_id, person_id, session_id, window_id, timestamp_ms, url, properties,
                        elements_chain, fidelity)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
    ON CONFLICT (uuid) DO UPDATE SET
      person_id = COALESCE(events.person_id, excluded.person_id),
      person_key = CASE WHEN events.person_id IS NULL AND excluded.person_id IS NOT NULL THEN NULL ELSE events.person_key END,
      properties = CASE WHEN excluded.fidelity > events.fidelity THEN excluded.properties ELSE events.properties END,
      session_id = COALESCE(events.session_id, excluded.session_id),
      window_id = COALESCE(events.window_id, excluded.window_id),
      url = COALESCE(events.url, excluded.url),
      elements_chain = COALESCE(events.elements_chain, excluded.elements_chain),
      fidelity = MAX(events.fidelity, excluded.fidelity)
    WHERE excluded.fidelity > events.fidelity
      OR (events.person_id IS NULL AND excluded.person_id IS NOT NULL)
      OR (events.session_id IS NULL AND excluded.session_id IS NOT NULL)
      OR (events.window_id IS NULL AND excluded.window_id IS NOT NULL)
      OR (events.url IS NULL AND excluded.url IS NOT NULL)
      OR (events.elements_chain IS NULL AND excluded.elements_chain IS NOT NULL)`)
  const insertEventColumns = createEventColumnsWriter(db)
  const upsertPerson = db.prepare(`
    INSERT INTO persons (id, api_id, name, email, is_identified, has_profile, created_at_ms, properties)
    VALUES (@id, @apiId, @name, @email, @isIdentified, @hasProfile, @createdAtMs, @properties)
    ON CONFLICT (id) DO UPDATE SET
      api_id = COALESCE(excluded.api_id, persons.api_id),
      name = CASE WHEN excluded.has_profile >= persons.has_profile THEN COALESCE(excluded.name, persons.name) ELSE COALESCE(persons.name, excluded.name) END,
      email = CASE WHEN excluded.has_profile >= persons.has_profile THEN COALESCE(excluded.email, persons.email) ELSE COALESCE(persons.email, excluded.email) END,
      is_identified = MAX(persons.is_identified, excluded.is_identified),
      has_profile = MAX(persons.has_profile, excluded.has_profile),
      created_at_ms = COALESCE(MIN(persons.created_at_ms, excluded.created_at_ms), persons.created_at_ms, excluded.created_at_ms),
      properties = CASE
        WHEN excluded.properties = '{}' THEN persons.properties
        WHEN persons.properties = '{}' OR excluded.has_profile >= persons.has_profile THEN excluded.properties
        ELSE persons.properties END`)
  const upsertDistinctId = db.prepare(
    `INSERT INTO person_distinct_ids (distinct_id, person_id) VALUES (?, ?)
     ON CONFLICT (distinct_id) DO UPDATE SET person_id = excluded.person_id WHERE person_distinct_ids.person_id <> excluded.person_id`
  )

  function storePersons(persons: readonly PersonRow[], changes: ChangeSet): void {
    for (const person of persons) {
      upsertPerson.run({
        id: person.id,
        apiId: person.apiId,
        name: person.name,
        email: person.email,
        isIdentified: person.isIdentified ? 1 : 0,
        hasProfile: person.hasProfile ? 1 : 0,
        createdAtMs: person.createdAtMs,
        properties: person.properties
      })
      for (const distinctId of person.distinctIds) {
        if (upsertDistinctId.run(distinctId, person.id).changes > 0) changes.distinctIds.add(distinctId)
      }
    }
  }

  function allocateRowid(startMs: number): number {
    const base = Math.max(0, Math.floor(startMs)) * 1024
    for (let n = 0; n < 1024; n++) {
      if (!rowidTaken.get(base + n)) return base + n
    }
    throw new Error(`more than 1024 recordings start at ${startMs}`)
  }

  return {
    /**
     * Stores one prepared recording, replacing an older export of the same session.
     *
     * An export replaces the stored one when it reaches further (later last event), or as far with more events, or
     * as far and as many with a better id source; otherwise the stored one is kept. Viewed state survives.
     */
    storeRecording(
      recording: PreparedRecording,
      source: { path: string; contentHash: string | null },
      changes: ChangeSet,
      nowMs: number = Date.now()
    ): StoreRecordingOutcome {
      if (recording.person) storePersons([recording.person], changes)
      const existing = selectRecording.get(recording.id)
      if (existing) {
        const isBetter =
          recording.endMs > existing.end_ms ||
          (recording.endMs === existing.end_ms &&
            (recording.eventCount > existing.event_count ||
              (recording.eventCount === existing.event_count &&
                exportQuality(recording.idSource, recording.windowIds) >
                  exportQuality(existing.id_source, JSON.parse(existing.window_ids) as string[]))))
        if (!isBetter) return 'kept'
        deleteFts.run(existing.rowid)
        deleteRecordingExceptions.run(recording.id)
        deleteRecording.run(recording.id)
      }
      const rowid = allocateRowid(recording.startMs)
      insertRecording.run({
        rowid,
        id: recording.id,
        idSource: recording.idSource,
        distinctId: recording.distinctId,
        personId: recording.person?.id ?? null,
        startMs: recording.startMs,
        endMs: recording.endMs,
        durationMs: recording.durationMs,
        activeMs: recording.activeMs,
        clickCount: recording.clickCount,
        keypressCount: recording.keypressCount,
        mouseActivityCount: recording.mouseActivityCount,
        consoleLogCount: recording.consoleLogCount,
        consoleWarnCount: recording.consoleWarnCount,
        consoleErrorCount: recording.consoleErrorCount,
        startUrl: recording.startUrl,
        urls: JSON.stringify(recording.urls),
        windowIds: JSON.stringify(recording.windowIds),
        windowCount: recording.windowIds.length,
        eventCount: recording.eventCount,
        rawBytes: recording.rawBytes,
        hasFullSnapshot: recording.hasFullSnapshot ? 1 : 0,
        brokenReason: recording.brokenReason,
        snapshotSource: recording.snapshotSource,
        hasNetwork: recording.hasNetwork ? 1 : 0,
        customTags: JSON.stringify(recording.customTags),
        consoleText: recording.consoleText,
        viewedAtMs: existing?.viewed_at_ms ?? null,
        format: recording.format,
        sourcePath: source.path,
        contentHash: source.contentHash,
        importedAtMs: nowMs
      })
      for (const w of recording.windows) {
        insertWindow.run(recording.id, w.windowId, w.index, w.firstMs, w.lastMs, w.eventCount, w.startUrl)
      }
      for (const s of recording.segments) insertSegment.run(recording.id, s.windowId, s.startMs, s.endMs, s.isActive ? 1 : 0)
      for (const i of recording.items) {
        insertItem.run(recording.id, i.timestampMs, i.windowId, i.kind, i.level, i.label, i.detail)
      }
      for (const c of recording.chunks) {
        insertChunk.run(recording.id, c.seq, c.windowId, c.firstMs, c.lastMs, c.eventCount, c.hasFullSnapshot ? 1 : 0, c.rawBytes, c.data)
      }
      insertKeyframes(recording.id, recording.keyframes)
      for (const e of recording.exceptions) insertException.run(exceptionParams(e))
      insertRecordingAssets(db, recording.id, recording.assetUrls, nowMs)
      changes.recordingIds.add(recording.id)
      return existing ? 'replaced' : 'inserted'
    },

    /**
     * Upserts events by uuid (a richer source fills what a CSV left out) with their `event_columns` rows, and their
     * exceptions.
     */
    storeEvents(events: readonly EventRow[], exceptions: readonly ExceptionRow[], changes: ChangeSet): void {
      for (const event of events) {
        const params: EventParams = [
          event.uuid,
          event.event,
          event.distinctId,
          event.personId,
          event.sessionId,
          event.windowId,
          event.timestampMs,
          event.url,
          event.properties,
          event.elementsChain,
          event.fidelity
        ]
        const inserted = insertEvent.run(...params, event.personId, event.distinctId, event.distinctId)
        if (inserted.changes > 0) insertEventColumns(inserted.lastInsertRowid, event.columns)
        else upsertEvent.run(...params)
        if (event.sessionId) changes.sessionIds.add(event.sessionId)
      }
      for (const exception of exceptions) insertException.run(exceptionParams(exception))
    },

    storePersons
  }
}

export type ImportStore = ReturnType<typeof createImportStore>

/**
 * Between two exports of the same session with the same events, prefer the one whose id came from the export and
 * whose window ids are posthog-js's own (UUIDs match `$window_id` on analytics events; the UI download renumbers
 * windows 1, 2, 3…).
 */
function exportQuality(idSource: string, windowIds: readonly string[]): number {
  const realWindowIds = windowIds.length > 0 && windowIds.every((id) => !/^\d+$/.test(id) && id !== 'default')
  return (ID_SOURCE_RANK[idSource] ?? 0) * 2 + (realWindowIds ? 1 : 0)
}

function exceptionParams(e: ExceptionRow) {
  return {
    sessionId: e.sessionId,
    windowId: e.windowId,
    timestampMs: e.timestampMs,
    type: e.type,
    message: e.message,
    level: e.level,
    handled: e.handled === null ? null : e.handled ? 1 : 0,
    frames: e.frames,
    stackText: e.stackText,
    source: e.source,
    eventUuid: e.eventUuid,
    fingerprint: e.fingerprint,
    issueId: e.issueId
  }
}
