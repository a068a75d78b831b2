import Database from 'better-sqlite3'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { FunnelDefinition, PropertyFilter } from '@shared/analytics'
import { migrate } from '../db/migrate'
import type { ReadableDb, WritableDb } from '../db/types'
import { mulberry32 } from '../reliability/crash-harness'
import { insertEvents, insertPerson, type EventSpec } from '../test/analytics-builders'
import { createTempDir } from '../test/test-db'
import { ANALYTICS_METHODS, createAnalyticsEngine } from './analytics-engine'
import {
  getRowids,
  isExtracted,
  loadEventStore,
  loadPropertyColumns,
  readPropertyColumnsFromJson,
  type EventStore,
  type PropertyColumn
} from './event-store'
import { runFunnelPass } from './funnel-engine'
import { computeFunnel, matchesFilter, summarizeFunnel, type FunnelComputation } from './funnels'

const MINUTE = 60_000
const T0 = Date.UTC(2026, 9, 12, 8)
const EVENTS = ['$pageview', '$pageview', '$pageview', '$autocapture', 'signup', 'purchase']
const PATHS: unknown[] = [
  '/',
  '/product/1',
  '/product/22',
  '/cart',
  '/Cart/x',
  '/checkout',
  3,
  true,
  null
]
const BROWSERS: unknown[] = ['Chrome', 'Safari', 'chrome', 7, null, { name: 'Edge' }, '']
const OPERATORS: PropertyFilter['operator'][] = [
  'equals',
  'not-equals',
  'starts-with',
  'contains',
  'not-contains',
  'is-set',
  'is-not-set'
]
const FILTER_VALUES = [
  '/',
  '/product/',
  '/product/1',
  '/CART',
  'cart',
  '3',
  'true',
  'shop.test/c',
  'pro',
  'Chrome',
  '7',
  '{"name":"Edge"}'
]

/** A random dataset: ties, missing and non-string values, persons with several distinct ids. */
function seedRandomEvents(db: WritableDb, random: () => number): void {
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)]
  const events: EventSpec[] = []
  for (let p = 0; p < 60; p++) {
    const distinctIds = random() < 0.2 ? [`p${p}-a`, `p${p}-b`] : [`p${p}`]
    if (distinctIds.length > 1) insertPerson(db, { id: `person-${p}`, distinctIds })
    const count = Math.floor(random() * 40)
    for (let e = 0; e < count; e++) {
      const properties: Record<string, unknown> = {}
      if (random() < 0.9) {
        const path = pick(PATHS)
        properties.$pathname = path
        if (typeof path === 'string') properties.$current_url = `https://shop.test${path}`
      }
      if (random() < 0.5) properties.plan = pick(['pro', 'free', 2.5])
      if (random() < 0.6) properties.$browser = pick(BROWSERS)
      events.push({
        event: pick(EVENTS),
        distinctId: pick(distinctIds),
        sessionId: `s${p}-${Math.floor(e / 10)}`,
        timestampMs: T0 + Math.floor(random() * 240) * MINUTE,
        properties
      })
    }
  }
  insertEvents(
    db,
    events.sort(() => random() - 0.5)
  )
}

function randomFunnel(random: () => number): FunnelDefinition {
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)]
  const steps = Array.from({ length: 2 + Math.floor(random() * 4) }, () => {
    const event = pick(EVENTS)
    if (random() < 0.3) return { event }
    const filters = Array.from({ length: 1 + Math.floor(random() * 2) }, () => ({
      property: pick(['$pathname', '$pathname', '$current_url', '$browser', 'plan']),
      operator: pick(OPERATORS),
      value: pick(FILTER_VALUES)
    }))
    return { event, filters }
  })
  return {
    steps,
    windowMs: pick([5, 30, 90, 600]) * MINUTE,
    order: random() < 0.2 ? 'strict' : undefined
  }
}

/**
 * The plain path: every event's properties parsed from its JSON and tested one by one, no columns, no snapshots.
 * Returns the furthest step of every person (store order) and the step counts.
 */
function plainFunnel(db: ReadableDb, definition: FunnelDefinition) {
  const store = loadEventStore(db)
  const rowids = getRowids(db, store)
  const rows = new Map(
    (
      db.prepare(`SELECT rowid, event, properties FROM events`).all() as {
        rowid: number
        event: string
        properties: string
      }[]
    ).map((row) => [row.rowid, row])
  )
  const text = (value: unknown): string | null =>
    value === undefined || value === null
      ? null
      : typeof value === 'string'
        ? value
        : JSON.stringify(value)
  const run = runFunnelPass({
    stepCount: definition.steps.length,
    windowMs: definition.windowMs,
    strict: definition.order === 'strict',
    personStart: store.personStart,
    timestampMs: store.timestampMs,
    stepMask: (position) => {
      const row = rows.get(rowids[position])
      if (!row) throw new Error('an event of the store is missing')
      const properties = JSON.parse(row.properties) as Record<string, unknown>
      let mask = 0
      definition.steps.forEach((step, s) => {
        if (step.event !== row.event) return
        const filters = step.filters ?? []
        if (filters.every((f) => matchesFilter(text(properties[f.property]), f))) mask |= 1 << s
      })
      return mask
    }
  })
  return { level: [...run.level], counts: countSteps(run.level, definition.steps.length) }
}

