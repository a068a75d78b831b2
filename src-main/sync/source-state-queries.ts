import type { ReadableDb, WritableDb } from '../db/types'

/** What a folder source last saw of one file. */
export type SourceFileState = {
  path: string
  sizeBytes: number
  mtimeMs: number
  status: 'imported' | 'unchanged' | 'failed'
  reason: string | null
  syncedAtMs: number
}

type SourceFileRow = {
  path: string
  size_bytes: number
  mtime_ms: number
  status: string
  reason: string | null
  synced_at_ms: number
}

/** Every file a folder source has seen, keyed by absolute path. */
export function listSourceFiles(db: ReadableDb, sourceId: number): Map<string, SourceFileState> {
  const rows = db
    .prepare<{ sourceId: number }, SourceFileRow>(
      'SELECT path, size_bytes, mtime_ms, status, reason, synced_at_ms FROM source_files WHERE source_id = @sourceId'
    )
    .all({ sourceId })
  return new Map(
    rows.map((row) => [
      row.path,
      {
        path: row.path,
        sizeBytes: row.size_bytes,
        mtimeMs: row.mtime_ms,
        status: row.status as SourceFileState['status'],
        reason: row.reason,
        syncedAtMs: row.synced_at_ms
      }
    ])
  )
}

/** Records the outcome of importing files, in one transaction. */
export function upsertSourceFiles(
  db: WritableDb,
  sourceId: number,
  files: readonly SourceFileState[]
): void {
  const upsert = db.prepare(
    `INSERT INTO source_files (source_id, path, size_bytes, mtime_ms, status, reason, synced_at_ms)
     VALUES (@sourceId, @path, @sizeBytes, @mtimeMs, @status, @reason, @syncedAtMs)
     ON CONFLICT (source_id, path) DO UPDATE SET size_bytes = excluded.size_bytes, mtime_ms = excluded.mtime_ms,
       status = excluded.status, reason = excluded.reason, synced_at_ms = excluded.synced_at_ms`
  )
  db.transaction(() => {
    for (const file of files) upsert.run({ sourceId, ...file })
  })()
}

/** Forgets files that are gone from the folder. */
export function deleteSourceFiles(
  db: WritableDb,
  sourceId: number,
  paths: readonly string[]
): void {
  const remove = db.prepare<{ sourceId: number; path: string }>(
    'DELETE FROM source_files WHERE source_id = @sourceId AND path = @path'
  )
  db.transaction(() => {
    for (const path of paths) remove.run({ sourceId, path })
  })()
}

/** A recording a PostHog source knows of. `entry` is the list API's JSON while the recording is pending. */
export type SourceRecordingState = {
  recordingId: string
  version: string
  status: 'pending' | 'imported' | 'failed' | 'gone'
  startMs: number
  entry: string | null
  bytes: number
  attempts: number
  reason: string | null
}

type SourceRecordingRow = {
  recording_id: string
  version: string
  status: string
  start_ms: number
  entry: string | null
  bytes: number
  attempts: number
  reason: string | null
}

function rowToRecordingState(row: SourceRecordingRow): SourceRecordingState {
  return {
    recordingId: row.recording_id,
    version: row.version,
    status: row.status as SourceRecordingState['status'],
    startMs: row.start_ms,
    entry: row.entry,
    bytes: row.bytes,
    attempts: row.attempts,
    reason: row.reason
  }
}

/**
 * Queues listed recordings: new ones and ones whose version changed become `pending` (with their list entry);
 * ones already imported or gone at the same version are left alone. Returns how many were queued.
 *
 * A recording that failed before is queued again at any version: failures are retried on the next sync.
 */
