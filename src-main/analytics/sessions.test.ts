import { beforeEach, describe, expect, it } from 'vitest'
import type { SessionQuery } from '@shared/analytics'
import type { WritableDb } from '../db/types'
import {
  insertEvents,
  insertPerson,
  insertRecording,
  type EventSpec
} from '../test/analytics-builders'
import { createTestDb } from '../test/test-db'
import { loadEventStore } from './event-store'
import { percentile } from './distribution'
import { getDevicePropertiesOfEvents } from '../db/event-queries'
import { computeSessionStats, listSessions, readDevicesOfEvents } from './sessions'

const MINUTE = 60_000
const DAY = 86_400_000
const T0 = Date.UTC(2026, 9, 12, 8, 0, 0)
const BY_SESSION: SessionQuery = { definition: { kind: 'session-id' } }

function ev(
  distinctId: string,
  event: string,
  ms: number,
  sessionId: string | null,
  properties: Record<string, unknown> = {}
): EventSpec {
  return { event, distinctId, timestampMs: T0 + ms, sessionId, properties }
}

const desktop = { $device_id: 'dev-a', $device_type: 'Desktop', $browser: 'Chrome', $os: 'Windows' }
const phone = { $device_id: 'dev-b', $device_type: 'Mobile', $browser: 'Safari', $os: 'iOS' }

