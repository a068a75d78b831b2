/** Named sets of list filters, kept in the cache (`views:*`). */
import { create } from 'zustand'
import type { SavedView } from '@shared/contract/recording-channels'
import type { RecordingQuery } from '@shared/domain'
import type { DesktopApi } from '@shared/ipc-contract'
import { describeError, desktop } from '../../api-client'

export type SavedViewsState = {
  views: SavedView[]
  status: 'idle' | 'loading' | 'ready' | 'error'
  errorMessage: string | null
  load: () => Promise<void>
  /** Saves the query under `name`; resolves to the new view, or null when saving failed (see `errorMessage`). */
  save: (name: string, query: RecordingQuery) => Promise<SavedView | null>
  remove: (id: number) => Promise<void>
}

export function createSavedViewsStore(api: DesktopApi) {
  return create<SavedViewsState>()((set, get) => ({
    views: [],
    status: 'idle',
    errorMessage: null,
    load: async () => {
      set({ status: 'loading' })
      try {
        set({ views: await api.invoke('views:list'), status: 'ready', errorMessage: null })
      } catch (error) {
        set({ status: 'error', errorMessage: describeError(error) })
      }
    },
    save: async (name, query) => {
      try {
        const view = await api.invoke('views:save', name, query)
        set({ views: [...get().views.filter((v) => v.id !== view.id), view], errorMessage: null })
        return view
      } catch (error) {
        set({ errorMessage: describeError(error) })
        return null
      }
    },
    remove: async (id) => {
      try {
        await api.invoke('views:delete', id)
        set({ views: get().views.filter((v) => v.id !== id), errorMessage: null })
      } catch (error) {
        set({ errorMessage: describeError(error) })
      }
    }
  }))
}

export const useSavedViewsStore = createSavedViewsStore(desktop)
