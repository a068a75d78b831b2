export type Bar = { key: string; label: string; value: number; title: string }

/** The gap between bars: narrower as bars get denser, none at all beyond 200 bars (e.g. two years of days). */
export function columnGapPx(bars: number): number {
  return bars > 200 ? 0 : bars > 60 ? 1 : 3
}

/**
 * Vertical bars (one per bucket or day), each a button that selects it. Any number of bars fits the width (a grid
 * of equal columns); every `ceil(bars / maxLabels)`-th bar is labelled, the label spanning the bars up to the next.
 */
export function ColumnChart({
  bars,
  selectedKey,
  onSelect,
  maxLabels = 16
}: {
  bars: Bar[]
  selectedKey: string | null
  onSelect: (key: string) => void
  maxLabels?: number
}) {
  const max = Math.max(1, ...bars.map((b) => b.value))
  const labelEvery = Math.max(1, Math.ceil(bars.length / maxLabels))
  const grid = {
    gridTemplateColumns: `repeat(${Math.max(1, bars.length)}, minmax(0, 1fr))`,
    columnGap: `${columnGapPx(bars.length)}px`
  }
  return (
    <div>
      <div className="column-chart" style={grid}>
        {bars.map((bar) => (
          <button
            type="button"
            key={bar.key}
            className="column-chart-bar"
            title={bar.title}
            aria-label={bar.title}
            aria-pressed={selectedKey === bar.key}
            onClick={() => onSelect(bar.key)}
          >
            <span className="column-chart-fill" style={{ height: `${(bar.value / max) * 100}%` }} />
          </button>
        ))}
      </div>
      <div
        className={`column-chart-labels${labelEvery > 1 ? ' column-chart-labels-sparse' : ''}`}
        style={grid}
        aria-hidden="true"
      >
        {bars.map((bar, i) =>
          i % labelEvery === 0 ? (
            <span
              key={bar.key}
              style={{ gridColumn: `${i + 1} / span ${Math.min(labelEvery, bars.length - i)}` }}
            >
              {bar.label}
            </span>
          ) : null
        )}
      </div>
    </div>
  )
}
