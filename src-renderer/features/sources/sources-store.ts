/**
 * The Sources screen's state: the configured sources, the sync in progress (or the last one), and the add forms'
 * outcome. Live updates come from `sync:progress` and `sync:finished`.
 */
import { create } from 'zustand'
import type {
  AddFolderSourceInput,
  AddPostHogSourceInput,
  SourceInfo,
  StartSyncOptions,
  SyncStatus
} from '@shared/contract/sync-channels'
import type { DesktopApi } from '@shared/ipc-contract'
import { describeError, desktop } from '../../api-client'

export type SourcesStatus = 'idle' | 'loading' | 'ready' | 'error'

export type SourcesState = {
  sources: SourceInfo[]
  status: SourcesStatus
  errorMessage: string | null
  sync: SyncStatus
  /** Why the last add, remove or start did not happen (shown next to the form or the button). */
  actionMessage: string | null
  isAdding: boolean
  load: () => Promise<void>
  addFolder: (input: AddFolderSourceInput) => Promise<boolean>
  addPostHog: (input: AddPostHogSourceInput) => Promise<boolean>
  remove: (id: number) => Promise<void>
  startSync: (options?: StartSyncOptions) => Promise<void>
  pause: () => Promise<void>
  resume: () => Promise<void>
  cancel: () => Promise<void>
  clearActionMessage: () => void
  /** Subscribes to the sync events; returns the unsubscribe. */
  listen: () => () => void
}

const IDLE: SyncStatus = { state: 'idle', progress: null, lastSummary: null }

const START_REFUSALS: Record<string, string> = {
  'already-running': 'A sync is already running.',
  'no-sources': 'Add a folder or a PostHog project first.',
  'unknown-source': 'That source is gone; the list was out of date.'
}

/** Whether a sync is in flight (running, paused or stopping). */
export function isSyncActive(sync: SyncStatus): boolean {
  return sync.state !== 'idle'
}

/** Creates the store over a contract client (tests pass a fake). */
export function createSourcesStore(api: DesktopApi) {
  return create<SourcesState>()((set, get) => {
    async function act(body: () => Promise<void>): Promise<void> {
      try {
        await body()
      } catch (error) {
        set({ actionMessage: describeError(error) })
      }
    }

    return {
      sources: [],
      status: 'idle',
      errorMessage: null,
      sync: IDLE,
      actionMessage: null,
      isAdding: false,
      load: async () => {
        if (get().status !== 'ready') set({ status: 'loading' })
        try {
          const [sources, sync] = await Promise.all([
            api.invoke('sources:list'),
            api.invoke('sync:status')
          ])
          set({ sources, sync, status: 'ready', errorMessage: null })
        } catch (error) {
          set({ status: 'error', errorMessage: describeError(error) })
        }
      },
      addFolder: async (input) => {
        set({ isAdding: true, actionMessage: null })
        try {
          const result = await api.invoke('sources:add-folder', input)
          if (!result.ok) {
            // Closing the picker is not a failure worth a message.
            set({ actionMessage: result.reason === 'cancelled' ? null : result.message })
            return false
          }
          await get().load()
          return true
        } catch (error) {
          set({ actionMessage: describeError(error) })
          return false
        } finally {
          set({ isAdding: false })
        }
      },
      addPostHog: async (input) => {
        set({ isAdding: true, actionMessage: null })
        try {
          const result = await api.invoke('sources:add-posthog', input)
          if (!result.ok) {
            set({ actionMessage: result.message })
            return false
          }
          await get().load()
          return true
        } catch (error) {
          set({ actionMessage: describeError(error) })
          return false
        } finally {
          set({ isAdding: false })
        }
      },
      remove: (id) =>
        act(async () => {
          await api.invoke('sources:remove', id)
          await get().load()
        }),
      startSync: (options = {}) =>
        act(async () => {
          set({ actionMessage: null })
          const result = await api.invoke('sync:start', options)
          if (!result.ok) set({ actionMessage: START_REFUSALS[result.reason] ?? result.reason })
          set({ sync: await api.invoke('sync:status') })
        }),
      pause: () => act(async () => set({ sync: await api.invoke('sync:pause') })),
      resume: () => act(async () => set({ sync: await api.invoke('sync:resume') })),
      cancel: () => act(async () => set({ sync: await api.invoke('sync:cancel') })),
      clearActionMessage: () => set({ actionMessage: null }),
      listen: () => {
        const offProgress = api.on('sync:progress', (progress) =>
          set((state) => ({
            sync: {
              ...state.sync,
              state:
                state.sync.state === 'cancelling'
                  ? 'cancelling'
                  : progress.isPaused
                    ? 'paused'
                    : 'running',
              progress
            }
          }))
        )
        const offFinished = api.on('sync:finished', (summary) => {
          set({ sync: { state: 'idle', progress: null, lastSummary: summary } })
          void get().load()
        })
        return () => {
          offProgress()
          offFinished()
        }
      }
    }
  })
}

export type SourcesStore = ReturnType<typeof createSourcesStore>

/** The Sources screen's store over the real client. */
export const useSourcesStore = createSourcesStore(desktop)
