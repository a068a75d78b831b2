import { createHash } from 'node:crypto'
import type { ReadableDb } from '../../db/types'

/**
 * The cache's content as plain rows, for comparing two caches: every data table, in a stable order, without what
 * legitimately differs between two runs (insert-order row ids, import times, the data folder in file paths).
 * Chunk blobs are replaced by their hash.
 */
export function dumpCacheContent(db: ReadableDb, dataDir: string): Record<string, unknown[]> {
  const all = (sql: string) => db.prepare(sql).all() as Record<string, unknown>[]
  const withoutDir = (rows: Record<string, unknown>[]) =>
    rows.map((row) => {
      const copy: Record<string, unknown> = {}
      for (const [key, value] of Object.entries(row)) {
        copy[key] = typeof value === 'string' ? value.split(dataDir).join('<data>') : value
      }
      return copy
    })
  return {
    recordings: withoutDir(
      all('SELECT * FROM recordings ORDER BY id').map(({ imported_at_ms: _ignored, ...row }) => row)
    ),
    recording_windows: all('SELECT * FROM recording_windows ORDER BY recording_id, window_id'),
    recording_segments: all(
      'SELECT * FROM recording_segments ORDER BY recording_id, window_id, start_ms, end_ms'
    ),
    recording_items: all(
      'SELECT * FROM recording_items ORDER BY recording_id, timestamp_ms, kind, label, window_id, detail'
    ),
    snapshot_chunks: all('SELECT * FROM snapshot_chunks ORDER BY recording_id, seq').map((row) => ({
      ...row,
      data: createHash('sha256')
        .update(row.data as Buffer)
        .digest('hex')
    })),
    events: all('SELECT * FROM events ORDER BY uuid').map(({ rowid: _ignored, ...row }) => row),
    exceptions: all(
      'SELECT * FROM exceptions ORDER BY session_id, timestamp_ms, source, event_uuid, message'
    ).map(({ id: _ignored, ...row }) => row),
    persons: all('SELECT * FROM persons ORDER BY id'),
    person_distinct_ids: all('SELECT * FROM person_distinct_ids ORDER BY distinct_id'),
    recordings_fts: all(
      'SELECT r.id, f.people, f.urls, f.console, f.exceptions, f.tags, f.events FROM recordings_fts f JOIN recordings r ON r.rowid = f.rowid ORDER BY r.id'
    )
  }
}
