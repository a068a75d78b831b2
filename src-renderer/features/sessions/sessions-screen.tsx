import { useEffect, useMemo, useState } from 'react'
import type {
  HistogramBucket,
  SessionDefinition,
  SessionFilter,
  SessionStats
} from '@shared/analytics'
import { useAppStore, useScreenReady } from '../../app/app-store'
import type { RouteProps } from '../../app/route-types'
import { formatTarget, hrefFor, navigate } from '../../app/router'
import { EmptyState } from '../../components/empty-state'
import { ColumnChart } from '../../components/column-chart'
import { formatCount, formatDuration } from '../../components/format'
import { StatCard } from '../../components/stat-card'
import { describeDevice } from '../persons/person-timeline-tab'
import { personTarget } from '../persons/persons-list-screen'
import { definitionFromParams, filterFromParams, perDayLabels, toParams } from './session-params'
import { SessionList } from './session-list'
import { useSessionsStore } from './sessions-store'
import '../../components/data-views.css'
import './sessions.css'

const OPEN = Number.MAX_SAFE_INTEGER

/** Session analytics: counts per day, durations, pageviews, bounce rate, sessions per person, multi-device persons. */
export function SessionsScreen({ search }: RouteProps) {
  const searchKey = search.toString()
  const params = useMemo(() => new URLSearchParams(searchKey), [searchKey])
  const definition = useMemo(() => definitionFromParams(params), [params])
  const filter = useMemo(() => filterFromParams(params), [params])
  const loadStats = useSessionsStore((s) => s.loadStats)
  const loadList = useSessionsStore((s) => s.loadList)
  const stats = useSessionsStore((s) => s.stats)
  const status = useSessionsStore((s) => s.status)
  const errorMessage = useSessionsStore((s) => s.errorMessage)
  const dataVersion = useAppStore((s) => s.dataVersion)
  const [offset, setOffset] = useState(0)
  const [offsetFor, setOffsetFor] = useState(searchKey)
  if (offsetFor !== searchKey) {
    setOffsetFor(searchKey)
    setOffset(0)
  }

  useEffect(() => {
    void loadStats(definition, { force: dataVersion > 0 })
  }, [definition, loadStats, dataVersion])
  useEffect(() => {
    void loadList(definition, filter, offset)
  }, [definition, filter, offset, loadList])

  const go = (nextDefinition: SessionDefinition, nextFilter: SessionFilter | null) =>
    navigate(formatTarget('/sessions', toParams(nextDefinition, nextFilter)))
  const show = (next: SessionFilter) => go(definition, next)

  useScreenReady(status === 'error' ? 'error' : status === 'ready' ? 'ready' : 'loading')

  return (
    <div className="screen sessions-screen">
      <header className="screen-header analytics-header">
        <h1>Sessions</h1>
        <DefinitionPicker definition={definition} onChange={(next) => go(next, null)} />
        {stats ? <span className="muted">computed in {stats.computedInMs} ms</span> : null}
      </header>
      <div className="analytics-body">
        {status === 'error' ? (
          <EmptyState tone="error" title="The session statistics could not be computed">
            <p>{errorMessage}</p>
          </EmptyState>
        ) : !stats || status === 'loading' ? (
          <p className="muted" role="status">
            Computing…
          </p>
        ) : stats.sessions === 0 ? (
          <EmptyState title="No sessions">
            <p>
              {definition.kind === 'property'
                ? `No event has the property “${definition.property}”.`
                : 'Import analytics events (events.jsonl or a CSV export) to see sessions.'}
            </p>
          </EmptyState>
        ) : (
          <StatsView stats={stats} filter={filter} onShow={show} />
        )}
        {filter && stats && stats.sessions > 0 ? (
          <SessionList
            filter={filter}
            offset={offset}
            onOffset={setOffset}
            onClose={() => go(definition, null)}
          />
        ) : null}
      </div>
    </div>
  )
}

