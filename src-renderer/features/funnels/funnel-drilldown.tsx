import type { FunnelDefinition, FunnelIssue, FunnelPerson } from '@shared/analytics'
import { hrefFor } from '../../app/router'
import { EmptyState } from '../../components/empty-state'
import { formatClock, formatCount, formatDateTime } from '../../components/format'
import { recordingTarget } from '../../components/recording-target'
import { personTarget } from '../persons/persons-list-screen'
import { formatPercent } from './funnel-chart'
import { FUNNEL_PERSONS_PAGE, useFunnelStore, type DrilldownQuery } from './funnel-store'

type Props = {
  definition: FunnelDefinition
  /** The result's step labels (`$pageview ($pathname = /)`): two steps may share an event name. */
  labels: string[]
  query: DrilldownQuery
  onChange: (query: DrilldownQuery) => void
}

/** The persons behind a drop-off (or a conversion), each with the recordings to watch, and the step's issues. */
export function FunnelDrilldown({ definition, labels, query, onChange }: Props) {
  const persons = useFunnelStore((s) => s.persons)
  const status = useFunnelStore((s) => s.personsStatus)
  const error = useFunnelStore((s) => s.personsError)
  const stepLabel = (i: number) => labels[i] ?? definition.steps[i]?.event ?? ''
  const stepName = (i: number) => `step ${i + 1}`
  const total = persons?.total ?? 0
  return (
    <section
      className="panel funnel-drilldown"
      aria-label="Drill-down"
      data-testid="funnel-drilldown"
    >
      <div className="drilldown-head">
        <h2>
          {query.outcome === 'dropped'
            ? `Reached ${stepName(query.step)} but not ${stepName(query.step + 1)}`
            : `Went on from ${stepName(query.step)} to ${stepName(query.step + 1)}`}
        </h2>
        <div className="segmented" role="group" aria-label="Outcome">
          <button
            type="button"
            className="button"
            aria-pressed={query.outcome === 'dropped'}
            onClick={() => onChange({ ...query, outcome: 'dropped', offset: 0 })}
          >
            Dropped off
          </button>
          <button
            type="button"
            className="button"
            aria-pressed={query.outcome === 'converted'}
            onClick={() => onChange({ ...query, outcome: 'converted', offset: 0 })}
          >
            Converted
          </button>
        </div>
      </div>
      <p className="muted drilldown-note">
        {stepLabel(query.step)} → {stepLabel(query.step + 1)}. Each recording opens at the person’s
        last completed step.
      </p>
      {status === 'error' ? (
        <EmptyState tone="error" title="The persons could not be loaded">
          <p>{error}</p>
        </EmptyState>
      ) : persons && persons.total === 0 ? (
        <p className="muted">Nobody.</p>
      ) : (
        <table className="data-table" aria-label="Persons">
          <thead>
            <tr>
              <th>Person</th>
              <th>Last completed step</th>
              <th>Recordings</th>
            </tr>
          </thead>
          <tbody>
            {(persons?.persons ?? []).map((person) => (
              <PersonRow
                key={person.personId}
                person={person}
                stepLabel={stepLabel(person.lastStepIndex)}
              />
            ))}
          </tbody>
        </table>
      )}
      {total > FUNNEL_PERSONS_PAGE ? (
        <nav className="pager" aria-label="Pages">
          <button
            type="button"
            className="button"
            disabled={query.offset === 0}
            onClick={() =>
              onChange({ ...query, offset: Math.max(0, query.offset - FUNNEL_PERSONS_PAGE) })
            }
          >
            Previous
          </button>
          <span>
            {query.offset + 1}–{Math.min(total, query.offset + FUNNEL_PERSONS_PAGE)} of{' '}
            {formatCount(total)}
          </span>
          <button
            type="button"
            className="button"
            disabled={query.offset + FUNNEL_PERSONS_PAGE >= total}
            onClick={() => onChange({ ...query, offset: query.offset + FUNNEL_PERSONS_PAGE })}
          >
            Next
          </button>
        </nav>
      ) : null}
      <FunnelIssues step={query.step} />
    </section>
  )
}

