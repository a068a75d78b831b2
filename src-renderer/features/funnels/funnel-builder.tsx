import { useEffect, useId } from 'react'
import type { FunnelStep, PropertyFilter, PropertyOperator } from '@shared/analytics'
import { EMPTY_STEP, type FunnelDraft, type WindowUnit } from './funnel-definition'
import { useFunnelStore } from './funnel-store'

const OPERATORS: { value: PropertyOperator; label: string }[] = [
  { value: 'equals', label: '=' },
  { value: 'not-equals', label: '≠' },
  { value: 'starts-with', label: 'starts with' },
  { value: 'contains', label: 'contains' },
  { value: 'not-contains', label: 'does not contain' },
  { value: 'is-set', label: 'is set' },
  { value: 'is-not-set', label: 'is not set' }
]

type Props = {
  draft: FunnelDraft
  onChange: (draft: FunnelDraft) => void
  onRun: () => void
  canRun: boolean
}

/** The funnel editor: 2–10 steps with property filters, the conversion window, order and breakdown. */
export function FunnelBuilder({ draft, onChange, onRun, canRun }: Props) {
  const eventNames = useFunnelStore((s) => s.eventNames)
  const listId = useId()
  const setStep = (index: number, step: FunnelStep) =>
    onChange({ ...draft, steps: draft.steps.map((s, i) => (i === index ? step : s)) })
  const moveStep = (index: number, by: number) => {
    const steps = [...draft.steps]
    const [step] = steps.splice(index, 1)
    steps.splice(index + by, 0, step as FunnelStep)
    onChange({ ...draft, steps })
  }
  return (
    <form
      className="funnel-builder"
      aria-label="Funnel definition"
      onSubmit={(event) => {
        event.preventDefault()
        if (canRun) onRun()
      }}
    >
      <datalist id={`${listId}-events`}>
        {eventNames.map((e) => (
          <option key={e.name} value={e.name}>
            {e.count.toLocaleString()} events
          </option>
        ))}
      </datalist>
      <ol className="funnel-steps">
        {draft.steps.map((step, index) => (
          <StepEditor
            key={index}
            index={index}
            step={step}
            eventListId={`${listId}-events`}
            count={draft.steps.length}
            onChange={(next) => setStep(index, next)}
            onRemove={() =>
              onChange({ ...draft, steps: draft.steps.filter((_, i) => i !== index) })
            }
            onMove={(by) => moveStep(index, by)}
          />
        ))}
      </ol>
      {draft.steps.length < 10 ? (
        <button
          type="button"
          className="button button-quiet"
          onClick={() => onChange({ ...draft, steps: [...draft.steps, { ...EMPTY_STEP }] })}
        >
          + Add step
        </button>
      ) : null}
      <fieldset className="funnel-options">
        <label className="field">
          <span>Conversion window</span>
          <span className="field-row">
            <input
              className="input window-value"
              type="number"
              min={1}
              step={1}
              aria-label="Conversion window"
              value={draft.windowValue}
              onChange={(e) => onChange({ ...draft, windowValue: Number(e.target.value) })}
            />
            <select
              className="select"
              aria-label="Window unit"
              value={draft.windowUnit}
              onChange={(e) => onChange({ ...draft, windowUnit: e.target.value as WindowUnit })}
            >
              <option value="minutes">minutes</option>
              <option value="hours">hours</option>
              <option value="days">days</option>
            </select>
          </span>
        </label>
        <label className="field">
          <span>Step order</span>
          <select
            className="select"
            value={draft.order}
            onChange={(e) => onChange({ ...draft, order: e.target.value as FunnelDraft['order'] })}
          >
            <option value="ordered">Sequential (other events may happen between steps)</option>
            <option value="strict">Strict (no other event between steps)</option>
          </select>
        </label>
        <label className="field">
          <span>Breakdown</span>
          <span className="field-row">
            <select
              className="select"
              aria-label="Breakdown source"
              value={draft.breakdownSource}
              onChange={(e) =>
                onChange({
                  ...draft,
                  breakdownSource: e.target.value as FunnelDraft['breakdownSource']
                })
              }
            >
              <option value="none">None</option>
              <option value="event">Event property</option>
              <option value="person">Person property</option>
            </select>
            {draft.breakdownSource !== 'none' ? (
              <input
                className="input"
                aria-label="Breakdown property"
                placeholder={draft.breakdownSource === 'event' ? '$browser' : 'plan'}
                value={draft.breakdownProperty}
                onChange={(e) => onChange({ ...draft, breakdownProperty: e.target.value })}
              />
            ) : null}
          </span>
        </label>
      </fieldset>
      <button type="submit" className="button button-primary" disabled={!canRun}>
        Calculate
      </button>
    </form>
  )
}

