import Database from 'better-sqlite3'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { FunnelDefinition } from '@shared/analytics'
import { migrate } from '../db/migrate'
import type { ReadableDb, WritableDb } from '../db/types'
import { insertEvents } from '../test/analytics-builders'
import { createTempDir, createTestDb } from '../test/test-db'
import { ANALYTICS_METHODS, createAnalyticsEngine } from './analytics-engine'
import { getDataFingerprint, getRowids, getSessionColumn, loadEventStore } from './event-store'
import { summarizeFunnel } from './funnels'
import {
  createConnectionSnapshotStore,
  createSnapshotStore,
  decodeSnapshot,
  encodeSnapshot
} from './store-snapshots'

const MINUTE = 60_000
const T0 = Date.UTC(2026, 9, 12, 8)

const CART: FunnelDefinition = {
  steps: [
    { event: '$pageview', filters: [{ property: '$pathname', operator: 'equals', value: '/' }] },
    {
      event: '$pageview',
      filters: [{ property: '$current_url', operator: 'contains', value: '/CART' }]
    },
    { event: 'purchase' }
  ],
  windowMs: 60 * MINUTE
}

function seed(db: WritableDb): void {
  const page = (
    distinctId: string,
    minutes: number,
    path: string,
    sessionId = `s-${distinctId}`
  ) => ({
    event: '$pageview',
    distinctId,
    sessionId,
    timestampMs: T0 + minutes * MINUTE,
    properties: { $pathname: path, $current_url: `https://shop.test${path}` }
  })
  insertEvents(db, [
    page('u1', 0, '/'),
    page('u1', 1, '/cart'),
    { event: 'purchase', distinctId: 'u1', sessionId: 's-u1', timestampMs: T0 + 2 * MINUTE },
    page('u2', 0, '/'),
    page('u2', 5, '/cart'),
    page('u3', 0, '/product/1')
  ])
}

function counts(db: ReadableDb, options: { withSnapshots: boolean } = { withSnapshots: true }) {
  const engine = createAnalyticsEngine(db, options.withSnapshots ? {} : { snapshots: null })
  return summarizeFunnel(engine.getFunnel(CART)).steps.map((s) => s.count)
}

