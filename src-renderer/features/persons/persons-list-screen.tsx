import { useEffect, useMemo } from 'react'
import type { PersonSort } from '@shared/analytics'
import type { PersonSummary } from '@shared/domain'
import { useAppStore, useScreenReady } from '../../app/app-store'
import type { RouteProps } from '../../app/route-types'
import { formatTarget, hrefFor, navigate } from '../../app/router'
import { EmptyState } from '../../components/empty-state'
import { formatCount, formatDateTime } from '../../components/format'
import { SearchField } from '../../components/search-field'
import {
  PERSONS_PAGE_SIZE,
  personsFilterFromParams,
  personsFilterToParams,
  personsFilterToQuery,
  usePersonsListStore,
  type PersonsFilter
} from './persons-list-store'
import './persons.css'

const SORT_LABELS: Record<PersonSort, string> = {
  'last-seen': 'Last seen',
  recordings: 'Most recordings',
  sessions: 'Most sessions',
  exceptions: 'Most exceptions'
}

/** The person's link target: their page. */
export function personTarget(id: string): string {
  return `/persons/${encodeURIComponent(id)}`
}

/** What to call a person in lists: email, else name, else the id. */
export function personLabel(person: {
  email: string | null
  name?: string | null
  id: string
}): string {
  return person.email ?? person.name ?? person.id
}

/** Persons and anonymous visitors: search, filter, sort, and counts of recordings, sessions and exceptions. */
export function PersonsListScreen({ search }: RouteProps) {
  const searchKey = search.toString()
  const filter = useMemo(() => personsFilterFromParams(new URLSearchParams(searchKey)), [searchKey])
  const load = usePersonsListStore((s) => s.load)
  const page = usePersonsListStore((s) => s.page)
  const status = usePersonsListStore((s) => s.status)
  const errorMessage = usePersonsListStore((s) => s.errorMessage)
  const dataVersion = useAppStore((s) => s.dataVersion)

  useEffect(() => {
    void load(personsFilterToQuery(filter), { force: dataVersion > 0 })
  }, [filter, load, dataVersion])

  const apply = (next: PersonsFilter, replace = false) =>
    navigate(formatTarget('/persons', personsFilterToParams(next)), { replace })

  useScreenReady(status === 'error' ? 'error' : status === 'ready' ? 'ready' : 'loading')
  const total = page?.total ?? 0
  const pageCount = Math.max(1, Math.ceil(total / PERSONS_PAGE_SIZE))

  return (
    <div className="screen persons-screen">
      <header className="screen-header analytics-header">
        <h1>Persons</h1>
        <SearchField
          label="Search persons"
          placeholder="Email, name, distinct id, property value…"
          value={filter.search}
          onChange={(text) => apply({ ...filter, search: text, page: 0 }, true)}
        />
        <select
          className="select"
          aria-label="Who"
          value={filter.who}
          onChange={(e) =>
            apply({ ...filter, who: e.target.value as PersonsFilter['who'], page: 0 })
          }
        >
          <option value="all">Everyone</option>
          <option value="identified">Identified persons</option>
          <option value="anonymous">Anonymous visitors</option>
        </select>
        <select
          className="select"
          aria-label="Sort"
          value={filter.sort}
          onChange={(e) => apply({ ...filter, sort: e.target.value as PersonSort, page: 0 })}
        >
          {Object.entries(SORT_LABELS).map(([value, label]) => (
            <option key={value} value={value}>
              {label}
            </option>
          ))}
        </select>
        <span className="result-count" data-testid="persons-count">
          {status === 'loading' && !page
            ? 'Loading…'
            : `${formatCount(total)} person${total === 1 ? '' : 's'}`}
        </span>
      </header>
      {status === 'error' ? (
        <EmptyState tone="error" title="The persons could not be loaded">
          <p>{errorMessage}</p>
        </EmptyState>
      ) : page && page.total === 0 ? (
        <EmptyState title={filter.search ? 'Nobody matches' : 'No persons yet'}>
          <p>
            {filter.search
              ? 'Try part of an email, a name or a distinct id.'
              : 'Persons appear once recordings or analytics events are imported.'}
          </p>
        </EmptyState>
      ) : (
        <div className="analytics-body">
          <table className="data-table" aria-label="Persons">
            <thead>
              <tr>
                <th>Person</th>
                <th>Distinct ids</th>
                <th className="num">Recordings</th>
                <th className="num">Sessions</th>
                <th className="num">Exceptions</th>
                <th>Last seen</th>
              </tr>
            </thead>
            <tbody>
              {(page?.persons ?? []).map((person) => (
                <PersonRow key={person.id} person={person} />
              ))}
            </tbody>
          </table>
          {pageCount > 1 ? (
            <nav className="pager" aria-label="Pages">
              <button
                type="button"
                className="button"
                disabled={filter.page === 0}
                onClick={() => apply({ ...filter, page: filter.page - 1 })}
              >
                Previous
              </button>
              <span>
                Page {filter.page + 1} of {pageCount}
              </span>
              <button
                type="button"
                className="button"
                disabled={filter.page + 1 >= pageCount}
                onClick={() => apply({ ...filter, page: filter.page + 1 })}
              >
                Next
              </button>
            </nav>
          ) : null}
        </div>
      )}
    </div>
  )
}

function PersonRow({ person }: { person: PersonSummary }) {
  return (
    <tr
      data-testid="person-row"
      data-person-id={person.id}
      onClick={() => navigate(personTarget(person.id))}
    >
      <td>
        <a href={hrefFor(personTarget(person.id))} className={person.email ? '' : 'person-id'}>
          {personLabel(person)}
        </a>
        {person.isIdentified ? <span className="badge badge-neutral">identified</span> : null}
      </td>
      <td className="muted ellipsis" title={person.distinctIds.join('\n')}>
        {person.distinctIds.length === 1
          ? person.distinctIds[0]
          : `${person.distinctIds.length} ids`}
      </td>
      <td className="num">{formatCount(person.recordingCount)}</td>
      <td className="num">{formatCount(person.sessionCount)}</td>
      <td className="num">
        {person.exceptionCount > 0 ? (
          <span className="badge badge-danger">{person.exceptionCount}</span>
        ) : (
          '0'
        )}
      </td>
      <td>{person.lastSeenMs === null ? '—' : formatDateTime(person.lastSeenMs)}</td>
    </tr>
  )
}
