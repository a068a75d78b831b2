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
    expect({ ...after, events: before.events }).toEqual(before)
  })
})
