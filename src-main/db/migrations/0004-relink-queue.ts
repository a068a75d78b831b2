import type { Migration } from '../migrate'

/**
 * The relink queue: what an import committed but has not yet relinked (persons, exception counts, search rows).
 *
 * Each file's transaction adds the recordings, sessions and distinct ids it touched; the run's final relink takes
 * them out in its own transaction. A run killed or cancelled between the two leaves them queued, and the next run
 * relinks them, so a resumed import ends with the same cache as an uninterrupted one. Recordings that an earlier
 * version left without a search row (the same gap, before this queue existed) are queued here once.
 */
export const migration0004: Migration = {
  version: 4,
  name: 'relink-queue',
  up(db) {
    db.exec(`
      CREATE TABLE relink_queue (
        kind TEXT NOT NULL CHECK (kind IN ('recording', 'session', 'distinct')),
        id TEXT NOT NULL,
        PRIMARY KEY (kind, id)
      ) STRICT, WITHOUT ROWID;
      INSERT INTO relink_queue (kind, id)
        SELECT 'recording', id FROM recordings WHERE rowid NOT IN (SELECT rowid FROM recordings_fts);
    `)
  }
}
