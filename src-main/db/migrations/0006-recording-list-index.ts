import type { Migration } from '../migrate'

/**
 * Derived tables for the recording list, kept equal to `recordings` by triggers (so every writer, the importer, prune,
 * "mark viewed" and the benchmarks' generators, keeps them right without knowing of them):
 *
 * - `recording_list`: one narrow row per recording with the columns the list filters and sorts on (same rowid). A
 *   filter scan reads about 40 bytes per recording instead of the whole row (URLs, console text). Each sort key has
 *   an index `(key, rowid, every other filter column)`: `ORDER BY key DESC, rowid DESC LIMIT n` walks it and stops
 *   after n matching rows without reading the table, and any count of the simple filters is a scan of one covering
 *   index. `error_total` (exceptions + console errors) is the "most errors" sort key.
 * - `recording_urls_fts`: a trigram index over each recording's URL list (the JSON text `recordings.urls`, lowered
 *   with SQLite's ASCII-only `lower`, as `LIKE` folds case), for "URL contains"; its rowid is the recording's, so it
 *   is in start-time order like `recordings_fts`.
 */
export const migration0006: Migration = {
  version: 6,
  name: 'recording-list-index',
  up(db) {
    db.exec(`
      CREATE TABLE recording_list (
        rowid INTEGER PRIMARY KEY,
        start_ms INTEGER NOT NULL,
        duration_ms INTEGER NOT NULL,
        active_ms INTEGER NOT NULL,
        exception_count INTEGER NOT NULL,
        console_error_count INTEGER NOT NULL,
        error_total INTEGER NOT NULL,
        viewed_at_ms INTEGER
      ) STRICT;
      INSERT INTO recording_list
        SELECT rowid, start_ms, duration_ms, active_ms, exception_count, console_error_count,
          exception_count + console_error_count, viewed_at_ms
        FROM recordings;
      CREATE INDEX recording_list_by_start ON recording_list
        (start_ms, rowid, duration_ms, active_ms, exception_count, console_error_count, viewed_at_ms);
      CREATE INDEX recording_list_by_duration ON recording_list
        (duration_ms, rowid, start_ms, active_ms, exception_count, console_error_count, viewed_at_ms);
      CREATE INDEX recording_list_by_active ON recording_list
        (active_ms, rowid, start_ms, duration_ms, exception_count, console_error_count, viewed_at_ms);
      CREATE INDEX recording_list_by_errors ON recording_list
        (error_total, rowid, start_ms, duration_ms, active_ms, exception_count, console_error_count, viewed_at_ms);
      CREATE INDEX recording_list_with_exceptions ON recording_list
        (exception_count, rowid, start_ms, duration_ms, active_ms, console_error_count, viewed_at_ms)
        WHERE exception_count > 0;
      CREATE INDEX recording_list_with_console_errors ON recording_list
        (console_error_count, rowid, start_ms, duration_ms, active_ms, exception_count, viewed_at_ms)
        WHERE console_error_count > 0;

      CREATE VIRTUAL TABLE recording_urls_fts USING fts5 (
        urls,
        content = '',
        contentless_delete = 1,
        tokenize = 'trigram case_sensitive 1'
      );
      INSERT INTO recording_urls_fts (rowid, urls) SELECT rowid, lower(urls) FROM recordings;

      CREATE TRIGGER recordings_list_insert AFTER INSERT ON recordings BEGIN
        INSERT INTO recording_list VALUES (new.rowid, new.start_ms, new.duration_ms, new.active_ms,
          new.exception_count, new.console_error_count, new.exception_count + new.console_error_count,
          new.viewed_at_ms);
        INSERT INTO recording_urls_fts (rowid, urls) VALUES (new.rowid, lower(new.urls));
      END;
      CREATE TRIGGER recordings_list_delete AFTER DELETE ON recordings BEGIN
        DELETE FROM recording_list WHERE rowid = old.rowid;
        DELETE FROM recording_urls_fts WHERE rowid = old.rowid;
      END;
      CREATE TRIGGER recordings_list_update
        AFTER UPDATE OF rowid, start_ms, duration_ms, active_ms, exception_count, console_error_count, viewed_at_ms
        ON recordings
      BEGIN
        DELETE FROM recording_list WHERE rowid = old.rowid;
        INSERT INTO recording_list VALUES (new.rowid, new.start_ms, new.duration_ms, new.active_ms,
          new.exception_count, new.console_error_count, new.exception_count + new.console_error_count,
          new.viewed_at_ms);
      END;
      CREATE TRIGGER recordings_urls_update AFTER UPDATE OF rowid, urls ON recordings BEGIN
        DELETE FROM recording_urls_fts WHERE rowid = old.rowid;
        INSERT INTO recording_urls_fts (rowid, urls) VALUES (new.rowid, lower(new.urls));
      END;
    `)
  }
}
