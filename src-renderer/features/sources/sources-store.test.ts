import { describe, expect, it } from 'vitest'
import type {
  SourceInfo,
  SyncProgress,
  SyncStatus,
  SyncSummary
} from '@shared/contract/sync-channels'
import type { CacheTotals } from '@shared/domain'
import { createFakeApi } from '../../test/fake-api'
import { createAppStore } from '../../app/app-store'
import { createSourcesStore } from './sources-store'
import { installSyncRefresh } from './sync-refresh'
import { describeProgress, describeRun, formatBytes, progressFraction } from './sync-format'

const folder: SourceInfo = {
  id: 1,
  kind: 'folder',
  name: 'exports',
  location: '/home/me/exports',
  projectId: null,
  settings: null,
  createdAtMs: 1,
  lastSyncAtMs: null,
  hasKey: false,
  isWatched: true,
  lastRun: null
}

const progress: SyncProgress = {
  sourceId: 1,
  sourceName: 'exports',
  sourcesDone: 0,
  sourcesTotal: 1,
  phase: 'importing',
  unit: 'files',
  itemsDone: 3,
  itemsTotal: 12,
  itemsFailed: 1,
  bytesDone: 3 * 1024 * 1024,
  bytesPerSecond: 1024 * 1024,
  etaMs: 9_000,
  currentItem: '/home/me/exports/a.json',
  isPaused: false
}

const summary = (hasChanges: boolean): SyncSummary => ({
  status: 'completed',
  startedAtMs: 1,
  finishedAtMs: 2,
  runs: [],
  hasChanges,
  error: null
})

function fakeCore(sources: SourceInfo[] = [folder]) {
  let status: SyncStatus = { state: 'idle', progress: null, lastSummary: null }
  return createFakeApi({
    'sources:list': () => sources,
    'sync:status': () => status,
    'sources:add-folder': (input) =>
      input.path === '/nope'
        ? { ok: false, reason: 'not-found', message: 'There is no folder at /nope.' }
        : input.path === undefined
          ? { ok: false, reason: 'cancelled', message: 'No folder was chosen.' }
          : { ok: true, source: { ...folder, id: 2, location: input.path } },
    'sync:start': () => {
      if (status.state !== 'idle') return { ok: false, reason: 'already-running' }
      status = { state: 'running', progress: null, lastSummary: null }
      return { ok: true }
    },
    'sync:pause': () => (status = { ...status, state: 'paused' })
  })
}

describe('sources store', () => {
  it('loads the sources and the sync status', async () => {
    const api = fakeCore()
    const store = createSourcesStore(api)
    await store.getState().load()
    expect(store.getState()).toMatchObject({
      status: 'ready',
      sources: [folder],
      sync: { state: 'idle' }
    })
  })

  it('shows why a folder was refused, stays quiet when the picker is closed, and reloads after an add', async () => {
    const api = fakeCore()
    const store = createSourcesStore(api)
    expect(await store.getState().addFolder({ path: '/nope' })).toBe(false)
    expect(store.getState().actionMessage).toBe('There is no folder at /nope.')
    expect(await store.getState().addFolder({})).toBe(false)
    expect(store.getState().actionMessage).toBeNull()
    expect(await store.getState().addFolder({ path: '/home/me/more' })).toBe(true)
    expect(api.calls.map((c) => c.channel).slice(-2)).toEqual(['sources:list', 'sync:status'])
    expect(store.getState().isAdding).toBe(false)
  })

  it('follows a sync through its events and refetches when it finishes', async () => {
    const api = fakeCore()
    const store = createSourcesStore(api)
    const stop = store.getState().listen()
    await store.getState().startSync({})
    expect(store.getState().sync.state).toBe('running')
    await store.getState().startSync({})
    expect(store.getState().actionMessage).toBe('A sync is already running.')

    api.emit('sync:progress', progress)
    expect(store.getState().sync).toMatchObject({ state: 'running', progress: { itemsDone: 3 } })
    api.emit('sync:progress', { ...progress, isPaused: true })
    expect(store.getState().sync.state).toBe('paused')

    const listsBefore = api.calls.filter((c) => c.channel === 'sources:list').length
    api.emit('sync:finished', summary(true))
    expect(store.getState().sync).toEqual({
      state: 'idle',
      progress: null,
      lastSummary: summary(true)
    })
    expect(api.calls.filter((c) => c.channel === 'sources:list').length).toBe(listsBefore + 1)
    stop()
  })

  it('makes the whole app refetch after a sync that changed the cache, and only then', async () => {
    const totals: CacheTotals = {
      recordings: 5,
      persons: 1,
      anonymousVisitors: 0,
      events: 9,
      exceptions: 0,
      cacheBytes: 10
    }
    const api = createFakeApi({
      'app:get-info': () => ({
        version: '1',
        shell: 'web',
        dataDir: '/d',
        schemaVersion: 3,
        demoImported: false
      }),
      'app:get-totals': () => totals
    })
    const appStore = createAppStore(api)
    const stop = installSyncRefresh(api, appStore)
    api.emit('sync:finished', summary(false))
    expect(appStore.getState().dataVersion).toBe(0)
    api.emit('sync:finished', summary(true))
    expect(appStore.getState().dataVersion).toBe(1)
    await new Promise((resolve) => setTimeout(resolve, 0))
    expect(appStore.getState().totals).toEqual(totals)
    stop()
    api.emit('sync:finished', summary(true))
    expect(appStore.getState().dataVersion).toBe(1)
  })
})

describe('sync formatting', () => {
  it('describes progress with counts, bytes, rate, time left and failures', () => {
    expect(describeProgress(progress)).toBe(
      'Importing 3 of 12 files · 3.00 MB at 1.00 MB/s · 9s left · 1 failed'
    )
    expect(describeProgress({ ...progress, isPaused: true, itemsFailed: 0 })).toBe(
      'Importing 3 of 12 files · 3.00 MB at 1.00 MB/s'
    )
    expect(
      describeProgress({ ...progress, phase: 'listing', itemsTotal: 0, bytesDone: 0, etaMs: null })
    ).toBe('Listing recordings · 1 failed')
    expect(progressFraction(progress)).toBe(0.25)
    expect(progressFraction({ ...progress, itemsTotal: 0 })).toBeNull()
    expect(formatBytes(512)).toBe('512 B')
    expect(formatBytes(1536)).toBe('1.50 KB')
  })

  it('describes a run', () => {
    expect(
      describeRun({
        id: 1,
        sourceId: 1,
        trigger: 'manual',
        status: 'completed',
        startedAtMs: 1,
        finishedAtMs: 2,
        itemsTotal: 5,
        itemsImported: 3,
        itemsUnchanged: 10,
        itemsFailed: 2,
        bytes: 0,
        pruned: 1,
        error: null,
        failures: []
      })
    ).toBe('Synced: 3 imported, 10 unchanged, 2 failed, 1 removed')
  })
})