function DefinitionPicker({
  definition,
  onChange
}: {
  definition: SessionDefinition
  onChange: (definition: SessionDefinition) => void
}) {
  const [gap, setGap] = useState(
    definition.kind === 'gap' ? String(definition.gapMs / 60_000) : '30'
  )
  const [property, setProperty] = useState(
    definition.kind === 'property' ? definition.property : ''
  )
  return (
    <form
      className="definition-picker"
      onSubmit={(event) => {
        event.preventDefault()
        if (definition.kind === 'gap' && Number(gap) > 0)
          onChange({ kind: 'gap', gapMs: Number(gap) * 60_000 })
        if (definition.kind === 'property' && property.trim())
          onChange({ kind: 'property', property: property.trim() })
      }}
    >
      <label className="nowrap">
        A session is{' '}
        <select
          className="select"
          aria-label="Session definition"
          value={definition.kind}
          onChange={(e) => {
            const kind = e.target.value
            if (kind === 'gap')
              onChange({ kind: 'gap', gapMs: (Number(gap) > 0 ? Number(gap) : 30) * 60_000 })
            else if (kind === 'property') {
              if (property.trim()) onChange({ kind: 'property', property: property.trim() })
              else onChange({ kind: 'property', property: '$window_id' })
            } else onChange({ kind: 'session-id' })
          }}
        >
          <option value="session-id">a $session_id</option>
          <option value="gap">split by inactivity</option>
          <option value="property">a value of a property</option>
        </select>
      </label>
      {definition.kind === 'gap' ? (
        <label className="nowrap">
          after{' '}
          <input
            className="input gap-input"
            type="number"
            min={1}
            aria-label="Inactivity gap in minutes"
            value={gap}
            onChange={(e) => setGap(e.target.value)}
          />{' '}
          minutes <button className="button">Apply</button>
        </label>
      ) : null}
      {definition.kind === 'property' ? (
        <label className="nowrap">
          <input
            className="input"
            aria-label="Session property"
            value={property || definition.property}
            onChange={(e) => setProperty(e.target.value)}
          />{' '}
          <button className="button">Apply</button>
        </label>
      ) : null}
    </form>
  )
}

