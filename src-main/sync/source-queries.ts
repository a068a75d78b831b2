import type { ReadableDb, WritableDb } from '../db/types'
import type {
  PostHogSourceSettings,
  SourceKind,
  SyncFailure,
  SyncRunInfo,
  SyncRunStatus,
  SyncTrigger
} from '@shared/contract/sync-channels'

/** A source as stored, without the derived fields the UI adds (`hasKey`, `isWatched`, `lastRun`). */
export type SourceRecord = {
  id: number
  kind: SourceKind
  name: string
  location: string
  projectId: string | null
  settings: PostHogSourceSettings | null
  createdAtMs: number
  lastSyncAtMs: number | null
}

/** Where a PostHog source's listing resumes: the start of the oldest recording that may still change. */
export type PostHogCursor = { listFromMs: number; listedToMs: number }

type SourceRow = {
  id: number
  kind: string
  name: string
  location: string
  project_id: string
  settings: string
  created_at_ms: number
  last_sync_at_ms: number | null
}

type SyncRunRow = {
  id: number
  source_id: number | null
  trigger: string
  status: string
  started_at_ms: number
  finished_at_ms: number | null
  items_total: number
  items_imported: number
  items_unchanged: number
  items_failed: number
  bytes: number
  pruned: number
  error: string | null
  failures: string
}

const DEFAULT_POSTHOG_SETTINGS: PostHogSourceSettings = {
  sinceMs: null,
  untilMs: null,
  includeEvents: true,
  includePersons: true
}

function rowToSource(row: SourceRow): SourceRecord {
  const kind = row.kind as SourceKind
  return {
    id: row.id,
    kind,
    name: row.name,
    location: row.location,
    projectId: kind === 'posthog' ? row.project_id : null,
    settings:
      kind === 'posthog'
        ? {
            ...DEFAULT_POSTHOG_SETTINGS,
            ...(JSON.parse(row.settings) as Partial<PostHogSourceSettings>)
          }
        : null,
    createdAtMs: row.created_at_ms,
    lastSyncAtMs: row.last_sync_at_ms
  }
}

function rowToSyncRun(row: SyncRunRow): SyncRunInfo {
  return {
    id: row.id,
    sourceId: row.source_id,
    trigger: row.trigger as SyncTrigger,
    status: row.status as SyncRunStatus,
    startedAtMs: row.started_at_ms,
    finishedAtMs: row.finished_at_ms,
    itemsTotal: row.items_total,
    itemsImported: row.items_imported,
    itemsUnchanged: row.items_unchanged,
    itemsFailed: row.items_failed,
    bytes: row.bytes,
    pruned: row.pruned,
    error: row.error,
    failures: JSON.parse(row.failures) as SyncFailure[]
  }
}

const SOURCE_COLUMNS =
  'id, kind, name, location, project_id, settings, created_at_ms, last_sync_at_ms'

/** Every source, oldest first. */
export function listSources(db: ReadableDb): SourceRecord[] {
  return db
    .prepare<[], SourceRow>(`SELECT ${SOURCE_COLUMNS} FROM sources ORDER BY id`)
    .all()
    .map(rowToSource)
}

/** One source, or `undefined` when there is none with that id. */
export function getSource(db: ReadableDb, id: number): SourceRecord | undefined {
  const row = db
    .prepare<{ id: number }, SourceRow>(`SELECT ${SOURCE_COLUMNS} FROM sources WHERE id = @id`)
    .get({ id })
  return row === undefined ? undefined : rowToSource(row)
}

/** The source with this kind, location and project, if one exists (sources are unique on those). */
export function findSource(
  db: ReadableDb,
  kind: SourceKind,
  location: string,
  projectId: string | null
): SourceRecord | undefined {
  const row = db
    .prepare<{ kind: string; location: string; projectId: string }, SourceRow>(
      `SELECT ${SOURCE_COLUMNS} FROM sources
       WHERE kind = @kind AND location = @location AND project_id = @projectId`
    )
    .get({ kind, location, projectId: projectId ?? '' })
  return row === undefined ? undefined : rowToSource(row)
}

export type NewSource = {
  kind: SourceKind
  name: string
  location: string
  projectId?: string | null
  settings?: PostHogSourceSettings | null
}

