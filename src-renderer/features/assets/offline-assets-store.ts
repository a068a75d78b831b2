/**
 * The "Offline assets" panel's state: what the asset cache holds, and a fetch in progress (from `assets:progress`).
 */
import { create } from 'zustand'
import type {
  AssetFetchProgress,
  AssetFetchSummary,
  AssetStatus
} from '@shared/contract/asset-channels'
import type { DesktopApi } from '@shared/ipc-contract'
import { describeError, desktop } from '../../api-client'

export type OfflineAssetsState = {
  status: AssetStatus | null
  loadState: 'idle' | 'loading' | 'ready' | 'error'
  isFetching: boolean
  progress: AssetFetchProgress | null
  lastSummary: AssetFetchSummary | null
  /** Why the status could not be loaded. */
  loadError: string | null
  /** Why the last fetch failed as a whole (single downloads that failed are counted in its summary). */
  errorMessage: string | null
  load: () => Promise<void>
  fetchAssets: (options?: { retryFailed?: boolean }) => Promise<void>
  /** Subscribes to fetch progress (also of a fetch started elsewhere, e.g. the desktop menu); returns the unsubscribe. */
  listen: () => () => void
}

/** Creates the store over a contract client (tests pass a fake). */
export function createOfflineAssetsStore(api: DesktopApi) {
  return create<OfflineAssetsState>()((set, get) => ({
    status: null,
    loadState: 'idle',
    isFetching: false,
    progress: null,
    lastSummary: null,
    loadError: null,
    errorMessage: null,
    load: async () => {
      if (get().loadState !== 'ready') set({ loadState: 'loading' })
      try {
        set({
          status: await api.invoke('assets:get-status'),
          loadState: 'ready',
          loadError: null
        })
      } catch (error) {
        set({ loadState: 'error', loadError: describeError(error) })
      }
    },
    fetchAssets: async (options = {}) => {
      set({ isFetching: true, progress: null, errorMessage: null })
      try {
        const summary = await api.invoke('assets:fetch', options)
        set({ lastSummary: summary })
      } catch (error) {
        set({ errorMessage: describeError(error) })
      } finally {
        set({ isFetching: false, progress: null })
        await get().load()
      }
    },
    listen: () => {
      const offProgress = api.on('assets:progress', (progress) =>
        set({ isFetching: true, progress })
      )
      const offFinished = api.on('assets:finished', (summary) => {
        set({ isFetching: false, progress: null, lastSummary: summary })
        void get().load()
      })
      return () => {
        offProgress()
        offFinished()
      }
    }
  }))
}

export const useOfflineAssetsStore = createOfflineAssetsStore(desktop)

/** One line about the cache: "12 of 40 cached (1.2 MB), 3 failed". */
export function describeAssetStatus(status: AssetStatus): string {
  if (status.total === 0 && status.unscannedRecordings === 0)
    return 'No recording references images, stylesheets or fonts.'
  const parts = [`${status.fetched} of ${status.total} cached (${formatSize(status.storedBytes)})`]
  if (status.pending > 0) parts.push(`${status.pending} not fetched yet`)
  if (status.failed > 0) parts.push(`${status.failed} failed`)
  if (status.skipped > 0) parts.push(`${status.skipped} refused (too large or not an asset)`)
  if (status.unscannedRecordings > 0)
    parts.push(`${status.unscannedRecordings} recordings not read yet`)
  return parts.join(', ')
}

/** One line about a finished fetch. */
export function describeAssetSummary(summary: AssetFetchSummary): string {
  const head = `${summary.cancelled ? 'Cancelled after fetching' : 'Fetched'} ${summary.fetched} of ${summary.attempted}`
  const failed =
    summary.failed > 0
      ? `; ${summary.failed} could not be downloaded (the site may be gone or offline)`
      : ''
  return `${head} (${formatSize(summary.bytes)})${failed}.`
}

function formatSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`
}
