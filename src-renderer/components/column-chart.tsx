export type Bar = { key: string; label: string; value: number; title: string }

/** Vertical bars (one per bucket or day), each a button that selects it. */
export function ColumnChart({
  bars,
  selectedKey,
  onSelect
}: {
  bars: Bar[]
  selectedKey: string | null
  onSelect: (key: string) => void
}) {
  const max = Math.max(1, ...bars.map((b) => b.value))
  const labelEvery = Math.max(1, Math.ceil(bars.length / 16))
  return (
    <div>
      <div className="column-chart">
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
      <div className="column-chart-labels" aria-hidden="true">
        {bars.map((bar, i) => (
          <span key={bar.key}>{i % labelEvery === 0 ? bar.label : ''}</span>
        ))}
      </div>
    </div>
  )
}
