import type { WritableDb } from '../db/types'
import type { ChangeSet } from './import-store'

/**
 * Connects what an import run brought with what was already there: resolves each event's person, gives recordings
 * without a session id the id their windows share with analytics events, and recomputes the person, distinct id,
 * exception count and search document of every recording the run touched.
 *
 * Runs in the caller's transaction. Cost is proportional to what changed, not to the cache. The search document is
 * built in a fixed order, so the same data gives the same document whatever order the files came in.
 */
export function relink(db: WritableDb, changes: ChangeSet): { recordings: number } {
  db.prepare(
    `UPDATE events SET person_key = COALESCE(person_id,
       (SELECT person_id FROM person_distinct_ids WHERE distinct_id = events.distinct_id), distinct_id)
     WHERE person_key IS NULL`
  ).run()

  db.exec(`CREATE TEMP TABLE IF NOT EXISTS relink_ids (id TEXT PRIMARY KEY) WITHOUT ROWID; DELETE FROM relink_ids;`)
  const addId = db.prepare(`INSERT OR IGNORE INTO relink_ids (id) VALUES (?)`)

  if (changes.distinctIds.size > 0) {
    for (const distinctId of changes.distinctIds) addId.run(distinctId)
    db.prepare(
      `UPDATE events SET person_key = COALESCE(
         (SELECT person_id FROM person_distinct_ids WHERE distinct_id = events.distinct_id), distinct_id)
       WHERE person_id IS NULL AND distinct_id IN (SELECT id FROM relink_ids)`
    ).run()
    for (const row of db
      .prepare(`SELECT id FROM recordings WHERE distinct_id IN (SELECT id FROM relink_ids)`)
      .pluck()
      .all() as string[]) {
      changes.recordingIds.add(row)
    }
    db.exec(`DELETE FROM relink_ids`)
  }

  renameUnidentifiedRecordings(db, changes)

  for (const sessionId of changes.sessionIds) addId.run(sessionId)
  for (const recordingId of changes.recordingIds) addId.run(recordingId)
  const affected = db
    .prepare(`SELECT r.rowid AS rowid, r.id AS id FROM recordings r JOIN relink_ids t ON t.id = r.id`)
    .all() as { rowid: number; id: string }[]
  db.exec(`DELETE FROM relink_ids`)

  const updateLinks = db.prepare(`
    UPDATE recordings SET
      distinct_id = COALESCE(
        (SELECT distinct_id FROM events WHERE session_id = @id ORDER BY timestamp_ms LIMIT 1), distinct_id),
      exception_count = (SELECT count(*) FROM exceptions WHERE session_id = @id AND source = 'event')
    WHERE id = @id`)
  const updatePerson = db.prepare(`
    UPDATE recordings SET person_id = COALESCE(
      (SELECT person_key FROM events WHERE session_id = @id AND person_key IS NOT NULL ORDER BY timestamp_ms LIMIT 1),
      (SELECT person_id FROM person_distinct_ids WHERE distinct_id = recordings.distinct_id),
      person_id)
    WHERE id = @id`)
  const selectDocument = db.prepare<{ id: string }, FtsSource>(`
    SELECT r.distinct_id, r.urls, r.console_text, r.custom_tags,
      p.email, p.name,
      (SELECT group_concat(distinct_id, ' ' ORDER BY distinct_id) FROM person_distinct_ids WHERE person_id = r.person_id) AS distinct_ids,
      (SELECT group_concat(coalesce(type, '') || ': ' || coalesce(message, ''), ' | '
                           ORDER BY timestamp_ms, source, type, message)
         FROM exceptions WHERE session_id = r.id) AS exception_text,
      (SELECT group_concat(event, ' ' ORDER BY event) FROM (SELECT DISTINCT event FROM events WHERE session_id = r.id)) AS event_names
    FROM recordings r LEFT JOIN persons p ON p.id = r.person_id
    WHERE r.id = @id`)
  const deleteDocument = db.prepare<[number]>(`DELETE FROM recordings_fts WHERE rowid = ?`)
  const insertDocument = db.prepare(
    `INSERT INTO recordings_fts (rowid, people, urls, console, exceptions, tags, events) VALUES (?, ?, ?, ?, ?, ?, ?)`
  )

  for (const { rowid, id } of affected) {
    updateLinks.run({ id })
    updatePerson.run({ id })
    const doc = selectDocument.get({ id })
    if (!doc) continue
    deleteDocument.run(rowid)
    insertDocument.run(
      rowid,
      [doc.email, doc.name, doc.distinct_id, doc.distinct_ids].filter(Boolean).join(' '),
      (JSON.parse(doc.urls) as string[]).join(' '),
      doc.console_text,
      doc.exception_text ?? '',
      (JSON.parse(doc.custom_tags) as string[]).join(' '),
      doc.event_names ?? ''
    )
  }
  return { recordings: affected.length }
}