export function queueListedRecordings(
  db: WritableDb,
  sourceId: number,
  listed: readonly { recordingId: string; version: string; startMs: number; entry: string }[],
  nowMs: number
): number {
  const get = db.prepare<
    { sourceId: number; recordingId: string },
    { version: string; status: string }
  >(
    'SELECT version, status FROM source_recordings WHERE source_id = @sourceId AND recording_id = @recordingId'
  )
  const upsert = db.prepare(
    `INSERT INTO source_recordings (source_id, recording_id, version, status, start_ms, entry, updated_at_ms)
     VALUES (@sourceId, @recordingId, @version, 'pending', @startMs, @entry, @nowMs)
     ON CONFLICT (source_id, recording_id) DO UPDATE SET version = excluded.version, status = 'pending',
       start_ms = excluded.start_ms, entry = excluded.entry, updated_at_ms = excluded.updated_at_ms,
       attempts = CASE WHEN source_recordings.version = excluded.version THEN source_recordings.attempts ELSE 0 END`
  )
  let queued = 0
  db.transaction(() => {
    for (const item of listed) {
      const existing = get.get({ sourceId, recordingId: item.recordingId })
      if (existing && existing.version === item.version && existing.status !== 'failed') {
        if (existing.status === 'pending') queued++
        continue
      }
      upsert.run({ sourceId, ...item, nowMs })
      queued++
    }
  })()
  return queued
}

/** How many recordings of a source wait to be downloaded. */
export function countPendingRecordings(db: ReadableDb, sourceId: number): number {
  return (
    db
      .prepare<{ sourceId: number }, { n: number }>(
        `SELECT COUNT(*) AS n FROM source_recordings WHERE source_id = @sourceId AND status = 'pending'`
      )
      .get({ sourceId })?.n ?? 0
  )
}

/** The next pending recordings of a source, oldest start first, skipping `excludeIds` (already tried this run). */
export function listPendingRecordings(
  db: ReadableDb,
  sourceId: number,
  limit: number,
  excludeIds: ReadonlySet<string> = new Set()
): SourceRecordingState[] {
  const rows = db
    .prepare<{ sourceId: number; limit: number }, SourceRecordingRow>(
      `SELECT recording_id, version, status, start_ms, entry, bytes, attempts, reason FROM source_recordings
       WHERE source_id = @sourceId AND status = 'pending' ORDER BY start_ms, recording_id LIMIT @limit`
    )
    .all({ sourceId, limit: limit + excludeIds.size })
  return rows
    .filter((row) => !excludeIds.has(row.recording_id))
    .slice(0, limit)
    .map(rowToRecordingState)
}

/** One recording's state, or `undefined`. */
export function getSourceRecording(
  db: ReadableDb,
  sourceId: number,
  recordingId: string
): SourceRecordingState | undefined {
  const row = db
    .prepare<{ sourceId: number; recordingId: string }, SourceRecordingRow>(
      `SELECT recording_id, version, status, start_ms, entry, bytes, attempts, reason FROM source_recordings
       WHERE source_id = @sourceId AND recording_id = @recordingId`
    )
    .get({ sourceId, recordingId })
  return row === undefined ? undefined : rowToRecordingState(row)
}

export type RecordingOutcome = {
  recordingId: string
  status: 'imported' | 'failed' | 'gone'
  bytes: number
  reason: string | null
}

/**
 * Records what became of downloaded recordings, in one transaction. Imported and gone rows drop their list entry.
 */
export function settleRecordings(
  db: WritableDb,
  sourceId: number,
  outcomes: readonly RecordingOutcome[],
  nowMs: number
): void {
  const update = db.prepare(
    `UPDATE source_recordings SET status = @status, bytes = @bytes, reason = @reason, updated_at_ms = @nowMs,
       attempts = attempts + 1, entry = CASE WHEN @status = 'failed' THEN entry ELSE NULL END
     WHERE source_id = @sourceId AND recording_id = @recordingId`
  )
  db.transaction(() => {
    for (const outcome of outcomes) update.run({ sourceId, nowMs, ...outcome })
  })()
}

/** The earliest start among a source's recordings that are not settled yet (pending or failed), or `null`. */
export function getOldestUnsettledStartMs(db: ReadableDb, sourceId: number): number | null {
  return (
    db
      .prepare<{ sourceId: number }, { startMs: number | null }>(
        `SELECT MIN(start_ms) AS startMs FROM source_recordings
         WHERE source_id = @sourceId AND status IN ('pending', 'failed')`
      )
      .get({ sourceId })?.startMs ?? null
  )
}
