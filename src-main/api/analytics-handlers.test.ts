import { afterEach, describe, expect, it, vi } from 'vitest'
import type { FunnelDefinition } from '@shared/analytics'
import type { AppContext } from '../core/app-context'
import { insertEvents, insertPerson, insertRecording } from '../test/analytics-builders'
import { createTestDb } from '../test/test-db'
import { getDataFingerprint } from '../analytics/event-store'
import { closeAnalyticsService, createAnalyticsHandlers } from './analytics-handlers'
import { validateArgs } from './validators'

const T0 = Date.UTC(2026, 9, 12)
const DEFINITION: FunnelDefinition = {
  steps: [
    { event: '$pageview', filters: [{ property: '$pathname', operator: 'equals', value: '/' }] },
    { event: 'buy' }
  ],
  windowMs: 86_400_000
}

function createContext(): AppContext {
  return {
    db: createTestDb(),
    dataDir: '/nonexistent',
    shell: 'web',
    version: '0.0.0',
    demoImported: false,
    emit: () => undefined
  }
}

describe('analytics handlers', () => {
  let context: AppContext
  afterEach(async () => {
    await closeAnalyticsService(context)
    context.db.close()
  })

  it('answer funnels, drill-downs, persons and timelines over the cache, and save funnels', async () => {
    context = createContext()
    insertPerson(context.db, {
      id: 'p1',
      distinctIds: ['anon-1', 'ada@example.org'],
      email: 'ada@example.org'
    })
    insertEvents(context.db, [
      {
        event: '$pageview',
        distinctId: 'anon-1',
        timestampMs: T0,
        sessionId: 's1',
        properties: { $pathname: '/', $browser: 'Chrome' }
      },
      { event: 'buy', distinctId: 'ada@example.org', timestampMs: T0 + 1000, sessionId: 's1' },
      {
        event: '$pageview',
        distinctId: 'anon-2',
        timestampMs: T0,
        sessionId: 's2',
        properties: { $pathname: '/' }
      }
    ])
    insertRecording(context.db, { id: 's1', personId: 'p1', startMs: T0 - 500, endMs: T0 + 5000 })
    const handlers = createAnalyticsHandlers(context)

    const result = await handlers['funnels:compute'](DEFINITION)
    expect(result.steps.map((s) => s.count)).toEqual([2, 1])
    const converted = await handlers['funnels:list-persons']({
      definition: DEFINITION,
      stepIndex: 0,
      outcome: 'converted'
    })
    expect(
      converted.persons.map((p) => [
        p.personId,
        p.email,
        p.recordings[0]?.recordingId,
        p.recordings[0]?.openAtSeconds
      ])
    ).toEqual([['p1', 'ada@example.org', 's1', 1.5]])
    const persons = await handlers['persons:list']({ search: 'ADA@' })
    expect(persons.persons.map((p) => [p.id, p.recordingCount, p.sessionCount])).toEqual([
      ['p1', 1, 1]
    ])
    expect((await handlers['persons:get']('anon-1'))?.distinctIds).toEqual([
      'ada@example.org',
      'anon-1'
    ])
    const timeline = await handlers['persons:get-timeline']('p1')
    expect(
      timeline?.sessions.map((s) => [s.sessionId, s.recordingId, s.device.browser, s.pages])
    ).toEqual([['s1', 's1', 'Chrome', ['/']]])
    expect(await handlers['persons:get-timeline']('nobody')).toBeNull()
    const events = await handlers['persons:list-events']({ personId: 'p1', event: 'buy' })
    expect([events.total, events.eventNames]).toEqual([
      1,
      [
        { name: '$pageview', count: 1 },
        { name: 'buy', count: 1 }
      ]
    ])

    const saved = await handlers['funnels:save']('Home to buy', DEFINITION)
    expect(await handlers['funnels:list-saved']()).toEqual([saved])
    await handlers['funnels:delete'](saved.id)
    expect(await handlers['funnels:list-saved']()).toEqual([])
  })

  it('warm the analytics up again after an import or a sync finishes, and still send the event', async () => {
    const sent: string[] = []
    context = { ...createContext(), emit: (channel) => void sent.push(channel) }
    insertEvents(context.db, [{ event: '$pageview', distinctId: 'a', timestampMs: T0 }])
    const handlers = createAnalyticsHandlers(context)
    createAnalyticsHandlers(context)
    expect((await handlers['funnels:compute'](DEFINITION)).steps[0].count).toBe(0)
    const savedStore = () =>
      context.db
        .prepare(`SELECT fingerprint FROM analytics_snapshots WHERE key = 'store'`)
        .pluck()
        .get()
    const before = savedStore()
    expect(before).toBe(getDataFingerprint(context.db))

    for (const channel of ['import:finished', 'sync:finished'] as const) {
      insertEvents(context.db, [
        { event: '$pageview', distinctId: channel, timestampMs: T0, properties: { $pathname: '/' } }
      ])
      context.emit(channel, {} as never)
      await vi.waitFor(() => expect(savedStore()).toBe(getDataFingerprint(context.db)))
      // The warm-up also read the common URL columns of the new store.
      expect(
        context.db
          .prepare(`SELECT fingerprint FROM analytics_snapshots WHERE key = 'property:*:$pathname'`)
          .pluck()
          .get()
      ).toBe(getDataFingerprint(context.db))
    }
    expect(savedStore()).not.toBe(before)
    context.emit('import:progress', {} as never)
    expect(sent).toEqual(['import:finished', 'sync:finished', 'import:progress'])
  })

  it('have validators that accept a funnel and reject a malformed one', () => {
    expect(validateArgs('funnels:compute', [DEFINITION]).ok).toBe(true)
    expect(
      validateArgs('funnels:compute', [{ ...DEFINITION, steps: [DEFINITION.steps[0]] }]).ok
    ).toBe(false)
    expect(validateArgs('funnels:compute', [{ ...DEFINITION, windowMs: -1 }]).ok).toBe(false)
    expect(
      validateArgs('sessions:get-stats', [{ definition: { kind: 'gap', gapMs: 1_800_000 } }]).ok
    ).toBe(true)
    expect(
      validateArgs('sessions:list', [
        { definition: { kind: 'session-id' }, filter: { kind: 'day', day: 'today' } }
      ]).ok
    ).toBe(false)
    expect(validateArgs('persons:list', [{ search: 'x', sort: 'sessions' }]).ok).toBe(true)
  })
})
