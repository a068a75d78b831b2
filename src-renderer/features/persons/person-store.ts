/**
 * The person page: the person, their cross-device timeline and their events (a page at a time, optionally of one
 * event name). Each part loads on its own; answers for another person or an older query are ignored.
 */
import { create } from 'zustand'
import type { PersonEventsPage, PersonTimeline } from '@shared/analytics'
import type { PersonDetail } from '@shared/domain'
import type { DesktopApi } from '@shared/ipc-contract'
import { describeError, desktop } from '../../api-client'
import { createRecordingListStore } from '../recordings/recording-list-store'

export const EVENTS_PAGE_SIZE = 100

type Status = 'idle' | 'loading' | 'ready' | 'error'

export type PersonState = {
  personId: string | null
  detail: PersonDetail | null
  /** `missing`: the core knows nobody by that id. */
  detailStatus: Status | 'missing'
  detailError: string | null
  timeline: PersonTimeline | null
  timelineStatus: Status
  timelineError: string | null
  events: PersonEventsPage | null
  eventsQuery: { event: string | null; offset: number }
  eventsStatus: Status
  eventsError: string | null
  /** Shows a person (loads the profile; the tabs load their part when shown). */
  open: (personId: string, options?: { force?: boolean }) => Promise<void>
  loadTimeline: (options?: { force?: boolean }) => Promise<void>
  loadEvents: (
    query: { event: string | null; offset: number },
    options?: { force?: boolean }
  ) => Promise<void>
}

/** Creates the person page store over a contract client (tests pass a fake). */
export function createPersonStore(api: DesktopApi) {
  let generation = 0
  let eventsGeneration = 0
  return create<PersonState>()((set, get) => ({
    personId: null,
    detail: null,
    detailStatus: 'idle',
    detailError: null,
    timeline: null,
    timelineStatus: 'idle',
    timelineError: null,
    events: null,
    eventsQuery: { event: null, offset: 0 },
    eventsStatus: 'idle',
    eventsError: null,
    open: async (personId, options) => {
      if (!options?.force && get().personId === personId && get().detailStatus !== 'error') return
      const gen = ++generation
      set({
        personId,
        detail: null,
        detailStatus: 'loading',
        detailError: null,
        timeline: null,
        timelineStatus: 'idle',
        events: null,
        eventsStatus: 'idle',
        eventsQuery: { event: null, offset: 0 }
      })
      try {
        const detail = await api.invoke('persons:get', personId)
        if (gen !== generation) return
        set({ detail, detailStatus: detail ? 'ready' : 'missing' })
      } catch (error) {
        if (gen === generation) set({ detailStatus: 'error', detailError: describeError(error) })
      }
    },
    loadTimeline: async (options) => {
      const { personId, timelineStatus } = get()
      if (
        !personId ||
        (!options?.force && (timelineStatus === 'ready' || timelineStatus === 'loading'))
      )
        return
      const gen = generation
      set({ timelineStatus: 'loading', timelineError: null })
      try {
        const timeline = await api.invoke('persons:get-timeline', personId)
        if (gen === generation) set({ timeline, timelineStatus: 'ready' })
      } catch (error) {
        if (gen === generation)
          set({ timelineStatus: 'error', timelineError: describeError(error) })
      }
    },
    loadEvents: async (query, options) => {
      const { personId, eventsQuery, eventsStatus } = get()
      if (!personId) return
      const isSame = query.event === eventsQuery.event && query.offset === eventsQuery.offset
      if (!options?.force && isSame && (eventsStatus === 'ready' || eventsStatus === 'loading'))
        return
      const gen = generation
      const eventsGen = ++eventsGeneration
      set({ eventsQuery: query, eventsStatus: 'loading', eventsError: null })
      try {
        const events = await api.invoke('persons:list-events', {
          personId,
          event: query.event ?? undefined,
          offset: query.offset,
          limit: EVENTS_PAGE_SIZE
        })
        if (gen === generation && eventsGen === eventsGeneration)
          set({ events, eventsStatus: 'ready' })
      } catch (error) {
        if (gen === generation && eventsGen === eventsGeneration) {
          set({ eventsStatus: 'error', eventsError: describeError(error) })
        }
      }
    }
  }))
}

export const usePersonStore = createPersonStore(desktop)

/** The person page's own recording list (the main list's store and rows, with the person's query). */
export const usePersonRecordingsStore = createRecordingListStore(desktop)