function PersonRow({ person, stepLabel }: { person: FunnelPerson; stepLabel: string }) {
  return (
    <tr data-testid="funnel-person" data-person-id={person.personId}>
      <td>
        <a
          href={hrefFor(personTarget(person.personId))}
          className={person.email ? '' : 'person-id'}
        >
          {person.email ?? person.name ?? person.personId}
        </a>
      </td>
      <td className="nowrap">
        {person.lastStepIndex + 1}. {stepLabel} · {formatDateTime(person.lastStepAtMs)}
      </td>
      <td>
        {person.recordings.length === 0 ? (
          <span className="muted">No recording</span>
        ) : (
          <span className="recording-links">
            {person.recordings.map((recording, i) => (
              <a
                key={recording.recordingId}
                className={`recording-link${i === 0 ? ' recording-link-primary' : ''}`}
                data-testid="funnel-recording-link"
                href={hrefFor(recordingTarget(recording.recordingId, recording.openAtSeconds))}
                title={`${formatDateTime(recording.startedAtMs)}${recording.holdsLastStep ? ' · holds the last completed step' : ''}`}
              >
                ▶{' '}
                {recording.holdsLastStep
                  ? `at ${formatClock(recording.openAtSeconds * 1000)}`
                  : formatDateTime(recording.startedAtMs)}
              </a>
            ))}
          </span>
        )}
      </td>
    </tr>
  )
}

/** Exceptions over-represented among the sessions that dropped off at the step. */
function FunnelIssues({ step }: { step: number }) {
  const issues = useFunnelStore((s) => s.issues)
  const status = useFunnelStore((s) => s.issuesStatus)
  const error = useFunnelStore((s) => s.issuesError)
  return (
    <div className="funnel-issues" data-testid="funnel-issues">
      <h2>Funnel issues after step {step + 1}</h2>
      {status === 'loading' ? <p className="muted">Looking for exceptions…</p> : null}
      {status === 'error' ? <p className="error-text">{error}</p> : null}
      {issues && issues.issues.length === 0 ? (
        <p className="muted">
          No exception in the {formatCount(issues.droppedSessionsTotal)} sessions that dropped off.
        </p>
      ) : null}
      {issues && issues.issues.length > 0 ? (
        <>
          <p className="muted">
            Compared across {formatCount(issues.droppedSessionsTotal)} dropped-off and{' '}
            {formatCount(issues.convertedSessionsTotal)} converted sessions.
          </p>
          <table className="data-table" aria-label="Funnel issues">
            <thead>
              <tr>
                <th>Exception</th>
                <th className="num">Dropped sessions</th>
                <th className="num">Converted sessions</th>
                <th className="num">Lift</th>
                <th>Recordings</th>
              </tr>
            </thead>
            <tbody>
              {issues.issues.map((issue) => (
                <IssueRow key={issue.key} issue={issue} />
              ))}
            </tbody>
          </table>
        </>
      ) : null}
    </div>
  )
}

function IssueRow({ issue }: { issue: FunnelIssue }) {
  return (
    <tr data-testid="funnel-issue">
      <td>
        <strong>{issue.type ?? 'Error'}</strong>{' '}
        <span className="badge badge-neutral">{issue.source}</span>
        <div className="muted issue-message">{issue.message}</div>
      </td>
      <td className="num">
        {issue.droppedSessions} <span className="muted">({formatPercent(issue.droppedRate)})</span>
      </td>
      <td className="num">
        {issue.convertedSessions}{' '}
        <span className="muted">({formatPercent(issue.convertedRate)})</span>
      </td>
      <td className="num">{issue.lift.toFixed(1)}×</td>
      <td>
        <span className="recording-links">
          {issue.recordings.slice(0, 5).map((recording) => (
            <a
              key={recording.recordingId}
              className="recording-link"
              href={hrefFor(recordingTarget(recording.recordingId, recording.openAtSeconds))}
            >
              ▶ {formatClock(recording.openAtSeconds * 1000)}
            </a>
          ))}
          {issue.recordings.length > 5 ? (
            <span className="muted">+{issue.recordings.length - 5}</span>
          ) : null}
        </span>
      </td>
    </tr>
  )
}
