import { describe, expect, it } from 'vitest'
import { createTestDb } from '../../test/test-db'
import { migrate } from '../migrate'
import { MIGRATIONS } from '.'

describe('migration 0009 (snapshot keyframes)', () => {
  it('adds the keyframe table to a cache of the previous version, keeping its recordings', () => {
    const db = createTestDb({ upToVersion: 8 })
    const columns = (
      db.prepare(`PRAGMA table_info(recordings)`).all() as {
        name: string
        notnull: number
        dflt_value: unknown
      }[]
    )
      .filter((c) => c.notnull && c.dflt_value === null)
      .map((c) => c.name)
    const values: Record<string, unknown> = Object.fromEntries(columns.map((name) => [name, 0]))
    values.id = 'rec-1'
    db.prepare(
      `INSERT INTO recordings (${columns.join(', ')}) VALUES (${columns.map((c) => `@${c}`).join(', ')})`
    ).run(values)
    expect(
      db.prepare(`SELECT name FROM sqlite_master WHERE name = 'snapshot_keyframes'`).get()
    ).toBeUndefined()

    migrate(db, MIGRATIONS)
    expect(db.prepare(`SELECT count(*) AS n FROM recordings`).get()).toEqual({ n: 1 })
    db.prepare(
      `INSERT INTO snapshot_keyframes (recording_id, seq, window_id, timestamp_ms, event_count, raw_bytes, data) VALUES ('rec-1', 3, 'w', 10, 2, 4, x'01020304')`
    ).run()
    expect(() =>
      db
        .prepare(
          `INSERT INTO snapshot_keyframes (recording_id, seq, window_id, timestamp_ms, event_count, raw_bytes, data) VALUES ('nope', 1, 'w', 1, 1, 1, x'00')`
        )
        .run()
    ).toThrow(/FOREIGN KEY/)
    db.prepare(`DELETE FROM recordings WHERE id = 'rec-1'`).run()
    expect(db.prepare(`SELECT count(*) AS n FROM snapshot_keyframes`).get()).toEqual({ n: 0 })
  })
})
