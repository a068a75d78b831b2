import { describe, expect, it } from 'vitest'
import { createTestDb } from '../../test/test-db'
import { migrate } from '../migrate'
import { MIGRATIONS } from '.'

function insertRecording(db: ReturnType<typeof createTestDb>, id: string) {
  db.prepare(
    `INSERT INTO recordings (id, start_ms, end_ms, duration_ms, active_ms, imported_at_ms) VALUES (?, 1, 2, 1, 1, 3)`
  ).run(id)
}

describe('migration 0003 (assets)', () => {
  it('keeps recordings and adds the asset tables, whose links go with their recording', () => {
    const db = createTestDb({ upToVersion: 2 })
    insertRecording(db, 'r1')
    insertRecording(db, 'r2')

    migrate(
      db,
      MIGRATIONS.filter((m) => m.version <= 3)
    )

    expect(db.pragma('user_version', { simple: true })).toBe(3)
    db.prepare(
      `INSERT INTO assets (url) VALUES ('https://a.test/x.png'), ('https://a.test/y.png')`
    ).run()
    db.prepare(
      `INSERT INTO recording_assets (recording_id, url) VALUES
         ('r1', 'https://a.test/x.png'), ('r2', 'https://a.test/x.png'), ('r2', 'https://a.test/y.png')`
    ).run()
    db.prepare(
      `INSERT INTO recording_asset_scans (recording_id, scanned_at_ms) VALUES ('r1', 5), ('r2', 6)`
    ).run()
    expect(() =>
      db.prepare(`INSERT INTO assets (url, status) VALUES ('https://a.test/z', 'odd')`).run()
    ).toThrow(/CHECK/)
    expect(() =>
      db
        .prepare(
          `INSERT INTO recording_assets (recording_id, url) VALUES ('missing', 'https://a.test/x.png')`
        )
        .run()
    ).toThrow(/FOREIGN KEY/)

    db.prepare(`DELETE FROM recordings WHERE id = 'r2'`).run()

    expect({
      links: db.prepare('SELECT recording_id, url FROM recording_assets').all(),
      scans: db.prepare('SELECT recording_id FROM recording_asset_scans').all(),
      assets: db.prepare('SELECT url, status, depth FROM assets ORDER BY url').all()
    }).toEqual({
      links: [{ recording_id: 'r1', url: 'https://a.test/x.png' }],
      scans: [{ recording_id: 'r1' }],
      assets: [
        { url: 'https://a.test/x.png', status: 'pending', depth: 0 },
        { url: 'https://a.test/y.png', status: 'pending', depth: 0 }
      ]
    })
  })
})
