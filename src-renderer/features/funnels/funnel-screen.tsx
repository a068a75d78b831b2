import { useEffect, useMemo, useState } from 'react'
import type { FunnelBreakdownResult, FunnelDefinition } from '@shared/analytics'
import { useAppStore, useScreenReady } from '../../app/app-store'
import type { RouteProps } from '../../app/route-types'
import { formatTarget, navigate } from '../../app/router'
import { EmptyState } from '../../components/empty-state'
import { formatCount } from '../../components/format'
import { FunnelBuilder } from './funnel-builder'
import { FunnelChart, formatPercent } from './funnel-chart'
import {
  DEFAULT_DRAFT,
  definitionFromParams,
  definitionToDraft,
  definitionToParams,
  draftToDefinition,
  selectionFromParams,
  unknownStepEvents,
  type FunnelDraft
} from './funnel-definition'
import { FunnelDrilldown } from './funnel-drilldown'
import { definitionKey, useFunnelStore, type DrilldownQuery } from './funnel-store'
import '../../components/data-views.css'
import './funnels.css'

/** Funnels: build one (or open a saved one), see the conversion per step, drill into drop-offs and their issues. */
export function FunnelScreen({ search }: RouteProps) {
  const searchKey = search.toString()
  const params = useMemo(() => new URLSearchParams(searchKey), [searchKey])
  const definition = useMemo(() => definitionFromParams(params), [params])
  const key = definitionKey(definition)
  const selection = useMemo(
    () => (definition ? selectionFromParams(params, definition.steps.length) : null),
    [params, definition]
  )
  const compute = useFunnelStore((s) => s.compute)
  const reload = useFunnelStore((s) => s.reload)
  const showDrilldown = useFunnelStore((s) => s.showDrilldown)
  const loadEventNames = useFunnelStore((s) => s.loadEventNames)
  const loadSaved = useFunnelStore((s) => s.loadSaved)
  const result = useFunnelStore((s) => s.result)
  const status = useFunnelStore((s) => s.status)
  const errorMessage = useFunnelStore((s) => s.errorMessage)
  const drilldown = useFunnelStore((s) => s.drilldown)
  const eventNames = useFunnelStore((s) => s.eventNames)
  const dataVersion = useAppStore((s) => s.dataVersion)
  const [draft, setDraft] = useState<FunnelDraft>(() =>
    definition ? definitionToDraft(definition) : DEFAULT_DRAFT
  )
  const [draftKey, setDraftKey] = useState(key)
  const [breakdownValue, setBreakdownValue] = useState<string | null | undefined>(undefined)

  // Follow the URL (back/forward, a saved funnel): the editor shows the definition being computed.
  if (key !== draftKey) {
    setDraftKey(key)
    setDraft(definition ? definitionToDraft(definition) : DEFAULT_DRAFT)
    setBreakdownValue(undefined)
  }

  useEffect(() => {
    void loadEventNames()
    void loadSaved()
  }, [loadEventNames, loadSaved, dataVersion])

  useEffect(() => {
    // The store ignores a definition it already shows, so a new URL with the same funnel costs nothing.
    if (definition) void compute(definition)
  }, [definition, compute])

  useEffect(() => {
    if (dataVersion > 0) void reload()
  }, [dataVersion, reload])

  useEffect(() => {
    if (!definition || status !== 'ready') return
    const current = useFunnelStore.getState().drilldown
    const next: DrilldownQuery | null = selection
      ? { ...selection, breakdownValue, offset: 0 }
      : null
    const same =
      (current === null && next === null) ||
      (current !== null &&
        next !== null &&
        current.step === next.step &&
        current.outcome === next.outcome &&
        current.breakdownValue === next.breakdownValue)
    if (!same) void showDrilldown(definition, next)
  }, [selection, definition, status, breakdownValue, showDrilldown])

  const runnable = draftToDefinition(draft)
  const run = () => {
    if (runnable) navigate(formatTarget('/funnels', definitionToParams(runnable)))
  }
  const select = (step: number, outcome: 'dropped' | 'converted') => {
    if (definition)
      navigate(formatTarget('/funnels', definitionToParams(definition, { step, outcome })))
  }

  useScreenReady(
    !definition ? 'ready' : status === 'error' ? 'error' : status === 'ready' ? 'ready' : 'loading'
  )

  const breakdown: FunnelBreakdownResult | undefined =
    breakdownValue === undefined
      ? undefined
      : result?.breakdowns.find((b) => b.value === breakdownValue)
  const steps = breakdown?.steps ?? result?.steps ?? []
  const unknownEvents = definition ? unknownStepEvents(definition, eventNames) : []

  return (
    <div className="screen funnels-screen">
      <header className="screen-header">
        <h1>Funnels</h1>
        <SavedFunnels definition={definition} />
      </header>
      <div className="funnels-layout">
        <aside className="funnels-sidebar">
          <FunnelBuilder draft={draft} onChange={setDraft} onRun={run} canRun={runnable !== null} />
        </aside>
        <section className="funnels-results" aria-label="Funnel result">
          {!definition ? (
            <EmptyState title="Build a funnel">
              <p>
                Pick 2 to 10 events in order (a step can require a property, e.g.{' '}
                <code>$pathname</code> starts with <code>/product/</code>), a conversion window, and
                press Calculate. Persons are counted as PostHog counts them; click a drop-off to see
                who left and watch their recordings.
              </p>
            </EmptyState>
          ) : status === 'error' ? (
            <EmptyState tone="error" title="The funnel could not be computed">
              <p>{errorMessage}</p>
            </EmptyState>
          ) : status === 'loading' || !result ? (
            <p className="muted funnel-computing" role="status">
              Computing… (the first funnel after an import reads every event once)
            </p>
          ) : (
            <>
              <p className="muted funnel-summary" data-testid="funnel-summary">
                {formatCount(steps[0]?.count ?? 0)} of {formatCount(result.personsConsidered)}{' '}
                persons entered · {formatPercent(steps.at(-1)?.conversionFromFirst ?? 0)} converted
                · {result.computedInMs} ms
              </p>
              {unknownEvents.length > 0 ? (
                <p className="funnel-warning" role="status" data-testid="funnel-unknown-events">
                  No imported event is named {unknownEvents.map((e) => `“${e}”`).join(', ')}: check
                  the spelling (each step’s field suggests the event names in the cache).
                </p>
              ) : null}
              {result.breakdowns.length > 0 ? (
                <BreakdownTable
                  breakdowns={result.breakdowns}
                  selected={breakdownValue}
                  onSelect={(value) => setBreakdownValue(value)}
                />
              ) : null}
              <FunnelChart steps={steps} selected={selection} onSelect={select} />
              {drilldown && definition ? (
                <FunnelDrilldown
                  definition={definition}
                  labels={steps.map((s) => s.label)}
                  query={drilldown}
                  onChange={(query) => {
                    if (query.outcome !== drilldown.outcome) select(query.step, query.outcome)
                    else void showDrilldown(definition, query)
                  }}
                />
              ) : (
                <p className="muted">
                  Click a drop-off (▼) or a step’s bar to see the persons behind it.
                </p>
              )}
            </>
          )}
        </section>
      </div>
    </div>
  )
}

