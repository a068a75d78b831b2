import type { ImportLogEntry } from '@shared/contract/app-channels'
import type { ImportFileOutcome } from '@shared/domain'
import type { ReadableDb } from './types'

type ImportRow = {
  id: number
  path: string
  status: string
  kind: string
  format: string | null
  reason: string | null
  warnings: string
  recordings: number
  events: number
  persons: number
  started_at_ms: number
  finished_at_ms: number | null
}

function rowToEntry(row: ImportRow): ImportLogEntry {
  let warnings: string[] = []
  try {
    const parsed: unknown = JSON.parse(row.warnings)
    if (Array.isArray(parsed)) warnings = parsed.filter((w): w is string => typeof w === 'string')
  } catch {
    warnings = []
  }
  return {
    id: row.id,
    file: row.path,
    // A run still marked `running` was interrupted; it shows as failed until imported again.
    status: (row.status === 'running' ? 'failed' : row.status) as ImportFileOutcome['status'],
    kind: (['recording', 'events', 'persons'].includes(row.kind) ? row.kind : 'unknown') as ImportFileOutcome['kind'],
    format: row.format,
    reason: row.status === 'running' ? (row.reason ?? 'interrupted before it finished') : row.reason,
    warnings,
    recordings: row.recordings,
    events: row.events,
    persons: row.persons,
    startedAtMs: row.started_at_ms,
    finishedAtMs: row.finished_at_ms
  }
}

/**
 * The import log, newest first: one entry per file import attempt (`imports` table).
 *
 * `onlyFailed` keeps failed (and interrupted) attempts; `limit` defaults to 200.
 */
export function listImportLog(db: ReadableDb, options: { limit?: number; onlyFailed?: boolean } = {}): ImportLogEntry[] {
  const rows = db
    .prepare<{ limit: number; onlyFailed: number }, ImportRow>(
      `SELECT id, path, status, kind, format, reason, warnings, recordings, events, persons, started_at_ms, finished_at_ms
       FROM imports
       WHERE @onlyFailed = 0 OR status IN ('failed', 'running')
       ORDER BY id DESC
       LIMIT @limit`
    )
    .all({ limit: options.limit ?? 200, onlyFailed: options.onlyFailed ? 1 : 0 })
  return rows.map(rowToEntry)
}
