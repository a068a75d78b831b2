import { describe, expect, it } from 'vitest'
import type { RecordingId, RecordingQuery } from '@shared/domain'
import { createFakeApi } from '../../test/fake-api'
import { buildSummary } from '../../test/builders'
import { createRecordingListStore, PAGE_SIZE, queryKey, selectRow } from './recording-list-store'

const TOTAL = 250

/** A fake core holding TOTAL recordings; `gate` lets a test hold a response back. */
function fakeCore(gate?: (query: RecordingQuery) => Promise<void>) {
  return createFakeApi({
    'recordings:search': async (query) => {
      await gate?.(query)
      const offset = query.offset ?? 0
      const limit = query.limit ?? 50
      const total = query.text ? 1 : TOTAL
      const count = Math.max(0, Math.min(limit, total - offset))
      return {
        total,
        totalIsExact: true,
        offset,
        recordings: Array.from({ length: count }, (_, i) => buildSummary({ id: `${query.text ?? 'r'}-${offset + i}` as RecordingId }))
      }
    }
  })
}

describe('recording list store', () => {
  it('loads the first page of a query, then the pages a scroll needs', async () => {
    const api = fakeCore()
    const store = createRecordingListStore(api)
    await store.getState().setQuery({ sort: 'latest' })
    expect(store.getState()).toMatchObject({ status: 'ready', total: TOTAL })
    expect(api.calls).toEqual([{ channel: 'recordings:search', args: [{ sort: 'latest', limit: PAGE_SIZE, offset: 0 }] }])
    expect(selectRow(store.getState(), 99)?.id).toBe('r-99')
    expect(selectRow(store.getState(), 100)).toBeUndefined()

    store.getState().ensureRange(95, 210)
    await new Promise((r) => setTimeout(r, 0))
    expect(api.calls.map((c) => (c.args[0] as RecordingQuery).offset)).toEqual([0, 100, 200])
    expect(selectRow(store.getState(), 249)?.id).toBe('r-249')

    // Pages already loaded are not fetched again; the same query does not reload.
    store.getState().ensureRange(0, 249)
    await store.getState().setQuery({ sort: 'latest' })
    expect(api.calls).toHaveLength(3)
  })

  it('ignores a slow answer to an older query', async () => {
    let releaseFirst: () => void = () => undefined
    const api = fakeCore((query) => (query.text === 'old' ? new Promise((r) => (releaseFirst = r)) : Promise.resolve()))
    const store = createRecordingListStore(api)
    const first = store.getState().setQuery({ text: 'old' })
    await store.getState().setQuery({ text: 'new' })
    releaseFirst()
    await first
    expect(store.getState().query).toEqual({ text: 'new' })
    expect(selectRow(store.getState(), 0)?.id).toBe('new-0')
  })

  it('shows a capped total at once, then the exact count; a count for an older query is ignored', async () => {
    const counts = new Map<string, () => void>()
    const api = createFakeApi({
      'recordings:search': (query) => ({
        total: 1000,
        totalIsExact: false,
        offset: query.offset ?? 0,
        recordings: Array.from({ length: PAGE_SIZE }, (_, i) => buildSummary({ id: `${query.text}-${(query.offset ?? 0) + i}` as RecordingId }))
      }),
      'recordings:count': (query) =>
        new Promise<number>((resolve) => counts.set(query.text ?? '', () => resolve(query.text === 'old' ? 1111 : 2222)))
    })
    const store = createRecordingListStore(api)
    await store.getState().setQuery({ text: 'old' })
    expect(store.getState()).toMatchObject({ status: 'ready', total: 1000, totalIsExact: false })
    expect(api.calls.at(-1)).toEqual({ channel: 'recordings:count', args: [{ text: 'old' }] })

    await store.getState().setQuery({ text: 'new' })
    counts.get('old')?.()
    await new Promise((r) => setTimeout(r, 0))
    expect(store.getState()).toMatchObject({ total: 1000, totalIsExact: false })

    counts.get('new')?.()
    await new Promise((r) => setTimeout(r, 0))
    expect(store.getState()).toMatchObject({ total: 2222, totalIsExact: true })
    // A later page's capped total does not replace the exact one.
    store.getState().ensureRange(150, 160)
    await new Promise((r) => setTimeout(r, 0))
    expect(selectRow(store.getState(), 150)?.id).toBe('new-150')
    expect(store.getState()).toMatchObject({ total: 2222, totalIsExact: true })
    expect(api.calls.filter((c) => c.channel === 'recordings:count')).toHaveLength(2)
  })

  it('reports failures and recovers on reload', async () => {
    let fail = true
    const api = createFakeApi({
      'recordings:search': () => {
        if (fail) throw new Error('database is locked')
        return { total: 0, totalIsExact: true, offset: 0, recordings: [] }
      }
    })
    const store = createRecordingListStore(api)
    await store.getState().setQuery({})
    expect(store.getState()).toMatchObject({ status: 'error', errorMessage: 'database is locked' })
    fail = false
    await store.getState().reload()
    expect(store.getState()).toMatchObject({ status: 'ready', total: 0, errorMessage: null })
  })

  it('marks a row viewed in place', async () => {
    const store = createRecordingListStore(fakeCore())
    await store.getState().setQuery({})
    store.getState().setViewed('r-3' as RecordingId, true)
    expect(selectRow(store.getState(), 3)?.viewed).toBe(true)
    expect(selectRow(store.getState(), 4)?.viewed).toBe(false)
  })

  it('identifies queries regardless of key order and undefined fields', () => {
    expect(queryKey({ text: 'a', sort: 'latest' })).toBe(queryKey({ sort: 'latest', text: 'a', person: undefined }))
    expect(queryKey({ text: 'a' })).not.toBe(queryKey({ text: 'b' }))
  })
})
