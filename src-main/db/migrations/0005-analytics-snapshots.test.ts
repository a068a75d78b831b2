import { describe, expect, it } from 'vitest'
import { createTestDb } from '../../test/test-db'
import { migrate } from '../migrate'
import { MIGRATIONS } from '.'

describe('migration 0005 (analytics snapshots)', () => {
  it('adds an empty snapshot table to an existing cache and keeps its events', () => {
    const db = createTestDb({ upToVersion: 4 })
    db.prepare(
      `INSERT INTO events (uuid, event, distinct_id, timestamp_ms) VALUES ('e1', 'a', 'u1', 1)`
    ).run()

    migrate(
      db,
      MIGRATIONS.filter((m) => m.version <= 5)
    )

    expect(db.pragma('user_version', { simple: true })).toBe(5)
    expect(db.prepare('SELECT count(*) FROM analytics_snapshots').pluck().get()).toBe(0)
    expect(db.prepare('SELECT uuid FROM events').pluck().all()).toEqual(['e1'])
    const insert = db.prepare(
      `INSERT INTO analytics_snapshots (key, fingerprint, data, written_at_ms) VALUES (?, ?, ?, 1)`
    )
    insert.run('store', 'f1', Buffer.from([1, 2, 3]))
    expect(() => insert.run('store', 'f2', Buffer.from([4]))).toThrow(/UNIQUE/)
    expect(() => insert.run('rowids', 'f1', 'not a blob')).toThrow(/cannot store TEXT/)
  })
})
