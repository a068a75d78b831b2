import type { Migration } from '../migrate'

/**
 * The offline asset cache: which images, stylesheets and fonts each recording references, and what was fetched.
 *
 * `assets` has one row per absolute URL: `pending` until `assets fetch` tries it, then `fetched` (the body is the
 * file `<dataDir>/assets/<content_hash>`, so identical bodies are stored once), `failed` (may be retried) or
 * `skipped` (refused for good: too large, not http(s)). `found_in` and `depth` record URLs discovered inside a
 * fetched stylesheet (fonts, `@import`s), so the chain stays bounded. `recording_assets` links recordings to URLs
 * and goes with its recording; `recording_asset_scans` marks recordings whose events were already read, so a
 * back-fill over an older cache reads each recording once.
 */
export const migration0003: Migration = {
  version: 3,
  name: 'assets',
  up(db) {
    db.exec(`
      CREATE TABLE assets (
        url TEXT PRIMARY KEY,
        status TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'fetched', 'failed', 'skipped')),
        content_hash TEXT,
        mime TEXT,
        size_bytes INTEGER,
        fetched_at_ms INTEGER,
        attempts INTEGER NOT NULL DEFAULT 0,
        error TEXT,
        found_in TEXT,
        depth INTEGER NOT NULL DEFAULT 0
      ) STRICT, WITHOUT ROWID;
      CREATE INDEX assets_by_status ON assets (status);

      CREATE TABLE recording_assets (
        recording_id TEXT NOT NULL REFERENCES recordings (id) ON DELETE CASCADE ON UPDATE CASCADE,
        url TEXT NOT NULL,
        PRIMARY KEY (recording_id, url)
      ) STRICT, WITHOUT ROWID;
      CREATE INDEX recording_assets_by_url ON recording_assets (url);

      CREATE TABLE recording_asset_scans (
        recording_id TEXT PRIMARY KEY REFERENCES recordings (id) ON DELETE CASCADE ON UPDATE CASCADE,
        scanned_at_ms INTEGER NOT NULL
      ) STRICT;
    `)
  }
}
