import Database from 'better-sqlite3'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { createTempDir, createTestDb } from '../test/test-db'
import { getSchemaVersion, migrate, type Migration } from './migrate'
import { MIGRATIONS } from './migrations'
import { openDatabase } from './open-database'
import type { WritableDb } from './types'

describe('migrations', () => {
  it('bring an empty database to the latest version, one version per migration', () => {
    const db = createTestDb()
    expect(getSchemaVersion(db)).toBe(MIGRATIONS.at(-1)!.version)
    expect(MIGRATIONS.map((m) => m.version)).toEqual(MIGRATIONS.map((_, i) => i + 1))
    const tables = db.prepare(`SELECT name FROM sqlite_master WHERE type = 'table'`).pluck().all()
    expect(tables).toEqual(expect.arrayContaining(['recordings', 'snapshot_chunks', 'events', 'persons', 'exceptions', 'imports']))
  })

  it('are idempotent: running them again changes nothing', () => {
    const db = createTestDb()
    const schema = () => db.prepare(`SELECT sql FROM sqlite_master ORDER BY name`).pluck().all()
    const before = schema()
    migrate(db)
    expect(schema()).toEqual(before)
  })

  it('keep the data of a database made by an older version', () => {
    const db = createTestDb({ upToVersion: 1 })
    db.prepare(
      `INSERT INTO recordings (id, start_ms, end_ms, duration_ms, active_ms, imported_at_ms) VALUES ('s1', 1000, 5000, 4000, 1000, 1)`
    ).run()
    db.prepare(
      `INSERT INTO events (uuid, event, distinct_id, timestamp_ms, properties) VALUES ('e1', '$pageview', 'd1', 1000, '{}')`
    ).run()
    migrate(db)
    expect(getSchemaVersion(db)).toBe(MIGRATIONS.at(-1)!.version)
    expect(db.prepare(`SELECT id, duration_ms FROM recordings`).all()).toEqual([{ id: 's1', duration_ms: 4000 }])
    expect(db.prepare(`SELECT uuid, event FROM events`).all()).toEqual([{ uuid: 'e1', event: '$pageview' }])
  })

  it('roll a failing migration back as a whole', () => {
    const db = createTestDb({ upToVersion: 1 })
    const failing: Migration = {
      version: 2,
      name: 'fails halfway',
      up(database: WritableDb) {
        database.exec(`CREATE TABLE half_done (x INTEGER) STRICT`)
        throw new Error('boom')
      }
    }
    expect(() => migrate(db, [MIGRATIONS[0], failing])).toThrow('boom')
    expect(getSchemaVersion(db)).toBe(1)
    expect(db.prepare(`SELECT count(*) FROM sqlite_master WHERE name = 'half_done'`).pluck().get()).toBe(0)
  })

  it('refuse a cache written by a newer Tapedeck', () => {
    const temp = createTempDir()
    try {
      const file = join(temp.dir, 'cache.sqlite')
      const raw = new Database(file)
      raw.pragma('user_version = 999')
      raw.close()
      expect(() => openDatabase(file)).toThrow(/newer Tapedeck/)
    } finally {
      temp.cleanup()
    }
  })

  it('open files in WAL mode with foreign keys on', () => {
    const temp = createTempDir()
    try {
      const db = openDatabase(join(temp.dir, 'sub', 'cache.sqlite'))
      expect(db.pragma('journal_mode', { simple: true })).toBe('wal')
      expect(db.pragma('foreign_keys', { simple: true })).toBe(1)
      db.close()
    } finally {
      temp.cleanup()
    }
  })
})
