import { describe, expect, it } from 'vitest'
import { createTestDb } from '../../test/test-db'
import type { WritableDb } from '../types'
import { migrate } from '../migrate'
import { MIGRATIONS } from '.'
import { EVENT_COLUMNS } from './0007-event-columns'

const PROPERTIES = [
  {
    $current_url: 'https://a.test/cart?x=1',
    $pathname: '/cart',
    $host: 'a.test',
    $browser: 'Chrome'
  },
  { $os: 'iOS', $device_type: 'Mobile', $device_id: 'd1', $referring_domain: '$direct' },
  { $pathname: null, $browser: 42, $os: true, $host: { nested: 'x' }, $device_id: 'null' },
  {},
  { $current_url: 'https://b.test/é "quoted" \\ x', other: 'ignored' }
]

/** What the analytics' JSON path reads: `properties -> path` as text (strings unquoted), NULL when absent or null. */
function expectedRow(db: WritableDb, rowid: number): Record<string, string | number | null> {
  const row: Record<string, string | number | null> = { rowid, other: 0 }
  for (const { property, column } of EVENT_COLUMNS) {
    const json = db
      .prepare(`SELECT properties -> ? FROM events WHERE rowid = ?`)
      .pluck()
      .get(`$."${property}"`, rowid) as string | null
    row[column] =
      json === null || json === 'null' ? null : json.startsWith('"') ? JSON.parse(json) : json
    if (row[column] !== null && !json?.startsWith('"')) row.other = 1
  }
  return row
}

function insertEvents(db: WritableDb, from: number): void {
  const insert = db.prepare(
    `INSERT INTO events (uuid, event, distinct_id, timestamp_ms, properties) VALUES (?, 'e', 'u', 1, ?)`
  )
  PROPERTIES.forEach((p, i) => insert.run(`u${from + i}`, JSON.stringify(p)))
}

function expectColumnsEqualJson(db: WritableDb): void {
  const rowids = db.prepare(`SELECT rowid FROM events ORDER BY rowid`).pluck().all() as number[]
  const rows = db.prepare(`SELECT * FROM event_columns ORDER BY rowid`).all()
  expect(rows).toEqual(rowids.map((rowid) => expectedRow(db, rowid)))
}

describe('migration 0007 (event columns)', () => {
  it('backfills the extracted properties of existing events and keeps them equal on insert, update, delete', () => {
    const db = createTestDb({ upToVersion: 6 })
    insertEvents(db, 0)

    migrate(
      db,
      MIGRATIONS.filter((m) => m.version <= 7)
    )

    expect(db.pragma('user_version', { simple: true })).toBe(7)
    expect(db.prepare(`SELECT count(*) FROM event_columns`).pluck().get()).toBe(PROPERTIES.length)
    expect(
      db.prepare(`SELECT pathname, browser, os, host FROM event_columns WHERE rowid = 3`).get()
    ).toEqual({ pathname: null, browser: '42', os: 'true', host: '{"nested":"x"}' })
    expect(db.prepare(`SELECT device_id FROM event_columns WHERE rowid = 3`).pluck().get()).toBe(
      'null'
    )
    expectColumnsEqualJson(db)

    insertEvents(db, 100)
    db.prepare(`UPDATE events SET properties = ? WHERE rowid = 1`).run(
      JSON.stringify({ $pathname: '/new' })
    )
    db.prepare(`DELETE FROM events WHERE rowid = 2`).run()
    expectColumnsEqualJson(db)
    expect(
      db.prepare(`SELECT pathname, current_url FROM event_columns WHERE rowid = 1`).get()
    ).toEqual({
      pathname: '/new',
      current_url: null
    })
  })

  it('follows an upsert that replaces the properties with a richer source', () => {
    const db = createTestDb({ upToVersion: 7 })
    const upsert = db.prepare(
      `INSERT INTO events (uuid, event, distinct_id, timestamp_ms, properties, fidelity) VALUES ('x', 'e', 'u', 1, ?, ?)
       ON CONFLICT (uuid) DO UPDATE SET
         properties = CASE WHEN excluded.fidelity > events.fidelity THEN excluded.properties ELSE events.properties END,
         fidelity = MAX(events.fidelity, excluded.fidelity)`
    )
    upsert.run(JSON.stringify({ $pathname: '/csv' }), 1)
    upsert.run(JSON.stringify({ $pathname: '/json', $os: 'Linux' }), 2)
    upsert.run(JSON.stringify({ $pathname: '/older' }), 1)
    expect(db.prepare(`SELECT rowid, pathname, os FROM event_columns`).all()).toEqual([
      { rowid: 1, pathname: '/json', os: 'Linux' }
    ])
    expectColumnsEqualJson(db)
  })
})
