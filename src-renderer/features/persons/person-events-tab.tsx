import { Fragment, useEffect, useMemo, useState } from 'react'
import type { AnalyticsEvent } from '@shared/domain'
import { useScreenReady } from '../../app/app-store'
import { formatTarget, navigate } from '../../app/router'
import { EmptyState } from '../../components/empty-state'
import { formatCount, formatUrl } from '../../components/format'
import { EVENTS_PAGE_SIZE, usePersonStore } from './person-store'

/** The person's events, newest first, a page at a time, filtered by event name (kept in the URL). */
export function PersonEventsTab({
  personId,
  search
}: {
  personId: string
  search: URLSearchParams
}) {
  const event = search.get('event')
  const offset = Math.max(0, Number(search.get('offset') ?? '0') || 0)
  const query = useMemo(() => ({ event, offset }), [event, offset])
  const loadEvents = usePersonStore((s) => s.loadEvents)
  const page = usePersonStore((s) => s.events)
  const status = usePersonStore((s) => s.eventsStatus)
  const error = usePersonStore((s) => s.eventsError)
  const [expanded, setExpanded] = useState<string | null>(null)

  useEffect(() => {
    void loadEvents(query)
  }, [query, loadEvents])
  useScreenReady(status === 'error' ? 'error' : status === 'ready' ? 'ready' : 'loading')

  const go = (next: { event: string | null; offset: number }) => {
    const params: Record<string, string> = { tab: 'events' }
    if (next.event) params.event = next.event
    if (next.offset > 0) params.offset = String(next.offset)
    navigate(formatTarget(`/persons/${encodeURIComponent(personId)}`, params))
  }

  if (status === 'error') {
    return (
      <EmptyState tone="error" title="The events could not be loaded">
        <p>{error}</p>
      </EmptyState>
    )
  }
  const total = page?.total ?? 0
  return (
    <div className="person-events">
      <div className="toolbar">
        <select
          className="select"
          aria-label="Event name"
          value={event ?? ''}
          onChange={(e) => go({ event: e.target.value || null, offset: 0 })}
        >
          <option value="">All events</option>
          {(page?.eventNames ?? []).map((name) => (
            <option key={name.name} value={name.name}>
              {name.name} ({formatCount(name.count)})
            </option>
          ))}
        </select>
        <span className="result-count">
          {formatCount(total)} event{total === 1 ? '' : 's'}
        </span>
        <div className="header-spacer" />
        <button
          type="button"
          className="button"
          disabled={offset === 0}
          onClick={() => go({ event, offset: Math.max(0, offset - EVENTS_PAGE_SIZE) })}
        >
          Newer
        </button>
        <button
          type="button"
          className="button"
          disabled={offset + EVENTS_PAGE_SIZE >= total}
          onClick={() => go({ event, offset: offset + EVENTS_PAGE_SIZE })}
        >
          Older
        </button>
      </div>
      <table className="data-table" aria-label="Events">
        <thead>
          <tr>
            <th>Time</th>
            <th>Event</th>
            <th>URL</th>
            <th>Session</th>
          </tr>
        </thead>
        <tbody>
          {(page?.events ?? []).map((e) => (
            <Fragment key={e.uuid}>
              <tr
                data-testid="event-row"
                onClick={() => setExpanded(expanded === e.uuid ? null : e.uuid)}
              >
                <td className="nowrap">{formatEventTime(e.timestampMs)}</td>
                <td className="mono">{e.event}</td>
                <td className="ellipsis muted" title={e.url ?? ''}>
                  {formatUrl(e.url)}
                </td>
                <td className="mono ellipsis">{e.sessionId ?? '—'}</td>
              </tr>
              {expanded === e.uuid ? (
                <tr className="event-detail">
                  <td colSpan={4}>
                    <EventProperties event={e} />
                  </td>
                </tr>
              ) : null}
            </Fragment>
          ))}
        </tbody>
      </table>
    </div>
  )
}

const eventTimeFormat = new Intl.DateTimeFormat(undefined, {
  month: 'short',
  day: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit'
})

/** `Oct 19, 07:30:12 PM`: events are seconds apart, so the list shows seconds. */
function formatEventTime(ms: number): string {
  return eventTimeFormat.format(new Date(ms))
}

function EventProperties({ event }: { event: AnalyticsEvent }) {
  return <pre className="event-properties">{JSON.stringify(event.properties, null, 2)}</pre>
}
