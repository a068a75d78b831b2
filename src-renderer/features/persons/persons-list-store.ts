/**
 * The persons list: the query shown (search, identified or anonymous, sort, page) and its page of persons.
 * Responses to an older query are ignored.
 */
import { create } from 'zustand'
import type { PersonPage, PersonQuery, PersonSort } from '@shared/analytics'
import type { DesktopApi } from '@shared/ipc-contract'
import { describeError, desktop } from '../../api-client'

export const PERSONS_PAGE_SIZE = 50

export type PersonsFilter = {
  search: string
  who: 'all' | 'identified' | 'anonymous'
  sort: PersonSort
  page: number
}

export const DEFAULT_PERSONS_FILTER: PersonsFilter = {
  search: '',
  who: 'all',
  sort: 'last-seen',
  page: 0
}

const SORTS: PersonSort[] = ['last-seen', 'recordings', 'sessions', 'exceptions']

/** Reads the list's filter from the hash query (`q`, `who`, `sort`, `page`); bad values fall back to defaults. */
export function personsFilterFromParams(params: URLSearchParams): PersonsFilter {
  const who = params.get('who')
  const sort = params.get('sort')
  const page = Number(params.get('page') ?? '0')
  return {
    search: params.get('q') ?? '',
    who: who === 'identified' || who === 'anonymous' ? who : 'all',
    sort: SORTS.includes(sort as PersonSort) ? (sort as PersonSort) : 'last-seen',
    page: Number.isInteger(page) && page > 0 ? page : 0
  }
}

/** The filter as a hash query, leaving out defaults. */
export function personsFilterToParams(filter: PersonsFilter): Record<string, string> {
  const params: Record<string, string> = {}
  if (filter.search) params.q = filter.search
  if (filter.who !== 'all') params.who = filter.who
  if (filter.sort !== 'last-seen') params.sort = filter.sort
  if (filter.page > 0) params.page = String(filter.page)
  return params
}

export function personsFilterToQuery(filter: PersonsFilter): PersonQuery {
  return {
    search: filter.search.trim() || undefined,
    identified: filter.who === 'all' ? undefined : filter.who === 'identified',
    sort: filter.sort,
    offset: filter.page * PERSONS_PAGE_SIZE,
    limit: PERSONS_PAGE_SIZE
  }
}

export type PersonsListState = {
  query: PersonQuery | null
  page: PersonPage | null
  status: 'idle' | 'loading' | 'ready' | 'error'
  errorMessage: string | null
  load: (query: PersonQuery, options?: { force?: boolean }) => Promise<void>
}

/** Creates the persons list store over a contract client (tests pass a fake). */
export function createPersonsListStore(api: DesktopApi) {
  let generation = 0
  return create<PersonsListState>()((set, get) => ({
    query: null,
    page: null,
    status: 'idle',
    errorMessage: null,
    load: async (query, options) => {
      if (
        !options?.force &&
        JSON.stringify(query) === JSON.stringify(get().query) &&
        get().status === 'ready'
      )
        return
      const gen = ++generation
      set({ query, status: 'loading', errorMessage: null })
      try {
        const page = await api.invoke('persons:list', query)
        if (gen === generation) set({ page, status: 'ready' })
      } catch (error) {
        if (gen === generation) set({ status: 'error', errorMessage: describeError(error) })
      }
    }
  }))
}

export const usePersonsListStore = createPersonsListStore(desktop)
