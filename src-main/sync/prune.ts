import { existsSync } from 'node:fs'
import { sep } from 'node:path'
import type { WritableDb } from '../db/types'

/**
 * Deletes recordings from the cache, with what hangs off them.
 *
 * Windows, segments, timeline items, chunks and asset links go by foreign-key cascade; the FTS row (keyed by the
 * recording's rowid) and the exceptions read from the recording itself (console and custom, not `$exception`
 * events, which belong to the events) are deleted here. Returns how many recordings were deleted.
 */
export function deleteRecordings(db: WritableDb, recordingIds: readonly string[]): number {
  const getRowid = db.prepare<{ id: string }, { rowid: number }>(
    'SELECT rowid FROM recordings WHERE id = @id'
  )
  const deleteFts = db.prepare<{ rowid: number }>('DELETE FROM recordings_fts WHERE rowid = @rowid')
  const deleteExceptions = db.prepare<{ id: string }>(
    `DELETE FROM exceptions WHERE session_id = @id AND source IN ('console', 'custom')`
  )
  const deleteRecording = db.prepare<{ id: string }>('DELETE FROM recordings WHERE id = @id')
  let deleted = 0
  db.transaction(() => {
    for (const id of recordingIds) {
      const row = getRowid.get({ id })
      if (!row) continue
      deleteFts.run({ rowid: row.rowid })
      deleteExceptions.run({ id })
      deleted += deleteRecording.run({ id }).changes
    }
  })()
  return deleted
}

/**
 * Removes from the cache the recordings imported from files under `folder` that no longer exist.
 *
 * Also forgets those files in the import log, so a file put back later is imported again rather than skipped as
 * already seen. Returns the number of recordings removed.
 */
export function pruneDeletedFolderRecordings(
  db: WritableDb,
  folder: string,
  exists: (path: string) => boolean = existsSync
): number {
  const prefix = folder.endsWith(sep) ? folder : `${folder}${sep}`
  const rows = db
    .prepare<{ prefix: string }, { id: string; source_path: string }>(
      `SELECT id, source_path FROM recordings
       WHERE source_path IS NOT NULL AND substr(source_path, 1, length(@prefix)) = @prefix`
    )
    .all({ prefix })
  const missingPaths = new Set<string>()
  const ids: string[] = []
  for (const row of rows) {
    if (missingPaths.has(row.source_path) || !exists(row.source_path)) {
      missingPaths.add(row.source_path)
      ids.push(row.id)
    }
  }
  if (ids.length === 0) return 0
  const deleted = deleteRecordings(db, ids)
  const forget = db.prepare<{ path: string }>('DELETE FROM imports WHERE path = @path')
  db.transaction(() => {
    for (const path of missingPaths) forget.run({ path })
  })()
  return deleted
}
