import type { Migration } from '../migrate'

/**
 * The first schema: recordings and their snapshot chunks, persons, analytics events, exceptions, the import log.
 *
 * `recordings.rowid` is derived from the start time (`start_ms * 1024 + n`), so the FTS table, whose rowid is the
 * recording's rowid, is in time order and `ORDER BY rowid DESC` can stop after the first page.
 */
export const migration0001: Migration = {
  version: 1,
  name: 'initial',
  up(db) {
    db.exec(`
      CREATE TABLE imports (
        id INTEGER PRIMARY KEY,
        path TEXT NOT NULL,
        size_bytes INTEGER NOT NULL,
        mtime_ms INTEGER NOT NULL,
        content_hash TEXT,
        kind TEXT NOT NULL DEFAULT 'unknown',
        format TEXT,
        status TEXT NOT NULL CHECK (status IN ('running', 'imported', 'unchanged', 'failed')),
        reason TEXT,
        warnings TEXT NOT NULL DEFAULT '[]',
        recordings INTEGER NOT NULL DEFAULT 0,
        events INTEGER NOT NULL DEFAULT 0,
        persons INTEGER NOT NULL DEFAULT 0,
        started_at_ms INTEGER NOT NULL,
        finished_at_ms INTEGER
      ) STRICT;
      CREATE INDEX imports_by_path ON imports (path, id);
      CREATE INDEX imports_by_hash ON imports (content_hash) WHERE status = 'imported';

      CREATE TABLE persons (
        id TEXT PRIMARY KEY,
        api_id TEXT,
        name TEXT,
        email TEXT,
        is_identified INTEGER NOT NULL DEFAULT 0,
        has_profile INTEGER NOT NULL DEFAULT 0,
        created_at_ms INTEGER,
        properties TEXT NOT NULL DEFAULT '{}'
      ) STRICT;
      CREATE INDEX persons_by_email ON persons (email COLLATE NOCASE);

      CREATE TABLE person_distinct_ids (
        distinct_id TEXT PRIMARY KEY,
        person_id TEXT NOT NULL REFERENCES persons (id) ON DELETE CASCADE
      ) STRICT;
      CREATE INDEX person_distinct_ids_by_person ON person_distinct_ids (person_id);

      CREATE TABLE recordings (
        rowid INTEGER PRIMARY KEY,
        id TEXT NOT NULL UNIQUE,
        id_source TEXT NOT NULL DEFAULT 'export',
        distinct_id TEXT,
        person_id TEXT,
        start_ms INTEGER NOT NULL,
        end_ms INTEGER NOT NULL,
        duration_ms INTEGER NOT NULL,
        active_ms INTEGER NOT NULL,
        click_count INTEGER NOT NULL DEFAULT 0,
        keypress_count INTEGER NOT NULL DEFAULT 0,
        mouse_activity_count INTEGER NOT NULL DEFAULT 0,
        console_log_count INTEGER NOT NULL DEFAULT 0,
        console_warn_count INTEGER NOT NULL DEFAULT 0,
        console_error_count INTEGER NOT NULL DEFAULT 0,
        exception_count INTEGER NOT NULL DEFAULT 0,
        start_url TEXT,
        urls TEXT NOT NULL DEFAULT '[]',
        window_ids TEXT NOT NULL DEFAULT '[]',
        window_count INTEGER NOT NULL DEFAULT 1,
        event_count INTEGER NOT NULL DEFAULT 0,
        raw_bytes INTEGER NOT NULL DEFAULT 0,
        has_full_snapshot INTEGER NOT NULL DEFAULT 1,
        broken_reason TEXT,
        snapshot_source TEXT NOT NULL DEFAULT 'web',
        has_network INTEGER NOT NULL DEFAULT 0,
        custom_tags TEXT NOT NULL DEFAULT '[]',
        console_text TEXT NOT NULL DEFAULT '',
        viewed_at_ms INTEGER,
        format TEXT,
        source_path TEXT,
        content_hash TEXT,
        imported_at_ms INTEGER NOT NULL
      ) STRICT;
      CREATE INDEX recordings_by_start ON recordings (start_ms);
      CREATE INDEX recordings_by_person ON recordings (person_id, start_ms);
      CREATE INDEX recordings_by_distinct_id ON recordings (distinct_id, start_ms);
      CREATE INDEX recordings_by_duration ON recordings (duration_ms);
      CREATE INDEX recordings_with_exceptions ON recordings (start_ms) WHERE exception_count > 0;

      CREATE TABLE recording_windows (
        recording_id TEXT NOT NULL REFERENCES recordings (id) ON DELETE CASCADE ON UPDATE CASCADE,
        window_id TEXT NOT NULL,
        window_index INTEGER NOT NULL,
        first_ms INTEGER NOT NULL,
        last_ms INTEGER NOT NULL,
        event_count INTEGER NOT NULL,
        start_url TEXT,
        PRIMARY KEY (recording_id, window_id)
      ) STRICT, WITHOUT ROWID;

      CREATE TABLE recording_segments (
        recording_id TEXT NOT NULL REFERENCES recordings (id) ON DELETE CASCADE ON UPDATE CASCADE,
        window_id TEXT NOT NULL,
        start_ms INTEGER NOT NULL,
        end_ms INTEGER NOT NULL,
        is_active INTEGER NOT NULL
      ) STRICT;
      CREATE INDEX recording_segments_by_recording ON recording_segments (recording_id, start_ms);

      CREATE TABLE recording_items (
        recording_id TEXT NOT NULL REFERENCES recordings (id) ON DELETE CASCADE ON UPDATE CASCADE,
        timestamp_ms INTEGER NOT NULL,
        window_id TEXT,
        kind TEXT NOT NULL,
        level TEXT,
        label TEXT NOT NULL,
        detail TEXT
      ) STRICT;
      CREATE INDEX recording_items_by_recording ON recording_items (recording_id, timestamp_ms);

      CREATE TABLE snapshot_chunks (
        recording_id TEXT NOT NULL REFERENCES recordings (id) ON DELETE CASCADE ON UPDATE CASCADE,
        seq INTEGER NOT NULL,
        window_id TEXT NOT NULL,
        first_ms INTEGER NOT NULL,
        last_ms INTEGER NOT NULL,
        event_count INTEGER NOT NULL,
        has_full_snapshot INTEGER NOT NULL,
        raw_bytes INTEGER NOT NULL,
        encoding TEXT NOT NULL DEFAULT 'deflate-raw',
        data BLOB NOT NULL,
        PRIMARY KEY (recording_id, seq)
      ) STRICT;

      CREATE TABLE events (
        rowid INTEGER PRIMARY KEY,
        uuid TEXT NOT NULL UNIQUE,
        event TEXT NOT NULL,
        distinct_id TEXT NOT NULL,
        person_id TEXT,
        person_key TEXT,
        session_id TEXT,
        window_id TEXT,
        timestamp_ms INTEGER NOT NULL,
        url TEXT,
        properties TEXT NOT NULL DEFAULT '{}',
        elements_chain TEXT,
        fidelity INTEGER NOT NULL DEFAULT 2
      ) STRICT;
      CREATE INDEX events_by_session ON events (session_id, timestamp_ms);
      CREATE INDEX events_by_distinct_id ON events (distinct_id, timestamp_ms);
      CREATE INDEX events_by_person_key ON events (person_key, timestamp_ms, event);
      CREATE INDEX events_by_name ON events (event, timestamp_ms);

      CREATE TABLE exceptions (
        id INTEGER PRIMARY KEY,
        session_id TEXT NOT NULL,
        window_id TEXT,
        timestamp_ms INTEGER NOT NULL,
        type TEXT,
        message TEXT,
        level TEXT,
        handled INTEGER,
        frames TEXT NOT NULL DEFAULT '[]',
        stack_text TEXT,
        source TEXT NOT NULL CHECK (source IN ('event', 'console', 'custom')),
        event_uuid TEXT UNIQUE,
        fingerprint TEXT,
        issue_id TEXT
      ) STRICT;
      CREATE INDEX exceptions_by_session ON exceptions (session_id, timestamp_ms);

      CREATE VIRTUAL TABLE recordings_fts USING fts5 (
        people, urls, console, exceptions, tags, events,
        tokenize = 'unicode61 remove_diacritics 2',
        prefix = '2 3'
      );

      CREATE TABLE settings (
        key TEXT PRIMARY KEY,
        value TEXT NOT NULL
      ) STRICT;
    `)
  }
}
