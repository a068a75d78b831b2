import { describe, expect, it } from 'vitest'
import { createTestDb } from '../../test/test-db'
import { migrate } from '../migrate'
import { MIGRATIONS } from '.'

describe('migration 0006 (recording list index)', () => {
  it('fills the list table and the URL trigram index from existing recordings, then triggers keep them equal', () => {
    const db = createTestDb({ upToVersion: 5 })
    const insert = db.prepare(
      `INSERT INTO recordings (rowid, id, start_ms, end_ms, duration_ms, active_ms, exception_count, console_error_count,
         urls, viewed_at_ms, imported_at_ms) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0)`
    )
    insert.run(1024, 'a', 1, 11, 10, 5, 2, 3, '["https://X.test/Cart"]', null)
    insert.run(2048, 'b', 2, 42, 40, 0, 0, 0, '[]', 99)

    migrate(
      db,
      MIGRATIONS.filter((m) => m.version <= 6)
    )

    expect(db.pragma('user_version', { simple: true })).toBe(6)
    const list = () => db.prepare('SELECT * FROM recording_list ORDER BY rowid').all()
    const urlMatches = (needle: string) =>
      db
        .prepare(`SELECT rowid FROM recording_urls_fts WHERE recording_urls_fts MATCH ?`)
        .pluck()
        .all(`"${needle}"`)
    expect(list()).toEqual([
      {
        rowid: 1024,
        start_ms: 1,
        duration_ms: 10,
        active_ms: 5,
        exception_count: 2,
        console_error_count: 3,
        error_total: 5,
        viewed_at_ms: null
      },
      {
        rowid: 2048,
        start_ms: 2,
        duration_ms: 40,
        active_ms: 0,
        exception_count: 0,
        console_error_count: 0,
        error_total: 0,
        viewed_at_ms: 99
      }
    ])
    expect(urlMatches('x.test/cart')).toEqual([1024])

    db.prepare(
      `UPDATE recordings SET exception_count = 7, viewed_at_ms = 5, urls = '["/other"]' WHERE id = 'a'`
    ).run()
    db.prepare(`DELETE FROM recordings WHERE id = 'b'`).run()
    insert.run(3072, 'c', 3, 4, 1, 1, 0, 1, '["/cart"]', null)
    expect(list()).toEqual([
      {
        rowid: 1024,
        start_ms: 1,
        duration_ms: 10,
        active_ms: 5,
        exception_count: 7,
        console_error_count: 3,
        error_total: 10,
        viewed_at_ms: 5
      },
      {
        rowid: 3072,
        start_ms: 3,
        duration_ms: 1,
        active_ms: 1,
        exception_count: 0,
        console_error_count: 1,
        error_total: 1,
        viewed_at_ms: null
      }
    ])
    expect({ cart: urlMatches('/cart'), other: urlMatches('/other') }).toEqual({
      cart: [3072],
      other: [1024]
    })
  })
})
