import { useCallback, useEffect, useMemo, useRef } from 'react'
import { useAppStore, useScreenReady } from '../../app/app-store'
import type { RouteProps } from '../../app/route-types'
import { formatTarget, navigate, rememberTarget } from '../../app/router'
import { EmptyState } from '../../components/empty-state'
import { formatCount } from '../../components/format'
import { RecordingFilterBar } from './recording-filter-bar'
import {
  countActiveFilters,
  DEFAULT_FILTERS,
  filtersFromParams,
  filtersToParams,
  filtersToQuery,
  type RecordingFilters
} from './recording-filters'
import { useRecordingListStore } from './recording-list-store'
import { RecordingTable } from './recording-table'
import { SavedViewsMenu } from './saved-views-menu'
import { SearchBox } from './search-box'
import './recordings.css'

/**
 * Search edits this close together are one history entry: the first pushes, the rest of the burst replace it, so
 * Back undoes a whole search (not one keystroke) and still returns to the filters before it.
 */
const SEARCH_BURST_MS = 1500

/** The list of recordings: search, filters (kept in the URL), saved views, and the virtualised table. */
export function RecordingListScreen({ search }: RouteProps) {
  const searchKey = search.toString()
  const filters = useMemo(() => filtersFromParams(new URLSearchParams(searchKey)), [searchKey])
  const setQuery = useRecordingListStore((s) => s.setQuery)
  const reload = useRecordingListStore((s) => s.reload)
  const status = useRecordingListStore((s) => s.status)
  const total = useRecordingListStore((s) => s.total)
  const totalIsExact = useRecordingListStore((s) => s.totalIsExact)
  const errorMessage = useRecordingListStore((s) => s.errorMessage)
  const lastQueryMs = useRecordingListStore((s) => s.lastQueryMs)
  const dataVersion = useAppStore((s) => s.dataVersion)
  const cacheRecordings = useAppStore((s) => s.totals?.recordings ?? null)

  useEffect(() => {
    void setQuery(filtersToQuery(filters, Date.now()))
    rememberTarget('/recordings', formatTarget('/recordings', filtersToParams(filters)))
  }, [filters, setQuery])

  useEffect(() => {
    if (dataVersion > 0) void reload()
  }, [dataVersion, reload])

  // Every filter, sort or search change is its own history entry (Back and Forward restore the list from the URL).
  const lastSearchAtMs = useRef(Number.NEGATIVE_INFINITY)
  const applyFilters = useCallback((next: RecordingFilters) => {
    lastSearchAtMs.current = Number.NEGATIVE_INFINITY
    navigate(formatTarget('/recordings', filtersToParams(next)))
  }, [])
  const applySearch = useCallback((next: RecordingFilters) => {
    const nowMs = performance.now()
    const isSameBurst = nowMs - lastSearchAtMs.current < SEARCH_BURST_MS
    lastSearchAtMs.current = nowMs
    navigate(formatTarget('/recordings', filtersToParams(next)), { replace: isSameBurst })
  }, [])

  const activeCount = countActiveFilters(filters)
  const isFiltered = activeCount > 0 || filters.text.trim() !== ''
  useScreenReady(status === 'ready' || status === 'error' ? (status === 'error' ? 'error' : 'ready') : 'loading')

  return (
    <div className="screen recordings-screen">
      <header className="screen-header recordings-header">
        <h1>Recordings</h1>
        <SearchBox
          value={filters.text}
          onChange={(text) => applySearch({ ...filters, text })}
        />
        <span className="result-count" aria-live="polite" data-testid="result-count">
          {status === 'loading' && total === 0 ? 'Searching…' : `${formatCount(total)}${totalIsExact ? '' : '+'} recording${total === 1 ? '' : 's'}`}
          {lastQueryMs !== null && status === 'ready' ? (
            <span className="result-timing"> · {Math.max(1, Math.round(lastQueryMs))} ms</span>
          ) : null}
        </span>
        <div className="header-spacer" />
        <SavedViewsMenu filters={filters} onApply={(next) => applyFilters(next)} />
      </header>
      <RecordingFilterBar filters={filters} activeCount={activeCount} onChange={applyFilters} />
      {status === 'error' ? (
        <EmptyState
          tone="error"
          title="The recording list could not be loaded"
          action={
            <button type="button" className="button" onClick={() => void reload()}>
              Retry
            </button>
          }
        >
          <p>{errorMessage}</p>
        </EmptyState>
      ) : status === 'ready' && total === 0 ? (
        isFiltered || cacheRecordings !== 0 ? (
          <EmptyState
            title="No recordings match"
            action={
              <button type="button" className="button" onClick={() => applyFilters({ ...DEFAULT_FILTERS, sort: filters.sort })}>
                Clear search and filters
              </button>
            }
          >
            <p>Try fewer filters, a wider date range, or part of an email or URL.</p>
          </EmptyState>
        ) : (
          <EmptyState title="No recordings yet">
            <p>
              Import PostHog exports with <code>tapedeck import &lt;file or folder&gt;</code>, or add a source on the
              Sources screen. Recordings show up here as soon as they are imported.
            </p>
          </EmptyState>
        )
      ) : (
        <RecordingTable sort={filters.sort} onSort={(sort) => applyFilters({ ...filters, sort })} />
      )}
    </div>
  )
}
