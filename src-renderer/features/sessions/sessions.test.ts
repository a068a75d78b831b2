import { describe, expect, it } from 'vitest'
import type { SessionFilter, SessionStats } from '@shared/analytics'
import { createFakeApi } from '../../test/fake-api'
import {
  definitionFromParams,
  describeFilter,
  filterFromParams,
  perDayLabels,
  toParams
} from './session-params'
import { createSessionsStore } from './sessions-store'

describe('sessions URL', () => {
  it('round-trips every definition and drill-down', () => {
    const filters: SessionFilter[] = [
      { kind: 'all' },
      { kind: 'bounced' },
      { kind: 'multi-device' },
      { kind: 'day', day: '2026-10-12' },
      { kind: 'person', personId: 'p:1' },
      { kind: 'duration', minSeconds: 10, maxSeconds: 30 },
      { kind: 'duration', minSeconds: 14400, maxSeconds: Number.MAX_SAFE_INTEGER },
      { kind: 'pageviews', min: 1, max: 1 }
    ]
    for (const filter of filters) {
      const params = new URLSearchParams(toParams({ kind: 'gap', gapMs: 45 * 60_000 }, filter))
      expect(filterFromParams(params)).toEqual(filter)
      expect(definitionFromParams(params)).toEqual({ kind: 'gap', gapMs: 45 * 60_000 })
    }
    expect(definitionFromParams(new URLSearchParams('def=property&prop=$window_id'))).toEqual({
      kind: 'property',
      property: '$window_id'
    })
    expect(definitionFromParams(new URLSearchParams('def=property'))).toEqual({
      kind: 'session-id'
    })
    expect(filterFromParams(new URLSearchParams('show=day:yesterday'))).toBeNull()
    expect(describeFilter({ kind: 'pageviews', min: 20, max: Number.MAX_SAFE_INTEGER })).toBe(
      'Sessions with 20 or more pageviews'
    )
  })
})

describe('sessions store', () => {
  it('loads stats once per definition and the list of a drill-down', async () => {
    const stats = { sessions: 2 } as SessionStats
    const api = createFakeApi({
      'sessions:get-stats': () => stats,
      'sessions:list': (query) => ({ total: 2, offset: query.offset ?? 0, sessions: [] })
    })
    const store = createSessionsStore(api)
    await store.getState().loadStats({ kind: 'session-id' })
    await store.getState().loadStats({ kind: 'session-id' })
    expect(api.calls.filter((c) => c.channel === 'sessions:get-stats')).toHaveLength(1)
    await store.getState().loadList({ kind: 'session-id' }, { kind: 'bounced' }, 50)
    expect(store.getState()).toMatchObject({ listStatus: 'ready', listOffset: 50 })
    expect(api.calls.at(-1)?.args).toEqual([
      { definition: { kind: 'session-id' }, filter: { kind: 'bounced' }, offset: 50, limit: 50 }
    ])
    await store.getState().loadList({ kind: 'session-id' }, null, 0)
    expect(store.getState()).toMatchObject({ list: null, listStatus: 'idle' })
  })
})

describe('per-day chart labels', () => {
  it('drops the year within one year and keeps it when the days span years', () => {
    expect(perDayLabels(['2026-10-12', '2026-10-13'])).toEqual(['10-12', '10-13'])
    expect(perDayLabels(['2025-12-31', '2026-01-01'])).toEqual(['2025-12-31', '2026-01-01'])
    expect(perDayLabels([])).toEqual([])
  })
})
