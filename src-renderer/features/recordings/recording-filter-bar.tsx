import { useState } from 'react'
import { DEFAULT_FILTERS, RANGE_PRESETS, type RecordingFilters, type ViewedFilter } from './recording-filters'

type Props = {
  filters: RecordingFilters
  activeCount: number
  onChange: (filters: RecordingFilters) => void
}

const MIN_DURATIONS: ReadonlyArray<[number, string]> = [
  [10, '10 s'],
  [30, '30 s'],
  [60, '1 min'],
  [300, '5 min'],
  [900, '15 min'],
  [1800, '30 min']
]
const MAX_DURATIONS: ReadonlyArray<[number, string]> = [
  [30, '30 s'],
  [60, '1 min'],
  [300, '5 min'],
  [900, '15 min'],
  [3600, '1 hour']
]
const MIN_ACTIVE: ReadonlyArray<[number, string]> = [
  [5, '5 s'],
  [30, '30 s'],
  [60, '1 min'],
  [300, '5 min']
]

/** `<option>`s for a duration select, plus the current value when a link set one not in the list. */
function secondsOptions(options: ReadonlyArray<[number, string]>, current: number | null, prefix: string) {
  const list: ReadonlyArray<readonly [number, string]> =
    current !== null && !options.some(([s]) => s === current) ? [...options, [current, `${current} s`]] : options
  return list.map(([seconds, label]) => (
    <option key={seconds} value={seconds}>
      {prefix} {label}
    </option>
  ))
}

function parseSeconds(value: string): number | null {
  return value === '' ? null : Number(value)
}

/** The filter row under the search box. Every change goes to the URL (and from there to the list). */
export function RecordingFilterBar({ filters, activeCount, onChange }: Props) {
  const update = (patch: Partial<RecordingFilters>) => onChange({ ...filters, ...patch })

  return (
    <div className="filter-bar" role="group" aria-label="Filters">
      <select
        className="select"
        aria-label="Date range"
        value={filters.range}
        onChange={(event) => update({ range: event.target.value as RecordingFilters['range'] })}
      >
        <option value="any">Any time</option>
        {RANGE_PRESETS.map((preset) => (
          <option key={preset.value} value={preset.value}>
            {preset.label}
          </option>
        ))}
        <option value="custom">Custom range…</option>
      </select>
      {filters.range === 'custom' ? (
        <span className="filter-range">
          <input
            type="date"
            className="input"
            aria-label="From day"
            value={filters.fromDay}
            max={filters.toDay || undefined}
            onChange={(event) => update({ fromDay: event.target.value })}
          />
          <span aria-hidden="true">–</span>
          <input
            type="date"
            className="input"
            aria-label="To day"
            value={filters.toDay}
            min={filters.fromDay || undefined}
            onChange={(event) => update({ toDay: event.target.value })}
          />
        </span>
      ) : null}
      <select
        className="select"
        aria-label="Minimum duration"
        value={filters.minDurationS ?? ''}
        onChange={(event) => update({ minDurationS: parseSeconds(event.target.value) })}
      >
        <option value="">Any length</option>
        {secondsOptions(MIN_DURATIONS, filters.minDurationS, '≥')}
      </select>
      <select
        className="select"
        aria-label="Maximum duration"
        value={filters.maxDurationS ?? ''}
        onChange={(event) => update({ maxDurationS: parseSeconds(event.target.value) })}
      >
        <option value="">No max</option>
        {secondsOptions(MAX_DURATIONS, filters.maxDurationS, '≤')}
      </select>
      <select
        className="select"
        aria-label="Minimum active time"
        value={filters.minActiveS ?? ''}
        onChange={(event) => update({ minActiveS: parseSeconds(event.target.value) })}
      >
        <option value="">Any activity</option>
        {secondsOptions(MIN_ACTIVE, filters.minActiveS, 'Active ≥')}
      </select>
      <label className="checkbox filter-chip">
        <input
          type="checkbox"
          checked={filters.hasExceptions}
          onChange={(event) => update({ hasExceptions: event.target.checked })}
        />
        Has exceptions
      </label>
      <label className="checkbox filter-chip">
        <input
          type="checkbox"
          checked={filters.hasConsoleErrors}
          onChange={(event) => update({ hasConsoleErrors: event.target.checked })}
        />
        Console errors
      </label>
      <select
        className="select"
        aria-label="Viewed"
        value={filters.viewed}
        onChange={(event) => update({ viewed: event.target.value as ViewedFilter })}
      >
        <option value="any">Viewed or not</option>
        <option value="unviewed">Unviewed</option>
        <option value="viewed">Viewed</option>
      </select>
      <CommitInput label="Person" placeholder="Person (email, id)" value={filters.person} onCommit={(person) => update({ person })} />
      <CommitInput label="URL contains" placeholder="URL contains" value={filters.urlContains} onCommit={(urlContains) => update({ urlContains })} />
      <CommitInput
        label="Performed event"
        placeholder="Performed event"
        value={filters.performedEvent}
        onCommit={(performedEvent) => update({ performedEvent })}
      />
      {activeCount > 0 ? (
        <button
          type="button"
          className="button button-quiet"
          onClick={() => onChange({ ...DEFAULT_FILTERS, text: filters.text, sort: filters.sort })}
        >
          Clear {activeCount} filter{activeCount === 1 ? '' : 's'}
        </button>
      ) : null}
    </div>
  )
}

/** A text filter that applies on Enter or when it loses focus (not on every keystroke). */
function CommitInput({
  label,
  placeholder,
  value,
  onCommit
}: {
  label: string
  placeholder: string
  value: string
  onCommit: (value: string) => void
}) {
  const [draft, setDraft] = useState(value)
  const [shown, setShown] = useState(value)
  if (value !== shown) {
    setShown(value)
    setDraft(value)
  }
  const commit = () => {
    if (draft.trim() !== value.trim()) onCommit(draft)
  }
  return (
    <input
      type="text"
      className={`input filter-text${value ? ' filter-text-set' : ''}`}
      aria-label={label}
      placeholder={placeholder}
      value={draft}
      spellCheck={false}
      onChange={(event) => setDraft(event.target.value)}
      onBlur={commit}
      onKeyDown={(event) => {
        if (event.key === 'Enter') commit()
        if (event.key === 'Escape') setDraft(value)
      }}
    />
  )
}