describe('session analytics', () => {
  let db: WritableDb
  beforeEach(() => {
    db = createTestDb()
  })

  it('groups by $session_id and reports durations, pageviews, bounce and sessions per day', () => {
    insertEvents(db, [
      // s1: 2 pageviews over 5 minutes
      ev('u1', '$pageview', 0, 's1'),
      ev('u1', '$autocapture', 2 * MINUTE, 's1'),
      ev('u1', '$pageview', 5 * MINUTE, 's1'),
      // s2: a bounce (one pageview, 4 s)
      ev('u2', '$pageview', DAY, 's2'),
      ev('u2', '$pageleave', DAY + 4000, 's2'),
      // s3: one pageview but 20 s long: not a bounce
      ev('u2', '$pageview', 2 * DAY, 's3'),
      ev('u2', '$pageleave', 2 * DAY + 20_000, 's3'),
      // s4: no pageview at all: left out of the bounce rate
      ev('u3', 'custom', 3 * DAY, 's4'),
      // no session id
      ev('u3', 'custom', 3 * DAY + 1, null)
    ])
    const stats = computeSessionStats(db, loadEventStore(db), BY_SESSION)
    expect(stats.sessions).toBe(4)
    expect(stats.persons).toBe(3)
    expect(stats.eventsWithoutSession).toBe(1)
    expect(stats.perDay).toEqual([
      { day: '2026-10-12', sessions: 1 },
      { day: '2026-10-13', sessions: 1 },
      { day: '2026-10-14', sessions: 1 },
      { day: '2026-10-15', sessions: 1 }
    ])
    expect(stats.bounce).toEqual({ bounced: 1, eligible: 3, rate: 1 / 3 })
    expect(stats.pageviews.total).toBe(4)
    expect(stats.pageviews.averagePerSession).toBe(1)
    // durations 300, 4, 20, 0 → sorted 0, 4, 20, 300
    expect(stats.duration.percentilesSeconds.p50).toBe(12)
    expect(stats.duration.averageSeconds).toBe(81)
    expect(stats.sessionsPerPerson).toMatchObject({ average: 4 / 3, median: 1 })
    expect(stats.duration.histogram.reduce((sum, b) => sum + b.count, 0)).toBe(4)
  })

  it('splits a person’s events by an inactivity gap, or groups them by a named property', () => {
    insertEvents(db, [
      ev('u1', 'a', 0, 's1', { tab: 'x' }),
      ev('u1', 'a', 20 * MINUTE, 's1', { tab: 'y' }),
      ev('u1', 'a', 51 * MINUTE, 's1', { tab: 'x' }),
      ev('u2', 'a', 0, 's2')
    ])
    const store = loadEventStore(db)
    expect(
      computeSessionStats(db, store, { definition: { kind: 'gap', gapMs: 30 * MINUTE } }).sessions
    ).toBe(3)
    expect(
      computeSessionStats(db, store, { definition: { kind: 'gap', gapMs: 31 * MINUTE } }).sessions
    ).toBe(2)
    const byTab = computeSessionStats(db, store, {
      definition: { kind: 'property', property: 'tab' }
    })
    expect([byTab.sessions, byTab.eventsWithoutSession]).toEqual([2, 1])
  })

  it('finds persons on several devices, and whether they used them within the gap', () => {
    insertPerson(db, {
      id: 'p1',
      distinctIds: ['anon-a', 'anon-b', 'ada@example.org'],
      email: 'ada@example.org'
    })
    insertPerson(db, { id: 'p2', distinctIds: ['anon-c', 'anon-d'], email: 'bo@example.org' })
    insertEvents(db, [
      ev('anon-a', '$pageview', 0, 's1', desktop),
      ev('ada@example.org', '$pageview', 10 * MINUTE, 's2', phone),
      ev('anon-c', '$pageview', 0, 's3', desktop),
      ev('anon-d', '$pageview', DAY, 's4', { ...phone, $device_id: 'dev-d' }),
      ev('anon-e', '$pageview', 0, 's5', desktop),
      ev('anon-e', '$pageview', DAY, 's6', desktop)
    ])
    const stats = computeSessionStats(db, loadEventStore(db), BY_SESSION)
    expect(stats.multiDevice.persons).toBe(2)
    expect(stats.multiDevice.concurrentPersons).toBe(1)
    expect(
      stats.multiDevice.list.map((p) => [p.personId, p.email, p.devices.length, p.concurrent])
    ).toEqual([
      ['p1', 'ada@example.org', 2, true],
      ['p2', 'bo@example.org', 2, false]
    ])
  })

  it('drills down to the sessions behind a figure with their recordings', () => {
    insertEvents(db, [
      ev('u1', '$pageview', 0, 's1'),
      ev('u1', '$pageleave', 4000, 's1'),
      ev('u1', '$pageview', DAY, 's2'),
      ev('u1', '$pageview', DAY + 60_000, 's2')
    ])
    insertRecording(db, { id: 's1', personId: 'u1', startMs: T0, endMs: T0 + 5000 })
    insertRecording(db, {
      id: 'rec-gap',
      personId: 'u1',
      startMs: T0 + DAY,
      endMs: T0 + DAY + 70_000
    })
    const store = loadEventStore(db)
    const bounced = listSessions(db, store, { ...BY_SESSION, filter: { kind: 'bounced' } })
    expect(bounced.sessions.map((s) => [s.key, s.recordingIds])).toEqual([['s1', ['s1']]])
    const all = listSessions(db, store, { ...BY_SESSION, filter: { kind: 'all' } })
    expect(all.sessions.map((s) => [s.key, s.recordingIds])).toEqual([
      ['s2', ['rec-gap']],
      ['s1', ['s1']]
    ])
    const byGap = listSessions(db, store, {
      definition: { kind: 'gap', gapMs: 30 * MINUTE },
      filter: { kind: 'day', day: '2026-10-12' }
    })
    expect(byGap.sessions.map((s) => s.recordingIds)).toEqual([['s1']])
  })

  it('interpolates percentiles between ranks', () => {
    expect(percentile(Float64Array.from([1, 2, 3, 4]), 0.5)).toBe(2.5)
    expect(percentile(Float64Array.from([10]), 0.99)).toBe(10)
    expect(percentile(new Float64Array(0), 0.5)).toBe(0)
  })

  it('reads devices from the extracted columns exactly as from the JSON, numbers and booleans included', () => {
    const kinds: Record<string, unknown>[] = [
      desktop,
      phone,
      {},
      { $device_id: '', $browser: 'Firefox' },
      { $device_id: 7, $device_type: true, $browser: 1.5, $os: null },
      { $device_id: 'dev-x', $os: { name: 'Linux' } },
      { $browser: 'null', $os: 'Android', other: 1 }
    ]
    insertEvents(
      db,
      kinds.map((properties, i) => ev(`u${i}`, '$pageview', i * MINUTE, `s${i}`, properties))
    )
    const rowids = db.prepare(`SELECT rowid FROM events ORDER BY rowid`).pluck().all() as number[]
    const fromColumns = readDevicesOfEvents(db, [...rowids, 999])
    expect([...fromColumns.keys()].sort((a, b) => a - b)).toEqual(rowids)
    expect(fromColumns).toEqual(getDevicePropertiesOfEvents(db, rowids))
    expect(fromColumns.get(rowids[4])).toEqual({
      deviceId: '7',
      deviceType: '1',
      browser: '1.5',
      os: null
    })
    // Only the rows with a value that is not a JSON string needed their JSON.
    expect(db.prepare(`SELECT count(*) FROM event_columns WHERE other = 1`).pluck().get()).toBe(2)
  })
})
