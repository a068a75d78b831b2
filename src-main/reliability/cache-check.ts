import { createHash } from 'node:crypto'
import { inflateRawSync } from 'node:zlib'
import type { ReadableDb } from '../db/types'

/** What `checkCache` found: every problem as one line (empty when the cache is sound), and what it looked at. */
export type CacheCheckResult = {
  problems: string[]
  recordings: number
  chunks: number
  snapshotEvents: number
}

const EVENT_META = 4
const EVENT_FULL_SNAPSHOT = 2
/** Problems listed in full; past this many only the count grows (a broken cache would otherwise flood the log). */
const MAX_LISTED = 50

type ChunkRow = {
  recording_id: string
  seq: number
  window_id: string
  first_ms: number
  last_ms: number
  event_count: number
  has_full_snapshot: number
  data: Buffer
}

type RecordingRow = {
  id: string
  event_count: number
  broken_reason: string | null
  window_ids: string
}

/**
 * Checks that a cache is sound: SQLite's own `integrity_check` and `foreign_key_check`, and that every recording is
 * complete: its chunks are numbered 0..n-1, each inflates (raw deflate) to a JSON array of as many rrweb events as
 * the row says, in time order, and together the recording's event count; `has_full_snapshot` is true exactly for the
 * chunks holding a FullSnapshot, and those start with its Meta event (a keyframe the player can start from); and a
 * recording with no keyframe at all is marked broken. Keyframes stored at import each start a chunk of their own
 * window and decode to Meta + FullSnapshot; every event has its `event_columns` row.
 *
 * Reads the whole cache; meant for tests and the reliability scripts, not for the app.
 */
export function checkCache(db: ReadableDb): CacheCheckResult {
  const problems: string[] = []
  let problemCount = 0
  const report = (problem: string) => {
    problemCount++
    if (problems.length < MAX_LISTED) problems.push(problem)
  }
  const integrity = db.pragma('integrity_check') as { integrity_check: string }[]
  if (integrity.length !== 1 || integrity[0]?.integrity_check !== 'ok') {
    report(`integrity_check: ${integrity.map((row) => row.integrity_check).join('; ')}`)
  }
  const foreignKeys = db.pragma('foreign_key_check') as { table: string; parent: string }[]
  for (const row of foreignKeys.slice(0, 5))
    report(`foreign_key_check: a row of ${row.table} names a missing ${row.parent}`)

  const recordings = db
    .prepare(`SELECT id, event_count, broken_reason, window_ids FROM recordings ORDER BY id`)
    .all() as RecordingRow[]
  const selectChunks = db.prepare<[string], ChunkRow>(
    `SELECT recording_id, seq, window_id, first_ms, last_ms, event_count, has_full_snapshot, data
     FROM snapshot_chunks WHERE recording_id = ? ORDER BY seq`
  )
  let chunkCount = 0
  let snapshotEvents = 0
  for (const recording of recordings) {
    const chunks = selectChunks.all(recording.id)
    chunkCount += chunks.length
    if (chunks.length === 0 && recording.event_count > 0)
      report(`${recording.id}: no snapshot chunks`)
    const keyframeWindows = new Set<string>()
    let events = 0
    chunks.forEach((chunk, index) => {
      const where = `${recording.id} chunk ${chunk.seq}`
      if (chunk.seq !== index)
        report(`${where}: expected seq ${index} (chunks must be numbered 0..n-1)`)
      const decoded = decodeChunk(chunk.data)
      if (typeof decoded === 'string') {
        report(`${where}: ${decoded}`)
        return
      }
      events += decoded.length
      if (decoded.length !== chunk.event_count) {
        report(`${where}: holds ${decoded.length} events, the row says ${chunk.event_count}`)
      }
      let previous = -Infinity
      for (const event of decoded) {
        const ts = isObject(event) ? event.timestamp : undefined
        if (typeof ts !== 'number') {
          report(`${where}: an event without a numeric timestamp`)
          break
        }
        if (ts < previous) {
          report(`${where}: events out of time order`)
          break
        }
        previous = ts
      }
      // A keyframe: Meta first (page size and URL), then the FullSnapshot. Events stamped between the two (an
      // input a few ms after the Meta) may sit between them; rrweb skips what it cannot apply yet.
      const holdsFullSnapshot = decoded.some((event) => typeOf(event) === EVENT_FULL_SNAPSHOT)
      const startsWithKeyframe = typeOf(decoded[0]) === EVENT_META && holdsFullSnapshot
      if ((chunk.has_full_snapshot === 1) !== holdsFullSnapshot) {
        report(
          `${where}: has_full_snapshot is ${chunk.has_full_snapshot} but the chunk ${holdsFullSnapshot ? 'holds' : 'holds no'} FullSnapshot`
        )
      } else if (holdsFullSnapshot && !startsWithKeyframe) {
        report(`${where}: holds a FullSnapshot but does not start with its Meta event`)
      }
      if (startsWithKeyframe) keyframeWindows.add(chunk.window_id)
    })
    snapshotEvents += events
    // A window without a keyframe of its own cannot be shown (the player falls back to one that has one), but a
    // recording with none at all must be marked broken.
    if (recording.broken_reason === null && chunks.length > 0 && keyframeWindows.size === 0) {
      report(
        `${recording.id}: no chunk starts with Meta + FullSnapshot, and the recording is not marked broken`
      )
    }
    if (events !== recording.event_count) {
      report(
        `${recording.id}: chunks hold ${events} events, the recording says ${recording.event_count}`
      )
    }
  }
  // Keyframes stored at import: each starts a chunk of its own window and decodes to Meta + FullSnapshot.
  const keyframes = db
    .prepare(
      `SELECT k.recording_id, k.seq, k.window_id, k.data, c.window_id AS chunk_window FROM snapshot_keyframes k
       LEFT JOIN snapshot_chunks c ON c.recording_id = k.recording_id AND c.seq = k.seq
       ORDER BY k.recording_id, k.seq`
    )
    .iterate() as Iterable<{
    recording_id: string
    seq: number
    window_id: string
    data: Buffer
    chunk_window: string | null
  }>
  for (const keyframe of keyframes) {
    const where = `${keyframe.recording_id} keyframe ${keyframe.seq}`
    if (keyframe.chunk_window !== keyframe.window_id)
      report(`${where}: does not start a chunk of window ${keyframe.window_id}`)
    const decoded = decodeChunk(keyframe.data)
    if (typeof decoded === 'string') report(`${where}: ${decoded}`)
    else if (typeOf(decoded[0]) !== EVENT_META || typeOf(decoded[1]) !== EVENT_FULL_SNAPSHOT)
      report(`${where}: does not start with Meta + FullSnapshot`)
  }
  // Every event has its extracted property columns (written in the same transaction as the event).
  const withoutColumns = db
    .prepare(
      `SELECT count(*) FROM events e WHERE NOT EXISTS (SELECT 1 FROM event_columns c WHERE c.rowid = e.rowid)`
    )
    .pluck()
    .get() as number
  if (withoutColumns > 0) report(`${withoutColumns} events have no event_columns row`)
  if (problemCount > problems.length)
    problems.push(`… and ${problemCount - problems.length} more problems`)
  return { problems, recordings: recordings.length, chunks: chunkCount, snapshotEvents }
}

