/**
 * Stored keyframes (table `snapshot_keyframes`, migration 0009): written with a recording's chunks, read by the
 * player's `recordings:get-keyframes` / `recordings:get-keyframe` channels.
 */
import type { KeyframeInfo } from '@shared/contract/recording-channels'
import type { ReadableDb, WritableDb } from '../db/types'
import type { PreparedKeyframe } from './keyframe-index'

/** Prepares the insert once per connection; the returned function writes one recording's keyframes. */
export function createKeyframeWriter(
  db: WritableDb
): (recordingId: string, keyframes: readonly PreparedKeyframe[] | undefined) => void {
  const insert = db.prepare(
    `INSERT INTO snapshot_keyframes (recording_id, seq, window_id, timestamp_ms, event_count, raw_bytes, data)
     VALUES (?, ?, ?, ?, ?, ?, ?)`
  )
  return (recordingId, keyframes) => {
    for (const k of keyframes ?? [])
      insert.run(recordingId, k.seq, k.windowId, k.timestampMs, k.eventCount, k.rawBytes, k.data)
  }
}

/** The keyframes stored for a recording, by chunk seq (empty for recordings imported before keyframes existed). */
export function listKeyframes(db: ReadableDb, recordingId: string): KeyframeInfo[] {
  const rows = db
    .prepare(
      `SELECT seq, window_id, timestamp_ms, length(data) AS byte_length FROM snapshot_keyframes
       WHERE recording_id = ? ORDER BY seq`
    )
    .all(recordingId) as {
    seq: number
    window_id: string
    timestamp_ms: number
    byte_length: number
  }[]
  return rows.map((r) => ({
    seq: r.seq,
    windowId: r.window_id,
    timestampMs: r.timestamp_ms,
    byteLength: r.byte_length
  }))
}

/** One keyframe's bytes (raw-deflate JSON array of events), or null when there is none before chunk `seq`. */
export function getKeyframe(db: ReadableDb, recordingId: string, seq: number): Uint8Array | null {
  const row = db
    .prepare(`SELECT data FROM snapshot_keyframes WHERE recording_id = ? AND seq = ?`)
    .get(recordingId, seq) as { data: Buffer } | undefined
  return row ? new Uint8Array(row.data.buffer, row.data.byteOffset, row.data.byteLength) : null
}
