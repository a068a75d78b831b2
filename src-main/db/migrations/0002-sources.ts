import type { Migration } from '../migrate'

/**
 * Sync sources: watched folders and PostHog instances, their per-source state, and the log of sync runs.
 *
 * `source_files` remembers what a folder source last saw of each file (size, mtime, outcome), so a sync only
 * hands new and changed files to the importer and can tell which ones were deleted. `source_recordings` is a
 * PostHog source's queue and memory: the listing writes a `pending` row per new or changed recording (with the
 * list entry, so a resumed sync needs no second listing), and the download marks it `imported` in the same
 * transaction that follows the import. `version` fingerprints the list entry (end time, duration, ongoing), so a
 * recording that grew since the last sync is fetched again.
 */
export const migration0002: Migration = {
  version: 2,
  name: 'sources',
  up(db) {
    db.exec(`
      CREATE TABLE sources (
        id INTEGER PRIMARY KEY,
        kind TEXT NOT NULL CHECK (kind IN ('folder', 'posthog')),
        name TEXT NOT NULL,
        location TEXT NOT NULL,
        project_id TEXT NOT NULL DEFAULT '',
        settings TEXT NOT NULL DEFAULT '{}',
        cursor TEXT,
        created_at_ms INTEGER NOT NULL,
        last_sync_at_ms INTEGER,
        UNIQUE (kind, location, project_id)
      ) STRICT;

      CREATE TABLE sync_runs (
        id INTEGER PRIMARY KEY,
        source_id INTEGER REFERENCES sources (id) ON DELETE SET NULL,
        trigger TEXT NOT NULL,
        status TEXT NOT NULL CHECK (status IN ('running', 'completed', 'cancelled', 'failed', 'interrupted')),
        started_at_ms INTEGER NOT NULL,
        finished_at_ms INTEGER,
        items_total INTEGER NOT NULL DEFAULT 0,
        items_imported INTEGER NOT NULL DEFAULT 0,
        items_unchanged INTEGER NOT NULL DEFAULT 0,
        items_failed INTEGER NOT NULL DEFAULT 0,
        bytes INTEGER NOT NULL DEFAULT 0,
        pruned INTEGER NOT NULL DEFAULT 0,
        error TEXT,
        failures TEXT NOT NULL DEFAULT '[]'
      ) STRICT;
      CREATE INDEX sync_runs_by_source ON sync_runs (source_id, id);

      CREATE TABLE source_files (
        source_id INTEGER NOT NULL REFERENCES sources (id) ON DELETE CASCADE,
        path TEXT NOT NULL,
        size_bytes INTEGER NOT NULL,
        mtime_ms INTEGER NOT NULL,
        status TEXT NOT NULL CHECK (status IN ('imported', 'unchanged', 'failed')),
        reason TEXT,
        synced_at_ms INTEGER NOT NULL,
        PRIMARY KEY (source_id, path)
      ) STRICT, WITHOUT ROWID;

      CREATE TABLE source_recordings (
        source_id INTEGER NOT NULL REFERENCES sources (id) ON DELETE CASCADE,
        recording_id TEXT NOT NULL,
        version TEXT NOT NULL,
        status TEXT NOT NULL CHECK (status IN ('pending', 'imported', 'failed', 'gone')),
        start_ms INTEGER NOT NULL,
        entry TEXT,
        bytes INTEGER NOT NULL DEFAULT 0,
        attempts INTEGER NOT NULL DEFAULT 0,
        reason TEXT,
        updated_at_ms INTEGER NOT NULL,
        PRIMARY KEY (source_id, recording_id)
      ) STRICT, WITHOUT ROWID;
      CREATE INDEX source_recordings_pending ON source_recordings (source_id, start_ms) WHERE status = 'pending';
    `)
  }
}
