import { describe, expect, it } from 'vitest'
import { createTestDb } from '../../test/test-db'
import { fillEventColumns } from '../event-columns'
import type { WritableDb } from '../types'
import { migrate } from '../migrate'
import { MIGRATIONS } from '.'

const PROPERTIES = [
  { $current_url: 'https://a.test/cart', $pathname: '/cart', $browser: 'Chrome', $os: 'iOS' },
  { $host: { nested: ['x'] }, $device_type: 12.5, $device_id: true, $referring_domain: null },
  {}
]

function insertEvents(db: WritableDb, from: number, properties: object[]): void {
  const insert = db.prepare(
    `INSERT INTO events (uuid, event, distinct_id, timestamp_ms, properties) VALUES (?, 'e', 'u', 1, ?)`
  )
  properties.forEach((p, i) => insert.run(`u${from + i}`, JSON.stringify(p)))
}

const columnRows = (db: WritableDb) =>
  db.prepare(`SELECT * FROM event_columns ORDER BY rowid`).all()
const triggers = (db: WritableDb) =>
  db
    .prepare(
      `SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'events' ORDER BY name`
    )
    .pluck()
    .all()

describe('migration 0008 (event columns without the insert trigger)', () => {
  it('keeps the extracted columns, drops only the insert trigger; fillEventColumns writes what 0007 did', () => {
    const db = createTestDb({ upToVersion: 7 })
    insertEvents(db, 0, PROPERTIES)
    const before = columnRows(db)
    expect(before).toHaveLength(PROPERTIES.length)

    migrate(
      db,
      MIGRATIONS.filter((m) => m.version <= 8)
    )

    expect(db.pragma('user_version', { simple: true })).toBe(8)
    expect(columnRows(db)).toEqual(before)
    expect(triggers(db)).toEqual(['event_columns_delete', 'event_columns_update'])

    // An insert by SQL no longer fills the table; the shared helper does, with the values 0007's SQL gave.
    insertEvents(db, 100, PROPERTIES)
    expect(columnRows(db)).toHaveLength(PROPERTIES.length)
    expect(fillEventColumns(db)).toBe(PROPERTIES.length)
    expect(fillEventColumns(db)).toBe(0)
    const rows = columnRows(db) as Record<string, unknown>[]
    const withoutRowid = (row: Record<string, unknown>) => ({ ...row, rowid: undefined })
    expect(rows.slice(PROPERTIES.length).map(withoutRowid)).toEqual(
      (before as Record<string, unknown>[]).map(withoutRowid)
    )

    // Update (a richer source's properties) and delete still follow by trigger.
    db.prepare(`UPDATE events SET properties = ? WHERE rowid = 1`).run(
      JSON.stringify({ $os: 'Linux' })
    )
    db.prepare(`DELETE FROM events WHERE rowid = 2`).run()
    expect(
      db.prepare(`SELECT rowid, os, pathname FROM event_columns WHERE rowid <= 3`).all()
    ).toEqual([
      { rowid: 1, os: 'Linux', pathname: null },
      { rowid: 3, os: null, pathname: null }
    ])
  })
})