describe('analytics snapshots', () => {
  it('encode typed arrays of any length and JSON values, and decode them as copies', () => {
    const f64 = Float64Array.from([1.5, -2, 1e15, Number.MAX_SAFE_INTEGER])
    const i32 = Int32Array.from([7, -1, 3])
    const json = { json: { names: ['a', 'é', '"q"'], n: 3 } }
    const data = encodeSnapshot([i32, json, f64, Int32Array.from([])])
    const [a, b, c, d] = decodeSnapshot(data)
    expect(a).toEqual(i32)
    expect(b).toEqual(json)
    expect(c).toEqual(f64)
    expect(d).toEqual(new Int32Array(0))
    data.fill(0, data.byteLength - 8)
    expect(decodeSnapshot(data)[2]).toEqual(Float64Array.from([1.5, -2, 1e15, 0]))
    expect(() => decodeSnapshot(data.subarray(0, data.byteLength - 16))).toThrow(/truncated/)
  })

  describe('in a cache file', () => {
    let temp: ReturnType<typeof createTempDir>
    let file: string
    let db: WritableDb
    beforeEach(() => {
      temp = createTempDir()
      file = join(temp.dir, 'cache.sqlite')
      db = new Database(file) as WritableDb
      db.pragma('journal_mode = WAL')
      migrate(db)
      seed(db)
    })
    afterEach(() => {
      db.close()
      temp.cleanup()
    })

    it('lets the next engine read the store and its columns back instead of rebuilding them', () => {
      expect(counts(db)).toEqual([2, 2, 1])
      const fingerprint = getDataFingerprint(db)
      expect(
        db
          .prepare(`SELECT key FROM analytics_snapshots WHERE fingerprint = ? ORDER BY key`)
          .pluck()
          .all(fingerprint)
      ).toEqual(['property:*:$current_url', 'property:*:$pathname', 'rowids', 'store'])

      // Rewrite the data behind the fingerprint's back: an engine that reads the snapshots does not see it.
      db.prepare(
        `UPDATE events SET timestamp_ms = timestamp_ms + 3600000 WHERE event = 'purchase'`
      ).run()
      db.prepare(`UPDATE events SET properties = '{}' WHERE distinct_id = 'u2'`).run()
      expect(getDataFingerprint(db)).toBe(fingerprint)
      expect(counts(db)).toEqual([2, 2, 1])
      expect(counts(db, { withSnapshots: false })).toEqual([1, 1, 0])
    })

    it('ignores snapshots of other data and replaces them', () => {
      expect(counts(db)).toEqual([2, 2, 1])
      insertEvents(db, [
        { event: 'purchase', distinctId: 'u2', sessionId: 's-u2', timestampMs: T0 + 6 * MINUTE }
      ])
      expect(counts(db)).toEqual([2, 2, 2])
      const fingerprints = db
        .prepare(`SELECT DISTINCT fingerprint FROM analytics_snapshots`)
        .pluck()
        .all()
      expect(fingerprints).toEqual([getDataFingerprint(db)])
    })

    it('warms up every column the first queries need, and a read-only connection reads them', () => {
      const engine = createAnalyticsEngine(db)
      expect(ANALYTICS_METHODS.warmUp(engine)).toEqual({ events: 6 })
      const keys = db.prepare(`SELECT key FROM analytics_snapshots ORDER BY key`).pluck().all()
      expect(keys).toEqual(
        expect.arrayContaining(['store', 'rowids', 'session-column', 'property:*:$host'])
      )
      const reader = new Database(file, { readonly: true }) as unknown as ReadableDb
      try {
        const store = loadEventStore(reader, { snapshots: createConnectionSnapshotStore(reader) })
        expect(store.lazy.size).toBe(0)
        const sessions = getSessionColumn(reader, store)
        expect(sessions.sessionIds).toEqual(['s-u1', 's-u2', 's-u3'])
        expect(counts(reader)).toEqual([2, 2, 1])
        expect(db.prepare(`SELECT count(*) FROM analytics_snapshots`).pluck().get()).toBe(
          keys.length
        )
      } finally {
        reader.close()
      }
    })

    it('keeps the device look-ups of session statistics for the next engine', () => {
      const device = (browser: string) => ({ $device_id: `d-${browser}`, $browser: browser })
      insertEvents(db, [
        {
          event: 'a',
          distinctId: 'u4',
          sessionId: 'm1',
          timestampMs: T0,
          properties: device('Chrome')
        },
        {
          event: 'a',
          distinctId: 'u4',
          sessionId: 'm2',
          timestampMs: T0 + MINUTE,
          properties: device('Safari')
        }
      ])
      const stats = (withSnapshots: boolean) => {
        const engine = createAnalyticsEngine(db, withSnapshots ? {} : { snapshots: null })
        const result = ANALYTICS_METHODS.getSessionStats(engine, {
          definition: { kind: 'session-id' }
        })
        return result.multiDevice.list.map((p) => [p.personId, p.devices.map((d) => d.browser)])
      }
      expect(stats(true)).toEqual([['u4', ['Chrome', 'Safari']]])
      expect(
        db
          .prepare(`SELECT count(*) FROM analytics_snapshots WHERE key = 'session-devices'`)
          .pluck()
          .get()
      ).toBe(1)
      db.prepare(`UPDATE events SET properties = '{}' WHERE distinct_id = 'u4'`).run()
      expect(stats(true)).toEqual([['u4', ['Chrome', 'Safari']]])
      expect(stats(false)).toEqual([])
    })

    it('does not save a column built after the data changed, and works without a writer', () => {
      const store = loadEventStore(db, { snapshots: createConnectionSnapshotStore(db) })
      insertEvents(db, [{ event: 'other', distinctId: 'u9', timestampMs: T0 }])
      expect(() => getRowids(db, store)).toThrow(/changed/)
      const readOnly = createSnapshotStore(db, () => null)
      expect(readOnly.write('x', 'f', [Int32Array.from([1])])).toBe(false)
      expect(db.prepare(`SELECT key FROM analytics_snapshots`).pluck().all()).toEqual(['store'])
    })
  })

  it('are skipped on a cache without the snapshot table', () => {
    const db = createTestDb({ upToVersion: 4 })
    seed(db)
    expect(counts(db)).toEqual([2, 2, 1])
  })
})
