import type { FunnelStepResult } from '@shared/analytics'
import { formatCount, formatDuration } from '../../components/format'

/** `76.0%`. */
export function formatPercent(fraction: number): string {
  return `${(fraction * 100).toFixed(1)}%`
}

type Props = {
  steps: FunnelStepResult[]
  selected: { step: number; outcome: 'dropped' | 'converted' } | null
  onSelect: (step: number, outcome: 'dropped' | 'converted') => void
}

/**
 * The funnel as bars: persons at each step (height relative to step 1), conversion from the previous step and the
 * median time it took. Under each bar but the last, the drop-off to the next step opens the persons behind it; the
 * bar of the next step opens those who converted.
 */
export function FunnelChart({ steps, selected, onSelect }: Props) {
  const first = steps[0]?.count ?? 0
  return (
    <div className="funnel-chart" role="list" aria-label="Funnel steps">
      {steps.map((step, i) => {
        const next = steps[i + 1]
        const height = first > 0 ? (step.count / first) * 100 : 0
        const isConvertedSelected = selected?.outcome === 'converted' && selected.step === i - 1
        return (
          <div className="funnel-column" role="listitem" key={i} data-testid="funnel-step-result">
            <div className="funnel-step-label" title={step.label}>
              <span className="step-number">{i + 1}</span> {step.label}
            </div>
            <button
              type="button"
              className="funnel-bar-area"
              aria-label={`Step ${i + 1}: ${step.count} persons${i > 0 ? ', show those who converted' : ''}`}
              aria-pressed={isConvertedSelected}
              disabled={i === 0}
              onClick={() => onSelect(i - 1, 'converted')}
            >
              <span className="funnel-bar-dropped" style={{ height: `${100 - height}%` }} />
              <span className="funnel-bar" style={{ height: `${height}%` }} />
            </button>
            <div className="funnel-figures">
              <strong data-testid="funnel-step-count">{formatCount(step.count)}</strong>
              <span className="muted"> persons</span>
              {i > 0 ? (
                <div className="muted">
                  {formatPercent(step.conversionFromPrevious)} of previous ·{' '}
                  {formatPercent(step.conversionFromFirst)} overall
                </div>
              ) : (
                <div className="muted">entered the funnel</div>
              )}
              {step.medianSecondsToConvert !== null ? (
                <div className="muted">
                  median {formatDuration(step.medianSecondsToConvert * 1000)} to convert
                </div>
              ) : null}
            </div>
            {next ? (
              <button
                type="button"
                className="dropoff-button"
                data-testid="dropoff-button"
                aria-pressed={selected?.outcome === 'dropped' && selected.step === i}
                onClick={() => onSelect(i, 'dropped')}
              >
                ▼ {formatCount(next.droppedFromPrevious)} dropped off
                <span className="muted">
                  {' '}
                  ({formatPercent(step.count > 0 ? next.droppedFromPrevious / step.count : 0)})
                </span>
              </button>
            ) : null}
          </div>
        )
      })}
    </div>
  )
}
