import { describe, expect, it } from 'vitest'
import { createTestDb } from '../../test/test-db'
import { migrate } from '../migrate'
import { MIGRATIONS } from '.'

describe('migration 0002 (sources)', () => {
  it('keeps existing data and adds the sync tables, with cascades from sources', () => {
    const db = createTestDb({ upToVersion: 1 })
    db.prepare(
      `INSERT INTO imports (path, size_bytes, mtime_ms, status, started_at_ms) VALUES ('/a.json', 1, 2, 'imported', 3)`
    ).run()

    migrate(
      db,
      MIGRATIONS.filter((m) => m.version <= 2)
    )

    expect(db.pragma('user_version', { simple: true })).toBe(2)
    expect(db.prepare('SELECT path, status FROM imports').all()).toEqual([
      { path: '/a.json', status: 'imported' }
    ])
    db.prepare(
      `INSERT INTO sources (id, kind, name, location, created_at_ms) VALUES (1, 'folder', 'Exports', '/x', 10)`
    ).run()
    db.prepare(
      `INSERT INTO source_files (source_id, path, size_bytes, mtime_ms, status, synced_at_ms)
       VALUES (1, '/x/a.json', 5, 6, 'imported', 7)`
    ).run()
    db.prepare(
      `INSERT INTO source_recordings (source_id, recording_id, version, status, start_ms, updated_at_ms)
       VALUES (1, 'r1', 'v1', 'pending', 1, 2)`
    ).run()
    db.prepare(
      `INSERT INTO sync_runs (source_id, trigger, status, started_at_ms) VALUES (1, 'cli', 'completed', 1)`
    ).run()
    expect(() =>
      db
        .prepare(
          `INSERT INTO sources (kind, name, location, created_at_ms) VALUES ('folder', 'Again', '/x', 11)`
        )
        .run()
    ).toThrow(/UNIQUE/)

    db.prepare('DELETE FROM sources WHERE id = 1').run()

    expect({
      files: db.prepare('SELECT COUNT(*) AS n FROM source_files').get(),
      recordings: db.prepare('SELECT COUNT(*) AS n FROM source_recordings').get(),
      runs: db.prepare('SELECT source_id, status FROM sync_runs').all()
    }).toEqual({
      files: { n: 0 },
      recordings: { n: 0 },
      runs: [{ source_id: null, status: 'completed' }]
    })
  })
})
