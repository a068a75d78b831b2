import { useEffect, useMemo } from 'react'
import type { PersonDetail } from '@shared/domain'
import { useAppStore, useScreenReady } from '../../app/app-store'
import type { RouteProps } from '../../app/route-types'
import { formatTarget, hrefFor, navigate } from '../../app/router'
import { EmptyState } from '../../components/empty-state'
import { formatCount, formatDateTime } from '../../components/format'
import { PersonEventsTab } from './person-events-tab'
import { PersonRecordingsTab } from './person-recordings-tab'
import { usePersonStore } from './person-store'
import { PersonTimelineTab } from './person-timeline-tab'
import { personLabel } from './persons-list-screen'
import './persons.css'

export type PersonTab = 'recordings' | 'events' | 'timeline'
const TABS: { id: PersonTab; label: string }[] = [
  { id: 'recordings', label: 'Recordings' },
  { id: 'events', label: 'Events' },
  { id: 'timeline', label: 'Timeline' }
]

/** A person: profile, distinct ids and properties; tabs for recordings (first), events and the timeline. */
export function PersonScreen({ params, search }: RouteProps) {
  const personId = params.id ?? ''
  const searchKey = search.toString()
  const query = useMemo(() => new URLSearchParams(searchKey), [searchKey])
  const tabParam = query.get('tab')
  const tab: PersonTab = tabParam === 'events' || tabParam === 'timeline' ? tabParam : 'recordings'
  const open = usePersonStore((s) => s.open)
  const detail = usePersonStore((s) => s.detail)
  const detailStatus = usePersonStore((s) => s.detailStatus)
  const detailError = usePersonStore((s) => s.detailError)
  const dataVersion = useAppStore((s) => s.dataVersion)

  useEffect(() => {
    void open(personId, { force: dataVersion > 0 })
  }, [personId, open, dataVersion])

  const selectTab = (next: PersonTab) => {
    navigate(
      formatTarget(
        `/persons/${encodeURIComponent(personId)}`,
        next === 'recordings' ? {} : { tab: next }
      )
    )
  }

  if (detailStatus === 'missing' || detailStatus === 'error') {
    return (
      <div className="screen">
        <ScreenReady state={detailStatus === 'error' ? 'error' : 'ready'} />
        <header className="screen-header">
          <a href={hrefFor('/persons')}>← Persons</a>
        </header>
        <EmptyState tone={detailStatus === 'error' ? 'error' : 'neutral'} title="No such person">
          <p>
            {detailError ?? `Nobody in the cache has the id, distinct id or email “${personId}”.`}
          </p>
        </EmptyState>
      </div>
    )
  }

  return (
    <div className="screen person-screen">
      <header className="screen-header person-header">
        <a href={hrefFor('/persons')} className="back-link">
          ← Persons
        </a>
        <h1 data-testid="person-title">{detail ? personLabel(detail) : 'Loading…'}</h1>
        {detail?.isIdentified ? <span className="badge badge-neutral">identified</span> : null}
        {detail && detail.email && detail.name && detail.name !== detail.email ? (
          <span className="muted">{detail.name}</span>
        ) : null}
      </header>
      {detail ? <PersonFacts detail={detail} /> : null}
      <div className="tabs" role="tablist" aria-label="Person">
        {TABS.map((t) => (
          <button
            key={t.id}
            type="button"
            role="tab"
            className="tab"
            aria-selected={tab === t.id}
            onClick={() => selectTab(t.id)}
          >
            {t.label}
            {detail && t.id === 'recordings' ? (
              <span className="tab-count">{detail.recordingCount}</span>
            ) : null}
          </button>
        ))}
      </div>
      <div className="tab-panel" role="tabpanel">
        {detail === null ? (
          <ScreenReady state="loading" />
        ) : tab === 'recordings' ? (
          <PersonRecordingsTab personId={detail.id} search={query} />
        ) : tab === 'events' ? (
          <PersonEventsTab personId={detail.id} search={query} />
        ) : (
          <PersonTimelineTab />
        )}
      </div>
    </div>
  )
}

/** Reports the screen's readiness from inside a branch. */
export function ScreenReady({ state }: { state: 'loading' | 'ready' | 'error' }) {
  useScreenReady(state)
  return null
}

function PersonFacts({ detail }: { detail: PersonDetail }) {
  const properties = Object.entries(detail.properties).filter(
    ([, value]) => value !== null && value !== ''
  )
  return (
    <section className="person-facts" aria-label="Profile">
      <dl className="fact-list">
        <dt>Person id</dt>
        <dd className="mono">{detail.id}</dd>
        <dt>Distinct ids</dt>
        <dd className="mono">{detail.distinctIds.join(', ') || '—'}</dd>
        <dt>Sessions</dt>
        <dd>{formatCount(detail.sessionCount)}</dd>
        <dt>Exceptions</dt>
        <dd>{formatCount(detail.exceptionCount)}</dd>
        <dt>Last seen</dt>
        <dd>{detail.lastSeenMs === null ? '—' : formatDateTime(detail.lastSeenMs)}</dd>
        {detail.createdAtMs !== null ? (
          <>
            <dt>Created</dt>
            <dd>{formatDateTime(detail.createdAtMs)}</dd>
          </>
        ) : null}
      </dl>
      {properties.length > 0 ? (
        <details className="person-properties">
          <summary>Properties ({properties.length})</summary>
          <dl className="fact-list">
            {properties.map(([key, value]) => (
              <div key={key} className="fact-row">
                <dt className="mono">{key}</dt>
                <dd className="mono">
                  {typeof value === 'string' ? value : JSON.stringify(value)}
                </dd>
              </div>
            ))}
          </dl>
        </details>
      ) : null}
    </section>
  )
}
