import { describe, expect, it } from 'vitest'
import type { AssetFetchSummary, AssetStatus } from '@shared/contract/asset-channels'
import { createFakeApi } from '../../test/fake-api'
import {
  createOfflineAssetsStore,
  describeAssetStatus,
  describeAssetSummary
} from './offline-assets-store'

const status = (overrides: Partial<AssetStatus> = {}): AssetStatus => ({
  total: 10,
  pending: 10,
  fetched: 0,
  failed: 0,
  skipped: 0,
  storedBytes: 0,
  unscannedRecordings: 0,
  ...overrides
})

const summary: AssetFetchSummary = {
  scannedRecordings: 0,
  attempted: 10,
  fetched: 8,
  failed: 2,
  skipped: 0,
  discovered: 0,
  bytes: 2048,
  durationMs: 10,
  cancelled: false
}

describe('offline assets store', () => {
  it('loads the status, fetches with the options given, and reloads afterwards', async () => {
    let current = status()
    const api = createFakeApi({
      'assets:get-status': () => current,
      'assets:fetch': () => {
        current = status({ pending: 0, fetched: 8, failed: 2, storedBytes: 2048 })
        return summary
      }
    })
    const store = createOfflineAssetsStore(api)
    await store.getState().load()
    expect(store.getState()).toMatchObject({ loadState: 'ready', status: { pending: 10 } })

    await store.getState().fetchAssets({ retryFailed: true })
    expect(api.calls.find((c) => c.channel === 'assets:fetch')?.args).toEqual([
      { retryFailed: true }
    ])
    expect(store.getState()).toMatchObject({
      isFetching: false,
      lastSummary: summary,
      status: { fetched: 8 }
    })
  })

  it('follows progress of a fetch started elsewhere (the desktop menu)', async () => {
    const api = createFakeApi({ 'assets:get-status': () => status({ pending: 0, fetched: 10 }) })
    const store = createOfflineAssetsStore(api)
    const stop = store.getState().listen()
    api.emit('assets:progress', { done: 3, total: 10, fetched: 3, failed: 0, bytes: 10 })
    expect(store.getState()).toMatchObject({ isFetching: true, progress: { done: 3 } })
    api.emit('assets:finished', summary)
    expect(store.getState()).toMatchObject({
      isFetching: false,
      progress: null,
      lastSummary: summary
    })
    stop()
    api.emit('assets:progress', { done: 4, total: 10, fetched: 4, failed: 0, bytes: 10 })
    expect(store.getState().isFetching).toBe(false)
  })

  it('keeps the error of a failed call for the panel', async () => {
    const api = createFakeApi({ 'assets:get-status': () => status() })
    const store = createOfflineAssetsStore(api)
    await store.getState().fetchAssets()
    expect(store.getState().errorMessage).toMatch(/no handler for assets:fetch/)
  })
})

describe('describeAssetStatus / describeAssetSummary', () => {
  it('say what is cached and what is not', () => {
    expect(
      describeAssetStatus(
        status({ fetched: 6, pending: 2, failed: 2, storedBytes: 3 * 1024 * 1024 })
      )
    ).toBe('6 of 10 cached (3.0 MB), 2 not fetched yet, 2 failed')
    expect(describeAssetStatus(status({ total: 0, pending: 0 }))).toBe(
      'No recording references images, stylesheets or fonts.'
    )
    expect(describeAssetSummary(summary)).toBe(
      'Fetched 8 of 10 (2.0 KB); 2 could not be downloaded (the site may be gone or offline).'
    )
  })
})
