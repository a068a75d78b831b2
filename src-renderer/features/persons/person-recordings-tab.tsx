import { useEffect, useMemo } from 'react'
import { useAppStore, useScreenReady } from '../../app/app-store'
import { formatTarget, navigate } from '../../app/router'
import { EmptyState } from '../../components/empty-state'
import { RecordingFilterBar } from '../recordings/recording-filter-bar'
import {
  countActiveFilters,
  filtersFromParams,
  filtersToParams,
  filtersToQuery,
  type RecordingFilters
} from '../recordings/recording-filters'
import { RecordingTable } from '../recordings/recording-table'
import { usePersonRecordingsStore } from './person-store'
import '../recordings/recordings.css'

/** The person's recordings: the main list's filters and rows, always restricted to this person. */
export function PersonRecordingsTab({
  personId,
  search
}: {
  personId: string
  search: URLSearchParams
}) {
  const searchKey = search.toString()
  const filters = useMemo(() => filtersFromParams(new URLSearchParams(searchKey)), [searchKey])
  const setQuery = usePersonRecordingsStore((s) => s.setQuery)
  const reload = usePersonRecordingsStore((s) => s.reload)
  const status = usePersonRecordingsStore((s) => s.status)
  const total = usePersonRecordingsStore((s) => s.total)
  const errorMessage = usePersonRecordingsStore((s) => s.errorMessage)
  const dataVersion = useAppStore((s) => s.dataVersion)

  useEffect(() => {
    void setQuery({ ...filtersToQuery(filters, Date.now()), person: personId })
  }, [filters, personId, setQuery])
  useEffect(() => {
    if (dataVersion > 0) void reload()
  }, [dataVersion, reload])

  const apply = (next: RecordingFilters, options?: { replace?: boolean }) =>
    navigate(
      formatTarget(`/persons/${encodeURIComponent(personId)}`, filtersToParams(next)),
      options
    )

  useScreenReady(status === 'error' ? 'error' : status === 'ready' ? 'ready' : 'loading')
  return (
    <div className="person-recordings" data-testid="person-recordings">
      <RecordingFilterBar
        filters={filters}
        activeCount={countActiveFilters(filters)}
        onChange={apply}
      />
      {status === 'error' ? (
        <EmptyState tone="error" title="The recordings could not be loaded">
          <p>{errorMessage}</p>
        </EmptyState>
      ) : status === 'ready' && total === 0 ? (
        <EmptyState title="No recordings">
          <p>
            {countActiveFilters(filters) > 0
              ? 'None of this person’s recordings match the filters.'
              : 'This person has analytics events but no recording in the cache.'}
          </p>
        </EmptyState>
      ) : (
        <RecordingTable
          store={usePersonRecordingsStore}
          sort={filters.sort}
          onSort={(sort) => apply({ ...filters, sort })}
        />
      )}
    </div>
  )
}