function countSteps(level: ArrayLike<number>, stepCount: number): number[] {
  const counts = new Array<number>(stepCount).fill(0)
  for (let p = 0; p < level.length; p++) for (let s = 0; s <= level[p]; s++) counts[s]++
  return counts
}

function outcome(computation: FunnelComputation) {
  const { computedInMs: _, ...result } = summarizeFunnel(computation)
  return {
    level: [...computation.run.level],
    counts: result.steps.map((s) => s.count),
    result
  }
}

describe('filtered funnels: the column path equals the plain path', () => {
  let temp: ReturnType<typeof createTempDir>
  let db: WritableDb
  beforeAll(() => {
    temp = createTempDir()
    db = new Database(join(temp.dir, 'cache.sqlite')) as WritableDb
    db.pragma('journal_mode = WAL')
    migrate(db)
    seedRandomEvents(db, mulberry32(20261127))
  })
  afterAll(() => {
    db.close()
    temp.cleanup()
  })

  it('on 60 random funnels: built columns, columns read back from snapshots, every-event columns', () => {
    const random = mulberry32(4)
    const fresh = createAnalyticsEngine(db, { snapshots: null })
    // Warm up once so the snapshots hold the store and the common $pageview columns (over every event here).
    ANALYTICS_METHODS.warmUp(createAnalyticsEngine(db))
    const everyEvent = createAnalyticsEngine(db, { snapshots: null })
    loadPropertyColumns(db, everyEvent.getStore(), null, ['$pathname', '$current_url', 'plan'])
    let nonEmpty = 0
    for (let i = 0; i < 60; i++) {
      const definition = randomFunnel(random)
      const plain = plainFunnel(db, definition)
      const built = outcome(computeFunnel(db, fresh.getStore(), definition))
      // A new engine per funnel: it reads the store and any saved column back from the snapshots.
      const restarted = outcome(createAnalyticsEngine(db).getFunnel(definition))
      const fromEveryEvent = outcome(computeFunnel(db, everyEvent.getStore(), definition))
      expect({ level: built.level, counts: built.counts }, JSON.stringify(definition)).toEqual(
        plain
      )
      expect(restarted).toEqual(built)
      expect(fromEveryEvent).toEqual(built)
      if (plain.counts[1] > 0) nonEmpty++
    }
    // The random funnels must exercise the filters, not just compare zeros.
    expect(nonEmpty).toBeGreaterThan(15)
    expect(
      db
        .prepare(`SELECT count(*) FROM analytics_snapshots WHERE key LIKE 'property:%'`)
        .pluck()
        .get()
    ).toBeGreaterThan(4)
  })

  it('reads the extracted properties from event_columns, equal to their JSON for every event and event name', () => {
    const store = loadEventStore(db)
    const properties = ['$pathname', '$current_url', '$browser', '$host', '$device_id']
    expect(properties.every(isExtracted)).toBe(true)
    expect(isExtracted('plan')).toBe(false)
    const texts = (column: PropertyColumn, positions: number[]) =>
      positions.map((i) => (column.valueOf[i] < 0 ? null : column.values[column.valueOf[i]]))
    const positionsOf = (s: EventStore, name: string | null) =>
      [...s.eventCode.keys()].filter((i) => name === null || s.eventNames[s.eventCode[i]] === name)
    const columns = loadPropertyColumns(db, store, '$pageview', properties)
    const fromJson = readPropertyColumnsFromJson(db, store, null, properties)
    let set = 0
    properties.forEach((property, p) => {
      for (const name of [null, ...store.eventNames]) {
        const positions = positionsOf(store, name)
        expect(texts(columns[p], positions), `${property} of ${name}`).toEqual(
          texts(fromJson[p], positions)
        )
      }
      set += texts(columns[p], positionsOf(store, null)).filter((v) => v !== null).length
    })
    // The column path was taken (one column over every event, not only $pageview) and holds values.
    expect(store.lazy.has('property:*:$pathname')).toBe(true)
    expect(store.lazy.has('property:$pageview:$pathname')).toBe(false)
    expect(set).toBeGreaterThan(500)
    expect(texts(columns[2], positionsOf(store, null))).toContain('{"name":"Edge"}')
  })
})
