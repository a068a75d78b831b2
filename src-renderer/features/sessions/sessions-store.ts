/**
 * The sessions screen: statistics for a session definition, and the sessions behind the figure drilled into (a page
 * at a time). Answers to an older request are ignored.
 */
import { create } from 'zustand'
import type { SessionDefinition, SessionFilter, SessionPage, SessionStats } from '@shared/analytics'
import type { DesktopApi } from '@shared/ipc-contract'
import { describeError, desktop } from '../../api-client'

export const SESSIONS_PAGE = 50

type Status = 'idle' | 'loading' | 'ready' | 'error'

export type SessionsState = {
  definitionKey: string
  stats: SessionStats | null
  status: Status
  errorMessage: string | null
  listKey: string
  list: SessionPage | null
  listOffset: number
  listStatus: Status
  listError: string | null
  loadStats: (definition: SessionDefinition, options?: { force?: boolean }) => Promise<void>
  loadList: (
    definition: SessionDefinition,
    filter: SessionFilter | null,
    offset: number
  ) => Promise<void>
}

/** Creates the sessions store over a contract client (tests pass a fake). */
export function createSessionsStore(api: DesktopApi) {
  let generation = 0
  let listGeneration = 0
  return create<SessionsState>()((set, get) => ({
    definitionKey: '',
    stats: null,
    status: 'idle',
    errorMessage: null,
    listKey: '',
    list: null,
    listOffset: 0,
    listStatus: 'idle',
    listError: null,
    loadStats: async (definition, options) => {
      const key = JSON.stringify(definition)
      if (!options?.force && key === get().definitionKey && get().status !== 'error') return
      const gen = ++generation
      set({ definitionKey: key, status: 'loading', errorMessage: null })
      try {
        const stats = await api.invoke('sessions:get-stats', { definition })
        if (gen === generation) set({ stats, status: 'ready' })
      } catch (error) {
        if (gen === generation)
          set({ status: 'error', errorMessage: describeError(error), stats: null })
      }
    },
    loadList: async (definition, filter, offset) => {
      const key = JSON.stringify([definition, filter, offset])
      if (key === get().listKey && get().listStatus !== 'error') return
      const gen = ++listGeneration
      if (!filter) {
        set({ listKey: key, list: null, listStatus: 'idle', listError: null, listOffset: 0 })
        return
      }
      set({ listKey: key, listStatus: 'loading', listError: null, listOffset: offset })
      try {
        const list = await api.invoke('sessions:list', {
          definition,
          filter,
          offset,
          limit: SESSIONS_PAGE
        })
        if (gen === listGeneration) set({ list, listStatus: 'ready' })
      } catch (error) {
        if (gen === listGeneration) set({ listStatus: 'error', listError: describeError(error) })
      }
    }
  }))
}

export const useSessionsStore = createSessionsStore(desktop)