/** Inserts a source and returns it. Throws on a duplicate (check with `findSource` first). */
export function insertSource(db: WritableDb, source: NewSource, nowMs: number): SourceRecord {
  const result = db
    .prepare<{
      kind: string
      name: string
      location: string
      projectId: string
      settings: string
      nowMs: number
    }>(
      `INSERT INTO sources (kind, name, location, project_id, settings, created_at_ms)
       VALUES (@kind, @name, @location, @projectId, @settings, @nowMs)`
    )
    .run({
      kind: source.kind,
      name: source.name,
      location: source.location,
      projectId: source.projectId ?? '',
      settings: JSON.stringify(source.settings ?? {}),
      nowMs
    })
  const created = getSource(db, Number(result.lastInsertRowid))
  if (!created) throw new Error('inserted source vanished')
  return created
}

/** Deletes a source and (by cascade) its per-file and per-recording state. Returns whether it existed. */
export function deleteSource(db: WritableDb, id: number): boolean {
  return db.prepare<{ id: number }>('DELETE FROM sources WHERE id = @id').run({ id }).changes > 0
}

/** Marks a source as synced at `nowMs` (after a run that completed). */
export function updateSourceSyncedAt(db: WritableDb, id: number, nowMs: number): void {
  db.prepare<{ id: number; nowMs: number }>(
    'UPDATE sources SET last_sync_at_ms = @nowMs WHERE id = @id'
  ).run({ id, nowMs })
}

/** A PostHog source's listing cursor, or `null` before its first complete sync. */
export function getPostHogCursor(db: ReadableDb, id: number): PostHogCursor | null {
  const row = db
    .prepare<{ id: number }, { cursor: string | null }>('SELECT cursor FROM sources WHERE id = @id')
    .get({ id })
  return row?.cursor ? (JSON.parse(row.cursor) as PostHogCursor) : null
}

export function setPostHogCursor(db: WritableDb, id: number, cursor: PostHogCursor): void {
  db.prepare<{ id: number; cursor: string }>(
    'UPDATE sources SET cursor = @cursor WHERE id = @id'
  ).run({
    id,
    cursor: JSON.stringify(cursor)
  })
}

/** Opens a `sync_runs` row in state `running` and returns its id. */
export function insertSyncRun(
  db: WritableDb,
  sourceId: number,
  trigger: SyncTrigger,
  nowMs: number
): number {
  const result = db
    .prepare<{ sourceId: number; trigger: string; nowMs: number }>(
      `INSERT INTO sync_runs (source_id, trigger, status, started_at_ms) VALUES (@sourceId, @trigger, 'running', @nowMs)`
    )
    .run({ sourceId, trigger, nowMs })
  return Number(result.lastInsertRowid)
}

export type SyncRunUpdate = Omit<SyncRunInfo, 'id' | 'sourceId' | 'trigger' | 'startedAtMs'>

/** Writes a run's counts and outcome (called at the end, and along the way so a crash leaves a trace). */
export function updateSyncRun(db: WritableDb, id: number, run: SyncRunUpdate): void {
  db.prepare(
    `UPDATE sync_runs SET status = @status, finished_at_ms = @finishedAtMs, items_total = @itemsTotal,
       items_imported = @itemsImported, items_unchanged = @itemsUnchanged, items_failed = @itemsFailed,
       bytes = @bytes, pruned = @pruned, error = @error, failures = @failures
     WHERE id = @id`
  ).run({ ...run, id, failures: JSON.stringify(run.failures) })
}

/** One run, or `undefined`. */
export function getSyncRun(db: ReadableDb, id: number): SyncRunInfo | undefined {
  const row = db
    .prepare<{ id: number }, SyncRunRow>('SELECT * FROM sync_runs WHERE id = @id')
    .get({ id })
  return row === undefined ? undefined : rowToSyncRun(row)
}

/** The latest run of each source, keyed by source id. */
export function listLatestSyncRuns(db: ReadableDb): Map<number, SyncRunInfo> {
  const rows = db
    .prepare<[], SyncRunRow>(
      `SELECT * FROM sync_runs WHERE id IN (SELECT MAX(id) FROM sync_runs WHERE source_id IS NOT NULL GROUP BY source_id)`
    )
    .all()
  return new Map(rows.map((row) => [row.source_id as number, rowToSyncRun(row)]))
}

/**
 * Marks runs left `running` by a process that died as `interrupted`.
 *
 * Called when a sync starts: only one sync runs per data folder at a time, so a `running` row then is a leftover.
 */
export function markInterruptedSyncRuns(db: WritableDb, nowMs: number): number {
  return db
    .prepare<{ nowMs: number }>(
      `UPDATE sync_runs SET status = 'interrupted', finished_at_ms = @nowMs WHERE status = 'running'`
    )
    .run({ nowMs }).changes
}
