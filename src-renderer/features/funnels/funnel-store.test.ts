import { describe, expect, it } from 'vitest'
import type {
  FunnelDefinition,
  FunnelIssuesResult,
  FunnelPersonsPage,
  FunnelResult
} from '@shared/analytics'
import { createFakeApi } from '../../test/fake-api'
import { createFunnelStore } from './funnel-store'

const DEFINITION: FunnelDefinition = { steps: [{ event: 'a' }, { event: 'b' }], windowMs: 60_000 }
const RESULT: FunnelResult = {
  steps: [],
  breakdowns: [],
  personsConsidered: 2,
  eventsScanned: 3,
  computedInMs: 1
}
const ISSUES: FunnelIssuesResult = {
  stepIndex: 0,
  droppedSessionsTotal: 1,
  convertedSessionsTotal: 1,
  issues: []
}

function deferred<T>() {
  let resolve!: (value: T) => void
  const promise = new Promise<T>((r) => (resolve = r))
  return { promise, resolve }
}

describe('funnel store', () => {
  it('computes once per definition and loads the persons and issues of a drill-down', async () => {
    const api = createFakeApi({
      'funnels:compute': () => RESULT,
      'funnels:list-persons': (query) => ({ total: 30, offset: query.offset ?? 0, persons: [] }),
      'funnels:find-issues': () => ISSUES
    })
    const store = createFunnelStore(api)
    await store.getState().compute(DEFINITION)
    await store.getState().compute({ ...DEFINITION })
    expect(api.calls.filter((c) => c.channel === 'funnels:compute')).toHaveLength(1)
    await store.getState().showDrilldown(DEFINITION, { step: 0, outcome: 'dropped', offset: 0 })
    expect(store.getState()).toMatchObject({
      personsStatus: 'ready',
      issues: ISSUES,
      issuesStatus: 'ready'
    })
    // Paging the persons of the same step does not ask for the issues again.
    await store.getState().showDrilldown(DEFINITION, { step: 0, outcome: 'dropped', offset: 25 })
    expect(api.calls.filter((c) => c.channel === 'funnels:find-issues')).toHaveLength(1)
    expect(store.getState().persons?.offset).toBe(25)
    await store.getState().reload()
    expect(api.calls.filter((c) => c.channel === 'funnels:compute')).toHaveLength(2)
    expect(store.getState().drilldown).toBeNull()
  })

  it('ignores persons that arrive for an older drill-down', async () => {
    const slow = deferred<FunnelPersonsPage>()
    const api = createFakeApi({
      'funnels:list-persons': (query) =>
        query.outcome === 'dropped' ? slow.promise : { total: 1, offset: 0, persons: [] },
      'funnels:find-issues': () => ISSUES
    })
    const store = createFunnelStore(api)
    const first = store
      .getState()
      .showDrilldown(DEFINITION, { step: 0, outcome: 'dropped', offset: 0 })
    await store.getState().showDrilldown(DEFINITION, { step: 0, outcome: 'converted', offset: 0 })
    slow.resolve({ total: 99, offset: 0, persons: [] })
    await first
    expect(store.getState().persons?.total).toBe(1)
  })

  it('reports a failed computation', async () => {
    const store = createFunnelStore(
      createFakeApi({
        'funnels:compute': () => {
          throw new Error('funnels:compute: invalid arguments')
        }
      })
    )
    await store.getState().compute(DEFINITION)
    expect(store.getState()).toMatchObject({
      status: 'error',
      errorMessage: expect.stringContaining('invalid')
    })
  })
})