function StatsView({
  stats,
  filter,
  onShow
}: {
  stats: SessionStats
  filter: SessionFilter | null
  onShow: (filter: SessionFilter) => void
}) {
  const p = stats.duration.percentilesSeconds
  const dayLabels = perDayLabels(stats.perDay.map((d) => d.day))
  const spansYears = stats.perDay.length > 0 && dayLabels[0] === stats.perDay[0]?.day
  return (
    <>
      <div className="stat-cards">
        <StatCard
          label="Sessions"
          value={formatCount(stats.sessions)}
          note={`${formatCount(stats.events)} events`}
          onClick={() => onShow({ kind: 'all' })}
          testId="stat-sessions"
        />
        <StatCard
          label="Persons"
          value={formatCount(stats.persons)}
          note={`${stats.sessionsPerPerson.average.toFixed(2)} sessions each`}
        />
        <StatCard
          label="Median duration"
          value={formatDuration(p.p50 * 1000)}
          note={`average ${formatDuration(stats.duration.averageSeconds * 1000)}`}
        />
        <StatCard
          label="Bounce rate"
          value={`${(stats.bounce.rate * 100).toFixed(1)}%`}
          note={`${formatCount(stats.bounce.bounced)} of ${formatCount(stats.bounce.eligible)}`}
          onClick={() => onShow({ kind: 'bounced' })}
          testId="stat-bounce"
        />
        <StatCard
          label="Pageviews per session"
          value={stats.pageviews.averagePerSession.toFixed(2)}
          note={`median ${stats.pageviews.medianPerSession}`}
        />
        <StatCard
          label="Multi-device persons"
          value={formatCount(stats.multiDevice.persons)}
          note={`${formatCount(stats.multiDevice.concurrentPersons)} within the gap`}
          onClick={() => onShow({ kind: 'multi-device' })}
          testId="stat-multi-device"
        />
      </div>
      <section className="panel">
        <h2>Sessions per day (UTC)</h2>
        <ColumnChart
          bars={stats.perDay.map((d, i) => ({
            key: d.day,
            label: dayLabels[i] ?? d.day,
            value: d.sessions,
            title: `${d.day}: ${d.sessions} sessions`
          }))}
          maxLabels={spansYears ? 8 : 16}
          selectedKey={filter?.kind === 'day' ? filter.day : null}
          onSelect={(key) => onShow({ kind: 'day', day: key })}
        />
      </section>
      <div className="panel-row">
        <section className="panel">
          <h2>Duration</h2>
          <p className="muted percentiles" data-testid="duration-percentiles">
            p50 {formatDuration(p.p50 * 1000)} · p75 {formatDuration(p.p75 * 1000)} · p90{' '}
            {formatDuration(p.p90 * 1000)} · p95 {formatDuration(p.p95 * 1000)} · p99{' '}
            {formatDuration(p.p99 * 1000)}
          </p>
          <ColumnChart
            bars={stats.duration.histogram.map((b) => ({
              key: `${b.from}-${b.to}`,
              label: bucketLabel(b, shortDuration),
              value: b.count,
              title: `${bucketLabel(b, shortDuration)}: ${b.count} sessions`
            }))}
            selectedKey={
              filter?.kind === 'duration'
                ? `${filter.minSeconds}-${filter.maxSeconds >= OPEN ? -1 : filter.maxSeconds}`
                : null
            }
            onSelect={(key) => {
              const [from, to] = key.split('-').map(Number) as [number, number]
              onShow({ kind: 'duration', minSeconds: from, maxSeconds: to < 0 ? OPEN : to })
            }}
          />
        </section>
        <section className="panel">
          <h2>Pageviews per session</h2>
          <p className="muted percentiles">{formatCount(stats.pageviews.total)} pageviews in all</p>
          <ColumnChart
            bars={stats.pageviews.histogram.map((b) => ({
              key: `${b.from}-${b.to}`,
              label: bucketLabel(b, String, true),
              value: b.count,
              title: `${bucketLabel(b, String, true)} pageviews: ${b.count} sessions`
            }))}
            selectedKey={
              filter?.kind === 'pageviews'
                ? `${filter.min}-${filter.max >= OPEN ? -1 : filter.max + 1}`
                : null
            }
            onSelect={(key) => {
              const [from, to] = key.split('-').map(Number) as [number, number]
              onShow({ kind: 'pageviews', min: from, max: to < 0 ? OPEN : to - 1 })
            }}
          />
        </section>
      </div>
      {stats.multiDevice.list.length > 0 ? (
        <section className="panel">
          <h2>Persons on several devices</h2>
          <table className="data-table" aria-label="Multi-device persons">
            <thead>
              <tr>
                <th>Person</th>
                <th>Devices</th>
                <th className="num">Sessions</th>
                <th>Within the gap</th>
              </tr>
            </thead>
            <tbody>
              {stats.multiDevice.list.map((person) => (
                <tr
                  key={person.personId}
                  data-testid="multi-device-person"
                  onClick={() => onShow({ kind: 'person', personId: person.personId })}
                >
                  <td>
                    <a
                      href={hrefFor(personTarget(person.personId))}
                      onClick={(e) => e.stopPropagation()}
                    >
                      {person.email ?? person.personId}
                    </a>
                  </td>
                  <td>{person.devices.map((d) => describeDevice(d)).join(' + ')}</td>
                  <td className="num">{person.sessions}</td>
                  <td>{person.concurrent ? 'yes' : 'no'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      ) : null}
    </>
  )
}

/** `45s`, `3m`, `1h`: bucket edges are round numbers. */
function shortDuration(seconds: number): string {
  if (seconds < 60) return `${seconds}s`
  if (seconds < 3600) return `${Math.round(seconds / 60)}m`
  return `${Math.round(seconds / 360) / 10}h`
}

/** `10s–30s`, `4h+`; counts: `2`, `5–9`, `20+`. */
function bucketLabel(
  bucket: HistogramBucket,
  format: (n: number) => string,
  isCount = false
): string {
  if (bucket.to < 0) return `${format(bucket.from)}+`
  if (isCount && bucket.to === bucket.from + 1) return format(bucket.from)
  return `${format(bucket.from)}–${format(isCount ? bucket.to - 1 : bucket.to)}`
}
