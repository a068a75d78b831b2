import type { Migration } from '../migrate'

/**
 * Keyframes stored at import (src-main/ingest/keyframe-index.ts): the page just before chunk `seq` of a long
 * window, as `[Meta, FullSnapshot, ...state events]` in a raw-deflate JSON array (like a chunk), so a seek replays
 * from the nearest keyframe instead of from the window's full snapshot. Deleted with their recording. Recordings
 * imported before have none (the player builds keyframes in the browser for them).
 */
export const migration0009: Migration = {
  version: 9,
  name: 'snapshot-keyframes',
  up(db) {
    db.exec(`
      CREATE TABLE snapshot_keyframes (
        recording_id TEXT NOT NULL REFERENCES recordings (id) ON DELETE CASCADE ON UPDATE CASCADE,
        seq INTEGER NOT NULL,
        window_id TEXT NOT NULL,
        timestamp_ms INTEGER NOT NULL,
        event_count INTEGER NOT NULL,
        raw_bytes INTEGER NOT NULL,
        data BLOB NOT NULL,
        PRIMARY KEY (recording_id, seq)
      ) STRICT;
    `)
  }
}
