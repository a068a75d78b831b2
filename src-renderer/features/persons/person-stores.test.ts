import { describe, expect, it } from 'vitest'
import type { PersonEventsPage, PersonPage, PersonTimeline } from '@shared/analytics'
import type { PersonDetail, PersonId } from '@shared/domain'
import { createFakeApi } from '../../test/fake-api'
import { createPersonStore } from './person-store'
import {
  createPersonsListStore,
  personsFilterFromParams,
  personsFilterToParams,
  personsFilterToQuery
} from './persons-list-store'

const ada: PersonDetail = {
  id: 'p1' as PersonId,
  name: 'Ada',
  email: 'ada@example.org',
  distinctIds: ['anon-1', 'ada@example.org'],
  isIdentified: true,
  createdAtMs: 1,
  recordingCount: 2,
  sessionCount: 3,
  exceptionCount: 1,
  lastSeenMs: 10,
  properties: { plan: 'pro' }
}

function deferred<T>() {
  let resolve!: (value: T) => void
  const promise = new Promise<T>((r) => (resolve = r))
  return { promise, resolve }
}

describe('persons list filter', () => {
  it('round-trips through the URL and leaves defaults out', () => {
    const filter = personsFilterFromParams(
      new URLSearchParams('q=ada&who=identified&sort=sessions&page=2')
    )
    expect(filter).toEqual({ search: 'ada', who: 'identified', sort: 'sessions', page: 2 })
    expect(personsFilterToParams(filter)).toEqual({
      q: 'ada',
      who: 'identified',
      sort: 'sessions',
      page: '2'
    })
    expect(
      personsFilterToParams(
        personsFilterFromParams(new URLSearchParams('who=nobody&sort=x&page=-1'))
      )
    ).toEqual({})
    expect(personsFilterToQuery(filter)).toEqual({
      search: 'ada',
      identified: true,
      sort: 'sessions',
      offset: 100,
      limit: 50
    })
  })
})

describe('persons list store', () => {
  it('keeps the answer of the latest query only', async () => {
    const first = deferred<PersonPage>()
    const api = createFakeApi({
      'persons:list': (query) =>
        query.search === 'slow' ? first.promise : { total: 1, offset: 0, persons: [ada] }
    })
    const store = createPersonsListStore(api)
    const slow = store.getState().load({ search: 'slow' })
    await store.getState().load({ search: 'ada' })
    first.resolve({ total: 0, offset: 0, persons: [] })
    await slow
    expect(store.getState().page?.persons.map((p) => p.id)).toEqual(['p1'])
    expect(store.getState().status).toBe('ready')
  })

  it('reports a failure as an error state', async () => {
    const store = createPersonsListStore(
      createFakeApi({
        'persons:list': () => {
          throw new Error('disk gone')
        }
      })
    )
    await store.getState().load({})
    expect(store.getState()).toMatchObject({
      status: 'error',
      errorMessage: expect.stringContaining('disk gone')
    })
  })
})

describe('person store', () => {
  it('loads the person, then the timeline and events on demand, and says when nobody has the id', async () => {
    const timeline: PersonTimeline = { personId: 'p1' as PersonId, sessions: [], devices: [] }
    const events: PersonEventsPage = { total: 0, offset: 0, events: [], eventNames: [] }
    const api = createFakeApi({
      'persons:get': (id) => (id === 'p1' ? ada : null),
      'persons:get-timeline': () => timeline,
      'persons:list-events': () => events
    })
    const store = createPersonStore(api)
    await store.getState().open('p1')
    expect(store.getState()).toMatchObject({
      detailStatus: 'ready',
      detail: ada,
      timelineStatus: 'idle'
    })
    await store.getState().loadTimeline()
    await store.getState().loadTimeline()
    await store.getState().loadEvents({ event: 'buy', offset: 100 })
    expect(store.getState()).toMatchObject({
      timeline,
      timelineStatus: 'ready',
      events,
      eventsStatus: 'ready'
    })
    expect(api.calls.filter((c) => c.channel === 'persons:get-timeline')).toHaveLength(1)
    expect(api.calls.find((c) => c.channel === 'persons:list-events')?.args).toEqual([
      { personId: 'p1', event: 'buy', offset: 100, limit: 100 }
    ])
    await store.getState().open('nobody')
    expect(store.getState()).toMatchObject({
      detailStatus: 'missing',
      detail: null,
      timeline: null
    })
  })

  it('drops a timeline that arrives after another person was opened', async () => {
    const slow = deferred<PersonTimeline>()
    const api = createFakeApi({
      'persons:get': (id) => ({ ...ada, id: id as PersonId }),
      'persons:get-timeline': () => slow.promise
    })
    const store = createPersonStore(api)
    await store.getState().open('p1')
    const pending = store.getState().loadTimeline()
    await store.getState().open('p2')
    slow.resolve({ personId: 'p1' as PersonId, sessions: [], devices: [] })
    await pending
    expect(store.getState()).toMatchObject({ personId: 'p2', timeline: null })
  })
})
