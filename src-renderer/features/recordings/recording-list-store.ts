/**
 * The recording list: the query it shows and the rows fetched so far, page by page.
 *
 * The table is virtualised, so only the pages around the visible rows are fetched (`ensureRange`); a new query
 * drops them all. Responses to an older query are ignored. A page may count the matches only up to 1,000
 * (`totalIsExact` false, shown as "1,000+"): the exact count is then fetched after the page is shown.
 */
import { create } from 'zustand'
import type { RecordingId, RecordingQuery, RecordingSummary } from '@shared/domain'
import type { DesktopApi } from '@shared/ipc-contract'
import { describeError, desktop } from '../../api-client'

export const PAGE_SIZE = 100

export type ListStatus = 'idle' | 'loading' | 'ready' | 'error'

export type RecordingListState = {
  query: RecordingQuery | null
  total: number
  /** False while `total` is only a lower bound (more match; the exact count is on its way). */
  totalIsExact: boolean
  /** Fetched rows by page index. */
  pages: Record<number, RecordingSummary[]>
  status: ListStatus
  errorMessage: string | null
  /** Round trip of the last first-page query, in ms. */
  lastQueryMs: number | null
  /** Shows `query` from its first page; does nothing when it is already shown (unless `force`). */
  setQuery: (query: RecordingQuery, options?: { force?: boolean }) => Promise<void>
  /** Fetches the pages holding rows `first..last` that are not loaded yet. */
  ensureRange: (first: number, last: number) => void
  /** Re-runs the current query (after an import, or "Retry"). */
  reload: () => Promise<void>
  /** Updates a row's viewed state locally (the player marks recordings viewed through the core). */
  setViewed: (id: RecordingId, viewed: boolean) => void
}

/** Stable identity of a query, for "is this the same list?". */
export function queryKey(query: RecordingQuery | null): string {
  if (!query) return ''
  const entries = Object.entries(query)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => a.localeCompare(b))
  return JSON.stringify(entries)
}

/** The row at `index`, or `undefined` while its page is not loaded. */
export function selectRow(state: RecordingListState, index: number): RecordingSummary | undefined {
  return state.pages[Math.floor(index / PAGE_SIZE)]?.[index % PAGE_SIZE]
}

/** Creates a list store over a contract client (tests pass a fake). */
export function createRecordingListStore(api: DesktopApi, now: () => number = () => performance.now()) {
  let generation = 0
  const inFlight = new Set<number>()

  return create<RecordingListState>()((set, get) => {
    /** Fetches one page; `isFirstOfQuery` replaces every page of the previous query at once. */
    async function fetchPage(page: number, gen: number, isFirstOfQuery = false): Promise<void> {
      const query = get().query
      if (!query || inFlight.has(page)) return
      inFlight.add(page)
      const startedMs = now()
      try {
        const result = await api.invoke('recordings:search', { ...query, limit: PAGE_SIZE, offset: page * PAGE_SIZE })
        if (gen !== generation) return
        // An exact total of this query stays; a capped one gives way to a later exact or larger one.
        const keep = !isFirstOfQuery && get().totalIsExact
        set((state) => ({
          total: keep
            ? state.total
            : isFirstOfQuery || result.totalIsExact
              ? result.total
              : Math.max(state.total, result.total),
          totalIsExact: keep || result.totalIsExact,
          pages: isFirstOfQuery ? { [page]: result.recordings } : { ...state.pages, [page]: result.recordings },
          status: 'ready',
          errorMessage: null,
          lastQueryMs: page === 0 ? now() - startedMs : state.lastQueryMs
        }))
        if (isFirstOfQuery && !result.totalIsExact) void fetchCount(query, gen)
      } catch (error) {
        if (gen !== generation) return
        set({ status: 'error', errorMessage: describeError(error) })
      } finally {
        if (gen === generation) inFlight.delete(page)
      }
    }

    /** The exact count of a query whose first page stopped counting; ignored once the query changed. */
    async function fetchCount(query: RecordingQuery, gen: number): Promise<void> {
      try {
        const total = await api.invoke('recordings:count', query)
        if (gen === generation) set({ total, totalIsExact: true })
      } catch {
        // The list keeps its "1,000+": the rows still page in as the table scrolls.
      }
    }

    return {
      query: null,
      total: 0,
      totalIsExact: true,
      pages: {},
      status: 'idle',
      errorMessage: null,
      lastQueryMs: null,
      setQuery: async (query, options) => {
        if (!options?.force && queryKey(query) === queryKey(get().query) && get().status !== 'error') return
        generation++
        inFlight.clear()
        // Keep the old rows on screen until the new first page arrives, so typing does not flash an empty table.
        set({ query, status: 'loading', errorMessage: null })
        await fetchPage(0, generation, true)
      },
      ensureRange: (first, last) => {
        const { query, total, pages, status } = get()
        if (!query || status === 'loading') return
        const lastRow = Math.min(last, total - 1)
        for (let page = Math.floor(Math.max(0, first) / PAGE_SIZE); page <= Math.floor(lastRow / PAGE_SIZE); page++) {
          if (!pages[page]) void fetchPage(page, generation)
        }
      },
      reload: async () => {
        const query = get().query
        if (query) await get().setQuery(query, { force: true })
      },
      setViewed: (id, viewed) =>
        set((state) => {
          const pages: Record<number, RecordingSummary[]> = {}
          for (const [key, rows] of Object.entries(state.pages)) {
            pages[Number(key)] = rows.some((r) => r.id === id)
              ? rows.map((r) => (r.id === id ? { ...r, viewed } : r))
              : rows
          }
          return { pages }
        })
    }
  })
}

export type RecordingListStore = ReturnType<typeof createRecordingListStore>

export const useRecordingListStore = createRecordingListStore(desktop)
