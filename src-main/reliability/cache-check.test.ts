import { join } from 'node:path'
import { deflateRawSync, inflateRawSync } from 'node:zlib'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { openDatabase } from '../db/open-database'
import type { WritableDb } from '../db/types'
import { importPaths } from '../ingest/import-service'
import { createTempDir, fixturePath } from '../test/test-db'
import { checkCache, fingerprintCache } from './cache-check'

const ACME = fixturePath('acme-small')
// Two windows, one of whose first event (DomContentLoaded) precedes its Meta + FullSnapshot.
const TWO_WINDOWS = '01a1568e-26d0-73a7-998b-3dd38347fb05'

let temp: ReturnType<typeof createTempDir>
let db: WritableDb

beforeAll(() => {
  temp = createTempDir('tapedeck-cache-check-')
})
afterAll(() => temp.cleanup())

beforeEach(async () => {
  db?.close()
  db = openDatabase(join(temp.dir, `${Date.now()}-${Math.random()}`, 'cache.sqlite'))
  await importPaths(
    db,
    [join(ACME, 'recordings', `${TWO_WINDOWS}.json`), join(ACME, 'events.jsonl')],
    { workers: 0 }
  )
})

const firstChunk = () =>
  db
    .prepare(`SELECT seq, data FROM snapshot_chunks WHERE recording_id = ? ORDER BY seq LIMIT 1`)
    .get(TWO_WINDOWS) as {
    seq: number
    data: Buffer
  }

describe('checkCache', () => {
  it('passes a freshly imported cache, counting every chunk and event', () => {
    const result = checkCache(db)
    expect(result.problems).toEqual([])
    expect(result.recordings).toBe(1)
    expect(result.chunks).toBe(db.prepare(`SELECT count(*) FROM snapshot_chunks`).pluck().get())
    expect(result.snapshotEvents).toBe(
      db.prepare(`SELECT event_count FROM recordings`).pluck().get()
    )
  })

  it('finds a chunk that does not inflate, and a missing chunk', () => {
    const chunk = firstChunk()
    db.prepare(`UPDATE snapshot_chunks SET data = ? WHERE recording_id = ? AND seq = ?`).run(
      chunk.data.subarray(0, 10),
      TWO_WINDOWS,
      chunk.seq
    )
    expect(checkCache(db).problems.join('\n')).toMatch(/chunk 0: does not inflate/)

    db.prepare(`DELETE FROM snapshot_chunks WHERE recording_id = ? AND seq = 0`).run(TWO_WINDOWS)
    expect(checkCache(db).problems.join('\n')).toMatch(/expected seq 0/)
  })

  it('finds a keyframe chunk whose Meta is gone, and a recording left without any keyframe', () => {
    const chunk = firstChunk()
    const events = JSON.parse(inflateRawSync(chunk.data).toString('utf8')) as { type: number }[]
    expect(events[0]?.type).toBe(4)
    const withoutMeta = events.slice(1)
    db.prepare(
      `UPDATE snapshot_chunks SET data = ?, event_count = ? WHERE recording_id = ? AND seq = ?`
    ).run(
      deflateRawSync(Buffer.from(JSON.stringify(withoutMeta))),
      withoutMeta.length,
      TWO_WINDOWS,
      chunk.seq
    )
    db.prepare(`UPDATE recordings SET event_count = event_count - 1`).run()
    const problems = checkCache(db).problems
    expect(problems).toEqual([
      expect.stringMatching(/chunk 0: holds a FullSnapshot but does not start with its Meta event/)
    ])

    // With no keyframe left at all, the recording must say it is broken.
    db.prepare(`DELETE FROM snapshot_chunks WHERE has_full_snapshot = 1 AND seq > 0`).run()
    expect(checkCache(db).problems.join('\n')).toMatch(
      /no chunk starts with Meta \+ FullSnapshot, and the recording is not marked broken/
    )
    db.prepare(`UPDATE recordings SET broken_reason = 'marked'`).run()
    expect(checkCache(db).problems.join('\n')).not.toMatch(/not marked broken/)
  })
})

describe('checkCache on what the import stores beside the chunks', () => {
  const insertKeyframe = (seq: number, windowId: string, data: Buffer) =>
    db
      .prepare(
        `INSERT INTO snapshot_keyframes (recording_id, seq, window_id, timestamp_ms, event_count, raw_bytes, data)
         VALUES (?, ?, ?, 0, 2, 0, ?)`
      )
      .run(TWO_WINDOWS, seq, windowId, data)

  it('accepts a keyframe that starts a chunk of its window, and names one that does not or will not decode', () => {
    const chunks = db
      .prepare(
        `SELECT seq, window_id, data FROM snapshot_chunks WHERE recording_id = ? ORDER BY seq`
      )
      .all(TWO_WINDOWS) as { seq: number; window_id: string; data: Buffer }[]
    const keyChunk = chunks.find((chunk) => {
      const events = JSON.parse(inflateRawSync(chunk.data).toString('utf8')) as { type: number }[]
      return events[0]?.type === 4 && events[1]?.type === 2
    })!
    const [meta, full] = JSON.parse(inflateRawSync(keyChunk.data).toString('utf8')) as unknown[]
    const last = chunks.at(-1)!
    insertKeyframe(last.seq, last.window_id, deflateRawSync(JSON.stringify([meta, full])))
    expect(checkCache(db).problems).toEqual([])

    db.prepare(`UPDATE snapshot_keyframes SET window_id = 'elsewhere'`).run()
    expect(checkCache(db).problems).toEqual([
      expect.stringMatching(
        new RegExp(`keyframe ${last.seq}: does not start a chunk of window elsewhere`)
      )
    ])
    db.prepare(`UPDATE snapshot_keyframes SET window_id = ?, data = ?`).run(
      last.window_id,
      deflateRawSync(JSON.stringify([full, meta]))
    )
    expect(checkCache(db).problems).toEqual([
      expect.stringMatching(/does not start with Meta \+ FullSnapshot/)
    ])
    db.prepare(`UPDATE snapshot_keyframes SET data = ?`).run(Buffer.from('not deflate'))
    expect(checkCache(db).problems).toEqual([
      expect.stringMatching(/keyframe \d+: does not inflate/)
    ])
  })

  it('names events left without their extracted property columns', () => {
    expect(db.prepare(`SELECT count(*) FROM event_columns`).pluck().get()).toBeGreaterThan(0)
    db.prepare(
      `DELETE FROM event_columns WHERE rowid IN (SELECT rowid FROM event_columns LIMIT 3)`
    ).run()
    expect(checkCache(db).problems).toEqual(['3 events have no event_columns row'])
  })
})

describe('fingerprintCache', () => {
  it('changes when any stored value changes, and not with the import time', () => {
    const before = fingerprintCache(db)
    db.prepare(`UPDATE recordings SET imported_at_ms = imported_at_ms + 1`).run()
    expect(fingerprintCache(db)).toEqual(before)

    db.prepare(
      `UPDATE events SET properties = '{}' WHERE rowid = (SELECT min(rowid) FROM events)`
    ).run()
    const after = fingerprintCache(db)
    expect(after.events).not.toBe(before.events)
    // The update trigger re-extracts the event's property columns: '{}' has none of them.
    expect(after.event_columns).not.toBe(before.event_columns)
    expect({ ...after, events: before.events, event_columns: before.event_columns }).toEqual(before)
  })
})
