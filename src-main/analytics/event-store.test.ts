import { describe, expect, it } from 'vitest'
import { insertEvents } from '../test/analytics-builders'
import { createTestDb } from '../test/test-db'
import {
  getDataFingerprint,
  getPropertyColumn,
  getRowids,
  getSessionColumn,
  loadEventStore
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
})
