import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import type { SessionStats } from '@shared/analytics'
import type { WritableDb } from '../db/types'
import { importPaths } from '../ingest/import-service'
import { createChangeSet } from '../ingest/import-store'
import { queueRelink, relink, takeRelinkQueue } from '../ingest/relink'
import { insertEvents, insertPerson, type EventSpec } from '../test/analytics-builders'
import { createTempDir, createTestDb, fixturePath } from '../test/test-db'
import { openDatabase } from '../db/open-database'
import { createAnalyticsEngine } from './analytics-engine'
import {
  compareBinary,
  getRowids,
  getSessionColumn,
  loadEventStore,
  loadPropertyColumns,
  saveEventStore,
  takeCarried,
  updateEventStore,
  type EventStore,
  type PropertyColumn
} from './event-store'
import { computeFunnel, summarizeFunnel } from './funnels'
import { carrySessionDevices, computeSessionStats } from './sessions'
import { createConnectionSnapshotStore, createSnapshotStore } from './store-snapshots'

const T0 = Date.UTC(2026, 9, 12)
const CARRIED = ['$pathname', '$current_url', '$browser'] as const
const RECORDING = '01a12f23-f12d-796a-aedc-e9656928f7dd.json'

/** A seeded pseudo-random generator (mulberry32). */
function random(seed: number): () => number {
  let a = seed
  return () => {
    a = (a + 0x6d2b79f5) | 0
    let t = Math.imul(a ^ (a >>> 15), 1 | a)
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ (t + t)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

/** Events of a few persons with many ties on time and name, some without a session id or a path. */
function randomEvents(next: () => number, count: number, names: string[], distinctIds: string[]) {
  const pick = <T>(list: readonly T[]) => list[Math.floor(next() * list.length)]
  return Array.from({ length: count }, (): EventSpec => {
    const path = pick(['/', '/cart', '/product/a', '/product/b', null])
    return {
      event: pick(names),
      distinctId: pick(distinctIds),
      timestampMs: T0 + Math.floor(next() * 40) * 1000,
      sessionId: next() < 0.2 ? null : `s${Math.floor(next() * 30)}`,
      properties:
        path === null
          ? {}
          : { $pathname: path, $current_url: `https://x.test${path}`, $browser: pick(['A', 'B']) }
    }
  })
}

/** Records that an import stored `events` events and `persons` persons, as the import service does. */
function recordImport(db: WritableDb, events: number, persons = 0): void {
  db.prepare(
    `INSERT INTO imports (path, size_bytes, mtime_ms, status, events, persons, started_at_ms, finished_at_ms)
     VALUES ('batch.jsonl', 1, 1, 'imported', ?, ?, 1, 1)`
  ).run(events, persons)
}

/** Reads what a funnel or session query may use, so an update has columns to carry over. */
function warm(db: WritableDb, store: EventStore): void {
  getRowids(db, store)
  getSessionColumn(db, store)
  loadPropertyColumns(db, store, null, CARRIED)
  computeSessionStats(db, store, BY_SESSION_ID)
}

const BY_SESSION_ID = { definition: { kind: 'session-id' as const } }

/** Session statistics without their timing. */
function sessionStats(db: WritableDb, store: EventStore): Omit<SessionStats, 'computedInMs'> {
  const { computedInMs: _, ...stats } = computeSessionStats(db, store, BY_SESSION_ID)
  return stats
}

const text = (column: PropertyColumn, i: number) =>
  column.valueOf[i] < 0 ? null : column.values[column.valueOf[i]]

/** Fails unless the two stores hold the same events in the same order, with the same rowids, sessions, columns. */
function expectSameStore(db: WritableDb, updated: EventStore, full: EventStore): void {
  expect(updated.fingerprint).toBe(full.fingerprint)
  expect(updated.personKeys).toEqual(full.personKeys)
  expect([...updated.personStart]).toEqual([...full.personStart])
  expect([...updated.timestampMs]).toEqual([...full.timestampMs])
  const names = (store: EventStore) => [...store.eventCode].map((code) => store.eventNames[code])
  expect(names(updated)).toEqual(names(full))
  expect(updated.eventsWithoutPerson).toBe(full.eventsWithoutPerson)
  expect([...getRowids(db, updated)]).toEqual([...getRowids(db, full)])
  const sessions = (store: EventStore) => {
    const column = getSessionColumn(db, store)
    return [...column.sessionOf].map((s) => (s < 0 ? null : column.sessionIds[s]))
  }
  expect(sessions(updated)).toEqual(sessions(full))
  expect(getSessionColumn(db, updated).sessionIds).toEqual(getSessionColumn(db, full).sessionIds)
  const a = loadPropertyColumns(db, updated, null, CARRIED)
  const b = loadPropertyColumns(db, full, null, CARRIED)
  CARRIED.forEach((_, c) => {
    const values = (column: PropertyColumn) =>
      Array.from({ length: column.valueOf.length }, (_, i) => text(column, i))
    expect(values(a[c])).toEqual(values(b[c]))
  })
}

/**
 * An engine (no snapshots) over an event of d1 (person p1) and one of d2, warmed up, after their import; d2's person
 * is whatever the cache maps it to.
 */
function warmEngineOfTwoDistinctIds(db: WritableDb) {
  insertPerson(db, { id: 'p1', distinctIds: ['d1'] })
  insertEvents(db, [
    { event: 'a', distinctId: 'd1', timestampMs: T0 },
    { event: 'b', distinctId: 'd2', timestampMs: T0 + 1 }
  ])
  recordImport(db, 2)
  const engine = createAnalyticsEngine(db, { snapshots: null })
  warm(db, engine.getStore())
  return engine
}

const personKeyOf = (db: WritableDb, distinctId: string) =>
  db.prepare(`SELECT person_key FROM events WHERE distinct_id = ?`).pluck().get(distinctId)

/** Imports a recording export whose person (as PostHog exports carry it) is p1 with the distinct ids d1 and d2. */
async function importRecordingOfP1(db: WritableDb, dir: string): Promise<void> {
  const recording = JSON.parse(
    readFileSync(fixturePath('acme-small', 'recordings', RECORDING), 'utf8')
  ) as { data: { person: unknown } }
  recording.data.person = { id: 'p1', uuid: 'p1', distinct_ids: ['d1', 'd2'], properties: {} }
  writeFileSync(join(dir, 'recording.json'), JSON.stringify(recording))
  await importPaths(db, [join(dir, 'recording.json')])
}

/**
 * Warms an engine up over a cache file holding d1's and d2's events (persons p1 and p2), runs `change` (which
 * imports `importRecordingOfP1`), and expects d2's events to be p1's and the engine's store to equal a full read.
 */
async function expectStoreToFollow(
  change: (db: WritableDb, dir: string) => Promise<void>
): Promise<void> {
  const { dir, cleanup } = createTempDir()
  try {
    const db = openDatabase(join(dir, 'cache.sqlite'))
    insertPerson(db, { id: 'p2', distinctIds: ['d2'] })
    const engine = warmEngineOfTwoDistinctIds(db)
    await change(db, dir)
    expect(personKeyOf(db, 'd2')).toBe('p1')
    expectSameStore(db, engine.getStore(), loadEventStore(db, { snapshots: null }))
    db.close()
  } finally {
    cleanup()
  }
}

describe('updating the event store after an import', () => {
  it('gives the store a full read gives, with rowids, sessions and columns carried over (random batches)', () => {
    for (let seed = 1; seed <= 12; seed++) {
      const next = random(seed)
      const db = createTestDb()
      insertPerson(db, { id: 'p1', distinctIds: ['anon-1', 'ada'] })
      insertPerson(db, { id: 'p2', distinctIds: ['anon-2'] })
      const ids = ['anon-1', 'ada', 'anon-2', 'x', 'y', 'é', '\u{1f600}', '\uffee']
      insertEvents(db, randomEvents(next, 150, ['$pageview', 'buy', 'a'], ids))
      recordImport(db, 150)
      const previous = loadEventStore(db, { snapshots: null })
      warm(db, previous)

      // A batch with new persons, new session ids, new event names and ties with the events already there.
      const batch = randomEvents(
        next,
        60,
        ['$pageview', 'buy', 'new-name', 'B'],
        [...ids, 'z', 'w']
      )
      insertEvents(db, batch)
      recordImport(db, batch.length)
      const updated = updateEventStore(db, previous, null, [carrySessionDevices])
      if (!updated) throw new Error(`seed ${seed}: no update`)
      // Carried over (when first asked for), not read again.
      expect(updated.lazy.has('rowids')).toBe(true)
      for (const key of ['session-column', 'property:*:$pathname', 'session-devices'])
        expect(takeCarried(updated, key)).toBeDefined()
      const full = loadEventStore(db, { snapshots: null })
      expectSameStore(db, updated, full)
      expect(sessionStats(db, updated)).toEqual(sessionStats(db, full))
      const definition = {
        steps: [
          {
            event: '$pageview',
            filters: [{ property: '$pathname', operator: 'equals' as const, value: '/' }]
          },
          { event: 'buy' },
          { event: 'new-name' }
        ],
        windowMs: 20_000
      }
      const result = (store: EventStore) => {
        const { steps, personsConsidered, eventsScanned } = summarizeFunnel(
          computeFunnel(db, store, definition)
        )
        return { steps, personsConsidered, eventsScanned }
      }
      expect(result(updated)).toEqual(result(full))
      db.close()
    }
  })

  it('updates an updated store whose columns were never asked for (two imports in a row)', () => {
    const next = random(99)
    const db = createTestDb()
    const ids = ['a', 'b', 'c', 'd']
    insertEvents(db, randomEvents(next, 120, ['$pageview', 'buy'], ids))
    recordImport(db, 120)
    const first = loadEventStore(db, { snapshots: null })
    warm(db, first)
    const batch = () => {
      const events = randomEvents(next, 40, ['$pageview', 'buy', 'c'], [...ids, 'e'])
      insertEvents(db, events)
      recordImport(db, events.length)
    }
    batch()
    const second = updateEventStore(db, first, null, [carrySessionDevices]) as EventStore
    batch()
    const third = updateEventStore(db, second, null, [carrySessionDevices]) as EventStore
    expect(third.lazy.has('session-column')).toBe(false)
    expect(takeCarried(third, 'session-devices')).toBeDefined()
    const full = loadEventStore(db, { snapshots: null })
    expectSameStore(db, third, full)
    expect(sessionStats(db, third)).toEqual(sessionStats(db, full))
  })

  it('saves what it carries over from the previous store’s snapshots before the first write drops them', () => {
    const db = createTestDb()
    const snapshots = createConnectionSnapshotStore(db)
    const next = random(7)
    insertEvents(db, randomEvents(next, 80, ['$pageview', 'buy'], ['a', 'b', 'c']))
    recordImport(db, 80)
    warm(db, loadEventStore(db, { snapshots }))
    const events = randomEvents(next, 30, ['$pageview', 'buy'], ['a', 'd'])
    insertEvents(db, events)
    recordImport(db, events.length)
    // A restarted worker: the previous store only in the snapshots; nothing asked for before the save.
    const updated = loadEventStore(db, { snapshots, carryOver: [carrySessionDevices] })
    expect(updated.lazy.has('rowids')).toBe(true)
    expect(saveEventStore(updated)).toBe(0)
    for (const key of [
      'store',
      'rowids',
      'session-column',
      'property:*:$pathname',
      'session-devices'
    ])
      expect(snapshots.read(key, updated.fingerprint)).toBeDefined()
    const reread = loadEventStore(db, { snapshots })
    expect(reread.lazy.size).toBe(0)
    expectSameStore(db, reread, loadEventStore(db, { snapshots: null }))
  })

  it('counts added events without a person key as a full read does', () => {
    const db = createTestDb()
    insertEvents(db, [{ event: 'a', distinctId: 'u1', timestampMs: T0, sessionId: 's1' }])
    recordImport(db, 1)
    const previous = loadEventStore(db, { snapshots: null })
    warm(db, previous)
    db.prepare(
      `INSERT INTO events (uuid, event, distinct_id, timestamp_ms, session_id) VALUES ('n1', 'b', 'u2', ?, 's2')`
    ).run(T0 + 1)
    insertEvents(db, [{ event: 'c', distinctId: 'u1', timestampMs: T0 - 1 }])
    db.prepare(`UPDATE events SET person_key = NULL WHERE uuid = 'n1'`).run()
    recordImport(db, 2)
    const updated = updateEventStore(db, previous, null)
    expect(updated?.eventsWithoutPerson).toBe(1)
    expectSameStore(db, updated as EventStore, loadEventStore(db, { snapshots: null }))
    // A store with events left out is not updated again: their person keys may be filled since.
    expect(updateEventStore(db, updated as EventStore, null)).toBeNull()
  })

  it('reads everything again when the data changed in a way an update cannot follow', () => {
    const setUp = () => {
      const db = createTestDb()
      insertEvents(db, [
        { event: 'a', distinctId: 'u1', timestampMs: T0, uuid: 'e1' },
        { event: 'b', distinctId: 'u2', timestampMs: T0 + 1, uuid: 'e2' }
      ])
      recordImport(db, 2)
      const previous = loadEventStore(db, { snapshots: null })
      warm(db, previous)
      return { db, previous }
    }
    // Events written outside an import.
    let { db, previous } = setUp()
    insertEvents(db, [{ event: 'a', distinctId: 'u3', timestampMs: T0 }])
    expect(updateEventStore(db, previous, null)).toBeNull()
    // An import that updated an event it already had (one event stored, no new rowid).
    ;({ db, previous } = setUp())
    db.prepare(`UPDATE events SET person_key = 'p9' WHERE uuid = 'e1'`).run()
    recordImport(db, 1)
    expect(updateEventStore(db, previous, null)).toBeNull()
    // An import that brought persons: older events may belong to another person now.
    ;({ db, previous } = setUp())
    insertPerson(db, { id: 'p1', distinctIds: ['u1'] })
    insertEvents(db, [{ event: 'a', distinctId: 'u1', timestampMs: T0 + 2 }])
    recordImport(db, 1, 1)
    expect(updateEventStore(db, previous, null)).toBeNull()
    // An import still running.
    ;({ db, previous } = setUp())
    insertEvents(db, [{ event: 'a', distinctId: 'u1', timestampMs: T0 + 2 }])
    db.prepare(
      `INSERT INTO imports (path, size_bytes, mtime_ms, status, events, started_at_ms) VALUES ('x', 1, 1, 'running', 1, 1)`
    ).run()
    expect(updateEventStore(db, previous, null)).toBeNull()
    // Without the previous store's rowids there is nothing to line the columns up with.
    ;({ db } = setUp())
    const bare = loadEventStore(db, { snapshots: null })
    insertEvents(db, [{ event: 'a', distinctId: 'u1', timestampMs: T0 + 2 }])
    recordImport(db, 1)
    expect(updateEventStore(db, bare, null)).toBeNull()
  })

  it('reads everything again after a recording import whose person re-maps a distinct id', async () => {
    // No count changes (the persons and the mapping rows are there already, a recording file counts no persons),
    // yet d2's events now belong to p1.
    await expectStoreToFollow(importRecordingOfP1)
  })

  it('follows a recording import whose person maps no distinct id anew by adding its events (no full read)', async () => {
    const { dir, cleanup } = createTempDir()
    try {
      const db = openDatabase(join(dir, 'cache.sqlite'))
      insertPerson(db, { id: 'p2', distinctIds: ['d2'] })
      const engine = warmEngineOfTwoDistinctIds(db)
      const previous = engine.getStore()
      // The export carries p1 with d1 only, as the cache already maps it.
      const recording = JSON.parse(
        readFileSync(fixturePath('acme-small', 'recordings', RECORDING), 'utf8')
      ) as { data: { person: unknown } }
      recording.data.person = { id: 'p1', uuid: 'p1', distinct_ids: ['d1'], properties: {} }
      writeFileSync(join(dir, 'recording.json'), JSON.stringify(recording))
      await importPaths(db, [join(dir, 'recording.json')])
      expect(db.prepare(`SELECT remapped_distinct_ids FROM imports ORDER BY id DESC LIMIT 1`).pluck().get()).toBe(0)
      const updated = updateEventStore(db, previous, null)
      expect(updated).not.toBeNull()
      expectSameStore(db, updated as EventStore, loadEventStore(db, { snapshots: null }))
      db.close()
    } finally {
      cleanup()
    }
  })

  it('sees an import that took the id of an import forgotten since (a folder sync prunes a file that is gone)', async () => {
    await expectStoreToFollow(async (db, dir) => {
      const last = db.prepare(`SELECT max(id) FROM imports`).pluck().get()
      db.prepare(`DELETE FROM imports WHERE id = ?`).run(last)
      await importRecordingOfP1(db, dir)
      expect(db.prepare(`SELECT max(id) FROM imports`).pluck().get()).toBe(last)
    })
  })

  it('reads the store again once the run’s relink moved events to another person after a request in between', () => {
    const db = createTestDb()
    const engine = warmEngineOfTwoDistinctIds(db)
    // A persons file is committed (with its relink queued, as the import service does) and a request comes in
    // before the run's final relink, which then moves d2's events to p2.
    db.transaction(() => {
      insertPerson(db, { id: 'p2', distinctIds: ['d2'] })
      recordImport(db, 0, 1)
      queueRelink(db, { ...createChangeSet(), distinctIds: new Set(['d2']) })
    })()
    warm(db, engine.getStore())
    db.transaction(() => {
      const changes = createChangeSet()
      takeRelinkQueue(db, changes)
      relink(db, changes)
    })()
    expect(personKeyOf(db, 'd2')).toBe('p2')
    expectSameStore(db, engine.getStore(), loadEventStore(db, { snapshots: null }))
  })

  it('reads the store again once a relink filled the person keys it left out', () => {
    const db = createTestDb()
    const engine = warmEngineOfTwoDistinctIds(db)
    // An import that gave an event its person id (the upsert leaves its person key to the relink; without a session
    // id nothing is queued), and a request before the run's relink fills the key in.
    db.prepare(
      `UPDATE events SET person_id = 'p1', person_key = NULL WHERE distinct_id = 'd2'`
    ).run()
    recordImport(db, 1)
    expect(engine.getStore().eventsWithoutPerson).toBe(1)
    db.transaction(() => relink(db, createChangeSet()))()
    expect(personKeyOf(db, 'd2')).toBe('p1')
    expectSameStore(db, engine.getStore(), loadEventStore(db, { snapshots: null }))
  })

  it('follows a real import of more events, from the worker’s store or from the saved snapshots', async () => {
    const { dir, cleanup } = createTempDir()
    try {
      const lines = readFileSync(fixturePath('acme-small', 'events.jsonl'), 'utf8')
        .split('\n')
        .filter((line) => line.trim() !== '')
      const half = Math.floor(lines.length / 2)
      writeFileSync(join(dir, 'first.jsonl'), lines.slice(0, half).join('\n') + '\n')
      writeFileSync(join(dir, 'second.jsonl'), lines.slice(half).join('\n') + '\n')
      const db = openDatabase(join(dir, 'cache.sqlite'))
      await importPaths(db, [fixturePath('acme-small', 'persons.jsonl'), join(dir, 'first.jsonl')])
      const engine = createAnalyticsEngine(db)
      engine.getStore()
      warm(db, engine.getStore())
      await importPaths(db, [join(dir, 'second.jsonl')])

      // A restarted worker: no store in memory, the snapshots of the data before the import (read, not written,
      // so the engine below finds them too).
      const restarted = loadEventStore(db, { snapshots: createSnapshotStore(db, () => null) })
      expect(restarted.lazy.has('rowids')).toBe(true)
      const updated = engine.getStore()
      expect(takeCarried(updated, 'property:*:$current_url')).toBeDefined()
      const full = loadEventStore(db, { snapshots: null })
      expect(full.timestampMs.length).toBe(lines.length)
      expectSameStore(db, updated, full)
      expectSameStore(db, restarted, full)
      expect(sessionStats(db, updated)).toEqual(sessionStats(db, full))
      // The updated store and its columns are saved after the query that updated it (the worker's warm-up does it
      // between requests), the store first.
      const savedKeys = () =>
        db
          .prepare(`SELECT key FROM analytics_snapshots WHERE fingerprint = ?`)
          .pluck()
          .all(full.fingerprint)
      expect(savedKeys()).toEqual([])
      expect(saveEventStore(updated, 1)).toBeGreaterThan(0)
      expect(savedKeys()).toEqual(['store'])
      expect(saveEventStore(updated)).toBe(0)
      const saved = db
        .prepare(`SELECT key FROM analytics_snapshots WHERE fingerprint = ? ORDER BY key`)
        .pluck()
        .all(full.fingerprint)
      expect(saved).toEqual(expect.arrayContaining(['rowids', 'session-column', 'store']))
      db.close()
    } finally {
      cleanup()
    }
  })
})

describe('compareBinary', () => {
  it('orders strings as SQLite does', () => {
    const db = createTestDb()
    const words = [
      'b',
      'a',
      'ab',
      '',
      'é',
      'z',
      '\u{1f600}',
      '\uffee',
      '\ue000',
      'A',
      'a\u{10000}',
      'a\uffff'
    ]
    const bySqlite = db
      .prepare(`SELECT value FROM json_each(?) ORDER BY value`)
      .pluck()
      .all(JSON.stringify(words))
    expect([...words].sort(compareBinary)).toEqual(bySqlite)
  })
})
