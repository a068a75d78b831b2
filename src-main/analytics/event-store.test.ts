import { describe, expect, it } from 'vitest'
import { fillEventColumns } from '../db/event-columns'
import { insertEvents } from '../test/analytics-builders'
import { createTestDb } from '../test/test-db'
import {
  getDataFingerprint,
  getPropertyColumn,
  getRowids,
  getSessionColumn,
  loadEventStore,
  readPropertyColumnsFromJson
} from './event-store'

const T0 = Date.UTC(2026, 9, 12)

describe('the event store', () => {
  it('holds every event by person in time order, with rowids, sessions and property values lined up', () => {
    const db = createTestDb()
    insertEvents(db, [
      {
        event: 'b',
        distinctId: 'u2',
        timestampMs: T0 + 5,
        sessionId: 's2',
        properties: { plan: 'pro' }
      },
      { event: 'a', distinctId: 'u1', timestampMs: T0 + 9, sessionId: 's1', properties: { n: 3 } },
      { event: 'a', distinctId: 'u1', timestampMs: T0 + 1, properties: { n: true } },
      { event: 'c', distinctId: 'u2', timestampMs: T0 + 5, sessionId: 's2' }
    ])
    const store = loadEventStore(db)
    expect(store.personKeys).toEqual(['u1', 'u2'])
    expect([...store.personStart]).toEqual([0, 2, 4])
    expect([...store.timestampMs].map((t) => t - T0)).toEqual([1, 9, 5, 5])
    const rowids = getRowids(db, store)
    const byRowid = db.prepare(`SELECT timestamp_ms AS t, event FROM events WHERE rowid = ?`)
    rowids.forEach((rowid, i) => {
      expect(byRowid.get(rowid)).toEqual({
        t: store.timestampMs[i],
        event: store.eventNames[store.eventCode[i]]
      })
    })
    const sessions = getSessionColumn(db, store)
    expect([...sessions.sessionOf].map((s) => (s < 0 ? null : sessions.sessionIds[s]))).toEqual([
      null,
      's1',
      's2',
      's2'
    ])
    const n = getPropertyColumn(db, store, 'a', 'n')
    expect([...n.valueOf].map((v) => (v < 0 ? null : n.values[v]))).toEqual([
      'true',
      '3',
      null,
      null
    ])
  })

  it('notices data written after it was loaded', () => {
    const db = createTestDb()
    insertEvents(db, [{ event: 'a', distinctId: 'u1', timestampMs: T0 }])
    const store = loadEventStore(db)
    insertEvents(db, [{ event: 'b', distinctId: 'u1', timestampMs: T0 + 1 }])
    expect(getDataFingerprint(db)).not.toBe(store.fingerprint)
    expect(() => getRowids(db, store)).toThrow(/changed/)
  })

  it('reads extracted columns in blocks of rowids, with gaps, equal to the JSON', () => {
    const db = createTestDb()
    // 50k events with rowid gaps (every 7th deleted), more than two blocks of the column read.
    db.exec(`
      WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 50000)
      INSERT INTO events (uuid, event, distinct_id, person_key, timestamp_ms, properties)
      SELECT 'e' || i, CASE i % 3 WHEN 0 THEN '$pageview' ELSE 'click' END, 'u' || (i % 97), 'u' || (i % 97),
             ${T0} + i, CASE WHEN i % 11 = 0 THEN '{}' ELSE json_object('$pathname', '/p/' || (i % 13)) END
      FROM n;
      DELETE FROM events WHERE rowid % 7 = 0;
    `)
    fillEventColumns(db)
    const store = loadEventStore(db)
    const column = getPropertyColumn(db, store, '$pageview', '$pathname')
    const fromJson = readPropertyColumnsFromJson(db, store, null, ['$pathname'])[0]
    const text = (c: typeof column, i: number) => (c.valueOf[i] < 0 ? null : c.values[c.valueOf[i]])
    const rowids = getRowids(db, store)
    let set = 0
    for (let i = 0; i < store.timestampMs.length; i++) {
      const expected = text(fromJson, i)
      if (text(column, i) !== expected)
        throw new Error(`rowid ${rowids[i]}: ${text(column, i)} ≠ ${expected}`)
      if (expected !== null) set++
    }
    expect(store.timestampMs.length).toBe(50000 - Math.floor(50000 / 7))
    expect(set).toBeGreaterThan(35000)
    expect(column.values.length).toBe(13)
  })
})