function StepEditor({
  index,
  step,
  count,
  eventListId,
  onChange,
  onRemove,
  onMove
}: {
  index: number
  step: FunnelStep
  count: number
  eventListId: string
  onChange: (step: FunnelStep) => void
  onRemove: () => void
  onMove: (by: number) => void
}) {
  const loadPropertyNames = useFunnelStore((s) => s.loadPropertyNames)
  const propertyNames = useFunnelStore((s) => s.propertyNames[step.event])
  const propertyListId = `${eventListId}-props-${index}`
  useEffect(() => {
    if (step.event) void loadPropertyNames(step.event)
  }, [step.event, loadPropertyNames])
  const filters = step.filters ?? []
  const setFilter = (i: number, filter: PropertyFilter) =>
    onChange({ ...step, filters: filters.map((f, j) => (j === i ? filter : f)) })
  return (
    <li className="funnel-step" data-testid="funnel-step">
      <div className="funnel-step-head">
        <span className="step-number">{index + 1}</span>
        <input
          className="input step-event"
          list={eventListId}
          aria-label={`Step ${index + 1} event`}
          placeholder="Event name"
          value={step.event}
          onChange={(e) => onChange({ ...step, event: e.target.value })}
        />
        <button
          type="button"
          className="button button-quiet button-icon"
          aria-label="Move up"
          disabled={index === 0}
          onClick={() => onMove(-1)}
        >
          ↑
        </button>
        <button
          type="button"
          className="button button-quiet button-icon"
          aria-label="Move down"
          disabled={index === count - 1}
          onClick={() => onMove(1)}
        >
          ↓
        </button>
        <button
          type="button"
          className="button button-quiet button-icon"
          aria-label="Remove step"
          disabled={count <= 2}
          onClick={onRemove}
        >
          ✕
        </button>
      </div>
      <datalist id={propertyListId}>
        {(propertyNames ?? []).map((name) => (
          <option key={name} value={name} />
        ))}
      </datalist>
      {filters.map((filter, i) => (
        <div className="step-filter" key={i}>
          <input
            className="input"
            list={propertyListId}
            aria-label={`Step ${index + 1} filter property`}
            placeholder="$pathname"
            value={filter.property}
            onChange={(e) => setFilter(i, { ...filter, property: e.target.value })}
          />
          <select
            className="select"
            aria-label={`Step ${index + 1} filter operator`}
            value={filter.operator}
            onChange={(e) =>
              setFilter(i, { ...filter, operator: e.target.value as PropertyOperator })
            }
          >
            {OPERATORS.map((o) => (
              <option key={o.value} value={o.value}>
                {o.label}
              </option>
            ))}
          </select>
          {filter.operator !== 'is-set' && filter.operator !== 'is-not-set' ? (
            <input
              className="input"
              aria-label={`Step ${index + 1} filter value`}
              placeholder="/cart"
              value={filter.value ?? ''}
              onChange={(e) => setFilter(i, { ...filter, value: e.target.value })}
            />
          ) : null}
          <button
            type="button"
            className="button button-quiet button-icon"
            aria-label="Remove filter"
            onClick={() => onChange({ ...step, filters: filters.filter((_, j) => j !== i) })}
          >
            ✕
          </button>
        </div>
      ))}
      <button
        type="button"
        className="button button-quiet add-filter"
        onClick={() =>
          onChange({
            ...step,
            filters: [...filters, { property: '', operator: 'equals', value: '' }]
          })
        }
      >
        + Filter
      </button>
    </li>
  )
}
