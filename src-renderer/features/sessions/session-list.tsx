import { useEffect, useRef } from 'react'
import type { SessionFilter, SessionSummary } from '@shared/analytics'
import { hrefFor } from '../../app/router'
import { formatCount, formatDateTime, formatDuration } from '../../components/format'
import { recordingTarget } from '../../components/recording-target'
import { describeDevice } from '../persons/person-timeline-tab'
import { personTarget } from '../persons/persons-list-screen'
import { describeFilter } from './session-params'
import { SESSIONS_PAGE, useSessionsStore } from './sessions-store'

/** The sessions behind a figure, newest first, with their recordings; a page at a time. */
export function SessionList({
  filter,
  offset,
  onOffset,
  onClose
}: {
  filter: SessionFilter
  offset: number
  onOffset: (offset: number) => void
  onClose: () => void
}) {
  const list = useSessionsStore((s) => s.list)
  const status = useSessionsStore((s) => s.listStatus)
  const error = useSessionsStore((s) => s.listError)
  const total = list?.total ?? 0
  const ref = useRef<HTMLElement>(null)
  const filterKey = JSON.stringify(filter)
  useEffect(() => {
    ref.current?.scrollIntoView({ block: 'nearest' })
  }, [filterKey])
  return (
    <section
      ref={ref}
      className="panel session-list"
      aria-label="Sessions"
      data-testid="session-list"
    >
      <div className="drilldown-head">
        <h2>
          {describeFilter(filter)}{' '}
          {list ? <span className="muted">({formatCount(total)})</span> : null}
        </h2>
        <button type="button" className="button button-quiet" onClick={onClose}>
          Close
        </button>
      </div>
      {status === 'error' ? <p className="error-text">{error}</p> : null}
      {status === 'loading' && !list ? <p className="muted">Loading…</p> : null}
      {list ? (
        <table className="data-table" aria-label="Session list">
          <thead>
            <tr>
              <th>Started</th>
              <th>Person</th>
              <th className="num">Duration</th>
              <th className="num">Pageviews</th>
              <th>Device</th>
              <th>Recordings</th>
            </tr>
          </thead>
          <tbody>
            {list.sessions.map((session) => (
              <SessionRow key={session.key} session={session} />
            ))}
          </tbody>
        </table>
      ) : null}
      {total > SESSIONS_PAGE ? (
        <nav className="pager" aria-label="Pages">
          <button
            type="button"
            className="button"
            disabled={offset === 0}
            onClick={() => onOffset(Math.max(0, offset - SESSIONS_PAGE))}
          >
            Previous
          </button>
          <span>
            {offset + 1}–{Math.min(total, offset + SESSIONS_PAGE)} of {formatCount(total)}
          </span>
          <button
            type="button"
            className="button"
            disabled={offset + SESSIONS_PAGE >= total}
            onClick={() => onOffset(offset + SESSIONS_PAGE)}
          >
            Next
          </button>
        </nav>
      ) : null}
    </section>
  )
}

function SessionRow({ session }: { session: SessionSummary }) {
  return (
    <tr data-testid="session-row">
      <td className="nowrap">{formatDateTime(session.startedAtMs)}</td>
      <td>
        <a
          href={hrefFor(personTarget(session.personId))}
          className={session.email ? '' : 'person-id'}
        >
          {session.email ?? session.personId}
        </a>
      </td>
      <td className="num">{formatDuration(session.durationMs)}</td>
      <td className="num">
        {session.pageviews}
        {session.bounced ? <span className="badge badge-warning">bounce</span> : null}
      </td>
      <td>{describeDevice(session.device)}</td>
      <td>
        {session.recordingIds.length === 0 ? (
          <span className="muted">No recording</span>
        ) : (
          <span className="recording-links">
            {session.recordingIds.map((id) => (
              <a
                key={id}
                className="recording-link"
                href={hrefFor(recordingTarget(id))}
                data-testid="session-recording-link"
              >
                ▶ Watch
              </a>
            ))}
          </span>
        )}
      </td>
    </tr>
  )
}
