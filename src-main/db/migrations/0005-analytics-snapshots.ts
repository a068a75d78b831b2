import type { Migration } from '../migrate'

/**
 * Analytics snapshots: the analytics engine's in-memory columns (events by person, rowids, session ids, extracted
 * property values), saved so a restart reads them back instead of rebuilding them from the events.
 *
 * A cache of a cache: each row holds the data fingerprint it was built from (see `getDataFingerprint`), and a row
 * whose fingerprint no longer matches is ignored and replaced. Deleting every row is always safe.
 */
export const migration0005: Migration = {
  version: 5,
  name: 'analytics-snapshots',
  up(db) {
    db.exec(`
      CREATE TABLE analytics_snapshots (
        key TEXT PRIMARY KEY,
        fingerprint TEXT NOT NULL,
        data BLOB NOT NULL,
        written_at_ms INTEGER NOT NULL
      ) STRICT;
    `)
  }
}