type FtsSource = {
  distinct_id: string | null
  urls: string
  console_text: string
  custom_tags: string
  email: string | null
  name: string | null
  distinct_ids: string | null
  exception_text: string | null
  event_names: string | null
}

/**
 * A recording imported without any session id (a raw rrweb or blob file with an anonymous name) was stored under a
 * content hash. When analytics events name one of its windows, the session they belong to is its real id.
 */
function renameUnidentifiedRecordings(db: WritableDb, changes: ChangeSet): void {
  const candidates = db
    .prepare(`SELECT id, window_ids FROM recordings WHERE id_source = 'content-hash'`)
    .all() as { id: string; window_ids: string }[]
  if (candidates.length === 0) return
  const findSession = db.prepare<[string], { session_id: string }>(
    `SELECT session_id FROM events WHERE window_id = ? AND session_id IS NOT NULL LIMIT 1`
  )
  const exists = db.prepare<[string], { one: number }>(`SELECT 1 AS one FROM recordings WHERE id = ?`)
  const rename = db.prepare(`UPDATE recordings SET id = ?, id_source = 'recording-event' WHERE id = ?`)
  const renameExceptions = db.prepare(`UPDATE exceptions SET session_id = ? WHERE session_id = ? AND source <> 'event'`)
  for (const candidate of candidates) {
    let sessionId: string | undefined
    for (const windowId of JSON.parse(candidate.window_ids) as string[]) {
      sessionId = findSession.get(windowId)?.session_id
      if (sessionId) break
    }
    if (!sessionId || exists.get(sessionId)) continue
    rename.run(sessionId, candidate.id)
    renameExceptions.run(sessionId, candidate.id)
    changes.recordingIds.delete(candidate.id)
    changes.recordingIds.add(sessionId)
  }
}

type QueueKind = 'recording' | 'session' | 'distinct'

/**
 * Adds what one file's import touched to the persistent relink queue; call it in the file's transaction.
 *
 * The run's final `relink` takes the queue out (`takeRelinkQueue`), so what a killed or cancelled run committed is
 * relinked by the next run.
 */
export function queueRelink(db: WritableDb, changes: ChangeSet): void {
  const insert = db.prepare<[QueueKind, string]>(`INSERT OR IGNORE INTO relink_queue (kind, id) VALUES (?, ?)`)
  for (const id of changes.recordingIds) insert.run('recording', id)
  for (const id of changes.sessionIds) insert.run('session', id)
  for (const id of changes.distinctIds) insert.run('distinct', id)
}

/** Moves everything queued (this run's files and any earlier run's leftovers) into `changes`; call it in the relink transaction. */
export function takeRelinkQueue(db: WritableDb, changes: ChangeSet): void {
  const rows = db.prepare(`SELECT kind, id FROM relink_queue`).all() as { kind: QueueKind; id: string }[]
  for (const { kind, id } of rows) {
    if (kind === 'recording') changes.recordingIds.add(id)
    else if (kind === 'session') changes.sessionIds.add(id)
    else changes.distinctIds.add(id)
  }
  db.prepare(`DELETE FROM relink_queue`).run()
}