function decodeChunk(data: Buffer): unknown[] | string {
  let json: string
  try {
    json = inflateRawSync(data).toString('utf8')
  } catch (error) {
    return `does not inflate (${(error as Error).message})`
  }
  let value: unknown
  try {
    value = JSON.parse(json)
  } catch (error) {
    return `is not JSON (${(error as Error).message})`
  }
  return Array.isArray(value) ? value : 'is not a JSON array'
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

function typeOf(event: unknown): unknown {
  return isObject(event) ? event.type : undefined
}

/** The tables an import writes, as compared by `fingerprintCache` (the import log is left out on purpose). */
export const FINGERPRINT_TABLES = [
  'recordings',
  'recording_windows',
  'recording_segments',
  'recording_items',
  'snapshot_chunks',
  'snapshot_keyframes',
  'events',
  'event_columns',
  'exceptions',
  'persons',
  'person_distinct_ids',
  'recordings_fts'
] as const

/**
 * A SHA-256 per data table over every row and column, in a stable order: two caches (or one cache before and after
 * something) hold the same data exactly when their fingerprints are equal. Columns that legitimately differ between
 * runs are left out: insert-order row ids (`events.rowid`, `exceptions.id`) and `recordings.imported_at_ms`.
 */
export function fingerprintCache(
  db: ReadableDb
): Record<(typeof FINGERPRINT_TABLES)[number], string> {
  const order: Record<(typeof FINGERPRINT_TABLES)[number], string> = {
    recordings: 'SELECT * FROM recordings ORDER BY id',
    recording_windows: 'SELECT * FROM recording_windows ORDER BY recording_id, window_id',
    recording_segments:
      'SELECT * FROM recording_segments ORDER BY recording_id, window_id, start_ms, end_ms, is_active',
    recording_items:
      'SELECT * FROM recording_items ORDER BY recording_id, timestamp_ms, kind, label, window_id, level, detail',
    snapshot_chunks: 'SELECT * FROM snapshot_chunks ORDER BY recording_id, seq',
    snapshot_keyframes: 'SELECT * FROM snapshot_keyframes ORDER BY recording_id, seq',
    events: 'SELECT * FROM events ORDER BY uuid',
    // Keyed by the event's insert-order rowid: compared through the event's uuid instead.
    event_columns:
      'SELECT e.uuid AS event_uuid, c.* FROM event_columns c JOIN events e ON e.rowid = c.rowid ORDER BY e.uuid',
    exceptions:
      'SELECT * FROM exceptions ORDER BY session_id, timestamp_ms, source, event_uuid, message, type, window_id',
    persons: 'SELECT * FROM persons ORDER BY id',
    person_distinct_ids: 'SELECT * FROM person_distinct_ids ORDER BY distinct_id',
    recordings_fts:
      'SELECT r.id, f.people, f.urls, f.console, f.exceptions, f.tags, f.events FROM recordings_fts f JOIN recordings r ON r.rowid = f.rowid ORDER BY r.id'
  }
  const skipped: Record<string, readonly string[]> = {
    recordings: ['imported_at_ms'],
    events: ['rowid'],
    event_columns: ['rowid'],
    exceptions: ['id']
  }
  const result = {} as Record<(typeof FINGERPRINT_TABLES)[number], string>
  for (const table of FINGERPRINT_TABLES) {
    const hash = createHash('sha256')
    const skip = skipped[table] ?? []
    let rows = 0
    for (const row of db.prepare(order[table]).iterate() as Iterable<Record<string, unknown>>) {
      rows++
      for (const [column, value] of Object.entries(row)) {
        if (skip.includes(column)) continue
        hash.update(column)
        hash.update('\u0000')
        hash.update(Buffer.isBuffer(value) ? value : `${typeof value}:${String(value)}`)
        hash.update('\u0001')
      }
      hash.update('\u0002')
    }
    result[table] = `${rows}:${hash.digest('hex').slice(0, 16)}`
  }
  return result
}
