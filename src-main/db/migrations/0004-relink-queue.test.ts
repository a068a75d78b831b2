import { describe, expect, it } from 'vitest'
import { createTestDb } from '../../test/test-db'
import { migrate } from '../migrate'
import { MIGRATIONS } from '.'

describe('migration 0004 (relink queue)', () => {
  it('queues the recordings an earlier version left without a search row, and keeps every recording', () => {
    const db = createTestDb({ upToVersion: 3 })
    const insert = db.prepare(
      `INSERT INTO recordings (rowid, id, start_ms, end_ms, duration_ms, active_ms, imported_at_ms) VALUES (?, ?, 1, 2, 1, 1, 3)`
    )
    insert.run(1024, 'linked')
    insert.run(2048, 'never-relinked')
    db.prepare(
      `INSERT INTO recordings_fts (rowid, people, urls, console, exceptions, tags, events) VALUES (1024, 'a', '', '', '', '', '')`
    ).run()

    migrate(
      db,
      MIGRATIONS.filter((m) => m.version <= 4)
    )

    expect(db.pragma('user_version', { simple: true })).toBe(4)
    expect({
      queue: db.prepare('SELECT kind, id FROM relink_queue').all(),
      recordings: db.prepare('SELECT id FROM recordings ORDER BY id').pluck().all()
    }).toEqual({
      queue: [{ kind: 'recording', id: 'never-relinked' }],
      recordings: ['linked', 'never-relinked']
    })
    expect(() =>
      db.prepare(`INSERT INTO relink_queue (kind, id) VALUES ('person', 'x')`).run()
    ).toThrow(/CHECK/)
  })
})