function BreakdownTable({
  breakdowns,
  selected,
  onSelect
}: {
  breakdowns: FunnelBreakdownResult[]
  selected: string | null | undefined
  onSelect: (value: string | null | undefined) => void
}) {
  return (
    <table className="data-table breakdown-table" aria-label="Breakdown">
      <thead>
        <tr>
          <th>Breakdown</th>
          {breakdowns[0]?.steps.map((s) => (
            <th key={s.index} className="num">
              Step {s.index + 1}
            </th>
          ))}
          <th className="num">Conversion</th>
        </tr>
      </thead>
      <tbody>
        <tr aria-selected={selected === undefined} onClick={() => onSelect(undefined)}>
          <td>
            <strong>All</strong>
          </td>
          <td colSpan={(breakdowns[0]?.steps.length ?? 0) + 1} className="muted">
            every person
          </td>
        </tr>
        {breakdowns.map((b) => (
          <tr
            key={b.value ?? '(none)'}
            aria-selected={selected === b.value}
            onClick={() => onSelect(b.value)}
          >
            <td>{b.value ?? <span className="muted">(not set)</span>}</td>
            {b.steps.map((s) => (
              <td key={s.index} className="num">
                {formatCount(s.count)}
              </td>
            ))}
            <td className="num">{formatPercent(b.steps.at(-1)?.conversionFromFirst ?? 0)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  )
}

function SavedFunnels({ definition }: { definition: FunnelDefinition | null }) {
  const saved = useFunnelStore((s) => s.saved)
  const save = useFunnelStore((s) => s.save)
  const remove = useFunnelStore((s) => s.remove)
  const [name, setName] = useState('')
  const [error, setError] = useState<string | null>(null)
  const current = saved.find((f) => definitionKey(f.definition) === definitionKey(definition))
  return (
    <div className="saved-funnels">
      <select
        className="select"
        aria-label="Saved funnels"
        value={current ? String(current.id) : ''}
        onChange={(e) => {
          const funnel = saved.find((f) => String(f.id) === e.target.value)
          if (funnel) navigate(formatTarget('/funnels', definitionToParams(funnel.definition)))
        }}
      >
        <option value="">{saved.length === 0 ? 'No saved funnels' : 'Saved funnels…'}</option>
        {saved.map((f) => (
          <option key={f.id} value={f.id}>
            {f.name}
          </option>
        ))}
      </select>
      {current ? (
        <button
          type="button"
          className="button button-quiet"
          onClick={() => void remove(current.id)}
        >
          Delete “{current.name}”
        </button>
      ) : definition ? (
        <form
          className="save-funnel"
          onSubmit={(event) => {
            event.preventDefault()
            if (!name.trim()) return
            save(name.trim(), definition)
              .then(() => {
                setName('')
                setError(null)
              })
              .catch((e: unknown) => setError(e instanceof Error ? e.message : String(e)))
          }}
        >
          <input
            className="input"
            aria-label="Funnel name"
            placeholder="Name this funnel"
            value={name}
            onChange={(e) => setName(e.target.value)}
          />
          <button type="submit" className="button" disabled={!name.trim()}>
            Save
          </button>
          {error ? <span className="error-text">{error}</span> : null}
        </form>
      ) : null}
    </div>
  )
}
